"""Forms for peers' own pages. They parse input; services validate and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.access.alliances import alliances_joined_by
from peerlearn.access.base import profile_of
from peerlearn.access.peers import authorisers_for
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.forms import EMPTY_CHOICE, ModelChoiceByName, needed, theme_filter_field
from peerlearn.core.models import Country, Language, Theme
from peerlearn.core.pickers import LANGUAGES, PickerField, PickerMultipleField, folded
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.pickers import ORGANISATIONS
from peerlearn.peers.models import (
    CONTACT_BODY_MAX,
    CONTACT_SUBJECT_MAX,
    ReformStage,
    Seniority,
)
from peerlearn.peers.selectors import authorisers_waited_on


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
    language = ModelChoiceByName(
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
            *sorted(((c.code, c.display_name) for c in countries), key=lambda kv: folded(kv[1])),
        ]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Any region")),
            *sorted(regions.items(), key=lambda kv: folded(kv[1])),
        ]


#: A profile names its organisation: picked from the list, or added below the form.
ORGANISATION_MISSING = _("Choose your organisation, or add it below.")


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    organisation = PickerField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Organisation"),
        help_text=_("Not listed? Add it below instead."),
        no_match=_(
            "Nothing matches “%(text)s”: try fewer letters, or add your organisation below."
        ),
        required=False,
    )
    # Needed, here or in the form below it: not marked "(optional)".
    needed(organisation)
    position = forms.CharField(label=_("Position"), max_length=200)
    # No choice is made for the person: a new profile starts on "—".
    seniority = forms.TypedChoiceField(
        label=_("Seniority"),
        choices=[("", "—"), *Seniority.choices],
        coerce=int,
        error_messages={"required": _("Choose your seniority.")},
    )
    reform_stage = forms.TypedChoiceField(
        label=_("Where you stand in the reform cycle"),
        choices=[("", "—"), *ReformStage.choices],
        coerce=int,
        error_messages={"required": _("Choose where you stand in the reform cycle.")},
    )
    languages = PickerMultipleField(
        Language.objects.all(),
        kind=LANGUAGES,
        label=_("Working languages"),
        to_field_name="code",
        help_text=_("The languages you can work in with peers."),
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
        label=_("About me"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    visibility = forms.ChoiceField(
        label=_("Who can see my profile"),
        choices=Visibility.choices,
        initial=Visibility.PLATFORM,
        widget=forms.RadioSelect,
        help_text=_(
            "Signed-in users is the usual choice: facilitators can then find you and match you "
            "with peers. A private profile stays out of every matching."
        ),
    )
    accepts_contact = forms.BooleanField(
        label=_("Peers may write to me through the platform"),
        required=False,
        initial=True,
        help_text=_(
            "Their messages reach your e-mail; your address stays hidden until you answer one."
        ),
    )


#: Who sees a profile at each level narrower than public, in words.
PROFILE_AUDIENCE = {
    Visibility.PLATFORM: _("signed-in users only"),
    Visibility.ALLIANCE: _("the members of your learning alliances only"),
    Visibility.PRIVATE: _("you only (and platform administrators)"),
}


class StatementForm(forms.Form):
    """A challenge or an experience."""

    theme = forms.ModelChoiceField(
        empty_label="—", label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug"
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    alliance = forms.ModelChoiceField(
        empty_label="—",
        label=_("Raised in the learning alliance"),
        queryset=LearningAlliance.objects.none(),
        required=False,
        to_field_name="slug",
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this"),
        choices=Visibility.choices,
        initial=Visibility.PLATFORM,
        widget=forms.RadioSelect,
        help_text=_(
            "Never wider than your profile. At alliance level, something raised in an alliance "
            "is seen by its members only: its safe space."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        joined = alliances_joined_by(user)
        self.fields["alliance"].queryset = joined  # type: ignore[attr-defined]
        if not self.initial.get("alliance") and not joined.exists():
            # Someone in no alliance is not offered a list holding only "—".
            self.fields["alliance"].widget = forms.HiddenInput()
        profile = profile_of(user)
        if profile is not None and profile.visibility != Visibility.PUBLIC:
            # Said before saving, where the level is chosen: wider levels reach no further.
            self.fields["visibility"].help_text = _(
                "Your profile is seen by %(who)s: whatever you choose here reaches no further "
                "(widen your profile to reach more). At alliance level, something raised in "
                "an alliance is seen by its members only: its safe space."
            ) % {"who": PROFILE_AUDIENCE.get(Visibility(profile.visibility), "")}


class AuthorisationRequestForm(forms.Form):
    authoriser = forms.ModelChoiceField(
        label=_("Authoriser"), queryset=User.objects.none(), empty_label=EMPTY_CHOICE
    )
    scope = forms.CharField(
        label=_("What you ask to be authorised for"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "E.g. “Take part in the Fiscal Decentralisation Learning Alliance in 2026 "
            "and share our county's revenue figures with its members.”"
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only authorisers of the peer's own organisation; none without an organisation;
        # not one who has the peer's request still waiting (the page lists it above).
        authorisers = authorisers_for(user=user)
        waiting = authorisers_waited_on(profile_of(user))
        self.all_asked = waiting.exists() and not authorisers.exclude(id__in=waiting).exists()
        self.fields["authoriser"].queryset = authorisers.exclude(  # type: ignore[attr-defined]
            id__in=waiting
        )


class AuthoriserAskForm(forms.Form):
    """The person a peer names as their organisation's authoriser, when it has none here."""

    authoriser_name = forms.CharField(label=_("Their name"), max_length=150)
    authoriser_email = forms.EmailField(
        label=_("Their e-mail address"),
        max_length=254,
        help_text=_("The administrators write to them; nobody else sees it."),
    )
    note = forms.CharField(
        label=_("A note to the administrators (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("E.g. their position, or why they are the one who authorises."),
    )


class AuthorisationActionForm(forms.Form):
    """One explicit decision (grant, decline or revoke, named by the URL) and its note."""

    note = forms.CharField(
        label=_("Note to the peer"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Optional: the conditions of a grant, or why you decline or revoke."),
    )


class ContactForm(forms.Form):
    """A message to a peer, sent through the platform."""

    subject = forms.CharField(label=_("Subject"), max_length=CONTACT_SUBJECT_MAX)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=CONTACT_BODY_MAX,
        help_text=_(
            "Say who you are and why you write. The peer answers you by e-mail, at your "
            "address; theirs stays hidden until they do."
        ),
    )
