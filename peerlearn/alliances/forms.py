from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import ALLIANCE_VISIBILITY_CHOICES, Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceStage,
    LearningAlliance,
    MemberRole,
    RiskKind,
)
from peerlearn.alliances.selectors import organisations_to_add
from peerlearn.alliances.services import alliance_name_problems
from peerlearn.core.choices import PartnershipType
from peerlearn.core.forms import (
    EMPTY_CHOICE,
    DateInput,
    form_add_problems,
    needed,
    partnership_type_filter_field,
    theme_filter_field,
)
from peerlearn.core.models import Language, Theme
from peerlearn.core.pickers import LANGUAGES, PickerField, PickerMultipleField
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.pickers import ORGANISATIONS


class AllianceFilterForm(forms.Form):
    theme = theme_filter_field()
    stage = forms.TypedChoiceField(
        label=_("Stage"),
        choices=[("", _("Any stage")), *AllianceStage.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    type = partnership_type_filter_field()
    mine = forms.BooleanField(label=_("Only alliances I belong to"), required=False)


class StageChangeForm(forms.Form):
    stage = forms.TypedChoiceField(
        label=_("Move to stage"),
        choices=AllianceStage.choices,
        coerce=int,
        widget=forms.HiddenInput,
    )
    note = needed(
        forms.CharField(
            label=_("Why now"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            required=False,  # the service names the fix when it is missing
            help_text=_(
                "What was achieved, or why the alliance returns to an earlier stage. Members read "
                "it in the stage history."
            ),
        )
    )


class StageMoveForm(StageChangeForm):
    """Moving on or back; moving on with questions still open needs the confirmation."""

    confirm_open = forms.BooleanField(
        label=_("Move on although some of this stage's questions are still open"),
        required=False,
    )


class AllianceCloseForm(forms.Form):
    """Closing an alliance (with ``confirm_open`` while questions of its stage are open), or
    reopening it (the note alone)."""

    note = needed(
        forms.CharField(
            label=_("What the alliance achieved, or why it stops"),
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=2000,
            required=False,  # the service names the fix when it is missing
            help_text=_("Members read it on the alliance's page and in the e-mail they get."),
        )
    )
    confirm_open = forms.BooleanField(
        label=_("Close although some of this stage's questions are still open"),
        required=False,
    )


class AllianceReopenForm(forms.Form):
    note = needed(
        forms.CharField(
            label=_("Why the alliance reopens"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            required=False,  # the service names the fix when it is missing
            help_text=_("Required: members read it in the e-mail they get."),
        )
    )


class AllianceForm(forms.Form):
    """Creating or editing an alliance's description."""

    name = forms.CharField(label=_("Name"), max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug", empty_label="—"
    )
    type = forms.ChoiceField(
        label=_("Type"),
        choices=PartnershipType.choices,
        initial=PartnershipType.TYPE_II,
        help_text=_("Type I: knowledge transfer; Type II: peers with common challenges."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    working_languages = PickerMultipleField(
        Language.objects.all(),
        kind=LANGUAGES,
        label=_("Working languages"),
        to_field_name="code",
    )
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=ALLIANCE_VISIBILITY_CHOICES,
        initial=Visibility.PLATFORM,
        help_text=_(
            "Who may see that the alliance exists. What is said inside it stays with its "
            "members whatever you choose."
        ),
    )
    initiative = forms.ModelChoiceField(
        label=_("Initiative"), queryset=Initiative.objects.none(), required=False, empty_label="—"
    )
    funders = PickerMultipleField(
        Organisation.objects.select_related("country").order_by("name"),
        kind=ORGANISATIONS,
        label=_("Funders"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        initiatives: Any = None,
        alliance: LearningAlliance | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.alliance = alliance  # the one edited; None for a new alliance
        if initiatives is not None:
            self.fields["initiative"].queryset = initiatives  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_on", _("The end date must come after the start date: set a later end date.")
            )
        if data.get("name"):
            form_add_problems(
                self, alliance_name_problems(name=data["name"], alliance=self.alliance)
            )
        return data


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find people in the directory"),
        max_length=100,
        required=False,
        help_text=_("A name, an organisation or an e-mail address (two letters at least)."),
    )


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.PEER)

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["user"].queryset = people  # type: ignore[attr-defined]


class InviteEmailForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.PEER)


class InvitePeerForm(forms.Form):
    """Inviting a peer seen in the directory to one of the alliances the facilitator runs."""

    alliance = forms.ModelChoiceField(
        label=_("Learning alliance"),
        queryset=LearningAlliance.objects.none(),
        to_field_name="slug",
        empty_label="—",
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r, MemberRole(r).label) for r in (MemberRole.PEER, MemberRole.RESOURCE)],
        initial=MemberRole.PEER,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, alliances: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = alliances  # type: ignore[attr-defined]


class CohortForm(forms.Form):
    file = forms.FileField(
        label=_("Cohort file (.csv or .xlsx)"),
        help_text=_(
            "A header row with the columns email, name and role (peer, resource, facilitator, "
            "funder or observer; peer when empty), then one row per person. Nothing is "
            "imported unless every row is right; nobody already invited is e-mailed again."
        ),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class LeaveForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Who takes over as facilitator"),
        queryset=AllianceMembership.objects.none(),
        empty_label=EMPTY_CHOICE,
        required=False,
    )
    confirm = forms.BooleanField(label=_("Yes, I leave this alliance"))

    def __init__(self, *args: Any, others: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if others is None:
            del self.fields["successor"]
        else:
            # The only facilitator names who takes over: needed (the service says why).
            needed(self.fields["successor"])
            self.fields["successor"].queryset = others  # type: ignore[attr-defined]


class PriorityForm(forms.Form):
    title = forms.CharField(label=_("Priority reform area"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class ChecklistForm(forms.Form):
    """One stage's questions, each a text box."""

    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            self.fields[q.key] = forms.CharField(
                label=q.text,
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )


class RiskNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RiskKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )


class OrganisationForm(forms.Form):
    # Found by name or acronym, each named with its country: among hundreds, "Civil Service
    # Commission" of one country is told from another's.
    organisation = PickerField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Organisation"),
    )

    def __init__(self, *args: Any, alliance: LearningAlliance | None = None, **kwargs: Any) -> None:
        """With ``alliance``, the picker suggests only organisations not in it yet."""
        super().__init__(*args, **kwargs)
        if alliance is not None:
            field = self.fields["organisation"]
            assert isinstance(field, PickerField)
            field.offer_only(
                organisations_to_add(alliance),
                reverse("alliances:organisation_suggestions", args=[alliance.slug]),
            )
