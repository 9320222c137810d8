"""The case library (§5: documenting good practice) and its resources (case 4's portal).

A case study tells what peers learned, with lessons in order; a resource is a document or a
link. Both have a visibility like other content, may point at a learning alliance (then
they stay within what that alliance's rules allow, see ``peerlearn.access.library``) and go
through review when a peer submits them, as registry proposals do.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from peerlearn.access.visibility import Visibility


class ItemStatus(models.TextChoices):
    """Where a case or resource stands: facilitators publish at once; a peer's submission
    waits for a facilitator, who publishes or declines it with a reason."""

    PUBLISHED = "published", _("Published")
    PROPOSED = "proposed", _("Submitted, waiting for review")
    DECLINED = "declined", _("Declined")


class ResourceType(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TOOLKIT = "toolkit", _("Toolkit")
    REPORT = "report", _("Report")
    TEMPLATE = "template", _("Template")
    VIDEO = "video", _("Video")
    PRESENTATION = "presentation", _("Presentation")
    DATASET = "dataset", _("Data set")
    LINK = "link", _("Link")
    OTHER = "other", _("Other")


class Tag(models.Model):
    """A free tag, shared by cases and resources; stored once, in lower case."""

    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class LibraryItem(models.Model):
    """What cases and resources share: who wrote it, who sees it, its review."""

    title = models.CharField(_("title"), max_length=200)
    themes = models.ManyToManyField(
        "core.Theme", blank=True, related_name="library_%(class)ss", verbose_name=_("themes")
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="library_%(class)ss", verbose_name=_("tags")
    )
    alliance = models.ForeignKey(
        "alliances.LearningAlliance",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="library_%(class)ss",
        verbose_name=_("learning alliance"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ItemStatus.choices,
        default=ItemStatus.PUBLISHED,
        db_index=True,
    )
    author = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_%(class)ss",
        verbose_name=_("author"),
    )
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("Why it was declined, for its author.")
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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Case(LibraryItem):
    kind = "case"

    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(
        _("the case"), blank=True, help_text=_("Markdown: headings, lists, links, emphasis.")
    )
    countries = models.ManyToManyField(
        "core.Country", blank=True, related_name="library_cases", verbose_name=_("countries")
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the case comes from.")
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_cases",
        verbose_name=_("initiative"),
    )
    #: A stable key for the cases peerlearn ships with (the paper's Annex 1), else empty.
    key = models.SlugField(_("key"), max_length=80, blank=True, db_index=True)

    class Meta(LibraryItem.Meta):
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")


class CaseLesson(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("case study")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("lesson"), max_length=400)

    class Meta:
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="library_lesson_position")
        ]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.text


class Resource(LibraryItem):
    kind = "resource"

    type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    # Stored under a generated name (see services.resource_file_name); never the uploader's.
    file = models.FileField(_("file"), upload_to="library/", max_length=200, blank=True, default="")
    file_name = models.CharField(
        _("file name"), max_length=200, blank=True, help_text=_("As uploaded, for downloads.")
    )
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("case study"),
    )

    class Meta(LibraryItem.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
