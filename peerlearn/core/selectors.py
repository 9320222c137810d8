"""Reading reference data, turning user-supplied codes into rows with clear errors."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from peerlearn.core.models import Country, Language, Theme
from peerlearn.core.validators import normalise_country_code, normalise_language_code


def country_get(*, code: str, field: str = "country") -> Country:
    """The country with ISO alpha-2 ``code``; a ValidationError keyed by ``field`` otherwise."""
    try:
        normalised = normalise_country_code(code)
        return Country.objects.get(code=normalised)
    except ValidationError as e:
        raise ValidationError({field: e.messages}) from e
    except Country.DoesNotExist as e:
        raise ValidationError(
            {field: [_("Country “%(code)s” is not in the reference list.") % {"code": code}]}
        ) from e


def language_list_by_codes(
    *, codes: Iterable[str], field: str = "languages", required: bool = True
) -> list[Language]:
    """Languages for ISO 639-1 ``codes``, in the order given, without duplicates."""
    errors: list[str] = []
    normalised: list[str] = []
    for code in codes:
        try:
            c = normalise_language_code(code)
        except ValidationError as e:
            errors.extend(e.messages)
            continue
        if c not in normalised:
            normalised.append(c)
    if errors:
        raise ValidationError({field: errors})
    if required and not normalised:
        raise ValidationError(
            {field: [_("Give at least one working language, e.g. en, fr, es or ru.")]}
        )
    found = {lang.code: lang for lang in Language.objects.filter(code__in=normalised)}
    missing = [c for c in normalised if c not in found]
    if missing:
        raise ValidationError(
            {field: [_("Language “%(code)s” is not in the reference list.") % {"code": missing[0]}]}
        )
    return [found[c] for c in normalised]


def _unknown_theme(slug: str, field: str) -> ValidationError:
    message = _("Unknown theme “%(slug)s”: choose a theme slug from /api/v1/themes.")
    return ValidationError({field: [message % {"slug": slug}]})


def theme_get(*, slug: str, field: str = "theme") -> Theme:
    theme = Theme.objects.filter(slug=slug).first()
    if theme is None:
        raise _unknown_theme(slug, field)
    return theme


def theme_list_by_slugs(*, slugs: Iterable[str], field: str = "reform_areas") -> list[Theme]:
    wanted = list(dict.fromkeys(slugs))
    found = {t.slug: t for t in Theme.objects.filter(slug__in=wanted)}
    missing = [s for s in wanted if s not in found]
    if missing:
        raise _unknown_theme(missing[0], field)
    return [found[s] for s in wanted]


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.all()


def country_list_in_use() -> QuerySet[Country]:
    """Countries that have at least one organisation, for filters."""
    return Country.objects.filter(organisations__isnull=False).distinct()
