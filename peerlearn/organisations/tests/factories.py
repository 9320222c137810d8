"""Factories for organisations."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from peerlearn.core.models import Country
from peerlearn.organisations.models import Organisation, OrganisationType


def country(code: str) -> Country:
    """A country from the reference data the migrations load."""
    return Country.objects.get(code=code)


class OrganisationFactory(DjangoModelFactory[Organisation]):
    """A Kenyan county government unless told otherwise: ``OrganisationFactory(
    country=country("FR"), type=OrganisationType.MINISTRY)``."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"County Revenue Department {n}")
    acronym = ""
    type = OrganisationType.LOCAL_GOVERNMENT
    country = factory.LazyFunction(lambda: Country.objects.get(code="KE"))
    description = ""
