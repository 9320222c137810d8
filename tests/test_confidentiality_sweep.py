"""The confidentiality sweep: nothing is seen beyond its visibility, anywhere.

Every model that has a ``visibility`` field or a foreign key to a learning alliance (found
through ``apps.get_models()``, so a new model is swept without editing this file) gets one
object per visibility level and alliance, with a unique marker in every free-text field.
Then every viewer — anonymous, each role, a member of the alliances, a peer outside them,
an authoriser of another organisation — requests

* every URL pattern, enumerated from the URL resolver, with planted objects' keys in the
  path parameters;
* every API operation, enumerated from the OpenAPI schema;
* every export in :data:`EXPORTS`;

and each marker found in an answer must be one the viewer may see. Who may see what is
worked out here from the rules in README.md ("Visibility") and the access layer's
docstrings, without calling the access layer: a test that asked the code under test what
is allowed would prove nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import logging
import re
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import ApiToken, Role, User
from peerlearn.alliances.models import AllianceMembership, LearningAlliance, MemberRole
from peerlearn.core.models import Country
from peerlearn.core.reference import ensure_reference_data
from peerlearn.initiatives.models import InitiativeLink
from peerlearn.matchmaking.models import (
    CallApplication,
    ExcludedPair,
    ExclusionReason,
    MatchingRun,
    OpenCall,
    Proposal,
    ProposalMember,
    ProposalRole,
    RunStatus,
)
from peerlearn.organisations.models import Organisation
from peerlearn.peers.models import Authorisation, ContactMessage, PeerProfile
from peerlearn.search.selectors import search_meaning

LEVELS = [Visibility.PRIVATE, Visibility.ALLIANCE, Visibility.PLATFORM, Visibility.PUBLIC]
CLOSED = (Visibility.PRIVATE, Visibility.ALLIANCE)
MARKER = re.compile(r"zq\d{6}qz", re.IGNORECASE)
MARKER_LENGTH = len("zq000000qz")
API = "/api/v1"

# Fewer combinations than this means the enumeration broke, not that the code is safe.
MIN_PAGE_REQUESTS = 1500
MIN_API_REQUESTS = 800
MIN_URL_PATTERNS = 25
MIN_API_GET_OPERATIONS = 25
MIN_API_UNSAFE_OPERATIONS = 15

# URL patterns not swept, each for a reason. Matched against the pattern's name, with its
# namespace ("admin:" matches the whole admin site).
SKIPPED_PATTERNS = {
    # The Django admin is for platform administrators, who see everything by design.
    "admin:",
    # The API's routes are swept operation by operation through the OpenAPI schema.
    "api:",
    # Needs a signed one-time token from an e-mail; it shows a password form, no content.
    "password_reset_confirm",
    # Needs a signed token from the sign-up e-mail; it confirms the address or says why not.
    "accounts:verify",
    # Calendar feeds answer a secret address with its owner's view, whoever asks (calendar
    # applications cannot sign in); activities/tests/test_ics.py checks that a feed holds
    # only what its owner may see.
    "activities:feed_person",
    "activities:feed_alliance",
    # Needs the signed link of an alliance invitation e-mail; it names the alliance and the
    # inviter to the holder of the link (tested in peerlearn/alliances/tests).
    "alliances:invitation",
}
# Patterns that are not POSTed to in the unsafe-method pass, because they end the session.
NOT_POSTED = {"logout"}
# In the unsafe-method pass, at most this many objects per pattern (GET tries them all).
POSTED_PER_PATTERN = 3

# The viewers. Each name below is a role in the world planted by :func:`_plant`.
VIEWERS = (
    "anonymous",
    "owner",  # a peer, member of every swept alliance, author of most planted content
    "member",  # another peer in every swept alliance
    "outsider",  # a peer in no alliance
    "facilitator",  # facilitates every swept alliance
    "other_facilitator",  # facilitates nothing
    "authoriser",  # authoriser of the owner's home organisation
    "other_authoriser",  # authoriser of another organisation
    "funder",  # works for the organisation that funds every swept alliance
    "other_funder",  # works for an organisation that funds nothing
    "admin",
)
#: The viewers in groups, one test per group, so that a parallel run shares the sweep among
#: its workers. The first group holds the administrator, who sees everything but messages
#: between people, and the owner, who wrote or received them: between them they must see
#: every planted model (the sign that the pages rendered at all, not that they are safe).
VIEWER_GROUPS = (
    ("admin", "owner"),
    ("anonymous", "member", "outsider"),
    ("facilitator", "other_facilitator", "authoriser"),
    ("other_authoriser", "funder", "other_funder"),
)
SEEING_GROUP = VIEWER_GROUPS[0]


# --- who may see what, from first principles -------------------------------------------


@dataclass
class Person:
    """What the rules need to know about a viewer, recorded while planting."""

    name: str
    user: User | None
    role: str = ""
    organisation_id: int | None = None

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    @property
    def admin(self) -> bool:
        return self.role == Role.ADMIN


@dataclass
class Plant:
    """One planted object: what it is, at which level, in which alliance, whose."""

    obj: models.Model
    level: str | None
    alliance_id: int | None
    owner: User | None

    @property
    def label(self) -> str:
        return self.obj._meta.label


@dataclass
class Rules:
    """The visibility rules of README.md "Visibility", applied to the planted world."""

    alliance_members: dict[int, set[int]]  # alliance id -> user ids of its members
    alliance_funders: dict[int, set[int]]  # alliance id -> funding organisation ids
    alliance_facilitators: dict[int, set[int]]
    alliance_levels: dict[int, str]
    user_organisations: dict[int, int | None]
    run_members: dict[int, set[int]]  # run id -> users in its proposals, once proposed

    def inside(self, v: Person, alliance_id: int) -> bool:
        """In the alliance's safe space: a member in any role, or a funder of it."""
        if v.user is None:
            return False
        if v.user.id in self.alliance_members.get(alliance_id, set()):
            return True
        return (
            v.role == Role.FUNDER
            and v.organisation_id is not None
            and v.organisation_id in self.alliance_funders.get(alliance_id, set())
        )

    def shares_alliance_with(self, v: Person, owner_id: int) -> bool:
        return any(
            owner_id in members and self.inside(v, alliance_id)
            for alliance_id, members in self.alliance_members.items()
        )

    def sees_alliance(self, v: Person, alliance_id: int) -> bool:
        """An alliance's own visibility: at *private* only its facilitators see it."""
        level = self.alliance_levels[alliance_id]
        if v.admin or level == Visibility.PUBLIC:
            return True
        if not v.signed_in:
            return False
        if level == Visibility.PLATFORM:
            return True
        if level == Visibility.ALLIANCE:
            return self.inside(v, alliance_id)
        assert v.user is not None
        return v.user.id in self.alliance_facilitators.get(alliance_id, set())

    def sees_profile(self, v: Person, profile: PeerProfile) -> bool:
        """A peer's profile; the home organisation's authoriser also sees alliance-level
        profiles of the peers it sends."""
        if v.admin or profile.visibility == Visibility.PUBLIC:
            return True
        if not v.signed_in:
            return False
        assert v.user is not None
        if profile.visibility == Visibility.PLATFORM or profile.user_id == v.user.id:
            return True
        if profile.visibility == Visibility.ALLIANCE:
            if self.shares_alliance_with(v, profile.user_id):
                return True
            return (
                v.role == Role.AUTHORISER
                and v.organisation_id is not None
                and v.organisation_id == self.user_organisations.get(profile.user_id)
            )
        return False

    def by_level(self, v: Person, p: Plant) -> bool:
        """The general rule for content with a visibility: private — its owner; alliance —
        also the safe space of its alliance (or, with no alliance, of the alliances its
        owner is in); platform — signed-in users; public — anyone."""
        if v.admin or p.level == Visibility.PUBLIC:
            return True
        if not v.signed_in:
            return False
        assert v.user is not None
        if p.level == Visibility.PLATFORM:
            return True
        if p.owner is not None and p.owner.id == v.user.id:
            return True
        if p.level == Visibility.ALLIANCE:
            if p.alliance_id is not None:
                return self.inside(v, p.alliance_id)
            return p.owner is not None and self.shares_alliance_with(v, p.owner.id)
        return False

    def allowed_field(self, v: Person, p: Plant, field_name: str) -> bool:
        """Whether ``v`` may read field ``field_name`` of planted object ``p``: as the object,
        except for the fields in :data:`FIELD_RULES`."""
        rule = FIELD_RULES.get((p.label, field_name))
        if rule is not None:
            return rule(self, v, p)
        return self.allowed(v, p)

    def allowed(self, v: Person, p: Plant) -> bool:
        """Whether ``v`` may read the text of planted object ``p``."""
        obj = p.obj
        if isinstance(obj, LearningAlliance):
            return self.sees_alliance(v, obj.id)
        if isinstance(obj, PeerProfile):
            return self.sees_profile(v, obj)
        rule = SPECIAL_RULES.get(p.label)
        if rule is not None:
            return rule(self, v, p)
        if p.level is None:
            # Safe-space content with no visibility of its own: its alliance's inside only.
            assert p.alliance_id is not None
            return v.admin or self.inside(v, p.alliance_id)
        visible = self.by_level(v, p)
        # Content tied to a peer is never wider than the peer's profile.
        for f in obj._meta.concrete_fields:
            if f.is_relation and f.related_model is PeerProfile:
                profile = getattr(obj, f.name)
                if profile is not None:
                    visible = visible and self.sees_profile(v, profile)
        return visible


def _initiative_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # The registry: drafts (alliance or private) are for facilitators, who curate it.
    if v.admin or p.level == Visibility.PUBLIC:
        return True
    if not v.signed_in:
        return False
    return p.level == Visibility.PLATFORM or v.role == Role.FACILITATOR


def _open_call_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # An open call below platform level is its author's draft.
    if v.admin or p.level == Visibility.PUBLIC:
        return True
    if not v.signed_in:
        return False
    assert v.user is not None and p.owner is not None
    return p.level == Visibility.PLATFORM or p.owner.id == v.user.id


def _run_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # A matching run belongs to the facilitator who made it (and administrators); once its
    # proposals are sent, the peers in them read what they were matched on.
    if v.admin:
        return True
    if v.user is None:
        return False
    if p.owner is not None and p.owner.id == v.user.id:
        return True
    return v.user.id in rules.run_members.get(p.obj.pk, set())


def _authorisation_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # Between the peer and the authoriser they asked.
    obj: Any = p.obj
    return v.admin or (v.user is not None and v.user.id in (obj.peer.user_id, obj.authoriser_id))


#: What even a platform administrator may not read: private correspondence, a private
#: learning diary entry, and an unsigned feedback answer among fewer than three.
ADMIN_REFUSED = {"peers.ContactMessage", "evidence.DiaryEntry", "activities.ActivityFeedback"}


def _diary_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # A learning diary entry: as its level says, except that a private one ("Private — only
    # me") is its author's alone, administrators included.
    if p.level == Visibility.PRIVATE:
        return v.user is not None and p.owner is not None and v.user.id == p.owner.id
    return rules.by_level(v, p)


def _contact_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # A message written to a peer through their profile: its sender and its recipient only,
    # not administrators either (the platform only carries it).
    obj: Any = p.obj
    return v.user is not None and v.user.id in (obj.sender_id, obj.recipient.user_id)


def _application_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # Read by the applicant and the call's author, who matches its applicants.
    obj: Any = p.obj
    return v.admin or (
        v.user is not None and v.user.id in (obj.peer.user_id, obj.call.created_by_id)
    )


def _answer_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # A peer's reason for an answer: the peer and the run's facilitator.
    obj: Any = p.obj
    return v.admin or (
        v.user is not None and v.user.id in (obj.peer.user_id, obj.proposal.run.created_by_id)
    )


def _excluded_pair_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # Facilitators who can see both peers (a decline is not news for the other peer).
    obj: Any = p.obj
    if v.admin:
        return True
    return (
        v.role == Role.FACILITATOR
        and rules.sees_profile(v, obj.peer_a)
        and rules.sees_profile(v, obj.peer_b)
    )


#: Unsigned answers to one activity from which they are read together.
FEEDBACK_UNSIGNED_FROM = 3


def _feedback_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # Feedback after an activity: its author; the alliance's facilitators (and the
    # administrators) once it is signed, or among three unsigned answers to the activity
    # (with fewer, they could tell whose it is).
    obj: Any = p.obj
    if v.user is not None and v.user.id == obj.author_id:
        return True
    unsigned = type(obj).objects.filter(activity_id=obj.activity_id, signed=False).count()
    if not obj.signed and 0 < unsigned < FEEDBACK_UNSIGNED_FROM:
        return False
    if v.admin:
        return True
    if v.user is None:
        return False
    assert p.alliance_id is not None
    return v.user.id in rules.alliance_facilitators.get(p.alliance_id, set())


def _as_its_alliance(rules: Rules, v: Person, p: Plant) -> bool:
    # Part of the alliance's own description, as visible as the alliance itself.
    assert p.alliance_id is not None
    return rules.sees_alliance(v, p.alliance_id)


def _as_its_indicator(rules: Rules, v: Person, p: Plant) -> bool:
    # An indicator's target and actual for a period: as visible as the indicator.
    indicator: Any = p.obj.indicator  # type: ignore[attr-defined]
    parent = Plant(
        obj=indicator,
        level=indicator.visibility,
        alliance_id=indicator.alliance_id,
        owner=indicator.created_by,
    )
    return rules.by_level(v, parent)


def _alliance_facilitators_rule(rules: Rules, v: Person, p: Plant) -> bool:
    # Political context and risk notes, and invitations: the alliance's facilitators and
    # administrators only — not the peers inside it, nor its funders.
    assert p.alliance_id is not None
    if v.admin:
        return True
    return v.user is not None and v.user.id in rules.alliance_facilitators.get(p.alliance_id, set())


def _as_its_thread(rules: Rules, v: Person, p: Plant) -> bool:
    # A discussion's post is as visible as its thread (the post's own alliance is a copy).
    thread: Any = p.obj.thread  # type: ignore[attr-defined]
    parent = Plant(
        obj=thread, level=thread.visibility, alliance_id=thread.alliance_id, owner=thread.created_by
    )
    return rules.allowed(v, parent)


# Where a model's documented rule differs from the general one. A model not named here
# follows :meth:`Rules.by_level` (with a visibility) or its alliance's inside (without).
SPECIAL_RULES: dict[str, Callable[[Rules, Person, Plant], bool]] = {
    "initiatives.Initiative": _initiative_rule,
    "matchmaking.OpenCall": _open_call_rule,
    "matchmaking.MatchingRun": _run_rule,
    "alliances.AlliancePriority": _as_its_alliance,
    "activities.ActivityFeedback": _feedback_rule,
    "evidence.DiaryEntry": _diary_rule,
    "evidence.IndicatorPeriod": _as_its_indicator,
    "alliances.RiskNote": _alliance_facilitators_rule,
    "alliances.AllianceInvitation": _alliance_facilitators_rule,
    "discussions.Post": _as_its_thread,
    # Records planted beside the swept models (see _plant).
    "initiatives.InitiativeLink": _initiative_rule,
    "peers.Authorisation": _authorisation_rule,
    "peers.ContactMessage": _contact_rule,
    "matchmaking.CallApplication": _application_rule,
    "matchmaking.ProposalMember": _answer_rule,
    "matchmaking.ExcludedPair": _excluded_pair_rule,
}


def _inside_its_alliance(rules: Rules, v: Person, p: Plant) -> bool:
    # A closed alliance's closing note: its safe space only, whoever may see the alliance.
    assert p.alliance_id is not None
    return v.admin or rules.inside(v, p.alliance_id)


# Fields narrower than their object (model label, field name).
FIELD_RULES: dict[tuple[str, str], Callable[[Rules, Person, Plant], bool]] = {
    ("alliances.LearningAlliance", "closing_note"): _inside_its_alliance,
}

# Planted alliances that are closed (so their closing note shows where it may), by level:
# one that outsiders see, one that anyone sees; the others stay open for every operation.
CLOSED_ALLIANCE_LEVELS = (Visibility.PLATFORM, Visibility.PUBLIC)


# --- which models are swept, and their markers ------------------------------------------


def swept_models() -> list[type[models.Model]]:
    """Models with a visibility, or belonging to an alliance's safe space."""
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        to_alliance = any(
            f.is_relation and f.related_model is LearningAlliance
            for f in model._meta.concrete_fields
        )
        if "visibility" in names or to_alliance:
            found.append(model)
    return found


def markable(f: models.Field[Any, Any]) -> bool:
    """A free-text field a marker can go in."""
    if not isinstance(f, models.CharField | models.TextField):
        return False
    if isinstance(f, models.SlugField | models.EmailField | models.URLField):
        return False
    if f.choices or f.primary_key:
        return False
    return f.max_length is None or f.max_length >= MARKER_LENGTH


def text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if markable(f)]


class Markers:
    """Hands out markers and remembers which planted object each one is in."""

    def __init__(self) -> None:
        self.count = itertools.count(1)
        self.where: dict[str, tuple[Plant, str]] = {}

    def new(self) -> str:
        return f"zq{next(self.count):06d}qz"

    def fill(self, model: type[models.Model]) -> dict[str, str]:
        return {f.name: self.new() for f in text_fields(model)}

    def remember(self, plant: Plant) -> None:
        for f in text_fields(type(plant.obj)):
            value = getattr(plant.obj, f.name)
            for marker in MARKER.findall(value or ""):
                self.where[marker.lower()] = (plant, f.name)


# --- planting -------------------------------------------------------------------------


@dataclass
class World:
    people: dict[str, Person]
    plants: list[Plant]
    markers: Markers
    rules: Rules
    allowed: dict[str, frozenset[str]] = field(default_factory=dict)

    def describe(self, marker: str) -> str:
        plant, field_name = self.markers.where[marker.lower()]
        alliance = (
            f", alliance at {self.rules.alliance_levels[plant.alliance_id]}"
            if plant.alliance_id
            else ""
        )
        owner = f", owner {plant.owner.username}" if plant.owner else ""
        return f"{plant.label}.{field_name} #{plant.obj.pk} ({plant.level or '-'}{alliance}{owner})"


def _scalar(f: models.Field[Any, Any], n: int) -> Any:
    """A value for a required field that holds no marker."""
    if f.choices:
        return f.choices[0][0]
    if isinstance(f, models.SlugField):
        return f"swept-{f.model._meta.model_name}-{n}"
    if isinstance(f, models.CharField | models.TextField):
        return "x"
    if isinstance(f, models.BooleanField):
        return False
    if isinstance(f, models.DateTimeField):
        return dt.datetime.now(dt.UTC)
    if isinstance(f, models.DateField):
        return dt.date.today()
    if isinstance(f, models.IntegerField | models.FloatField | models.DecimalField):
        return 1
    if isinstance(f, models.JSONField):
        return {}
    raise AssertionError(f"The sweep cannot fill {f.model._meta.label}.{f.name}: teach _scalar")


def plant_object(
    markers: Markers,
    model: type[models.Model],
    *,
    level: str | None,
    alliance: LearningAlliance | None,
    owner: User,
    n: int,
    **given: Any,
) -> Plant:
    """An object of ``model`` with markers in its text fields, at ``level``, in
    ``alliance``, owned by ``owner`` (every foreign key to a user or a peer profile)."""
    values: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.name in given:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        if f.name == "visibility":
            values[f.name] = level
        elif f.is_relation:
            target = f.related_model
            if target is LearningAlliance:
                values[f.name] = alliance
            elif target is User:
                values[f.name] = owner
            elif target is PeerProfile:
                values[f.name] = owner.peer_profile
            elif f.null:
                values[f.name] = None
            else:
                # Preferably an object of the same alliance (feedback on one of its activities).
                qs = target._default_manager.order_by("pk")
                same = None
                if alliance is not None and any(
                    g.name == "alliance" and g.related_model is LearningAlliance
                    for g in target._meta.concrete_fields
                ):
                    same = qs.filter(alliance=alliance).first()
                values[f.name] = same or qs.first()
                assert values[f.name] is not None, f"no {target._meta.label} to point at"
        elif markable(f):
            values[f.name] = markers.new()
        elif f.has_default():
            continue
        elif f.null:
            values[f.name] = None
        else:
            values[f.name] = _scalar(f, n)
    obj = model._default_manager.create(**values, **given)
    plant = Plant(
        obj=obj,
        level=level,
        alliance_id=alliance.id if alliance is not None else None,
        owner=owner,
    )
    markers.remember(plant)
    return plant


def planting_order(models_: set[type[models.Model]]) -> list[type[models.Model]]:
    """By label, except that a model comes after the models its required foreign keys
    point at (an objective after the part it belongs to), so there is one to point at."""
    left = sorted(models_, key=lambda m: m._meta.label)
    ordered: list[type[models.Model]] = []
    while left:
        ready = [
            m
            for m in left
            if not any(
                f.is_relation
                and not f.null
                and f.related_model in left
                and f.related_model is not m
                for f in m._meta.concrete_fields
            )
        ]
        ordered.append((ready or left)[0])
        left.remove(ordered[-1])
    return ordered


def _plant() -> World:
    # Tests on a live server flush the database, reference data included.
    ensure_reference_data()
    markers = Markers()
    counter = itertools.count(1)
    kenya = Country.objects.get(code="KE")
    france = Country.objects.get(code="FR")
    home = Organisation.objects.create(name="Home County", country=kenya)
    other = Organisation.objects.create(name="Other Ministry", country=france)
    funder_org = Organisation.objects.create(name="Funding Agency", country=france)
    idle_funder_org = Organisation.objects.create(name="Idle Agency", country=france)

    def user(username: str, role: str, organisation: Organisation | None) -> User:
        return User.objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password=None,
            name=username.replace("_", " ").title(),
            role=role,
            organisation=organisation,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )

    people: dict[str, Person] = {"anonymous": Person("anonymous", None)}
    for name, role, org in [
        ("owner", Role.PEER, home),
        ("member", Role.PEER, other),
        ("outsider", Role.PEER, other),
        ("facilitator", Role.FACILITATOR, other),
        ("other_facilitator", Role.FACILITATOR, other),
        ("authoriser", Role.AUTHORISER, home),
        ("other_authoriser", Role.AUTHORISER, other),
        ("funder", Role.FUNDER, funder_org),
        ("other_funder", Role.FUNDER, idle_funder_org),
        ("admin", Role.ADMIN, None),
    ]:
        people[name] = Person(name, user(name, role, org), role, org.id if org else None)
    # Authors of profiles at each level (the owner's is at platform), all from home.
    authors = {Visibility.PLATFORM: people["owner"].user}
    for level in LEVELS:
        if level != Visibility.PLATFORM:
            authors[level] = user(f"author_{level}", Role.PEER, home)

    plants: list[Plant] = []
    models_left = set(swept_models())

    def plant(model: type[models.Model], **kwargs: Any) -> Plant:
        p = plant_object(markers, model, n=next(counter), **kwargs)
        plants.append(p)
        models_left.discard(model)
        return p

    # Profiles: one per level for the authors, platform-level ones for the peer viewers.
    for level, author in authors.items():
        assert author is not None
        plant(PeerProfile, level=level, alliance=None, owner=author, user=author)
    for name in ("member", "outsider"):
        u = people[name].user
        assert u is not None
        plant(PeerProfile, level=Visibility.PLATFORM, alliance=None, owner=u, user=u)
    # A peer's name is part of their profile: as visible as the profile.
    for p in [p for p in plants if isinstance(p.obj, PeerProfile)]:
        peer_user = p.obj.user
        peer_user.name = f"Peer {markers.new()}"
        peer_user.save(update_fields=["name"])
        markers.where[MARKER.findall(peer_user.name)[0]] = (p, "user.name")

    facilitator = people["facilitator"].user
    assert facilitator is not None
    initiatives = {
        level: plant(
            apps.get_model("initiatives", "Initiative"),
            level=level,
            alliance=None,
            owner=facilitator,
        ).obj
        for level in LEVELS
    }
    # Alliances at each level, each linked to an initiative at another level: a public
    # alliance points at a draft initiative, and so on.
    linked = dict(zip(LEVELS, reversed(LEVELS), strict=True))
    alliances: dict[str, LearningAlliance] = {}
    for level in LEVELS:
        p = plant(
            LearningAlliance,
            level=level,
            alliance=None,
            owner=facilitator,
            initiative=initiatives[linked[level]],
        )
        alliance = p.obj
        assert isinstance(alliance, LearningAlliance)
        p.alliance_id = alliance.id
        if level in CLOSED_ALLIANCE_LEVELS:
            alliance.closed_on = dt.date(2026, 1, 15)
            alliance.save(update_fields=["closed_on"])
        alliances[level] = alliance
        alliance.funders.add(funder_org)
        alliance.working_languages.add("en")
        members = [*authors.values(), people["member"].user]
        for u in members:
            AllianceMembership.objects.create(alliance=alliance, user=u, role=MemberRole.PEER)
        AllianceMembership.objects.create(
            alliance=alliance, user=facilitator, role=MemberRole.FACILITATOR
        )

    # Everything else that is swept: each level (if it has one) × each alliance and none
    # (if it belongs to one) × owners: the peer authors for content tied to a peer, the
    # facilitator otherwise.
    owner_user = people["owner"].user
    assert owner_user is not None
    for model in planting_order(models_left):
        if not text_fields(model):
            continue
        fields = model._meta.concrete_fields
        has_level = any(f.name == "visibility" for f in fields)
        alliance_fks = [f for f in fields if f.is_relation and f.related_model is LearningAlliance]
        to_peer = any(f.is_relation and f.related_model is PeerProfile for f in fields)
        levels: list[str | None] = list(LEVELS) if has_level else [None]
        contexts: list[LearningAlliance | None] = list(alliances.values()) if alliance_fks else []
        if not alliance_fks or all(f.null for f in alliance_fks):
            contexts.append(None)
        for level, context in itertools.product(levels, contexts):
            # Content tied to a peer: the owner's in every alliance, another author's
            # (with a public profile) in the closed ones too; with no alliance, every
            # author's.
            owners = [owner_user] if to_peer else [facilitator]
            if to_peer and context is not None and context.visibility in CLOSED:
                owners.append(authors[Visibility.PUBLIC])
            if to_peer and context is None:
                # ... and a peer in no alliance, whose alliance-level texts nobody shares.
                owners = [*authors.values(), people["outsider"].user]
            for o in owners:
                plant(model, level=level, alliance=context, owner=o)
        models_left.discard(model)
    # Feedback in the public alliance is signed, so that its comment is read by name (and
    # the sweep sees it shown); elsewhere it stays unsigned, alone on its activity, and must
    # be read by its author only.
    for p in plants:
        if p.obj._meta.label == "activities.ActivityFeedback" and p.alliance_id == (
            alliances[Visibility.PUBLIC].id
        ):
            type(p.obj).objects.filter(pk=p.obj.pk).update(signed=True)
            p.obj.signed = True  # type: ignore[attr-defined]
    unplanted = sorted(m._meta.label for m in swept_models() if text_fields(m) and m in models_left)
    assert not unplanted, f"the sweep planted nothing of {unplanted}"

    # What the pages need to be filled in. These records sit between people, not at a
    # level: their text is planted too, with the rule of who is party to them.
    def plant_record(obj: models.Model, owner: User | None, level: str | None = None) -> None:
        for f in text_fields(type(obj)):
            setattr(obj, f.name, markers.new())
        obj.save()
        p = Plant(obj=obj, level=level, alliance_id=None, owner=owner)
        markers.remember(p)
        plants.append(p)

    authoriser = people["authoriser"].user
    member_user = people["member"].user
    assert authoriser is not None and member_user is not None
    owner_profile = owner_user.peer_profile
    plant_record(Authorisation(peer=owner_profile, authoriser=authoriser), owner_user)
    plant_record(ContactMessage(sender=member_user, recipient=owner_profile), member_user)
    ApiToken.objects.create(user=owner_user, label="x", prefix="x", key_hash="x" * 64)
    for initiative in initiatives.values():
        plant_record(
            InitiativeLink(initiative=initiative, url="https://example.org/"),
            None,
            initiative.visibility,
        )
    private_author = authors[Visibility.PRIVATE]
    assert private_author is not None
    for other_profile in (member_user.peer_profile, private_author.peer_profile):
        a, b = sorted([owner_profile, other_profile], key=lambda p: p.id)
        plant_record(
            ExcludedPair(
                peer_a=a, peer_b=b, reason=ExclusionReason.CONFLICT, created_by=facilitator
            ),
            facilitator,
        )
    for call in OpenCall.objects.order_by("id"):
        plant_record(CallApplication(call=call, peer=owner_profile), owner_user)
    run_members: dict[int, set[int]] = defaultdict(set)
    for run in MatchingRun.objects.all():
        run.status = RunStatus.PROPOSED
        run.save(update_fields=["status"])
        proposal = Proposal.objects.create(
            run=run, position=1, score=1.0, alliance=run.pool_alliance
        )
        for profile in (owner_profile, member_user.peer_profile):
            plant_record(
                ProposalMember(proposal=proposal, peer=profile, role=ProposalRole.MEMBER),
                profile.user,
            )
            run_members[run.id].add(profile.user_id)

    memberships: dict[int, set[int]] = defaultdict(set)
    facilitators: dict[int, set[int]] = defaultdict(set)
    for m in AllianceMembership.objects.all():
        memberships[m.alliance_id].add(m.user_id)
        if m.role == MemberRole.FACILITATOR:
            facilitators[m.alliance_id].add(m.user_id)
    rules = Rules(
        alliance_members=dict(memberships),
        alliance_funders={
            a.id: set(a.funders.values_list("id", flat=True)) for a in alliances.values()
        },
        alliance_facilitators=dict(facilitators),
        alliance_levels={a.id: a.visibility for a in alliances.values()},
        user_organisations=dict(User.objects.values_list("id", "organisation_id")),
        run_members=run_members,
    )
    # Encode once, for every test of the module, what each viewer's search by meaning
    # reads: as on a running platform, where the first search (or the worker) has encoded
    # them. Otherwise every test's first searches would encode hundreds of texts afresh.
    for person in people.values():
        search_meaning(user=person.user or AnonymousUser(), query="planted")
    world = World(people=people, plants=plants, markers=markers, rules=rules)
    world.allowed = {
        marker: frozenset(
            name
            for name, person in people.items()
            if rules.allowed_field(person, plant, field_name)
        )
        for marker, (plant, field_name) in markers.where.items()
    }
    return world


@pytest.fixture(autouse=True)
def _quiet_refusals() -> Iterator[None]:
    """Thousands of 403, 404 and 405 answers are expected; their log lines are noise."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The planted world, once for the module, rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _plant()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- checking answers -----------------------------------------------------------------


# Leaks found and not yet mended: (where, what) substrings. Remove an entry with the fix.
KNOWN_LEAKS: set[tuple[str, str]] = set()


@dataclass
class Sweep:
    world: World
    tried: int = 0
    leaks: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    known: set[tuple[str, str]] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)

    def check(self, viewer: str, where: str, text: str) -> None:
        self.tried += 1
        for marker in set(MARKER.findall(text)):
            self.seen.add(marker.lower())
            allowed = self.world.allowed.get(marker.lower())
            if allowed is not None and viewer not in allowed:
                what = self.world.describe(marker)
                known = [k for k in KNOWN_LEAKS if k[0] in where and k[1] in what]
                if known:
                    self.known.update(known)
                else:
                    self.leaks[(where, what)].add(viewer)

    def unseen_models(self, among: list[type[models.Model]] | None = None) -> list[str]:
        """Planted models none of whose markers any answer showed: a sign that the pages
        failed to render, not that they are safe."""
        planted = {plant.label for plant, _ in self.world.markers.where.values()}
        if among is not None:
            planted &= {m._meta.label for m in among}
        shown = {self.world.markers.where[m][0].label for m in self.seen}
        return sorted(planted - shown)

    def report(self) -> str:
        lines = [
            f"{where}: {what} seen by {', '.join(sorted(viewers))}"
            for (where, what), viewers in sorted(self.leaks.items())
        ]
        return f"{len(lines)} leaks:\n" + "\n".join(lines)


def clients(world: World, names: Sequence[str] = VIEWERS) -> dict[str, Client]:
    result = {}
    for name in names:
        person = world.people[name]
        client = Client()
        if person.user is not None:
            client.force_login(person.user)
        result[name] = client
    return result


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    if response.get("Content-Type") == "application/pdf":
        # A report as PDF: its text, as a reader's PDF viewer shows it.
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(response.content))
        text = "\n".join(page.extract_text() for page in reader.pages)
        # ... and again without line breaks, should a marker be broken across two lines.
        return text + "\n" + re.sub(r"\s+", "", text)
    if response.get("Content-Type") == "application/zip":
        # A person's data archive: every file in it is read.
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return "\n".join(archive.read(n).decode(errors="replace") for n in archive.namelist())
    return response.content.decode(errors="replace")


# --- filling path parameters ------------------------------------------------------------

GENERIC_PARAMS = {"id", "pk", "slug", "code"}


def _model_names(model: type[models.Model]) -> set[str]:
    meta = model._meta
    plural = str(meta.verbose_name_plural).lower().replace(" ", "")
    return {meta.model_name or "", f"{meta.model_name}s", plural}


def model_for(param: str, hints: list[str], app_label: str | None) -> type[models.Model] | None:
    """The model a path parameter names: ``run_id`` → MatchingRun, ``slug`` under
    ``alliances/`` → LearningAlliance, ``statement_id`` after ``kind=challenges`` →
    Challenge. The app of the view (if known) is searched first."""
    base = re.sub(r"_(id|pk)$", "", param)
    words = ([] if base in GENERIC_PARAMS else [base]) + [h.lower() for h in hints if h]
    all_models = list(apps.get_models())
    local = [m for m in all_models if m._meta.app_label == app_label]
    ordered = local + [m for m in all_models if m not in local]
    if base in GENERIC_PARAMS and base != "id" and base != "pk":
        ordered = [m for m in ordered if any(f.name == base for f in m._meta.concrete_fields)]
    for word in words:
        for m in ordered:
            if word in _model_names(m):
                return m
    for word in words:
        for m in ordered:
            names = _model_names(m)
            if any(n.endswith(word) for n in names if len(word) >= 3):
                return m
        for m in ordered:
            if (m._meta.model_name or "").startswith(word) and len(word) >= 3:
                return m
    return None


def values_for(model: type[models.Model], param: str, swept: set[type[models.Model]]) -> list[str]:
    """Keys of the objects to request: every planted object of a swept model, a few of
    any other (reference data)."""
    attr = "pk" if re.search(r"(^|_)(id|pk)$", param) else param
    qs = model._default_manager.order_by("pk")
    objects = list(qs) if model in swept else list(qs[:3])
    return [str(getattr(o, attr)) for o in objects]


ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass
class Route:
    route: str
    name: str  # namespace:name
    app_label: str | None

    def params(self) -> list[tuple[str | None, str]]:
        return [(m["converter"], m["name"]) for m in ROUTE_PARAM.finditer(self.route)]


def web_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern):
                module = getattr(p.callback, "__module__", "") or ""
                config = apps.get_containing_app_config(module)
                routes.append(
                    Route(
                        route=route,
                        name=f"{namespace}{p.name or route}",
                        app_label=config.label if config else None,
                    )
                )

    walk(get_resolver().url_patterns, "", "")
    return routes


def skipped(route: Route) -> bool:
    return any(
        route.name == s or (s.endswith(":") and route.name.startswith(s)) for s in SKIPPED_PATTERNS
    )


def converter_values(converter: str | None) -> list[str] | None:
    """Values of a converter that accepts a fixed set (``kind``: challenges|experiences)."""
    if converter in (None, "int", "str", "slug", "path", "uuid"):
        return None
    from django.urls.converters import get_converters

    regex = get_converters()[converter].regex
    if re.fullmatch(r"[\w|-]+", regex):
        return regex.split("|")
    return None


def fill(
    route: str,
    params: list[tuple[str | None, str]],
    app_label: str | None,
    swept: set[type[models.Model]],
    hints: Callable[[str], list[str]],
) -> tuple[list[str], list[str]]:
    """Every path made from ``route`` with planted objects, and the parameters that could
    not be filled."""
    choices: list[list[tuple[str, str]]] = []
    fixed: dict[str, list[str]] = {}
    for converter, name in params:
        values = converter_values(converter)
        if values is not None:
            fixed[name] = values
    unfilled = []
    # Each combination of fixed-set values may name a different model for the ids.
    combos = list(itertools.product(*[[(n, v) for v in vs] for n, vs in fixed.items()]))
    paths: list[str] = []
    for combo in combos:
        given = dict(combo)
        choices = []
        for _converter, name in params:
            if name in given:
                choices.append([(name, given[name])])
                continue
            model = model_for(name, [*given.values(), *hints(name)], app_label)
            values = values_for(model, name, swept) if model is not None else []
            if not values:
                unfilled.append(f"{route} ({name})")
                choices = []
                break
            choices.append([(name, v) for v in values])
        if not choices and params:
            continue
        for chosen in itertools.product(*choices):
            lookup = dict(chosen)
            paths.append(ROUTE_PARAM.sub(lambda m, lookup=lookup: lookup[m["name"]], route))
    return paths, sorted(set(unfilled))


def segment_before(route: str) -> Callable[[str], list[str]]:
    """The path segment just before a parameter: ``challenges`` for
    ``/challenges/{statement_id}``."""

    def hints(name: str) -> list[str]:
        m = re.search(r"([\w-]+)/[<{](?:[^>}:]+:)?" + re.escape(name) + r"[>}]", route)
        return [m.group(1).replace("-", "")] if m else []

    return hints


def web_paths(swept: set[type[models.Model]]) -> tuple[list[tuple[Route, str]], list[str]]:
    paths: list[tuple[Route, str]] = []
    unfilled: list[str] = []
    for route in web_routes():
        if skipped(route):
            continue
        if not route.route.startswith("^") and "(?P" in route.route:
            unfilled.append(f"{route.route} (regular expression)")
            continue
        filled, missing = fill(
            route.route, route.params(), route.app_label, swept, segment_before(route.route)
        )
        unfilled.extend(missing)
        paths.extend((route, "/" + p) for p in filled)
    return paths, unfilled


# --- the API, from its schema -------------------------------------------------------------


def api_operations() -> list[tuple[str, str, str | None]]:
    """(method, path, app label) for each operation in the OpenAPI schema."""
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    ops = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            op_id = operation.get("operationId", "")
            label = None
            for config in apps.get_app_configs():
                if op_id.startswith(config.name.replace(".", "_") + "_"):
                    label = config.label
            ops.append((method.upper(), path, label))
    return ops


def api_paths(
    swept: set[type[models.Model]], method: str
) -> tuple[list[tuple[str, str]], int, list[str]]:
    ops = [op for op in api_operations() if (op[0] == "GET") == (method == "GET")]
    paths: list[tuple[str, str]] = []
    unfilled: list[str] = []
    for verb, path, label in ops:
        route = path.removeprefix("/")
        params = [(None, name) for name in re.findall(r"{(\w+)}", route)]
        as_route = re.sub(r"{(\w+)}", r"<\1>", route)
        filled, missing = fill(as_route, params, label, swept, segment_before(route))
        unfilled.extend(f"{verb} {m}" for m in missing)
        paths.extend((verb, "/" + p) for p in filled)
    return paths, len(ops), unfilled


# --- exports -------------------------------------------------------------------------------


READER = "{reader}"
#: Replaced by a fresh temporary path; what the command writes there (a file, or every
#: file in a directory) is checked along with what it prints.
OUT = "{out}"
#: Replaced by each planted alliance's slug in turn.
ALLIANCE = "{alliance}"


@dataclass(frozen=True)
class Export:
    """A way content leaves the platform: a management command's arguments, and whom its
    output is for. Every marker it writes must be visible to each viewer in ``audience``;
    an export made for one reader (``READER`` among its arguments) is run for each viewer
    in ``audience`` in turn, with that viewer's username, and checked against them. One
    about an alliance (``ALLIANCE``) is run for every planted alliance; a refusal
    (``CommandError``) is checked like any output."""

    name: str
    args: tuple[str, ...]
    audience: tuple[str, ...]

    def outputs(self, world: World) -> Iterator[tuple[str, str]]:
        """(viewer, text) pairs to check."""
        slugs = (
            [a.slug for a in LearningAlliance.objects.filter(id__in=world.rules.alliance_levels)]
            if ALLIANCE in self.args
            else [""]
        )
        for slug in slugs:
            args = tuple(slug if a == ALLIANCE else a for a in self.args)
            if READER not in args:
                text = _command_output(args)
                for viewer in self.audience:
                    yield viewer, text
                continue
            for viewer in self.audience:
                user = world.people[viewer].user
                assert user is not None
                yield (
                    viewer,
                    _command_output(tuple(user.username if a == READER else a for a in args)),
                )


def _command_output(args: tuple[str, ...]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "out"
        try:
            call_command(*(str(target) if a == OUT else a for a in args), stdout=out, stderr=err)
        except CommandError as refusal:
            err.write(str(refusal))
        written = sorted(target.rglob("*")) if target.is_dir() else [target]
        files = [f.read_text(errors="replace") for f in written if f.is_file()]
    return "\n".join([out.getvalue(), err.getvalue(), *files])


SIGNED_IN = tuple(v for v in VIEWERS if v not in ("anonymous", "admin"))

# Every export, in one place: a new export is swept once it is added here.
EXPORTS = [
    # "Only what every signed-in user may see is exported."
    Export("export_peers", ("export_peers",), SIGNED_IN),
    Export("export_peers --format csv", ("export_peers", "--format", "csv"), SIGNED_IN),
    # For one reader: what they may see, alliance level included.
    Export("export_peers --for", ("export_peers", "--for", READER), SIGNED_IN),
    Export(
        "export_peers --include-alliance --for",
        ("export_peers", "--include-alliance", "--for", READER),
        SIGNED_IN,
    ),
    # With no reader, the alliance level of every alliance: the operator's export, run by
    # whoever administers the platform's database.
    Export("export_peers --include-alliance", ("export_peers", "--include-alliance"), ("admin",)),
    # Open data: for anyone, the anonymous visitor included.
    Export("export iati", ("export", "iati", "--out", OUT), VIEWERS),
    Export("export csv", ("export", "csv", "--out", OUT), VIEWERS),
    Export("export json", ("export", "json", "--out", OUT), VIEWERS),
    # An alliance's report: the public version for anyone; with --for, the version that
    # reader would read (the members' one inside the alliance).
    Export(
        "report",
        ("report", "--alliance", ALLIANCE, "--format", "html", "--out", OUT),
        VIEWERS,
    ),
    Export(
        "report --for",
        ("report", "--alliance", ALLIANCE, "--format", "html", "--out", OUT, "--for", READER),
        tuple(v for v in VIEWERS if v != "anonymous"),
    ),
]


# --- the sweep ---------------------------------------------------------------------------

# A query every marker matches (on SQLite, where words are matched inside others), given to
# every list and search as ``q``.
SEARCHED = {"q": "zq"}

SWEEP_SETTINGS = {
    "PEERLEARN_PAGE_SIZE": 10_000,
    "PEERLEARN_API_RATE": "1000000/min",
    "PEERLEARN_FORM_RATE": "1000000/min",
    "PEERLEARN_DISCUSSION_POST_RATE": "",
}


def _swept(world: World) -> set[type[models.Model]]:
    return {type(p.obj) for p in world.plants} | set(swept_models())


def test_the_world_plants_every_level_of_every_swept_model(world: World) -> None:
    grouped = [name for group in VIEWER_GROUPS for name in group]
    assert sorted(grouped) == sorted(VIEWERS), "every viewer in exactly one group"
    planted = {(p.label, p.level) for p in world.plants}
    for model in swept_models():
        if not text_fields(model):
            continue
        levels = LEVELS if any(f.name == "visibility" for f in model._meta.fields) else [None]
        for level in levels:
            assert (model._meta.label, level) in planted
    # The rules are not vacuous: every viewer is refused something, the administrator only
    # ADMIN_REFUSED; every marker is seen by somebody.
    for name in VIEWERS:
        refused = [m for m, allowed in world.allowed.items() if name not in allowed]
        assert refused, name
    admin_refused = {
        world.markers.where[m][0].label
        for m, allowed in world.allowed.items()
        if "admin" not in allowed
    }
    assert admin_refused == ADMIN_REFUSED
    assert all(allowed for allowed in world.allowed.values())


@pytest.mark.django_db
@pytest.mark.parametrize("viewers", VIEWER_GROUPS, ids="+".join)
def test_no_page_shows_a_marker_beyond_its_level(world: World, viewers: tuple[str, ...]) -> None:
    paths, unfilled = web_paths(_swept(world))
    assert not unfilled, "URL patterns the sweep cannot fill:\n" + "\n".join(unfilled)
    patterns = {route.name for route, _ in paths}
    assert len(patterns) >= MIN_URL_PATTERNS, sorted(patterns)
    sweep = Sweep(world)
    with override_settings(**SWEEP_SETTINGS):
        for viewer, client in clients(world, viewers).items():
            for route, path in paths:
                response = client.get(path)
                assert response.status_code < 500, (viewer, path)
                sweep.check(viewer, route.name, body(response))
                if not route.params():
                    fragment = client.get(path, headers={"HX-Request": "true"})
                    sweep.check(viewer, route.name + " (htmx)", body(fragment))
                    # Every list's words filter and the search box, with a word in every
                    # marker: whatever they match must be the viewer's to see.
                    searched = client.get(path, SEARCHED)
                    assert searched.status_code < 500, (viewer, path, SEARCHED)
                    sweep.check(viewer, route.name + " (searched)", body(searched))
    print(
        f"\nconfidentiality sweep: {sweep.tried} page requests "
        f"({len(viewers)} viewers × {len(paths)} paths of {len(patterns)} URL patterns)"
    )
    assert sweep.tried >= MIN_PAGE_REQUESTS * len(viewers) / len(VIEWERS)
    if viewers == SEEING_GROUP:
        assert not sweep.unseen_models(), sweep.unseen_models()
    assert not sweep.leaks, sweep.report()


@pytest.mark.django_db
@pytest.mark.parametrize("viewers", VIEWER_GROUPS, ids="+".join)
def test_no_api_answer_shows_a_marker_beyond_its_level(
    world: World, viewers: tuple[str, ...]
) -> None:
    paths, n_operations, unfilled = api_paths(_swept(world), "GET")
    assert not unfilled, "API operations the sweep cannot fill:\n" + "\n".join(unfilled)
    sweep = Sweep(world)
    with override_settings(**SWEEP_SETTINGS):
        for viewer, client in clients(world, viewers).items():
            for _verb, path in paths:
                response = client.get(path, {"limit": 300})
                assert response.status_code < 500, (viewer, path)
                sweep.check(viewer, f"GET {path}", body(response))
                searched = client.get(path, {"limit": 300, **SEARCHED})
                assert searched.status_code < 500, (viewer, path, SEARCHED)
                sweep.check(viewer, f"GET {path} (searched)", body(searched))
    print(
        f"\nconfidentiality sweep: {sweep.tried} API requests "
        f"({len(viewers)} viewers × {len(paths)} paths of {n_operations} GET operations)"
    )
    assert n_operations >= MIN_API_GET_OPERATIONS
    assert sweep.tried >= MIN_API_REQUESTS * len(viewers) / len(VIEWERS)
    # (The API has no operation that shows the records between people, e.g. applications.)
    if viewers == SEEING_GROUP:
        assert not sweep.unseen_models(swept_models()), sweep.unseen_models(swept_models())
    assert not sweep.leaks, sweep.report()


@pytest.mark.django_db
@pytest.mark.parametrize("viewers", VIEWER_GROUPS, ids="+".join)
def test_no_refusal_or_error_shows_a_marker_beyond_its_level(
    world: World, viewers: tuple[str, ...]
) -> None:
    """Unsafe methods, with empty input: what comes back (mostly 4xx) must not echo what
    the viewer may not see. Runs in its own transaction, so whatever it changes is undone
    before the next test."""
    web, unfilled_web = web_paths(_swept(world))
    api, n_operations, unfilled_api = api_paths(_swept(world), "POST")
    assert not unfilled_web + unfilled_api
    per_pattern: dict[str, list[tuple[Route, str]]] = defaultdict(list)
    for route, path in web:
        if route.name.rsplit(":", 1)[-1] not in NOT_POSTED:
            per_pattern[route.name].append((route, path))
    web = [rp for paths in per_pattern.values() for rp in paths[:POSTED_PER_PATTERN]]
    per_operation: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for verb, path in api:
        per_operation[verb + re.sub(r"/(\d+|swept-[\w-]+)(?=/|$)", "/_", path)].append((verb, path))
    api = [op for ops in per_operation.values() for op in ops[:POSTED_PER_PATTERN]]
    sweep = Sweep(world)
    with override_settings(**SWEEP_SETTINGS):
        for viewer, client in clients(world, viewers).items():
            for route, path in web:
                response = client.post(path, {})
                assert response.status_code < 500, (viewer, "POST", path)
                sweep.check(viewer, f"POST {route.name}", body(response))
            for verb, path in api:
                response = client.generic(verb, path, "{}", content_type="application/json")
                assert response.status_code < 500, (viewer, verb, path)
                sweep.check(viewer, f"{verb} {path}", body(response))
    print(
        f"\nconfidentiality sweep: {sweep.tried} unsafe requests "
        f"({n_operations} non-GET API operations and every page)"
    )
    assert n_operations >= MIN_API_UNSAFE_OPERATIONS
    assert not sweep.leaks, sweep.report()


@pytest.mark.django_db
def test_no_export_writes_a_marker_beyond_its_audience(world: World) -> None:
    sweep = Sweep(world)
    for export in EXPORTS:
        for viewer, text in export.outputs(world):
            sweep.check(viewer, export.name, text)
    print(f"\nconfidentiality sweep: {sweep.tried} export checks ({len(EXPORTS)} exports)")
    assert sweep.tried >= len(EXPORTS)
    # Public profiles and texts are exported: an export with no marker exported nothing.
    assert sweep.seen
    assert not sweep.leaks, sweep.report()
