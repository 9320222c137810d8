"""Writing registry entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from peerlearn.access.initiatives import initiative_reviewers
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.models import User
from peerlearn.core.mail import notify
from peerlearn.core.models import SDGTarget
from peerlearn.core.selectors import country_get, theme_list_by_slugs
from peerlearn.core.slugs import slug_of
from peerlearn.initiatives.models import Initiative, InitiativeLink, InitiativeStatus
from peerlearn.organisations.models import Organisation

# Addresses under /initiatives/ that are pages, not entries.
RESERVED_SLUGS = {"propose", "review"}


def _free_slug(slug: str) -> str:
    return f"{slug[:68]}-initiative" if slug in RESERVED_SLUGS else slug


def initiative_problems(
    *,
    name: str,
    started: int | None = None,
    ended: int | None = None,
    initiative: Initiative | None = None,
) -> dict[str, list[str]]:
    """Why an initiative cannot be entered as given: its name is in the registry already
    (whatever the case; ``initiative`` itself aside, when it is being changed), or it ends
    before it starts. The service and the proposal form both ask, so these show with the
    form's other errors."""
    problems: dict[str, list[str]] = {}
    others = Initiative.objects.exclude(id=initiative.id) if initiative else Initiative.objects
    if name.strip() and others.filter(name__iexact=name.strip()).exists():
        problems["name"] = [_("This initiative is already in the registry.")]
    if ended is not None and started is not None and ended < started:
        problems["ended"] = [_("The end year must not be before the start year.")]
    return problems


@dataclass
class _Relations:
    implementers: list[Organisation]
    funders: list[Organisation]
    themes: list[Any]
    countries: list[Any]
    sdg_targets: list[SDGTarget]


def _relations_checked(
    *,
    problems: dict[str, list[str]],
    themes: Iterable[str],
    implementers: Iterable[Organisation],
    countries: Iterable[str],
    funders: Iterable[Organisation],
    sdg_targets: Iterable[str],
) -> _Relations:
    """The entry's relations read from what was given, or a ValidationError naming every
    problem at once (``problems``: those already found)."""
    problems = dict(problems)
    implementers = list(implementers)
    if not implementers:
        problems["implementers"] = [_("Name at least one implementing organisation.")]
    theme_rows: list[Any] = []
    try:
        theme_rows = theme_list_by_slugs(slugs=themes, field="themes")
    except ValidationError as e:
        problems.update(e.message_dict)
    if not theme_rows and "themes" not in problems:
        problems["themes"] = [_("Choose at least one theme.")]
    country_rows = []
    try:
        country_rows = [country_get(code=c, field="countries") for c in countries]
    except ValidationError as e:
        problems.update(e.message_dict)
    sdg_targets = list(sdg_targets)
    target_rows = list(SDGTarget.objects.filter(code__in=sdg_targets))
    unknown = set(sdg_targets) - {t.code for t in target_rows}
    if unknown:
        problems["sdg_targets"] = [
            _("Unknown SDG target: %(codes)s. Use codes such as 16.6.")
            % {"codes": ", ".join(sorted(unknown))}
        ]
    if problems:
        raise ValidationError(problems)
    return _Relations(implementers, list(funders), theme_rows, country_rows, target_rows)


def _save_with_relations(
    initiative: Initiative, relations: _Relations, links: Iterable[tuple[str, str]]
) -> None:
    initiative.full_clean()
    initiative.save()
    initiative.countries.set(relations.countries)
    initiative.implementers.set(relations.implementers)
    initiative.funders.set(relations.funders)
    initiative.themes.set(relations.themes)
    initiative.sdg_targets.set(relations.sdg_targets)
    initiative.links.all().delete()
    for label, url in links:
        link = InitiativeLink(initiative=initiative, label=label, url=url)
        link.full_clean()
        link.save()


@transaction.atomic
def initiative_create(
    *,
    name: str,
    type: str,
    summary: str,
    themes: Iterable[str],
    implementers: Iterable[Organisation],
    countries: Iterable[str] = (),
    funders: Iterable[Organisation] = (),
    coverage: str = "",
    lessons: str = "",
    started: int | None = None,
    ended: int | None = None,
    links: Iterable[tuple[str, str]] = (),
    visibility: str = Visibility.PUBLIC,
    slug: str = "",
    sdg_targets: Iterable[str] = (),
    status: str = InitiativeStatus.PUBLISHED,
    proposed_by: User | None = None,
) -> Initiative:
    relations = _relations_checked(
        problems=initiative_problems(name=name, started=started, ended=ended),
        themes=themes,
        implementers=implementers,
        countries=countries,
        funders=funders,
        sdg_targets=sdg_targets,
    )
    initiative = Initiative(
        name=name.strip(),
        slug=_free_slug(slug or slug_of(name)[:80]),
        type=type,
        summary=summary.strip(),
        lessons=lessons.strip(),
        coverage=coverage.strip(),
        started=started,
        ended=ended,
        visibility=visibility,
        status=status,
        proposed_by=proposed_by,
    )
    _save_with_relations(initiative, relations, links)
    return initiative


# What a proposer may ask for: the registry is a public map, or one for signed-in users.
PROPOSABLE_VISIBILITIES = (Visibility.PUBLIC, Visibility.PLATFORM)


def initiative_propose(
    *, proposer: User, visibility: str = Visibility.PUBLIC, site: str = "", **fields: object
) -> Initiative:
    """A signed-in user's proposal for the registry: saved as proposed (seen by the proposer
    and the facilitators who review it), and the reviewers are told."""
    if visibility not in PROPOSABLE_VISIBILITIES:
        raise ValidationError(
            {"visibility": [_("Choose public or platform: the registry is a shared map.")]}
        )
    initiative = initiative_create(
        visibility=visibility,
        status=InitiativeStatus.PROPOSED,
        proposed_by=proposer,
        **fields,  # type: ignore[arg-type]
    )
    url = site + reverse("initiatives:review")
    notify(
        initiative_reviewers(),
        "initiatives/email/proposed",
        {"initiative": initiative, "proposer": proposer, "url": url},
    )
    return initiative


@transaction.atomic
def initiative_resubmit(
    *,
    initiative: Initiative,
    name: str,
    type: str,
    summary: str,
    themes: Iterable[str],
    implementers: Iterable[Organisation],
    countries: Iterable[str] = (),
    funders: Iterable[Organisation] = (),
    coverage: str = "",
    lessons: str = "",
    started: int | None = None,
    ended: int | None = None,
    links: Iterable[tuple[str, str]] = (),
    visibility: str = Visibility.PUBLIC,
    sdg_targets: Iterable[str] = (),
    site: str = "",
) -> Initiative:
    """A declined proposal, changed by its proposer after the reviewer's note and sent for
    review again: it waits for review as a new proposal would (its address stays, and the
    decline's note, which the next reviewer reads), and the reviewers are told. Nothing
    changes if anything given is refused."""
    initiative = Initiative.objects.select_for_update().get(id=initiative.id)
    problems = initiative_problems(name=name, started=started, ended=ended, initiative=initiative)
    if initiative.status != InitiativeStatus.DECLINED:
        problems["status"] = [
            _("Only a declined proposal is sent again: this one is %(status)s.")
            % {"status": initiative.get_status_display().lower()}
        ]
    if visibility not in PROPOSABLE_VISIBILITIES:
        problems["visibility"] = [_("Choose public or platform: the registry is a shared map.")]
    relations = _relations_checked(
        problems=problems,
        themes=themes,
        implementers=implementers,
        countries=countries,
        funders=funders,
        sdg_targets=sdg_targets,
    )
    initiative.name = name.strip()
    initiative.type = type
    initiative.summary = summary.strip()
    initiative.lessons = lessons.strip()
    initiative.coverage = coverage.strip()
    initiative.started = started
    initiative.ended = ended
    initiative.visibility = visibility
    initiative.status = InitiativeStatus.PROPOSED
    initiative.proposed_again_at = timezone.now()
    # The decline's note stays, for the next reviewer to read what was asked.
    initiative.reviewed_by = None
    initiative.reviewed_at = None
    _save_with_relations(initiative, relations, links)
    notify(
        initiative_reviewers(),
        "initiatives/email/proposed",
        {
            "initiative": initiative,
            "proposer": initiative.proposed_by,
            "url": site + reverse("initiatives:review"),
            "again": True,
        },
    )
    return initiative


@transaction.atomic
def initiative_publish(
    *, initiative: Initiative, reviewer: User, visibility: str, site: str = ""
) -> Initiative:
    """Publish a proposal at ``visibility`` (public or platform); the proposer is told."""
    if initiative.status != InitiativeStatus.PROPOSED:
        raise ValidationError(
            {"status": [_("Only a proposal waiting for review can be published.")]}
        )
    if visibility not in PROPOSABLE_VISIBILITIES:
        raise ValidationError({"visibility": [_("Choose public or platform to publish.")]})
    initiative.status = InitiativeStatus.PUBLISHED
    initiative.visibility = visibility
    initiative.reviewed_by = reviewer
    initiative.reviewed_at = timezone.now()
    initiative.save(
        update_fields=["status", "visibility", "reviewed_by", "reviewed_at", "updated_at"]
    )
    if initiative.proposed_by is not None:
        url = site + reverse("initiatives:detail", args=[initiative.slug])
        notify(
            [initiative.proposed_by],
            "initiatives/email/published",
            {"initiative": initiative, "url": url},
        )
    return initiative


@transaction.atomic
def initiative_decline(
    *, initiative: Initiative, reviewer: User, note: str, site: str = ""
) -> Initiative:
    """Decline a proposal with a reason the proposer reads; it stays visible to them only."""
    if initiative.status != InitiativeStatus.PROPOSED:
        raise ValidationError(
            {"status": [_("Only a proposal waiting for review can be declined.")]}
        )
    note = note.strip()
    if not note:
        raise ValidationError(
            {"note": [_("Say why, in a sentence the proposer can act on (e.g. what is missing).")]}
        )
    initiative.status = InitiativeStatus.DECLINED
    initiative.review_note = note
    initiative.reviewed_by = reviewer
    initiative.reviewed_at = timezone.now()
    initiative.save(
        update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"]
    )
    if initiative.proposed_by is not None:
        url = site + reverse("initiatives:detail", args=[initiative.slug])
        notify(
            [initiative.proposed_by],
            "initiatives/email/declined",
            {"initiative": initiative, "url": url},
        )
    return initiative
