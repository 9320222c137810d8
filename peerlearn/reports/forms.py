from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.forms import DateInput
from peerlearn.core.validators import not_after_tomorrow
from peerlearn.reports.models import Completion, EarlyResults


class PriorityAssessmentForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority reform area"), coerce=int)
    completion = forms.TypedChoiceField(
        label=_("Completion"), choices=Completion.choices, coerce=int
    )
    early_results = forms.TypedChoiceField(
        label=_("Early results"),
        choices=[("", _("Too early to say")), *EarlyResults.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=DateInput(), validators=[not_after_tomorrow]
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("Why this judgement. Only the alliance's members read it, in their report."),
    )

    def __init__(self, *args: Any, alliance: LearningAlliance, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        field = self.fields["priority"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(p.id, p.title) for p in alliance.priorities.all()]
