"""Forms of the pre-assessment and strategy pages; their choices come from the read models
and the access layer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.strategy.models import LearningMethod, NeedGroup


class NeedForm(forms.Form):
    title = forms.CharField(
        label=_("Your challenge or learning need"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("Say more"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_("What happens today, and what you would like to learn from your peers."),
    )


class GroupingForm(forms.Form):
    n_groups = forms.IntegerField(
        label=_("Number of groups"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("Leave empty to group by similarity instead."),
    )
    threshold = forms.FloatField(
        label=_("Similarity within a group"),
        min_value=0.01,
        max_value=0.99,
        required=False,
        help_text=_("From 0 to 1: higher makes smaller, closer groups. Default 0.3."),
    )


class GroupForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    merge_into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=NeedGroup.objects.none(),
        required=False,
        empty_label=_("— keep this group —"),
    )

    def __init__(self, *args: Any, group: NeedGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["merge_into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = NeedGroup.objects.filter(alliance_id=group.alliance_id).exclude(
            id=group.id
        )


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=NeedGroup.objects.none(),
        required=False,
        empty_label=_("a new group of its own"),
    )

    def __init__(self, *args: Any, alliance_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = NeedGroup.objects.filter(alliance_id=alliance_id)


class RankingForm(forms.Form):
    """A number for each group: 1 for the most important. Works without JavaScript."""

    def __init__(
        self, *args: Any, groups: list[NeedGroup], initial_ranks: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        n = len(groups)
        choices = [("", "—"), *[(str(i), str(i)) for i in range(1, n + 1)]]
        self.groups = groups
        for g in groups:
            self.fields[f"group_{g.id}"] = forms.TypedChoiceField(
                label=g.title,
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=initial_ranks.get(g.id),
                help_text="; ".join(n.title for n in g.needs.all()),
            )

    def clean(self) -> dict[str, Any]:
        """Each group's problem beside it, all at once: a group left without a number, or a
        number another group has too (named)."""
        data = super().clean() or {}
        by_rank: dict[int, list[NeedGroup]] = {}
        for g in self.groups:
            rank = data.get(f"group_{g.id}")
            if rank is None:
                if f"group_{g.id}" not in self.errors:
                    self.add_error(f"group_{g.id}", _("Give this group a number."))
                continue
            by_rank.setdefault(rank, []).append(g)
        for rank, same in by_rank.items():
            if len(same) < 2:
                continue
            for g in same:
                others = ", ".join(f"“{o.title}”" for o in same if o is not g)
                self.add_error(
                    f"group_{g.id}",
                    _("%(n)s is given to %(others)s too: give each group its own number.")
                    % {"n": rank, "others": others},
                )
        return data

    def ranks(self) -> dict[int, int]:
        return {
            g.id: self.cleaned_data[f"group_{g.id}"]
            for g in self.groups
            if self.cleaned_data.get(f"group_{g.id}") is not None
        }


class RankingStateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("open", _("Open the ranking")), ("close", _("Close the ranking"))],
        widget=forms.HiddenInput,
    )
    priorities = forms.IntegerField(
        label=_("How many priority reform areas to keep"),
        min_value=1,
        max_value=30,
        required=False,
        help_text=_("The top groups of the members' ranking become the alliance's priorities."),
    )


class PartForm(forms.Form):
    expected_result = forms.CharField(
        label=_("Expected result for the home organisation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("What should change in the organisation because of what is learned."),
    )


class ObjectiveForm(forms.Form):
    what = forms.CharField(label=_("What I learn"), max_length=300, required=False)
    topic = forms.TypedChoiceField(
        label=_("Shared topic"), coerce=int, required=False, empty_value=None
    )
    learn_from = forms.TypedChoiceField(
        label=_("From whom"), coerce=int, required=False, empty_value=None
    )
    methods = forms.MultipleChoiceField(
        label=_("How"),
        choices=LearningMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(
        self,
        *args: Any,
        topics: list[tuple[int, str]],
        teachers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        learn_from = self.fields["learn_from"]
        assert isinstance(topic, forms.TypedChoiceField)
        assert isinstance(learn_from, forms.TypedChoiceField)
        topic.choices = [("", "—"), *[(str(i), t) for i, t in topics]]
        learn_from.choices = [("", "—"), *[(str(i), t) for i, t in teachers]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A row with a topic, a teacher or a method but nothing to learn would be dropped
        # on saving (an objective is what is learned): ask for it instead.
        started = data.get("topic") or data.get("learn_from") or data.get("methods")
        if started and not (data.get("what") or "").strip() and not data.get("DELETE"):
            self.add_error(
                "what",
                _("Say what you learn in this objective, or tick “Remove” to drop the row."),
            )
        return data


ObjectiveFormSet = forms.formset_factory(ObjectiveForm, extra=1, max_num=20, absolute_max=20)
