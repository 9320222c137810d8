"""An alliance's pre-assessment (members' learning needs, grouped and ranked into priority
reform areas, case 5) and its learning strategy (who learns what from whom, and how, with
the result each member expects for their home organisation, case 4 and §4 "Focus on mutual
results"). Everything here is alliance-internal: it has no visibility of its own and carries
a direct ``alliance`` key, so only the alliance's safe space reads it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PreAssessmentState(models.TextChoices):
    COLLECTING = "collecting", _("Collecting needs")
    RANKING = "ranking", _("Ranking open")
    CLOSED = "closed", _("Closed: priorities agreed")


class LearningMethod(models.TextChoices):
    """How a member learns: the paper's menu of activities (§3, cases 5 and 6)."""

    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    ROUNDTABLE = "roundtable", _("Roundtable")
    STUDY_TOUR = "study_tour", _("Study tour")
    EXCHANGE_VISIT = "exchange_visit", _("Exchange visit")
    MUTUAL_CONSULTANCY = "mutual_consultancy", _("Mutual consultancy")
    SECONDMENT = "secondment", _("Secondment or internship")
    SHORT_MISSION = "short_mission", _("Short mission")
    WEBINAR = "webinar", _("Webinar")
    ONLINE_COURSE = "online_course", _("Online course module")
    COACHING = "coaching", _("Coaching or mentoring")
    PEER_REVIEW = "peer_review", _("Peer review")


class PreAssessment(models.Model):
    """Where an alliance's pre-assessment stands: collecting needs, ranking, closed."""

    alliance = models.OneToOneField(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="pre_assessment",
        verbose_name=_("learning alliance"),
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=PreAssessmentState.choices,
        default=PreAssessmentState.COLLECTING,
    )
    encoder = models.CharField(_("text encoder used"), max_length=60, blank=True, editable=False)
    ranking_opened_at = models.DateTimeField(_("ranking opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("pre-assessment")
        verbose_name_plural = _("pre-assessments")

    def __str__(self) -> str:
        return f"{self.alliance}: {self.get_state_display()}"


class NeedGroup(models.Model):
    """Similar learning needs gathered under one title; ranked by the members."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="need_groups",
        verbose_name=_("learning alliance"),
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("group of needs")
        verbose_name_plural = _("groups of needs")

    def __str__(self) -> str:
        return self.title


class LearningNeed(models.Model):
    """A challenge or learning need a member submits for the alliance's pre-assessment."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="learning_needs",
        verbose_name=_("learning alliance"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learning_needs",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(
        NeedGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("group"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("learning need")
        verbose_name_plural = _("learning needs")

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        """What the encoder compares: the title and the description."""
        return f"{self.title}. {self.description}".strip()


class GroupRank(models.Model):
    """One member's rank for one group (1 = most important). A member's ranking is the set
    of their rows, replaced whole each time they submit it."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="group_ranks",
        verbose_name=_("learning alliance"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_ranks",
        verbose_name=_("member"),
    )
    group = models.ForeignKey(
        NeedGroup, on_delete=models.CASCADE, related_name="ranks", verbose_name=_("group")
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["member_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["member", "group"], name="group_ranked_once"),
        ]
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")

    def __str__(self) -> str:
        return f"{self.member}: {self.group} #{self.rank}"


class StrategyPart(models.Model):
    """One member's part of the learning strategy: the result they expect for their home
    organisation and their learning objectives. Confirmed by the member; any edit
    un-confirms it."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="strategy_parts",
        verbose_name=_("learning alliance"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="strategy_parts",
        verbose_name=_("member"),
    )
    expected_result = models.TextField(
        _("expected result for the home organisation"),
        blank=True,
        help_text=_("What should change in your organisation because of what you learn."),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["member__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "member"], name="strategy_part_once"),
        ]
        verbose_name = _("part of the learning strategy")
        verbose_name_plural = _("parts of the learning strategy")

    def __str__(self) -> str:
        return f"{self.alliance}: {self.member}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class LearningObjective(models.Model):
    """What a member learns, on which shared topic, from whom, and how."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="learning_objectives",
        verbose_name=_("learning alliance"),
    )
    part = models.ForeignKey(
        StrategyPart,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("part of the strategy"),
    )
    topic = models.ForeignKey(
        "alliances.AlliancePriority",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("shared topic"),
    )
    what = models.CharField(_("what I learn"), max_length=300)
    learn_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from whom"),
    )
    methods = models.JSONField(_("how"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("learning objective")
        verbose_name_plural = _("learning objectives")

    def __str__(self) -> str:
        return self.what

    @property
    def method_labels(self) -> list[str]:
        known = dict(LearningMethod.choices)
        return [str(known.get(m, m)) for m in (self.methods or []) if isinstance(m, str)]
