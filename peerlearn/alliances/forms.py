from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.alliances.models import AllianceStage
from peerlearn.core.forms import partnership_type_filter_field, theme_filter_field


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
    note = forms.CharField(
        label=_("Why now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,  # the service names the fix when it is missing
        help_text=_(
            "What was achieved, or why the alliance returns to an earlier stage. Members read "
            "it in the stage history."
        ),
    )
