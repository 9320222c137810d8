"""Writing organisations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peerlearn.core.models import Country
from peerlearn.organisations.models import Organisation


@transaction.atomic
def organisation_create(
    *,
    name: str,
    type: str,
    country: Country | None,
    acronym: str = "",
    website: str = "",
    description: str = "",
) -> Organisation:
    name = name.strip()
    duplicate = Organisation.objects.filter(name__iexact=name, country=country).exists()
    if duplicate:
        raise ValidationError(
            {"name": [_("An organisation with this name already exists in this country.")]}
        )
    organisation = Organisation(
        name=name,
        type=type,
        country=country,
        acronym=acronym.strip(),
        website=website,
        description=description,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def organisation_get_or_create(
    *,
    name: str,
    type: str,
    country: Country | None,
    acronym: str = "",
) -> Organisation:
    """The organisation named ``name`` in ``country``, created if it does not exist yet."""
    existing = Organisation.objects.filter(name__iexact=name.strip(), country=country).first()
    if existing is not None:
        return existing
    return organisation_create(name=name, type=type, country=country, acronym=acronym)
