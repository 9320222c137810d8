"""Choices shared by several apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnershipType(models.TextChoices):
    """The paper's two types of peer learning (§3)."""

    TYPE_I = "I", _("Type I — knowledge transfer between countries")
    TYPE_II = "II", _("Type II — exchange around common challenges")
