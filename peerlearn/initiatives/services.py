"""Writing registry entries."""

from __future__ import annotations

from collections.abc import Iterable

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
    *, name: str, started: int | None = None, ended: int | None = None
) -> dict[str, list[str]]:
    """Why an initiative cannot be entered as given: its name is in the registry already
    (whatever the case), or it ends before it starts. The service and the proposal form
    both ask, so these show with the form's other errors."""
    problems: dict[str, list[str]] = {}
    if name.strip() and Initiative.objects.filter(name__iexact=name.strip()).exists():
        problems["name"] = [_("This initiative is already in the registry.")]
    if ended is not None and started is not None and ended < started:
        problems["ended"] = [_("The end year must not be before the start year.")]
    return problems


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
    problems = initiative_problems(name=name, started=started, ended=ended)
    if problems:
        raise ValidationError(problems)
    implementers = list(implementers)
    if not implementers:
        raise ValidationError({"implementers": [_("Name at least one implementing organisation.")]})
    theme_rows = theme_list_by_slugs(slugs=themes, field="themes")
    if not theme_rows:
        raise ValidationError({"themes": [_("Choose at least one theme.")]})
    country_rows = [country_get(code=c, field="countries") for c in countries]
    target_rows = list(SDGTarget.objects.filter(code__in=list(sdg_targets)))
    unknown = set(sdg_targets) - {t.code for t in target_rows}
    if unknown:
        raise ValidationError(
            {
                "sdg_targets": [
                    _("Unknown SDG target: %(codes)s. Use codes such as 16.6.")
                    % {"codes": ", ".join(sorted(unknown))}
                ]
            }
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
    initiative.full_clean()
    initiative.save()
    initiative.countries.set(country_rows)
    initiative.implementers.set(implementers)
    initiative.funders.set(list(funders))
    initiative.themes.set(theme_rows)
    initiative.sdg_targets.set(target_rows)
    for label, url in links:
        link = InitiativeLink(initiative=initiative, label=label, url=url)
        link.full_clean()
        link.save()
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
