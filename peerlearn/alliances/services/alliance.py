"""A learning alliance itself: created, named, updated, closed to changes, and its record of
changes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.alliances.models import (
    AllianceStage,
    LearningAlliance,
    MemberRole,
    StageChange,
)
from peerlearn.alliances.services.members import alliance_member_add
from peerlearn.alliances.services.shared import alliance_change_record
from peerlearn.audit.models import AuditAction
from peerlearn.core.choices import PartnershipType
from peerlearn.core.selectors import language_list_by_codes, theme_get
from peerlearn.core.slugs import slug_of
from peerlearn.initiatives.models import Initiative
from peerlearn.organisations.models import Organisation


def _unique_slug(name: str) -> str:
    base = slug_of(name)[:70] or "alliance"
    slug, n = base, 2
    while LearningAlliance.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def alliance_name_problems(
    *, name: str, alliance: LearningAlliance | None = None
) -> dict[str, list[str]]:
    """Why ``name`` cannot name a new alliance (or ``alliance``, renamed): another has it,
    whatever the case. The service and the form both ask, so the error shows with the
    form's others."""
    others = LearningAlliance.objects.filter(name__iexact=name.strip())
    if alliance is not None:
        others = others.exclude(id=alliance.id)
    if name.strip() and others.exists():
        return {"name": [_("An alliance with this name exists: choose another.")]}
    return {}


@transaction.atomic
def alliance_create(
    *,
    name: str,
    theme: str,
    purpose: str,
    working_languages: Iterable[str],
    created_by: User | None = None,
    type: str = PartnershipType.TYPE_II,
    stage: int = AllianceStage.PRE_ASSESSMENT,
    starts_on: date | None = None,
    ends_on: date | None = None,
    visibility: str = Visibility.PLATFORM,
    funders: Iterable[Organisation] = (),
    initiative: Initiative | None = None,
    slug: str = "",
) -> LearningAlliance:
    """Create an alliance; whoever creates it becomes its first facilitator."""
    problems = alliance_name_problems(name=name)
    if problems:
        raise ValidationError(problems)
    alliance = LearningAlliance(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        theme=theme_get(slug=theme),
        purpose=purpose.strip(),
        type=type,
        stage=stage,
        starts_on=starts_on,
        ends_on=ends_on,
        visibility=visibility,
        initiative=initiative,
    )
    languages = language_list_by_codes(codes=working_languages, field="working_languages")
    alliance.full_clean()
    alliance.save()
    alliance.working_languages.set(languages)
    alliance.funders.set(list(funders))
    StageChange.objects.create(
        alliance=alliance, from_stage=None, to_stage=stage, changed_by=created_by
    )
    alliance_change_record(alliance, created_by, "created", action=AuditAction.CREATE)
    if created_by is not None:
        alliance_member_add(
            alliance=alliance, user=created_by, role=MemberRole.FACILITATOR, by=created_by
        )
    return alliance


#: Fields :func:`alliance_update` may change.
EDITABLE_FIELDS = (
    "name",
    "theme",
    "type",
    "purpose",
    "working_languages",
    "starts_on",
    "ends_on",
    "visibility",
    "initiative",
    "funders",
)


@transaction.atomic
def alliance_update(
    *, alliance: LearningAlliance, by: User | None, **changes: object
) -> LearningAlliance:
    """Change an alliance's description; ``changes`` holds only the fields to change (theme
    by slug, working languages by ISO code, funders as organisations)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed: list[str] = []
    if "name" in changes:
        name = str(changes["name"]).strip()
        problems = alliance_name_problems(name=name, alliance=alliance)
        if problems:
            raise ValidationError(problems)
        if name != alliance.name:
            alliance.name = name
            changed.append("name")
    if "theme" in changes:
        theme = theme_get(slug=str(changes["theme"]))
        if theme.id != alliance.theme_id:
            alliance.theme = theme
            changed.append("theme")
    for f in ("type", "purpose", "starts_on", "ends_on", "visibility", "initiative"):
        if f in changes:
            value = changes[f]
            if isinstance(value, str) and f == "purpose":
                value = value.strip()
            if getattr(alliance, f) != value:
                setattr(alliance, f, value)
                changed.append(f)
    alliance.full_clean()
    alliance.save()
    if "working_languages" in changes:
        languages = language_list_by_codes(
            codes=changes["working_languages"],  # type: ignore[arg-type]
            field="working_languages",
        )
        if {lang.pk for lang in languages} != set(
            alliance.working_languages.values_list("pk", flat=True)
        ):
            alliance.working_languages.set(languages)
            changed.append("working_languages")
    if "funders" in changes:
        funders = list(changes["funders"])  # type: ignore[call-overload]
        if {o.id for o in funders} != set(alliance.funders.values_list("id", flat=True)):
            alliance.funders.set(funders)
            changed.append("funders")
    if changed:
        alliance_change_record(alliance, by, "updated", fields=changed)
    return alliance
