"""Peers: who they are, where they stand in reform, what they need and what they offer."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility

#: The shortest description of a challenge or an experience: a sentence, not a word ("x"),
#: since peers read it and the matching compares it.
DESCRIPTION_MIN_LENGTH = 12


class Seniority(models.IntegerChoices):
    ENTRY = 1, _("1 — Entry level")
    OFFICER = 2, _("2 — Officer or specialist")
    MANAGER = 3, _("3 — Manager or head of unit")
    SENIOR = 4, _("4 — Director or senior manager")
    EXECUTIVE = 5, _("5 — Executive or political leadership")


class ReformStage(models.IntegerChoices):
    """Where a peer stands in the reform cycle (same-stage matching, §4 of the paper)."""

    IDENTIFYING = 1, _("Identifying the problem")
    DESIGNING = 2, _("Designing the reform")
    PILOTING = 3, _("Piloting")
    SCALING = 4, _("Implementing at scale")
    CONSOLIDATED = 5, _("Consolidated")


class PeerProfile(models.Model):
    """A peer: an individual in an organisation, in a country (§4 "Focus on the individual")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="peer_profile",
        verbose_name=_("user"),
    )
    position = models.CharField(_("position"), max_length=200)
    seniority = models.PositiveSmallIntegerField(
        _("seniority"),
        choices=Seniority.choices,
        default=Seniority.OFFICER,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    gender = models.CharField(
        _("gender (optional, self-described)"),
        max_length=50,
        blank=True,
        help_text=_(
            "Used only in aggregate, for gender-balanced groups. Leave empty if you prefer."
        ),
    )
    languages = models.ManyToManyField(
        "core.Language", related_name="peers", verbose_name=_("working languages")
    )
    reform_areas = models.ManyToManyField(
        "core.Theme", related_name="peers", blank=True, verbose_name=_("reform areas")
    )
    reform_stage = models.PositiveSmallIntegerField(
        _("stage in the reform cycle"),
        choices=ReformStage.choices,
        default=ReformStage.IDENTIFYING,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    bio = models.TextField(_("about me"), blank=True)
    visibility = models.CharField(
        _("who can see my profile"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PLATFORM,
    )
    accepts_contact = models.BooleanField(
        _("peers may write to me through the platform"),
        default=True,
        help_text=_("Messages reach your e-mail; your address stays hidden until you answer one."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["user__name"]
        verbose_name = _("peer profile")
        verbose_name_plural = _("peer profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def organisation(self):  # type: ignore[no-untyped-def]
        return self.user.organisation

    @property
    def authorised(self) -> bool:
        return any(a.status == AuthorisationStatus.GRANTED for a in self.authorisations.all())


class AuthorisationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class AuthorisationAction(models.TextChoices):
    """What an authoriser does to a request: each decision is its own explicit action."""

    GRANT = "grant", _("Grant")
    DECLINE = "decline", _("Decline")
    REVOKE = "revoke", _("Revoke")


#: The decisions each state allows, and the state each leads to: a request is granted or
#: declined; a granted authorisation may later be revoked; nothing else changes.
AUTHORISATION_TRANSITIONS: dict[str, dict[str, str]] = {
    AuthorisationStatus.REQUESTED: {
        AuthorisationAction.GRANT: AuthorisationStatus.GRANTED,
        AuthorisationAction.DECLINE: AuthorisationStatus.DECLINED,
    },
    AuthorisationStatus.GRANTED: {AuthorisationAction.REVOKE: AuthorisationStatus.REVOKED},
}


class Authorisation(models.Model):
    """The home organisation's authorisation for a peer to take part (§4 Empowerment)."""

    peer = models.ForeignKey(
        PeerProfile, on_delete=models.CASCADE, related_name="authorisations", verbose_name=_("peer")
    )
    authoriser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="authorisations_given",
        verbose_name=_("authoriser"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AuthorisationStatus.choices,
        default=AuthorisationStatus.REQUESTED,
    )
    scope = models.TextField(
        _("scope"),
        help_text=_("What the peer is authorised to take part in and share, e.g. an alliance."),
    )
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("requested at"))
    decided_on = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")

    def __str__(self) -> str:
        return f"{self.peer} — {self.get_status_display()}"

    @property
    def actions(self) -> list[AuthorisationAction]:
        """The decisions that apply to this request now."""
        return [AuthorisationAction(a) for a in AUTHORISATION_TRANSITIONS.get(self.status, {})]


class _Statement(models.Model):
    """What challenges (demand) and experiences (supply) share: a theme and free text."""

    peer = models.ForeignKey(PeerProfile, on_delete=models.CASCADE, verbose_name=_("peer"))
    theme = models.ForeignKey("core.Theme", on_delete=models.PROTECT, verbose_name=_("theme"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"),
        validators=[
            MinLengthValidator(
                DESCRIPTION_MIN_LENGTH,
                message=_(
                    "Describe it in a sentence or more (at least %(limit_value)d characters; "
                    "it has %(show_value)d): peers and the matching read it."
                ),
            )
        ],
    )
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("learning alliance"),
        help_text=_("The alliance this was raised in, if any."),
    )
    visibility = models.CharField(
        _("who can see this"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PLATFORM,
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        abstract = True
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title

    def meaning_text(self) -> str:
        """The statement as one text for a sentence model (search by meaning, unmet demand):
        :func:`statement_meaning_text` of its title and description."""
        return statement_meaning_text(self.title, self.description)


def statement_meaning_text(title: str, description: str) -> str:
    """A challenge or experience as one text for a sentence model: its title and its
    description joined by ". ", the text the search reads for it (``search.sources``), so
    both find the same cached vector.

    >>> statement_meaning_text("Market fees ", "Collectors keep the cash.")
    'Market fees. Collectors keep the cash.'
    """
    return ". ".join(part.strip() for part in (title, description) if part and part.strip())


class Challenge(_Statement):
    """Demand: a reform problem or learning need a peer wants help with."""

    class Meta(_Statement.Meta):
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        default_related_name = "challenges"


class Experience(_Statement):
    """Supply: something a peer has done and can share."""

    class Meta(_Statement.Meta):
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        default_related_name = "experiences"


#: Bounds of a message written to a peer through their profile.
CONTACT_SUBJECT_MAX = 150
CONTACT_BODY_MAX = 3000


class ContactMessage(models.Model):
    """A message one person wrote to a peer from the peer's profile. It reaches the peer's
    e-mail with Reply-To set to the sender, so the peer's address is only known to the sender
    once the peer answers. Only its sender and its recipient read it."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="contact_messages_sent",
        verbose_name=_("sender"),
    )
    recipient = models.ForeignKey(
        PeerProfile,
        on_delete=models.CASCADE,
        related_name="contact_messages",
        verbose_name=_("recipient"),
    )
    subject = models.CharField(_("subject"), max_length=CONTACT_SUBJECT_MAX)
    body = models.TextField(_("message"), max_length=CONTACT_BODY_MAX)
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent at"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("message to a peer")
        verbose_name_plural = _("messages to peers")

    def __str__(self) -> str:
        return self.subject


class AuthoriserAsk(models.Model):
    """A peer's request that the administrators invite the person who can authorise them,
    when their organisation has no authoriser here: open until an account with that
    address exists (``answered_at``: when the administrators invited them)."""

    peer = models.ForeignKey(
        PeerProfile,
        on_delete=models.CASCADE,
        related_name="authoriser_asks",
        verbose_name=_("peer"),
    )
    name = models.CharField(_("their name"), max_length=150)
    email = models.EmailField(_("their e-mail address"))
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answered_at = models.DateTimeField(_("invited at"), null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("request to invite an authoriser")
        verbose_name_plural = _("requests to invite an authoriser")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def authoriser_ask_is_open() -> models.Q:
    """The condition of a request still waiting: not answered, and nobody has an account
    with the address it names (whoever made it: an invitation, the back office, a sign-up)."""
    from peerlearn.accounts.models import User

    account = User.objects.filter(email__iexact=models.OuterRef("email"))
    return models.Q(answered_at__isnull=True) & ~models.Q(models.Exists(account))
