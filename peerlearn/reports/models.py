"""A facilitator's assessment of each priority reform area, on the scales of OGP's
Independent Reporting Mechanism (case 8 of the paper): how complete, and what early results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from peerlearn.core.validators import not_after_tomorrow


class Completion(models.IntegerChoices):
    """The IRM's completion scale."""

    NOT_STARTED = 0, pgettext_lazy("a priority's completion", "Not started")
    LIMITED = 1, _("Limited")
    SUBSTANTIAL = 2, _("Substantial")
    COMPLETE = 3, _("Complete")


class EarlyResults(models.IntegerChoices):
    """The IRM's early results scale ("Did it open government?")."""

    WORSENED = -1, _("Worsened")
    NO_CHANGE = 0, _("Did not change")
    MARGINAL = 1, _("Marginal")
    MAJOR = 2, _("Major")
    OUTSTANDING = 3, _("Outstanding")


class PriorityAssessment(models.Model):
    """Where one priority reform area stands on a given day, in its facilitator's judgement.

    The scales are part of the alliance's progress report for anyone who may see the
    alliance; the comment is the facilitator's reasoning, for the alliance's safe space only."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="priority_assessments",
        verbose_name=_("learning alliance"),
    )
    priority = models.ForeignKey(
        "alliances.AlliancePriority",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("priority reform area"),
    )
    completion = models.SmallIntegerField(
        _("completion"), choices=Completion.choices, default=Completion.NOT_STARTED
    )
    early_results = models.SmallIntegerField(
        _("early results"), choices=EarlyResults.choices, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    assessed_on = models.DateField(_("assessed on"), validators=[not_after_tomorrow])
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )

    class Meta:
        ordering = ["priority_id", "-assessed_on", "-id"]
        verbose_name = _("priority assessment")
        verbose_name_plural = _("priority assessments")

    def __str__(self) -> str:
        return f"{self.priority}: {self.get_completion_display()} ({self.assessed_on})"
