"""Forms of the initiatives registry: its filters, a proposal, a reviewer's decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from peerlearn.access.initiatives import initiatives_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.core.choices import PartnershipType
from peerlearn.core.forms import (
    form_add_problems,
    partnership_type_filter_field,
    theme_filter_field,
)
from peerlearn.core.models import Country, SDGTarget, Theme
from peerlearn.core.pickers import COUNTRIES, PickerMultipleField, folded
from peerlearn.initiatives.models import Initiative, InitiativeStatus
from peerlearn.initiatives.selectors import MapMeasure
from peerlearn.initiatives.services import initiative_problems
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.pickers import ORGANISATIONS

PUBLISHABLE = [
    (Visibility.PUBLIC, _("Public — anyone, signed in or not")),
    (Visibility.PLATFORM, _("Platform — signed-in users")),
]


class InitiativeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    type = partnership_type_filter_field()
    theme = theme_filter_field()
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    implementer = forms.ModelChoiceField(
        label=_("Implemented by"),
        queryset=Organisation.objects.filter(initiatives_implemented__isnull=False).distinct(),
        required=False,
        empty_label=_("Any implementer"),
    )
    funder = forms.ModelChoiceField(
        label=_("Funded by"),
        queryset=Organisation.objects.filter(initiatives_funded__isnull=False).distinct(),
        required=False,
        empty_label=_("Any funder"),
    )
    sdg_target = forms.ModelChoiceField(
        label=capfirst(_("SDG target")),
        queryset=SDGTarget.objects.filter(initiatives__isnull=False).distinct(),
        required=False,
        empty_label=_("Any SDG target"),
        to_field_name="code",
    )
    measure = forms.ChoiceField(label=_("Map shows"), choices=MapMeasure.choices, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every list offers only what the reader's own registry holds (the access layer):
        # a draft's or a proposal's implementer is not named to those who may not see it.
        visible = initiatives_visible_to(user).filter(status=InitiativeStatus.PUBLISHED)
        self.fields["implementer"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            initiatives_implemented__in=visible
        ).distinct()
        self.fields["funder"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            initiatives_funded__in=visible
        ).distinct()
        self.fields["sdg_target"].queryset = SDGTarget.objects.filter(  # type: ignore[attr-defined]
            initiatives__in=visible
        ).distinct()
        # Countries and regions of those entries; one query for both lists.
        countries = list(Country.objects.filter(initiatives__in=visible).distinct())
        regions: dict[str, str] = {}
        for c in countries:
            regions[c.region] = c.region_name
            regions[c.subregion] = c.subregion_name
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("Any country")),
            *sorted(((c.code, c.display_name) for c in countries), key=lambda kv: folded(kv[1])),
        ]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Any region")),
            *sorted(regions.items(), key=lambda kv: folded(kv[1])),
        ]

    def clean_country(self) -> str:
        # A country with no entry yet is still a valid choice from the map's links.
        code = str(self.cleaned_data.get("country") or "").upper()
        return code


class InitiativeProposalForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(
        label=_("Type"),
        choices=PartnershipType.choices,
        help_text=_(
            "Type I: one peer transfers knowledge to another. "
            "Type II: peers work on a common challenge."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who learned what from whom, how, and what changed."),
    )
    lessons = forms.CharField(
        label=_("Lessons"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    countries = PickerMultipleField(
        Country.objects.all(),
        kind=COUNTRIES,
        label=_("Countries"),
        to_field_name="code",
        required=False,
    )
    coverage = forms.CharField(
        label=_("Coverage"),
        max_length=200,
        required=False,
        help_text=_("For regional or global initiatives, e.g. “Global (Latin America, Africa)”."),
    )
    implementers = PickerMultipleField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Implemented by"),
    )
    funders = PickerMultipleField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Funded by"),
        required=False,
    )
    sdg_targets = forms.ModelMultipleChoiceField(
        label=capfirst(_("SDG targets")),
        queryset=SDGTarget.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    started = forms.IntegerField(
        label=_("Start year"), min_value=1950, max_value=2100, required=False
    )
    ended = forms.IntegerField(label=_("End year"), min_value=1950, max_value=2100, required=False)
    link = forms.URLField(
        label=_("A link to read more"), required=False, max_length=500, assume_scheme="https"
    )
    visibility = forms.ChoiceField(
        label=_("Once published, who sees it"),
        choices=PUBLISHABLE,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, initiative: Initiative | None = None, **kwargs: Any) -> None:
        """``initiative``: the declined proposal being changed, whose values the form starts
        from and whose own name it does not refuse."""
        self.initiative = initiative
        data = args[0] if args else kwargs.get("data")
        if initiative is not None and data is None:
            link = initiative.links.first()
            kwargs.setdefault(
                "initial",
                {
                    "name": initiative.name,
                    "type": initiative.type,
                    "summary": initiative.summary,
                    "lessons": initiative.lessons,
                    "themes": list(initiative.themes.all()),
                    "countries": list(initiative.countries.all()),
                    "coverage": initiative.coverage,
                    "implementers": list(initiative.implementers.all()),
                    "funders": list(initiative.funders.all()),
                    "sdg_targets": list(initiative.sdg_targets.all()),
                    "started": initiative.started,
                    "ended": initiative.ended,
                    "link": link.url if link else "",
                    "visibility": initiative.visibility,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form_add_problems(
            self,
            initiative_problems(
                name=data.get("name") or "",
                started=data.get("started"),
                ended=data.get("ended"),
                initiative=self.initiative,
            ),
        )
        return data

    def service_fields(self) -> dict[str, Any]:
        """The cleaned data as the services take it."""
        d = self.cleaned_data
        return {
            "name": d["name"],
            "type": d["type"],
            "summary": d["summary"],
            "lessons": d["lessons"],
            "themes": [t.slug for t in d["themes"]],
            "countries": [c.code for c in d["countries"]],
            "coverage": d["coverage"],
            "implementers": list(d["implementers"]),
            "funders": list(d["funders"]),
            "sdg_targets": [t.code for t in d["sdg_targets"]],
            "started": d["started"],
            "ended": d["ended"],
            "links": [(_("Website"), d["link"])] if d["link"] else [],
            "visibility": d["visibility"],
        }


class InitiativeReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("Publish")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    visibility = forms.ChoiceField(
        label=_("Publish for"),
        choices=PUBLISHABLE,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Chosen at first as the proposer asked; change it if needed."),
    )
    note = forms.CharField(
        label=_("Why it is declined"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The proposer reads this: say what is missing or wrong."),
    )
