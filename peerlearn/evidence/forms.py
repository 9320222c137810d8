"""Web forms of the evidence app. Choices come from the access layer's querysets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.access.alliances import alliances_joined_by, alliances_managed_by
from peerlearn.access.base import Viewer
from peerlearn.access.evidence import insight_sources_for
from peerlearn.access.visibility import (
    Visibility,
    alliance_audience,
    alliance_item_choices,
    alliance_item_level_now,
)
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.forms import (
    DateInput,
    ModelChoiceByName,
    dash_empty_choices,
    form_add_problems,
)
from peerlearn.core.pickers import PickerField, PickerMultipleField
from peerlearn.evidence.models import (
    DiaryEntry,
    Indicator,
    IndicatorPeriod,
    Insight,
    KnowledgeTransfer,
    OutcomeStatement,
    ScorecardRound,
    ScorecardSheet,
    SheetKind,
)
from peerlearn.evidence.principles import ITEMS, MAX_SCORE, MIN_SCORE, short_label
from peerlearn.evidence.services import (
    INDICATOR_FIELDS,
    OUTCOME_FIELDS,
    outcome_problems,
    period_dates_problems,
    round_dates_problems,
    transfer_problems,
)
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.pickers import ORGANISATIONS

DATE = DateInput()


def _an_alliances_item(form: forms.BaseForm, alliance: LearningAlliance | None = None) -> None:
    """The visibility levels in the words of an item of one alliance, none wider than the
    alliance itself (the access layer would not show the item further)."""
    field = form.fields["visibility"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = alliance_item_choices(alliance.visibility if alliance else None)
    # An item saved while its alliance was wider keeps the level it reaches now, rather
    # than the browser's first choice (the narrowest).
    instance = getattr(form, "instance", None)
    if alliance is not None and instance is not None and instance.pk:
        form.initial["visibility"] = alliance_item_level_now(instance)
    if alliance is not None and alliance.visibility != Visibility.PUBLIC:
        field.help_text = _(
            "%(alliance)s is seen by %(audience)s: its results reach no further."
        ) % {
            "alliance": alliance.name,
            "audience": alliance_audience(alliance.visibility),
        }


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        widgets = {
            "baseline_date": DATE,
            "baseline_text": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "visibility": _("Public: published with the alliance's open data."),
            "unit": _(
                "Needed for a quantitative indicator entered by hand, e.g. “KES million” or "
                "“%”. A computed indicator left without one counts activities, attendances "
                "or participants."
            ),
        }

    def __init__(self, *args: Any, alliance: LearningAlliance | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dash_empty_choices(self)
        _an_alliances_item(self, alliance)


class IndicatorPeriodForm(forms.ModelForm[IndicatorPeriod]):
    class Meta:
        model = IndicatorPeriod
        fields = [
            "starts_on",
            "ends_on",
            "target_value",
            "target_text",
            "actual_value",
            "actual_text",
            "note",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "target_text": forms.Textarea(attrs={"rows": 2}),
            "actual_text": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's rule, beside the end field with the other errors (the model's
        # constraint would otherwise answer in its own name, above the form).
        form_add_problems(
            self,
            period_dates_problems(starts_on=data.get("starts_on"), ends_on=data.get("ends_on")),
        )
        return data


class OutcomeForm(forms.ModelForm[OutcomeStatement]):
    class Meta:
        model = OutcomeStatement
        fields = list(OUTCOME_FIELDS)
        widgets = {
            "observed_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "significance": forms.Textarea(attrs={"rows": 2}),
            "contribution": forms.Textarea(attrs={"rows": 2}),
            "sources": forms.Textarea(attrs={"rows": 2}),
        }
        # Outcome harvesting's terms (Wilson-Grau), in a line each.
        help_texts = {
            "social_actor": _(
                "Who changed: the person, team or organisation whose behaviour, "
                "relationships, actions or policies changed."
            ),
            "significance": _(
                "Why the change matters: what it makes possible for the reform, and for whom."
            ),
            "contribution": _(
                "How the alliance plausibly influenced the change, directly or not: which "
                "activity, exchange or peer, and how. A contribution, not sole credit."
            ),
            "substantiator": _(
                "Someone outside the alliance who knows the change first-hand and can "
                "confirm it, e.g. an official of the social actor or a journalist."
            ),
            "substantiation": _(
                "Whether the substantiator agrees with the description: “Asked” while you "
                "wait for their answer; then choose what they answered (what they said can go "
                "in Sources)."
            ),
            "intended": _(
                "Tick if the alliance set out to bring this change about; leave it empty "
                "for an unexpected one."
            ),
        }

    def __init__(self, *args: Any, alliance: LearningAlliance | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dash_empty_choices(self)
        _an_alliances_item(self, alliance)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The service's rules beside the fields, with the form's other errors.
        form_add_problems(
            self,
            outcome_problems(
                substantiation=data.get("substantiation"),
                substantiator=data.get("substantiator"),
                observed_on=data.get("observed_on"),
            ),
        )
        return data


class TransferForm(forms.ModelForm[KnowledgeTransfer]):
    # Found by name or acronym and shown with their country, not chosen from hundreds.
    origin_organisation = PickerField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Origin organisation"),
    )
    adopters = PickerMultipleField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Adopting organisations"),
    )

    class Meta:
        model = KnowledgeTransfer
        fields = [
            "alliance",
            "practice",
            "description",
            "origin_organisation",
            "origin_country",
            "adopters",
            "transferred_on",
            "evidence",
            "status",
            "visibility",
        ]
        widgets = {
            "transferred_on": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"origin_country": ModelChoiceByName}

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dash_empty_choices(self)
        alliance = self.fields["alliance"]
        assert isinstance(alliance, forms.ModelChoiceField)
        alliance.queryset = alliances_managed_by(user)
        alliance.required = False
        alliance.empty_label = _("None (a transfer outside any alliance)")
        country = self.fields["origin_country"]
        country.required = False
        country.help_text = _("Left empty, the origin organisation's country.")
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation = data.get("origin_organisation")
        if organisation is not None and data.get("origin_country") is None:
            if "origin_country" in self.errors:
                pass  # an unknown country, said beside the field
            elif organisation.country is not None:
                data["origin_country"] = organisation.country
            else:
                self.add_error(
                    "origin_country",
                    _(
                        "%(organisation)s has no country here: choose the country the "
                        "practice came from."
                    )
                    % {"organisation": organisation},
                )
        # The service's rules (an origin country that is not the organisation's, a transfer
        # already in the register), beside the fields with the form's other errors.
        form_add_problems(
            self,
            transfer_problems(
                reader=self.user,
                practice=data.get("practice"),
                origin_organisation=data.get("origin_organisation"),
                origin_country=data.get("origin_country"),
                adopters=data.get("adopters"),
                transferred_on=data.get("transferred_on"),
                instead_of=self.instance if self.instance.pk else None,
            ),
        )
        return data


class DiaryEntryForm(forms.ModelForm[DiaryEntry]):
    class Meta:
        model = DiaryEntry
        fields = ["kind", "title", "text", "written_on", "alliance", "visibility"]
        widgets = {"written_on": DATE, "text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "visibility": _(
                "Private entries are for you alone. Shared ones may feed a facilitator's "
                "insights and your home organisation's digest, if its authoriser may see them."
            ),
        }

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        alliance = self.fields["alliance"]
        assert isinstance(alliance, forms.ModelChoiceField)
        alliance.queryset = alliances_joined_by(user)
        alliance.required = False
        alliance.empty_label = _("No alliance")


class InsightForm(forms.ModelForm[Insight]):
    class Meta:
        model = Insight
        fields = ["title", "text", "alliance", "sources", "visibility"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "sources": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, user: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        alliance = self.fields["alliance"]
        sources = self.fields["sources"]
        assert isinstance(alliance, forms.ModelChoiceField)
        assert isinstance(sources, forms.ModelMultipleChoiceField)
        alliance.queryset = alliances_managed_by(user)
        alliance.required = False
        alliance.empty_label = _("No alliance")
        sources.queryset = insight_sources_for(user).select_related("author")
        sources.required = False  # the service names the fix
        self.initial.setdefault("visibility", Visibility.ALLIANCE)


class ScorecardRoundForm(forms.ModelForm[ScorecardRound]):
    class Meta:
        model = ScorecardRound
        fields = ["title", "opens_on", "closes_on", "visibility"]
        widgets = {"opens_on": DATE, "closes_on": DATE}

    def __init__(self, *args: Any, alliance: LearningAlliance | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _an_alliances_item(self, alliance)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form_add_problems(
            self,
            round_dates_problems(
                opens_on=data.get("opens_on"),
                closes_on=data.get("closes_on"),
                was_closing_on=self.instance.closes_on if self.instance.pk else None,
            ),
        )
        return data


SCORE_CHOICES = [(str(n), str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)]


class ScorecardSheetForm(forms.Form):
    """Every principle and step, scored 1–5 with an optional comment."""

    kind = forms.ChoiceField(
        label=_("Kind of assessment"),
        choices=SheetKind.choices,
        initial=SheetKind.SELF,
        help_text=_(
            "Self-assessment: how your alliance works, seen from inside. Peer assessment: "
            "how you see it as a resource peer, observer or partner."
        ),
    )
    summary = forms.CharField(
        label=_("Overall comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[f"score_{item.code}"] = forms.TypedChoiceField(
                label=f"{short_label(item.code)}. {item.title}",
                help_text=str(item.question),
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                empty_value=None,
                error_messages={
                    "required": _("Score this from %(low)s (not at all) to %(high)s (fully).")
                    % {"low": MIN_SCORE, "high": MAX_SCORE}
                },
            )
            self.fields[f"comment_{item.code}"] = forms.CharField(
                label=_("Comment on %(item)s") % {"item": short_label(item.code)},
                max_length=2000,
                required=False,
                widget=forms.TextInput,
            )

    @classmethod
    def initial_from(cls, sheet: ScorecardSheet) -> dict[str, Any]:
        """The form's initial answers: the assessor's scorecard as they last gave it."""
        initial: dict[str, Any] = {"kind": sheet.kind, "summary": sheet.summary}
        for score in sheet.scores.all():
            initial[f"score_{score.item}"] = str(score.score)
            initial[f"comment_{score.item}"] = score.comment
        return initial

    def scores(self) -> dict[str, tuple[int | None, str]]:
        d = self.cleaned_data
        return {i.code: (d.get(f"score_{i.code}"), d.get(f"comment_{i.code}", "")) for i in ITEMS}
