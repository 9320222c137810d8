"""The four visibility levels, defined once for every kind of content."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see a piece of content, from narrowest to widest.

    * PRIVATE — its owner only (and platform administrators, except for a learning diary
      entry: ``diary_entries_visible_to``).
    * ALLIANCE — also the members and facilitators of the learning alliances it belongs to,
      or that its owner belongs to: the safe space.
    * PLATFORM — every signed-in user.
    * PUBLIC — anyone, signed in or not, and open data exports.
    """

    PRIVATE = "private", _("Private — only me")
    ALLIANCE = "alliance", _("Alliance — members of my learning alliances")
    PLATFORM = "platform", _("Platform — signed-in users")
    PUBLIC = "public", _("Public — anyone")


#: The levels in words for a learning alliance, which is seen by who is in it rather than by
#: "me": private is its facilitators only (and administrators), alliance its members.
ALLIANCE_VISIBILITY_CHOICES = [
    (Visibility.PRIVATE.value, _("Private — its facilitators only")),
    (Visibility.ALLIANCE.value, _("Members — the alliance's members only")),
    (Visibility.PLATFORM.value, _("Platform — signed-in users")),
    (Visibility.PUBLIC.value, _("Public — anyone")),
]


#: The levels in words for an item of one learning alliance (an indicator, an outcome, a
#: scorecard round): its alliance level is that alliance's safe space, not every alliance
#: of the person who wrote it.
ALLIANCE_ITEM_VISIBILITY_CHOICES = [
    (Visibility.PRIVATE.value, _("Private — only me")),
    (Visibility.ALLIANCE.value, _("Alliance — this alliance's members, facilitators and funders")),
    (Visibility.PLATFORM.value, _("Platform — signed-in users")),
    (Visibility.PUBLIC.value, _("Public — anyone")),
]


def alliance_visibility_label(value: str) -> str:
    """An alliance's level, in :data:`ALLIANCE_VISIBILITY_CHOICES`' words."""
    return str(dict(ALLIANCE_VISIBILITY_CHOICES).get(value, value))


VISIBILITY_ORDER = [
    Visibility.PRIVATE,
    Visibility.ALLIANCE,
    Visibility.PLATFORM,
    Visibility.PUBLIC,
]


def narrower(a: str, b: str) -> Visibility:
    """The narrower of two levels: what a statement really reaches, since it is never shown
    more widely than its author's profile."""
    return VISIBILITY_ORDER[
        min(VISIBILITY_ORDER.index(Visibility(a)), VISIBILITY_ORDER.index(Visibility(b)))
    ]


def alliance_item_choices(alliance_visibility: str | None) -> list[tuple[str, str | Promise]]:
    """The levels an item of one alliance may be given, in :data:`ALLIANCE_ITEM_VISIBILITY_CHOICES`'
    words: none wider than the alliance's own, since the access layer would not show the
    item further (all of them when there is no alliance yet).

    >>> [value for value, _ in alliance_item_choices("alliance")]
    ['private', 'alliance']
    >>> len(alliance_item_choices(None))
    4
    """
    if not alliance_visibility:
        return list(ALLIANCE_ITEM_VISIBILITY_CHOICES)
    widest = VISIBILITY_ORDER.index(Visibility(alliance_visibility))
    return [
        (value, label)
        for value, label in ALLIANCE_ITEM_VISIBILITY_CHOICES
        if VISIBILITY_ORDER.index(Visibility(value)) <= widest
    ]


def alliance_audience(alliance_visibility: str) -> str:
    """Who sees an alliance at its level, in words that follow "The alliance is seen by".

    >>> alliance_audience("alliance")
    'its members only'
    >>> alliance_audience("public")
    'anyone'
    """
    return str(
        {
            Visibility.PUBLIC: _("anyone"),
            Visibility.PLATFORM: _("signed-in users only"),
            Visibility.ALLIANCE: _("its members only"),
        }.get(Visibility(alliance_visibility), _("its facilitators only"))
    )


def alliance_item_level_problem(chosen: str, alliance_visibility: str) -> str | None:
    """Why an alliance's item may not be given the level ``chosen`` (one wider than its
    alliance's, which the access layer would never show), or None when it may.

    >>> alliance_item_level_problem("alliance", "platform") is None
    True
    >>> alliance_item_level_problem("public", "alliance")
    'The alliance is seen by its members only: choose Alliance or a narrower level.'
    """
    allowed = alliance_item_choices(alliance_visibility)
    if chosen in {value for value, _label in allowed}:
        return None
    audience = alliance_audience(alliance_visibility)
    widest = str(allowed[-1][1]).split(" — ")[0]
    return str(
        _("The alliance is seen by %(audience)s: choose %(widest)s or a narrower level.")
        % {"audience": audience, "widest": widest}
    )


def alliance_item_reach(chosen: str, alliance_visibility: str | None) -> tuple[Visibility, str]:
    """How far an item of one alliance (an indicator, an outcome) really reaches, in words:
    its own level, but never wider than its alliance's, since the access layer never
    shows an item to someone who may not see its alliance (``access.evidence``).

    >>> alliance_item_reach("public", "platform")[0].value
    'platform'
    >>> alliance_item_reach("alliance", "public")[0].value
    'alliance'
    """
    shown = narrower(chosen, alliance_visibility) if alliance_visibility else Visibility(chosen)
    if alliance_visibility and shown != Visibility(chosen):
        return shown, alliance_visibility_label(shown)
    return shown, str(dict(ALLIANCE_ITEM_VISIBILITY_CHOICES)[shown])


def alliance_item_level_now(item: Any) -> str:
    """The level an item of an alliance (anything with ``visibility`` and ``alliance``)
    reaches now: its own, never wider than its alliance's. An item stored while its
    alliance was wider keeps this level when it is changed without naming one (a change
    form's first choice, a PATCH that leaves ``visibility`` out), where its stored level
    would be refused as too wide.

    >>> from types import SimpleNamespace as Item
    >>> alliance_item_level_now(Item(visibility="public", alliance=Item(visibility="alliance")))
    'alliance'
    >>> alliance_item_level_now(Item(visibility="platform", alliance=None))
    'platform'
    """
    alliance = getattr(item, "alliance", None)
    return alliance_item_reach(item.visibility, alliance.visibility if alliance else None)[0].value


#: Who can see an item at each level, in words for the person who chose it.
AUDIENCE = {
    Visibility.PRIVATE: _(
        "Only you can see it (and platform administrators). It stays out of matchings."
    ),
    Visibility.ALLIANCE: _("Members of your learning alliances can see it."),
    Visibility.PLATFORM: _(
        "Every signed-in user can see it, and facilitators can match you on it."
    ),
    Visibility.PUBLIC: _("Anyone can see it, even without signing in."),
}
