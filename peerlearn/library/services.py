"""Writing the case library: cases with their lessons, resources with their files, and the
review of submissions.

Whoever may publish an item (``access.library.can_publish``) publishes it at once; anyone
else's item is saved as submitted, and the facilitators who review it are e-mailed. Edits
by a non-publisher send a published item back to review. Changes of visibility and status
are recorded in the audit trail (``audit.registry``); every check runs before anything is
written, and a stored file is removed again if the row cannot be saved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.library import (
    alliances_attachable_by,
    can_publish,
    library_reviewers,
)
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.mail import notify
from peerlearn.core.selectors import country_get, theme_list_by_slugs
from peerlearn.initiatives.models import Initiative
from peerlearn.library.models import (
    Case,
    CaseLesson,
    ItemStatus,
    Resource,
    ResourceType,
    Tag,
)
from peerlearn.library.uploads import check_upload, stored_name

MAX_TAGS = 10
MAX_LESSONS = 20
TAG_LENGTH = 40
#: Levels an item attached to an alliance may have: it is the alliance's.
ALLIANCE_LEVELS = (Visibility.ALLIANCE, Visibility.PRIVATE)


def tags_from_names(names: Iterable[str], *, field: str = "tags") -> list[Tag]:
    """Tags by name (created as needed), lower case, without duplicates."""
    cleaned: list[str] = []
    for raw in names:
        name = re.sub(r"\s+", " ", raw).strip().lower()
        if not name:
            continue
        if len(name) > TAG_LENGTH:
            raise ValidationError(
                {
                    field: [
                        _("Keep each tag under %(n)d characters: “%(tag)s…” is longer.")
                        % {"n": TAG_LENGTH, "tag": name[:20]}
                    ]
                }
            )
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({field: [_("Give at most %(n)d tags.") % {"n": MAX_TAGS}]})
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


def split_tags(text: str) -> list[str]:
    """Tags typed in one box, separated by commas."""
    return [t for t in (text or "").split(",") if t.strip()]


def _lessons(lessons: Iterable[str]) -> list[str]:
    cleaned = [" ".join(text.split()) for text in lessons]
    cleaned = [t for t in cleaned if t]
    if len(cleaned) > MAX_LESSONS:
        raise ValidationError(
            {
                "lessons": [
                    _("Give at most %(n)d lessons; merge the closest ones.") % {"n": MAX_LESSONS}
                ]
            }
        )
    for n, text in enumerate(cleaned, start=1):
        if len(text) > 400:
            raise ValidationError(
                {
                    "lessons": [
                        _(
                            "Lesson %(n)d is longer than 400 characters: keep each lesson to a "
                            "sentence or two."
                        )
                        % {"n": n}
                    ]
                }
            )
    return cleaned


def _check_alliance(user: User, alliance: LearningAlliance | None, visibility: str) -> None:
    if alliance is None:
        return
    if not alliances_attachable_by(user).filter(id=alliance.id).exists():
        raise ValidationError(
            {"alliance": [_("Choose a learning alliance you are a member of, or none.")]}
        )
    if visibility not in ALLIANCE_LEVELS:
        raise ValidationError(
            {
                "visibility": [
                    _(
                        "An item of a learning alliance stays inside it: choose "
                        "“Alliance” (or “Private”), or attach it to no alliance."
                    )
                ]
            }
        )


def _status_after_write(user: User, alliance: LearningAlliance | None, current: str) -> str:
    if can_publish(user, alliance):
        return current
    return ItemStatus.PROPOSED


def _tell_reviewers(item: Case | Resource, kind: str, site: str) -> None:
    reviewers = library_reviewers(item.alliance)
    if item.author_id is not None:  # an author's own submission is not news to them
        reviewers = reviewers.exclude(id=item.author_id)
    notify(
        reviewers,
        "library/email/submitted",
        {"item": item, "author": item.author, "url": site + reverse("library:review")},
    )


# --- cases ---------------------------------------------------------------------------


def _case_relations(
    case: Case,
    *,
    themes: Iterable[str],
    countries: Iterable[str],
    tags: Iterable[str],
    lessons: list[str],
) -> None:
    case.themes.set(theme_list_by_slugs(slugs=themes, field="themes"))
    case.countries.set([country_get(code=c, field="countries") for c in countries])
    case.tags.set(tags_from_names(tags))
    case.lessons.all().delete()
    CaseLesson.objects.bulk_create(
        [CaseLesson(case=case, position=n, text=t) for n, t in enumerate(lessons, start=1)]
    )


@transaction.atomic
def case_create(
    *,
    author: User,
    title: str,
    summary: str,
    body: str = "",
    themes: Iterable[str] = (),
    countries: Iterable[str] = (),
    tags: Iterable[str] = (),
    lessons: Iterable[str] = (),
    source: str = "",
    link: str = "",
    initiative: Initiative | None = None,
    alliance: LearningAlliance | None = None,
    visibility: str = Visibility.PUBLIC,
    site: str = "",
) -> Case:
    lesson_texts = _lessons(lessons)
    _check_alliance(author, alliance, visibility)
    status = ItemStatus.PUBLISHED if can_publish(author, alliance) else ItemStatus.PROPOSED
    case = Case(
        title=title.strip(),
        summary=summary.strip(),
        body=body.strip(),
        source=source.strip(),
        link=link.strip(),
        initiative=initiative,
        alliance=alliance,
        visibility=visibility,
        status=status,
        author=author,
    )
    case.full_clean()
    case.save()
    _case_relations(case, themes=themes, countries=countries, tags=tags, lessons=lesson_texts)
    if status == ItemStatus.PROPOSED:
        _tell_reviewers(case, "case", site)
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    editor: User,
    title: str,
    summary: str,
    body: str = "",
    themes: Iterable[str] = (),
    countries: Iterable[str] = (),
    tags: Iterable[str] = (),
    lessons: Iterable[str] = (),
    source: str = "",
    link: str = "",
    initiative: Initiative | None = None,
    alliance: LearningAlliance | None = None,
    visibility: str = Visibility.PUBLIC,
    site: str = "",
) -> Case:
    lesson_texts = _lessons(lessons)
    if alliance is not None and (
        alliance.id != case.alliance_id or visibility not in ALLIANCE_LEVELS
    ):
        _check_alliance(editor, alliance, visibility)
    before = case.status
    case.title = title.strip()
    case.summary = summary.strip()
    case.body = body.strip()
    case.source = source.strip()
    case.link = link.strip()
    case.initiative = initiative
    case.alliance = alliance
    case.visibility = visibility
    case.status = _status_after_write(editor, alliance, case.status)
    case.full_clean()
    case.save()
    _case_relations(case, themes=themes, countries=countries, tags=tags, lessons=lesson_texts)
    if case.status == ItemStatus.PROPOSED and before != ItemStatus.PROPOSED:
        _tell_reviewers(case, "case", site)
    return case


# --- resources -----------------------------------------------------------------------


def resource_source_problems(
    *, type: str, url: str, upload: UploadedFile | None, has_file: bool
) -> dict[str, list[str]]:
    """What is missing for a resource of ``type`` to point somewhere, by field, naming the
    fix; the form asks too, so these errors show beside those of single fields."""
    if type == ResourceType.LINK and not url:
        return {"url": [_("A link needs its address (https://…).")]}
    if not url and upload is None and not has_file:
        return {"file": [_("Upload a file, or give the address where the resource is.")]}
    return {}


def _check_source(type: str, url: str, upload: UploadedFile | None, has_file: bool) -> None:
    problems = resource_source_problems(type=type, url=url, upload=upload, has_file=has_file)
    if problems:
        raise ValidationError(problems)


def _store(resource: Resource, upload: UploadedFile, ext: str) -> str:
    name = default_storage.save(f"library/{stored_name(ext)}", upload)
    resource.file.name = name
    resource.file_name = (upload.name or "")[-200:]
    resource.file_size = upload.size
    return name


@transaction.atomic
def resource_create(
    *,
    author: User,
    title: str,
    type: str,
    description: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    themes: Iterable[str] = (),
    tags: Iterable[str] = (),
    case: Case | None = None,
    alliance: LearningAlliance | None = None,
    visibility: str = Visibility.PUBLIC,
    site: str = "",
) -> Resource:
    _check_source(type, url.strip(), upload, has_file=False)
    kind = check_upload(upload) if upload is not None else None
    _check_alliance(author, alliance, visibility)
    theme_rows = theme_list_by_slugs(slugs=themes, field="themes")
    status = ItemStatus.PUBLISHED if can_publish(author, alliance) else ItemStatus.PROPOSED
    resource = Resource(
        title=title.strip(),
        type=type,
        description=description.strip(),
        url=url.strip(),
        case=case,
        alliance=alliance,
        visibility=visibility,
        status=status,
        author=author,
    )
    resource.full_clean(exclude=["file"])
    tag_rows = tags_from_names(tags)
    stored = _store(resource, upload, kind.extension) if upload is not None and kind else ""
    try:
        resource.save()
        resource.themes.set(theme_rows)
        resource.tags.set(tag_rows)
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    if status == ItemStatus.PROPOSED:
        _tell_reviewers(resource, "resource", site)
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    editor: User,
    title: str,
    type: str,
    description: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    themes: Iterable[str] = (),
    tags: Iterable[str] = (),
    case: Case | None = None,
    alliance: LearningAlliance | None = None,
    visibility: str = Visibility.PUBLIC,
    site: str = "",
) -> Resource:
    _check_source(type, url.strip(), upload, has_file=bool(resource.file))
    kind = check_upload(upload) if upload is not None else None
    if alliance is not None and (
        alliance.id != resource.alliance_id or visibility not in ALLIANCE_LEVELS
    ):
        _check_alliance(editor, alliance, visibility)
    theme_rows = theme_list_by_slugs(slugs=themes, field="themes")
    tag_rows = tags_from_names(tags)
    before = resource.status
    old_file = resource.file.name if upload is not None and resource.file else ""
    resource.title = title.strip()
    resource.type = type
    resource.description = description.strip()
    resource.url = url.strip()
    resource.case = case
    resource.alliance = alliance
    resource.visibility = visibility
    resource.status = _status_after_write(editor, alliance, resource.status)
    resource.full_clean(exclude=["file"])
    stored = _store(resource, upload, kind.extension) if upload is not None and kind else ""
    try:
        resource.save()
        resource.themes.set(theme_rows)
        resource.tags.set(tag_rows)
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    if old_file:
        transaction.on_commit(lambda: default_storage.delete(old_file))
    if resource.status == ItemStatus.PROPOSED and before != ItemStatus.PROPOSED:
        _tell_reviewers(resource, "resource", site)
    return resource


# --- review --------------------------------------------------------------------------


def _detail_url(item: Case | Resource, site: str) -> str:
    if isinstance(item, Case):
        return site + reverse("library:case", args=[item.id])
    return site + reverse("library:resource", args=[item.id])


@transaction.atomic
def item_publish(*, item: Case | Resource, reviewer: User, site: str = "") -> Any:
    """Publish a submission at the level its author chose; the author is told."""
    if item.status != ItemStatus.PROPOSED:
        raise ValidationError(
            {"status": [_("Only a submission waiting for review can be published.")]}
        )
    item.status = ItemStatus.PUBLISHED
    item.review_note = ""
    item.reviewed_by = reviewer
    item.reviewed_at = timezone.now()
    item.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    if item.author is not None and item.author_id != reviewer.id:
        notify(
            [item.author], "library/email/published", {"item": item, "url": _detail_url(item, site)}
        )
    return item


@transaction.atomic
def item_decline(*, item: Case | Resource, reviewer: User, note: str, site: str = "") -> Any:
    """Decline a submission with a reason its author reads; it stays visible to them."""
    if item.status != ItemStatus.PROPOSED:
        raise ValidationError(
            {"status": [_("Only a submission waiting for review can be declined.")]}
        )
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": [_("Say why, in a sentence the author can act on (e.g. what is missing).")]}
        )
    item.status = ItemStatus.DECLINED
    item.review_note = note[:2000]
    item.reviewed_by = reviewer
    item.reviewed_at = timezone.now()
    item.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    if item.author is not None:
        notify(
            [item.author], "library/email/declined", {"item": item, "url": _detail_url(item, site)}
        )
    return item
