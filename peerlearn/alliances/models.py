"""Learning alliances, carried through the EIP Peer-to-Peer Learning Guide's stages (§2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility, alliance_visibility_label
from peerlearn.alliances.checklists import QUESTION_CHOICES
from peerlearn.core.choices import PartnershipType


class AllianceStage(models.IntegerChoices):
    PRE_ASSESSMENT = 0, _("Pre-assessment")
    FOUNDATIONAL = 1, _("Foundational peer group engagement")
    SUSTAINED_CONTACT = 2, _("Sustained contact between individuals")
    LEARNING_OUTCOMES = 3, _("Learning outcomes")
    APPLIED_AT_SCALE = 4, _("Learning applied at scale")


class MemberRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    PEER = "peer", _("Peer learner")
    RESOURCE = "resource", _("Resource peer")
    FUNDER = "funder", _("Funder representative")
    OBSERVER = "observer", _("Observer")


class LearningAlliance(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    theme = models.ForeignKey(
        "core.Theme", on_delete=models.PROTECT, related_name="alliances", verbose_name=_("theme")
    )
    type = models.CharField(
        _("type"), max_length=2, choices=PartnershipType.choices, default=PartnershipType.TYPE_II
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=AllianceStage.choices, default=AllianceStage.PRE_ASSESSMENT
    )
    purpose = models.TextField(_("purpose"))
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alliances",
        verbose_name=_("initiative"),
    )
    working_languages = models.ManyToManyField(
        "core.Language", related_name="alliances", verbose_name=_("working languages")
    )
    funders = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="alliances_funded",
        verbose_name=_("funders"),
    )
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PLATFORM
    )
    #: The day a facilitator closed the alliance (its work is done, or it stopped early);
    #: empty while it runs. A closed alliance keeps its record and its evidence but moves
    #: through no more stages and invites nobody until it is reopened.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning alliance")
        verbose_name_plural = _("learning alliances")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="alliance_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None

    @property
    def visibility_label(self) -> str:
        """Who may see the alliance, in words for an alliance (not "only me")."""
        return alliance_visibility_label(self.visibility)


class AllianceOrganisation(models.Model):
    """An organisation taking part in an alliance (a county, a parliament, a ministry)."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="member_organisations",
        verbose_name=_("learning alliance"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="alliance_memberships",
        verbose_name=_("organisation"),
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organisation"], name="alliance_organisation_once"
            )
        ]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.alliance}"


class AllianceMembership(models.Model):
    """A person in an alliance, with their role."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("learning alliance"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="alliance_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        ordering = ["role", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "user"], name="alliance_member_once")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def is_only_facilitator(self) -> bool:
        """Whether this member is the alliance's one facilitator: an alliance always has
        someone to run it, so this member hands the role over before leaving it."""
        return (
            self.role == MemberRole.FACILITATOR
            and self.alliance.memberships.filter(role=MemberRole.FACILITATOR).count() == 1
        )


class AlliancePriority(models.Model):
    """A priority reform area the alliance agreed to work on (the shared learning topics)."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="priorities",
        verbose_name=_("learning alliance"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("priority reform area")
        verbose_name_plural = _("priority reform areas")

    def __str__(self) -> str:
        return self.title


class StageChange(models.Model):
    """The record of an alliance moving between stages: who, when and why."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("learning alliance"),
    )
    from_stage = models.PositiveSmallIntegerField(
        choices=AllianceStage.choices, null=True, verbose_name=_("from stage")
    )
    to_stage = models.PositiveSmallIntegerField(
        choices=AllianceStage.choices, verbose_name=_("to stage")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.TextField(_("note"), blank=True)
    changed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("changed at"))

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.alliance}: {self.get_to_stage_display()}"


class InvitationSource(models.TextChoices):
    DIRECTORY = "directory", _("From the directory")
    EMAIL = "email", _("By e-mail")
    IMPORT = "import", _("From a file")


class AllianceInvitation(models.Model):
    """An invitation to join an alliance, sent by e-mail with a signed link. Accepting it
    (after signing up, for someone new to the platform) makes the membership."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("learning alliance"),
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=InvitationSource.choices, default=InvitationSource.EMAIL
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("invited at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and alliance: a cohort file uploaded twice
            # does not e-mail anybody twice.
            models.UniqueConstraint(
                fields=["alliance", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="alliance_invitation_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.alliance}"

    @property
    def address_shown(self) -> str:
        """The address as its facilitators read it: none for someone invited from the
        directory, who is reached at their address on the platform without it being shown."""
        return "" if self.source == InvitationSource.DIRECTORY else self.email


class ChecklistAnswer(models.Model):
    """The alliance's answer to one of the Learning Guide's questions (``checklists.py``)."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="checklist_answers",
        verbose_name=_("learning alliance"),
    )
    question = models.SlugField(_("question"), max_length=40, choices=QUESTION_CHOICES)
    answer = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "question"], name="checklist_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.alliance}: {self.question}"


class RiskKind(models.TextChoices):
    RESISTANCE = "resistance", _("Resistance to change")
    ELECTORAL = "electoral", _("Electoral timing")
    POLITICAL = "political", _("Political context")
    OTHER = "other", _("Other risk")


class RiskNote(models.Model):
    """The political context and risks of an alliance, for its facilitators only."""

    alliance = models.ForeignKey(
        LearningAlliance,
        on_delete=models.CASCADE,
        related_name="risk_notes",
        verbose_name=_("learning alliance"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RiskKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("note"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("written at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("risk note")
        verbose_name_plural = _("risk notes")

    def __str__(self) -> str:
        return self.title
