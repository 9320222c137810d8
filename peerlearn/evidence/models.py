"""Evidence of what peer learning achieves: the results chain, harvested outcomes, the
knowledge-transfer register, learning diaries and insights, authorisers' digests and the
principles scorecard.

Every model that belongs to an alliance carries a direct ``alliance`` foreign key, so the
access layer (``peerlearn/access/evidence.py``) and the confidentiality sweep decide on it
without a join. What has a ``visibility`` follows the platform's four levels; the rest is
for the alliance's safe space only, or as visible as its parent (an indicator's periods).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility
from peerlearn.core.validators import not_after_tomorrow
from peerlearn.evidence.principles import ITEM_CHOICES, MAX_SCORE, MIN_SCORE

#: The longest diary entry or insight, in characters (about eight pages), as the API takes.
TEXT_MAX_LENGTH = 20000


class ResultLevel(models.IntegerChoices):
    """The levels of EIP's process cycle, from what goes in to the change it serves."""

    INPUT = 1, _("Inputs")
    ACTIVITY = 2, _("Activities")
    OUTPUT = 3, _("Outputs")
    OUTCOME = 4, _("Outcomes")
    IMPACT = 5, _("Impact")


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Quantitative (a number with a unit)")
    QUALITATIVE = "qualitative", _("Qualitative (a description)")


class IndicatorSource(models.TextChoices):
    """Where an indicator's actual values come from. The computed sources are counted from
    the alliance's activities and their attendance (``computed.computed_actuals``)."""

    MANUAL = "manual", _("Entered by hand")
    ACTIVITIES_HELD = "activities_held", _("Computed: number of activities held")
    TOTAL_ATTENDANCE = "total_attendance", _("Computed: total attendance")
    DISTINCT_PARTICIPANTS = "distinct_participants", _("Computed: distinct participants")


class Indicator(models.Model):
    """One indicator of a result in an alliance's results chain, with its baseline."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("learning alliance"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=ResultLevel.choices)
    result = models.CharField(
        _("result"),
        max_length=300,
        help_text=_(
            "The result this indicator measures, e.g. “Counties collect more own revenue”."
        ),
    )
    name = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=12, choices=IndicatorKind.choices, default=IndicatorKind.QUANTITATIVE
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(
        _("source of actual values"),
        max_length=24,
        choices=IndicatorSource.choices,
        default=IndicatorSource.MANUAL,
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    baseline_text = models.TextField(_("baseline (description)"), blank=True)
    baseline_date = models.DateField(
        _("baseline date"), null=True, blank=True, validators=[not_after_tomorrow]
    )
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.ALLIANCE
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["alliance", "level", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorPeriod(models.Model):
    """An indicator's target and actual value for one period. As visible as its indicator.
    One per indicator and start date: ``services.indicator_period_save`` updates the
    existing one (services, not a constraint, keep it so, like sheets and their scores)."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="indicator_periods",
        verbose_name=_("learning alliance"),
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="periods", verbose_name=_("indicator")
    )
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    target_value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_text = models.TextField(_("target (description)"), blank=True)
    actual_value = models.DecimalField(
        _("actual"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    actual_text = models.TextField(_("actual (description)"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["indicator", "starts_on", "id"]
        verbose_name = _("indicator period")
        verbose_name_plural = _("indicator periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="indicator_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.starts_on}–{self.ends_on}"


class ChangeKind(models.TextChoices):
    BEHAVIOUR = "behaviour", _("Behaviour")
    RELATIONSHIP = "relationship", _("Relationship")
    POLICY = "policy", _("Policy")
    PRACTICE = "practice", _("Practice")


class Substantiation(models.TextChoices):
    NOT_YET = "not_yet", _("Not yet substantiated")
    PENDING = "pending", _("Asked, awaiting the substantiator")
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    DISPUTED = "disputed", _("Not substantiated")


class Effect(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class OutcomeStatement(models.Model):
    """A harvested outcome: which social actor changed what, when and where, why it
    matters and how the alliance contributed."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("learning alliance"),
    )
    social_actor = models.CharField(_("social actor"), max_length=200)
    change_kind = models.CharField(_("kind of change"), max_length=12, choices=ChangeKind.choices)
    description = models.TextField(_("what changed"))
    observed_on = models.DateField(_("when"))
    place = models.CharField(_("where"), max_length=200)
    significance = models.TextField(_("significance"))
    contribution = models.TextField(_("the alliance's contribution"))
    sources = models.TextField(_("sources"), blank=True)
    substantiator = models.CharField(_("substantiator"), max_length=200, blank=True)
    substantiation = models.CharField(
        _("substantiation"),
        max_length=14,
        choices=Substantiation.choices,
        default=Substantiation.NOT_YET,
    )
    intended = models.BooleanField(_("intended"), default=True)
    effect = models.CharField(
        _("positive or negative"), max_length=8, choices=Effect.choices, default=Effect.POSITIVE
    )
    sdg_target = models.ForeignKey(
        "core.SDGTarget",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SDG target"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.ALLIANCE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("harvested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-observed_on", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.social_actor}: {self.get_change_kind_display()}"


class TransferStatus(models.TextChoices):
    CONSIDERED = "considered", _("Considered")
    ADAPTED = "adapted", _("Adapted")
    ADOPTED = "adopted", _("Adopted")
    SCALED = "scaled", _("Scaled")


class KnowledgeTransfer(models.Model):
    """A practice one organisation learned from another: the register's entry, and an edge
    of the knowledge-flow graph from its origin to each adopting organisation."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name=_("learning alliance"),
    )
    practice = models.CharField(_("practice"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    origin_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="transfers_from",
        verbose_name=_("origin organisation"),
    )
    origin_country = models.ForeignKey(
        "core.Country",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("origin country"),
    )
    adopters = models.ManyToManyField(
        "organisations.Organisation",
        related_name="transfers_to",
        verbose_name=_("adopting organisations"),
    )
    transferred_on = models.DateField(_("date"), validators=[not_after_tomorrow])
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TransferStatus.choices,
        default=TransferStatus.CONSIDERED,
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.ALLIANCE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-transferred_on", "-id"]
        verbose_name = _("knowledge transfer")
        verbose_name_plural = _("knowledge transfers")

    def __str__(self) -> str:
        return self.practice


class EntryKind(models.TextChoices):
    REFLECTION = "reflection", _("Reflection")
    LEARNED = "learned", _("Something I learned")
    APPLIED = "applied", _("Something I applied")


class DiaryEntry(models.Model):
    """A peer's learning-diary entry: private unless they share it."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diary_entries",
        verbose_name=_("author"),
    )
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="diary_entries",
        verbose_name=_("learning alliance"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=EntryKind.choices, default=EntryKind.REFLECTION
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("entry"), max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    written_on = models.DateField(_("date"), validators=[not_after_tomorrow])
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-written_on", "-id"]
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")

    def __str__(self) -> str:
        return self.title


class Insight(models.Model):
    """What a facilitator drew from shared diary entries."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="insights",
        verbose_name=_("learning alliance"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("insight"), max_length=TEXT_MAX_LENGTH, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    sources = models.ManyToManyField(
        DiaryEntry, blank=True, related_name="insights", verbose_name=_("sources")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.ALLIANCE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("insight")
        verbose_name_plural = _("insights")

    def __str__(self) -> str:
        return self.title


class Digest(models.Model):
    """One authoriser's digest for one period: the row is the claim that it was sent, so
    it is sent once however many workers sweep (``services.digests_send``)."""

    authoriser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digests",
        verbose_name=_("authoriser"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    entry_count = models.PositiveIntegerField(_("entries"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "authoriser"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(fields=["authoriser", "period_start"], name="digest_once")
        ]

    def __str__(self) -> str:
        return f"{self.authoriser}: {self.period_start}"


class ScorecardRound(models.Model):
    """A round of self- and peer-assessment against the principles and practical steps."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="scorecard_rounds",
        verbose_name=_("learning alliance"),
    )
    title = models.CharField(_("title"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.ALLIANCE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["alliance", "opens_on", "id"]
        verbose_name = _("scorecard round")
        verbose_name_plural = _("scorecard rounds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="scorecard_round_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title


class SheetKind(models.TextChoices):
    SELF = "self", _("Self-assessment")
    PEER = "peer", _("Peer assessment")


class ScorecardSheet(models.Model):
    """One member's filled-in scorecard in a round. Safe-space content: the comments stay
    inside the alliance; only averages leave it, with a published round."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="scorecard_sheets",
        verbose_name=_("learning alliance"),
    )
    round = models.ForeignKey(
        ScorecardRound, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("round")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="scorecard_sheets",
        verbose_name=_("assessor"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=SheetKind.choices)
    summary = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("submitted at"))

    class Meta:
        ordering = ["round", "submitted_at", "id"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return f"{self.round}: {self.assessor}"


class ScorecardSheetScore(models.Model):
    """One item's score (1–5) and comment on a sheet."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="scorecard_scores",
        verbose_name=_("learning alliance"),
    )
    sheet = models.ForeignKey(
        ScorecardSheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("sheet")
    )
    item = models.CharField(_("principle or step"), max_length=30, choices=ITEM_CHOICES)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["sheet", "id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=MIN_SCORE) & models.Q(score__lte=MAX_SCORE),
                name="scorecard_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
