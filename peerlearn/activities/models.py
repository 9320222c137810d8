"""What an alliance does together and what its members change at home: activities from the
paper's menu (with attendance, outputs and feedback), each member organisation's action
plan with actions and milestones, and each person's calendar settings.

Everything here is alliance-internal content: each model carries a direct ``alliance``
foreign key, so the access layer and the confidentiality sweep treat it as such.
"""

from __future__ import annotations

import secrets
import uuid
import zoneinfo
from datetime import tzinfo
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location
from babel.numbers import get_currency_name, get_territory_currencies
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


@cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    """Each country's time zones (ISO 3166 code: IANA names), from the time zone
    database's ``zone.tab``: the zones people choose from, without the old aliases
    (Africa/Asmera) and the fixed offsets of ``Etc/`` (whose signs read backwards)."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except ModuleNotFoundError:  # Python then reads the system's database
        text = Path("/usr/share/zoneinfo/zone.tab").read_text("utf-8")
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, name = line.split("\t")[:3]
            zones.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in zones.items()}


@cache
def _zones() -> tuple[str, ...]:
    named = {z for zones in _country_zones().values() for z in zones}
    return (*sorted(named & zoneinfo.available_timezones()), "UTC")


def _active_locale() -> str:
    """The active language as a babel locale name ("fr", "en"); English when babel does
    not know it."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return str(Locale.parse(translation.to_locale(language)))
    except (ValueError, UnknownLocaleError):
        return "en"


@cache
def _time_zone_choices_in(locale: str) -> tuple[tuple[str, str], ...]:
    from peerlearn.core.geography import country_name
    from peerlearn.core.pickers import folded

    country_of = {z: code for code, zones in _country_zones().items() for z in zones}
    named = []
    for zone in _zones():
        if zone not in country_of:
            continue
        country = country_name(country_of[zone])
        city = get_timezone_location(zone, locale=locale, return_city=True)
        named.append((zone, country, city))
    # By country, then city (not by the whole label: « Géorgie — Tbilissi » before
    # « Géorgie du Sud… », each country's cities together).
    named.sort(key=lambda z: (folded(z[1]), folded(z[2]), z[0]))
    return (*((zone, f"{country} — {city}") for zone, country, city in named), ("UTC", "UTC"))


def time_zone_choices() -> list[tuple[str, str]]:
    """The time zones people choose from, by their country and city in the active language
    ("Kenya — Nairobi", "États-Unis — New York"), sorted by country then city, then UTC;
    the values are the IANA names (``Africa/Nairobi``). Computed once per language."""
    return list(_time_zone_choices_in(_active_locale()))


@cache
def _time_zone_labels_in(locale: str) -> dict[str, str]:
    return dict(_time_zone_choices_in(locale))


def time_zone_label(name: str) -> str:
    """Zone ``name`` as a person reads it, the picker's label in the active language
    ("Kenya — Nairobi", "États-Unis — New York", "UTC"); a zone the picker does not offer
    (an old stored value) by its IANA name, spaced ("America/Fort Wayne").

    >>> time_zone_label("Africa/Nairobi"), time_zone_label("America/Fort_Wayne")
    ('Kenya — Nairobi', 'America/Fort Wayne')
    """
    label = _time_zone_labels_in(_active_locale()).get(name)
    return label if label is not None else name.replace("_", " ")


def country_zone(code: str | None) -> str | None:
    """The time zone of country ``code`` when it has only one (Kenya: Africa/Nairobi),
    else None (the United States, Russia, Brazil: the person chooses).

    >>> country_zone("KE"), country_zone("US"), country_zone(None)
    ('Africa/Nairobi', None, None)
    """
    zones = _country_zones().get(code or "", ())
    return zones[0] if len(zones) == 1 else None


@cache
def _circulating_currencies() -> tuple[str, ...]:
    """The ISO 4217 codes that are legal tender somewhere today (``KES``, ``EUR``, ``XOF``),
    from the CLDR's territories: not the codes of ISO 4217 that are no money one pays a
    cost in (``XTS`` for testing, ``XXX`` for none, the metals ``XAU``…, the bond units
    ``XBA``…, ``XDR``, the funds ``BOV``, ``CLF``…)."""
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, tender=True))
    return tuple(sorted(codes))


@cache
def _currency_choices_in(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, f"{code} — {get_currency_name(code, locale=locale)}")
        for code in _circulating_currencies()
    )


def currency_choices() -> list[tuple[str, str]]:
    """The currencies in circulation, by ISO 4217 code, named in the active language
    (``KES — Kenyan Shilling``, ``KES — shilling kényan``); computed once per language."""
    return list(_currency_choices_in(_active_locale()))


def zone_of(name: str) -> tzinfo:
    """The zone called ``name``, or UTC for a name that is not one."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class ActivityKind(models.TextChoices):
    """The paper's menu of peer-learning activities."""

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
    COACHING = "coaching", _("Coaching or mentoring session")
    PEER_REVIEW = "peer_review", _("Peer review")


class ActivityStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(models.Model):
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("learning alliance"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=time_zone_choices, default="UTC"
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    participants: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ActivityParticipant",
        related_name="activities",
        verbose_name=_("participants"),
    )
    cost_amount = models.DecimalField(
        _("cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_currency = models.CharField(
        _("currency"), max_length=3, choices=currency_choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.SCHEDULED
    )
    #: The iCalendar UID (stable for the activity's life) and SEQUENCE (one more per change).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Set when the reminder sweep claims the activity: it is reminded once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["alliance", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zone(self) -> tzinfo:
        return zone_of(self.time_zone)

    @property
    def cancelled(self) -> bool:
        return self.status == ActivityStatus.CANCELLED

    @property
    def over(self) -> bool:
        """It has ended: recorded afterwards, it invites nobody."""
        return self.ends_at <= timezone.now()


class ActivityParticipant(models.Model):
    """A person invited to an activity; ``attended`` is recorded by a facilitator after it
    (``None``: not recorded yet)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "user"], name="activity_participant_once")
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.user} at {self.activity}"


class ActivityOutput(models.Model):
    """A document an activity produced, as a link (a report, slides, a recording)."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="activity_outputs",
        verbose_name=_("learning alliance"),
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("activity")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")

    def __str__(self) -> str:
        return self.title


LIKERT = [MinValueValidator(1), MaxValueValidator(5)]

#: The feedback form's Likert items, in order: field name and question.
FEEDBACK_ITEMS: tuple[tuple[str, Any], ...] = (
    ("usefulness", _("How useful was it?")),
    ("relevance", _("How relevant was it to my reform?")),
    ("trust", _("How much do I trust the group?")),
    ("voice", _("Did everyone have an equal voice?")),
    ("intention", _("How likely am I to apply what I learned?")),
)


class ActivityFeedback(models.Model):
    """A participant's answer to the short form after an activity, one per person and
    activity (it may be changed). Facilitators read the free text without the author's name
    unless ``signed``."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="activity_feedback",
        verbose_name=_("learning alliance"),
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("activity")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_feedback",
        verbose_name=_("author"),
    )
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), validators=LIKERT)
    relevance = models.PositiveSmallIntegerField(_("relevance to my reform"), validators=LIKERT)
    trust = models.PositiveSmallIntegerField(_("trust in the group"), validators=LIKERT)
    voice = models.PositiveSmallIntegerField(_("equality of voice"), validators=LIKERT)
    intention = models.PositiveSmallIntegerField(_("intention to apply"), validators=LIKERT)
    comment = models.TextField(_("comment"), blank=True)
    signed = models.BooleanField(_("show my name to the facilitators"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(fields=["activity", "author"], name="feedback_once"),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.activity}"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


#: Milestones still expected: a past due date makes them overdue.
OPEN_MILESTONE = (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)


class ActionPlan(models.Model):
    """A member organisation's change work plan in an alliance (cases 3 and 5)."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="action_plans",
        verbose_name=_("learning alliance"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["organisation__name", "id"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "organisation"], name="action_plan_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ActionPlanAction(models.Model):
    """One action of a plan, with the person who owns it."""

    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="plan_actions",
        verbose_name=_("learning alliance"),
    )
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("learning alliance"),
    )
    action = models.ForeignKey(
        ActionPlanAction,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("action"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    #: Set when the overdue sweep claims the milestone: its owner is reminded once.
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["alliance", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return self.status in OPEN_MILESTONE and self.due_on < timezone.localdate()


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarSettings(models.Model):
    """A person's calendar: the secret of their feed addresses, and the time zone they read
    times in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_settings"
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    #: Empty until the person chooses one: their times then follow their organisation's
    #: country (``selectors.reader_zone_name``), whichever it becomes.
    time_zone = models.CharField(
        _("my time zone"), max_length=64, choices=time_zone_choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self) -> str:
        return f"Calendar of {self.user}"
