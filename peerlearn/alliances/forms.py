from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from peerlearn.alliances.models import AllianceStage
from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Theme


class AllianceFilterForm(forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any theme"),
    )
    stage = forms.TypedChoiceField(
        label=_("Stage"),
        choices=[("", _("Any stage")), *AllianceStage.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Any type")), *PartnershipType.choices], required=False
    )
    mine = forms.BooleanField(label=_("Only alliances I belong to"), required=False)


class StageChangeForm(forms.Form):
    stage = forms.TypedChoiceField(
        label=_("Move to stage"), choices=AllianceStage.choices, coerce=int
    )
    note = forms.CharField(
        label=_("Why now"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("What was achieved, or why the alliance returns to an earlier stage."),
    )
