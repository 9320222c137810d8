from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from peerlearn.accounts.services import (
    INVITABLE_ROLES,
    user_create_problems,
    user_invite_problems,
)
from peerlearn.core.forms import form_add_problems, needed
from peerlearn.core.pickers import PickerField
from peerlearn.organisations.forms import OrganisationForm
from peerlearn.organisations.models import Organisation
from peerlearn.organisations.pickers import ORGANISATIONS


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        # Spaces around a pasted name are dropped, as signing in drops them.
        strip=True,
        help_text=_("Letters, digits and @ . + - _ only. You sign in with it."),
        error_messages={"invalid": _("Use only letters, digits and @ . + - _ in the user name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("For password resets and notifications."),
    )
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ: type the same twice."))
        # What the account's creation would refuse too (a user name taken, a weak password),
        # beside the errors above rather than after they are fixed.
        problems = user_create_problems(
            username=data.get("username"),
            email=data.get("email"),
            name=data.get("name") or "",
            password=data.get("password"),
        )
        form_add_problems(self, problems)
        return data


class ApiTokenForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=100, help_text=_("What the token is for."))


class AccountForm(forms.Form):
    """What every signed-in person keeps about themselves, whatever their role."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("For password resets and notifications."),
    )
    organisation = PickerField(
        Organisation.objects.select_related("country"),
        kind=ORGANISATIONS,
        label=_("Organisation"),
        required=False,
        help_text=_("The organisation you work for or represent on peerlearn."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of pages and e-mails"),
        choices=[("", _("The platform's default")), *settings.LANGUAGES],
        required=False,
    )

    def __init__(self, *args: Any, organisation_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisation_fixed:
            # Not asked: the page shows it as a fact (the service refuses a change too).
            del self.fields["organisation"]


class InvitationForm(forms.Form):
    """An administrator invites someone in a role: the account is made, and they choose
    their password from the e-mail."""

    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in INVITABLE_ROLES],
        widget=forms.RadioSelect,
    )
    organisation = needed(
        PickerField(
            Organisation.objects.select_related("country"),
            kind=ORGANISATIONS,
            label=_("Organisation"),
            required=False,
            help_text=_(
                "Required for an authoriser (the organisation whose peers they authorise) and a "
                "funder (the organisation whose alliances they follow). Not listed? Add it below."
            ),
            no_match=_(
                "Nothing matches “%(text)s”: try fewer letters, or add the organisation below."
            ),
        )
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the invitation and of their e-mails"),
        choices=settings.LANGUAGES,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        form_add_problems(
            self,
            user_invite_problems(
                name=data.get("name") or "",
                email=data.get("email") or "",
                role=data.get("role") or "",
                organisation=data.get("organisation"),
            ),
            # Without a role read, the organisation's need is unknown.
            skip=() if data.get("role") else ("organisation",),
        )
        return data


class InvitationOrganisationForm(OrganisationForm):
    """The organisation of the person invited, added with the invitation when it is not
    listed yet (on a new platform, none is): the peer profile's form, worded for the
    administrator, and taking international organisations, which have no country (a
    funder is often a development bank or a foundation)."""

    country_required = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["create_anyway"].label = _("None of these: add this organisation anyway")
        self.fields["new_organisation_country"].help_text = Organisation._meta.get_field(
            "country"
        ).help_text


class PasswordResetRequestForm(PasswordResetForm):
    """Django's, with the field named as everywhere else on the platform."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordChooseForm(SetPasswordForm):  # type: ignore[type-arg]
    """Choosing a password from an e-mailed link (an invitation or a reset), worded as the
    sign-up form: the rules before typing, and a password the rules refuse named beside the
    first field, where it was typed (Django puts it beside the confirmation)."""

    error_messages = {"password_mismatch": _("The two passwords differ: type the same twice.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = _(
            "At least 8 characters, not only digits, not a common password."
        )
        self.fields["new_password2"].help_text = _("The same password again.")

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        if "new_password2" not in self.errors:
            self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self) or {}
