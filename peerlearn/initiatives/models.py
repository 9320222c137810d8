"""The registry of peer-learning initiatives: a map of the peer-to-peer space (§5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility
from peerlearn.core.choices import PartnershipType


class Initiative(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    type = models.CharField(_("type"), max_length=2, choices=PartnershipType.choices)
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="initiatives", verbose_name=_("countries")
    )
    coverage = models.CharField(
        _("coverage"),
        max_length=200,
        blank=True,
        help_text=_("For regional or global initiatives, e.g. “Global (Latin America, Africa)”."),
    )
    implementers = models.ManyToManyField(
        "organisations.Organisation",
        related_name="initiatives_implemented",
        verbose_name=_("implemented by"),
    )
    funders = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="initiatives_funded",
        verbose_name=_("funded by"),
    )
    themes = models.ManyToManyField(
        "core.Theme", related_name="initiatives", verbose_name=_("themes")
    )
    summary = models.TextField(_("summary"))
    lessons = models.TextField(_("lessons"), blank=True)
    started = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    ended = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.name


class InitiativeLink(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="links", verbose_name=_("initiative")
    )
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("address"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self) -> str:
        return self.label
