from django import forms
from django.utils.translation import gettext_lazy as _


class DigestForm(forms.Form):
    enabled = forms.BooleanField(
        label=_("E-mail me a weekly digest of what needs me"), required=False
    )
    discussion_emails = forms.BooleanField(
        label=_("E-mail me when someone mentions me or replies in a discussion I follow"),
        required=False,
    )
