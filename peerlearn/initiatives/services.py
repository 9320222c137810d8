"""Writing registry entries."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from peerlearn.access.visibility import Visibility
from peerlearn.core.selectors import country_get, theme_list_by_slugs
from peerlearn.initiatives.models import Initiative, InitiativeLink
from peerlearn.organisations.models import Organisation


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
) -> Initiative:
    if Initiative.objects.filter(name__iexact=name.strip()).exists():
        raise ValidationError({"name": [_("This initiative is already in the registry.")]})
    implementers = list(implementers)
    if not implementers:
        raise ValidationError({"implementers": [_("Name at least one implementing organisation.")]})
    theme_rows = theme_list_by_slugs(slugs=themes, field="themes")
    if not theme_rows:
        raise ValidationError({"themes": [_("Choose at least one theme.")]})
    country_rows = [country_get(code=c, field="countries") for c in countries]
    initiative = Initiative(
        name=name.strip(),
        slug=slug or slugify(name)[:80],
        type=type,
        summary=summary.strip(),
        lessons=lessons.strip(),
        coverage=coverage.strip(),
        started=started,
        ended=ended,
        visibility=visibility,
    )
    initiative.full_clean()
    if ended is not None and started is not None and ended < started:
        raise ValidationError({"ended": [_("The end year must not be before the start year.")]})
    initiative.save()
    initiative.countries.set(country_rows)
    initiative.implementers.set(implementers)
    initiative.funders.set(list(funders))
    initiative.themes.set(theme_rows)
    for label, url in links:
        link = InitiativeLink(initiative=initiative, label=label, url=url)
        link.full_clean()
        link.save()
    return initiative
