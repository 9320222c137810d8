"""The erasure form: the password again, and what to do with content shared in alliances."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountEraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter it again to confirm that it is you."),
    )
    delete_shared = forms.BooleanField(
        label=_("Also delete what I shared with others"),
        required=False,
        help_text=_(
            "Challenges and experiences shared inside alliances, discussion posts, published "
            "library items, shared diary entries, learning needs and activity feedback. "
            "Otherwise they stay, shown as written by “a former member”."
        ),
    )
