"""Web forms of activities, feedback and action plans. Choices come from the access layer's
querysets (the alliance's members, its member organisations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.accounts.models import User
from peerlearn.activities.models import (
    FEEDBACK_ITEMS,
    ActivityKind,
    MilestoneStatus,
    currency_choices,
    time_zone_choices,
    zone_of,
)
from peerlearn.activities.services import activity_fields_problems, plausible_dates_problems
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.forms import DateInput, form_add_problems
from peerlearn.organisations.models import Organisation

LIKERT_CHOICES = [(i, str(i)) for i in range(1, 6)]


def _currency_field_choices() -> list[tuple[str, str]]:
    """Read when the field is rendered or checked, so in the reader's language."""
    return [("", "—"), *currency_choices()]


def _member_label(obj: Any, named: set[int] | None) -> str:
    if named is None or obj.id in named:
        return str(obj)
    return str(_("A member whose profile is not shared with you (no. %(id)s)") % {"id": obj.id})


class NamedFirstIterator(ModelChoiceIterator):
    """The members the viewer may see by name, in the queryset's order, then the others by
    number: listed among the names, an unnamed member's place would hint at their name."""

    def __iter__(self) -> Iterator[Any]:
        field: Any = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        members = list(self.queryset)
        named = field.named
        if named is not None:
            members = [m for m in members if m.id in named] + sorted(
                (m for m in members if m.id not in named), key=lambda m: m.id
            )
        for member in members:
            yield self.choice(member)


class MemberChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Members by name where the viewer may see it (``named``), else by number."""

    iterator = NamedFirstIterator
    named: set[int] | None = None

    def label_from_instance(self, obj: Any) -> str:
        return _member_label(obj, self.named)


class OwnerChoiceField(forms.ModelChoiceField[Any]):
    iterator = NamedFirstIterator
    named: set[int] | None = None

    def label_from_instance(self, obj: Any) -> str:
        return _member_label(obj, self.named)


class ActivityForm(forms.Form):
    """Times are typed as local times in the activity's own time zone."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=time_zone_choices, initial="Africa/Nairobi"
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the activity's time zone."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In the activity's time zone."),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.URLField(
        assume_scheme="https",
        label=_("Link"),
        max_length=500,
        required=False,
        help_text=_("For an online activity."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20000,
    )
    participants = MemberChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost_amount = forms.DecimalField(
        label=_("Cost"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    cost_currency = forms.ChoiceField(
        label=_("Currency"), choices=_currency_field_choices, required=False
    )

    def __init__(
        self, *args: Any, members: Any = None, named: set[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["participants"].queryset = members  # type: ignore[attr-defined]
        self.fields["participants"].named = named  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = zone_of(data.get("time_zone") or "UTC")
        # The browser sends a local time without a zone: read it in the activity's zone.
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, dt.datetime):
                naive = timezone.make_naive(value) if timezone.is_aware(value) else value
                data[name] = naive.replace(tzinfo=zone)
        cost = data.get("cost_amount")
        if cost is None and str(self.data.get(self.add_prefix("cost_amount"), "")).strip():
            cost = self.data[self.add_prefix("cost_amount")]  # typed, and refused: still a cost
        problems = activity_fields_problems(
            starts_at=data.get("starts_at"),
            ends_at=data.get("ends_at"),
            cost_amount=cost,
            cost_currency=data.get("cost_currency"),
        )
        form_add_problems(self, problems)
        return data

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "title": d["title"],
            "time_zone": d["time_zone"],
            "starts_at": d["starts_at"],
            "ends_at": d["ends_at"],
            "place": d["place"],
            "link": d["link"],
            "agenda": d["agenda"],
            "cost_amount": d["cost_amount"],
            "cost_currency": d["cost_currency"],
        }


class ActivityFilterForm(forms.Form):
    alliance: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Alliance"),
        queryset=LearningAlliance.objects.none(),
        required=False,
        empty_label=_("Every alliance"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *ActivityKind.choices], required=False
    )

    def __init__(self, *args: Any, alliances: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    attended = MemberChoiceField(
        label=_("Who attended"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, participants: Any = None, named: set[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if participants is not None:
            self.fields["attended"].queryset = participants  # type: ignore[attr-defined]
        self.fields["attended"].named = named  # type: ignore[attr-defined]


class OutputForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(assume_scheme="https", label=_("Link"), max_length=500)


class FeedbackForm(forms.Form):
    comment = forms.CharField(
        label=_("Anything else?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    signed = forms.BooleanField(
        label=_("Show my name to the facilitators"),
        required=False,
        help_text=_("Otherwise they read your comment without your name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = {
            name: forms.TypedChoiceField(
                label=question,
                choices=LIKERT_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1: not at all — 5: very much"),
            )
            for name, question in FEEDBACK_ITEMS
        }
        self.fields = {**items, **self.fields}


class CalendarSettingsForm(forms.Form):
    time_zone = forms.ChoiceField(label=_("My time zone"), choices=time_zone_choices)


class ActionPlanForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label="—"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    goal = forms.CharField(
        label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PlanActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = OwnerChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label="—"
    )

    def __init__(
        self, *args: Any, members: Any = None, named: set[int] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]
        self.fields["owner"].named = named  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(
        label=_("Due on"),
        widget=DateInput(),
    )
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices)
    evidence_url = forms.URLField(
        assume_scheme="https", label=_("Evidence link"), max_length=500, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form_add_problems(self, plausible_dates_problems(due_on=data.get("due_on")))
        return data


class MilestoneUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices)
    evidence_url = forms.URLField(
        assume_scheme="https", label=_("Evidence link"), max_length=500, required=False
    )
