"""Reference data every other app points at: countries, languages, themes, SDG targets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """An ISO 3166-1 country with its UN M49 world region and sub-region."""

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    alpha_3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("world region (M49)"), max_length=3, db_index=True)
    subregion = models.CharField(_("sub-region (M49)"), max_length=3, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from peerlearn.core.geography import country_name

        return country_name(self.code, default=self.name)

    @property
    def region_name(self) -> str:
        from peerlearn.core.geography import region_name

        return region_name(self.region)

    @property
    def subregion_name(self) -> str:
        from peerlearn.core.geography import region_name

        return region_name(self.subregion)


class Language(models.Model):
    """An ISO 639-1 language."""

    code = models.CharField(_("ISO 639-1 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from peerlearn.core.geography import language_name

        return language_name(self.code, default=self.name)


class SDGTarget(models.Model):
    """A target of the Sustainable Development Goals (SDG 16 and the few others we use)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    goal = models.PositiveSmallIntegerField(_("goal"))
    titles = models.JSONField(_("titles by language"), default=dict)
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        ordering = ["goal", "position"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return str(self.titles.get(language) or self.titles.get("en", ""))


class Theme(models.Model):
    """A reform theme: the taxonomy challenges, experiences, alliances and initiatives share."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    sdg_targets = models.ManyToManyField(
        SDGTarget, blank=True, related_name="themes", verbose_name=_("SDG targets")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # Seeded theme names are in the translation catalogue (core/reference.py).
        return gettext(self.name)

    @property
    def display_description(self) -> str:
        return gettext(self.description) if self.description else ""


class ScheduledJob(models.Model):
    """When a periodic job last started, so that of several workers only one starts it in
    each period (``peerlearn.core.schedule.scheduled_job_claim``)."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")

    def __str__(self) -> str:
        return self.name
