"""The registry of peer-learning initiatives: a map of the peer-to-peer space (§5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility
from peerlearn.core.choices import PartnershipType


class InitiativeStatus(models.TextChoices):
    """Where an entry stands in the registry's review: a signed-in user proposes, a
    facilitator publishes or declines."""

    PUBLISHED = "published", _("Published")
    PROPOSED = "proposed", _("Proposed, waiting for review")
    DECLINED = "declined", _("Declined")


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
    sdg_targets = models.ManyToManyField(
        "core.SDGTarget",
        blank=True,
        related_name="initiatives",
        verbose_name=_("SDG targets"),
        help_text=_("The Sustainable Development Goal targets the initiative serves."),
    )
    summary = models.TextField(_("summary"))
    lessons = models.TextField(_("lessons"), blank=True)
    started = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    ended = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PUBLISHED,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives_proposed",
        verbose_name=_("proposed by"),
    )
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("Why it was declined, for the proposer.")
    )
    reviewed_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    #: When its proposer last changed a declined proposal and proposed it again.
    proposed_again_at = models.DateTimeField(_("proposed again at"), null=True, blank=True)
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
