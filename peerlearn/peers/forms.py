"""Forms for peers' own pages. They parse input; services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.access.policies import alliances_visible_to
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import AllianceMembership, LearningAlliance
from peerlearn.core.forms import theme_filter_field
from peerlearn.core.models import Country, Language, Theme
from peerlearn.organisations.models import Organisation
from peerlearn.peers.models import AuthorisationStatus, ReformStage, Seniority
from peerlearn.peers.selectors import authorisers_for


class PeerFilterForm(forms.Form):
    """The directory's filters. Every field is optional; unknown values are reported."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    theme = theme_filter_field()
    stage = forms.TypedChoiceField(
        label=_("Reform stage"),
        choices=[("", _("Any stage")), *ReformStage.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    language = forms.ModelChoiceField(
        label=_("Working language"),
        queryset=Language.objects.filter(peers__isnull=False).distinct(),
        required=False,
        empty_label=_("Any language"),
        to_field_name="code",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only countries and regions where peers work; one query for both lists.
        countries = list(
            Country.objects.filter(organisations__users__peer_profile__isnull=False).distinct()
        )
        regions: dict[str, str] = {}
        for c in countries:
            regions[c.region] = c.region_name
            regions[c.subregion] = c.subregion_name
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("Any country")),
            *sorted(((c.code, c.display_name) for c in countries), key=lambda kv: kv[1]),
        ]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Any region")),
            *sorted(regions.items(), key=lambda kv: kv[1]),
        ]


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.select_related("country"),
        help_text=_("Not listed? Add it below instead."),
        required=False,
    )
    position = forms.CharField(label=_("Position"), max_length=200)
    seniority = forms.TypedChoiceField(label=_("Seniority"), choices=Seniority.choices, coerce=int)
    reform_stage = forms.TypedChoiceField(
        label=_("Where you stand in the reform cycle"), choices=ReformStage.choices, coerce=int
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Working languages"),
        queryset=Language.objects.all(),
        to_field_name="code",
        help_text=_("The languages you can work in with peers. Hold Ctrl or ⌘ to choose several."),
    )
    reform_areas = forms.ModelMultipleChoiceField(
        label=_("Reform areas"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    gender = forms.CharField(
        label=_("Gender (optional)"),
        max_length=50,
        required=False,
        help_text=_(
            "In your own words, or leave empty. Only used in aggregate, to keep groups balanced."
        ),
    )
    bio = forms.CharField(
        label=_("About me"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    visibility = forms.ChoiceField(label=_("Who can see my profile"), choices=Visibility.choices)


class OrganisationForm(forms.Form):
    """Adding one's organisation when it is not listed yet."""

    new_organisation_name = forms.CharField(
        label=_("Organisation name"), max_length=200, required=False
    )
    new_organisation_type = forms.ChoiceField(
        label=_("Type"),
        choices=[("", "—"), *Organisation._meta.get_field("type").choices],  # type: ignore[misc]
        required=False,
    )
    new_organisation_country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), to_field_name="code", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_organisation_name"):
            if not data.get("new_organisation_type"):
                self.add_error("new_organisation_type", _("Choose the organisation's type."))
            if not data.get("new_organisation_country"):
                self.add_error("new_organisation_country", _("Choose the organisation's country."))
        return data


class StatementForm(forms.Form):
    """A challenge or an experience."""

    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    alliance = forms.ModelChoiceField(
        label=_("Raised in the learning alliance"),
        queryset=LearningAlliance.objects.none(),
        required=False,
        to_field_name="slug",
    )
    visibility = forms.ChoiceField(label=_("Who can see this"), choices=Visibility.choices)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The alliances the author is in and may see (the API accepts the same ones).
        self.fields["alliance"].queryset = alliances_visible_to(user).filter(  # type: ignore[attr-defined]
            id__in=AllianceMembership.objects.filter(user=user).values("alliance_id")
        )


class AuthorisationRequestForm(forms.Form):
    authoriser = forms.ModelChoiceField(label=_("Authoriser"), queryset=User.objects.none())
    scope = forms.CharField(
        label=_("What you ask to be authorised for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "E.g. “Take part in the Fiscal Decentralisation Learning Alliance in 2026 "
            "and share our county's revenue figures with its members.”"
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only authorisers of the peer's own organisation; none without an organisation.
        authorisers = authorisers_for(user=user)
        self.fields["authoriser"].queryset = authorisers  # type: ignore[attr-defined]


class AuthorisationDecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (AuthorisationStatus.GRANTED, _("Grant")),
            (AuthorisationStatus.DECLINED, _("Decline")),
            (AuthorisationStatus.REVOKED, _("Revoke")),
        ],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
