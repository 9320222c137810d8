"""The four visibility levels, defined once for every kind of content."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who may see a piece of content, from narrowest to widest.

    * PRIVATE — its owner only (and platform administrators).
    * ALLIANCE — also the members and facilitators of the learning alliances it belongs to,
      or that its owner belongs to: the safe space.
    * PLATFORM — every signed-in user.
    * PUBLIC — anyone, signed in or not, and open data exports.
    """

    PRIVATE = "private", _("Private — only me")
    ALLIANCE = "alliance", _("Alliance — members of my learning alliances")
    PLATFORM = "platform", _("Platform — signed-in users")
    PUBLIC = "public", _("Public — anyone")


VISIBILITY_ORDER = [
    Visibility.PRIVATE,
    Visibility.ALLIANCE,
    Visibility.PLATFORM,
    Visibility.PUBLIC,
]
