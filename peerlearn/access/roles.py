"""The platform roles, defined once. Access rules compare roles through this enumeration,
never through string literals."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A signed-in user's one platform role."""

    PEER = "peer", _("Peer")
    FACILITATOR = "facilitator", _("Facilitator")
    AUTHORISER = "authoriser", _("Home-organisation authoriser")
    FUNDER = "funder", _("Funder or partner")
    ADMIN = "admin", _("Platform administrator")
