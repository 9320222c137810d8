"""Factories for the initiatives registry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from peerlearn.access.visibility import Visibility
from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Country, Theme
from peerlearn.initiatives.models import Initiative, InitiativeLink
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.tests.factories import OrganisationFactory


class InitiativeFactory(DjangoModelFactory[Initiative]):
    """A public Type II initiative with one implementer.

    ``countries`` takes ISO codes, ``themes`` slugs (default revenue-pfm), ``implementers``
    and ``funders`` organisations."""

    class Meta:
        model = Initiative
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Peer learning initiative {n}")
    slug = factory.LazyAttribute(lambda i: slugify(i.name))
    type = PartnershipType.TYPE_II
    summary = "Peers from county revenue departments exchange on collection."
    lessons = ""
    visibility = Visibility.PUBLIC

    @factory.post_generation
    def countries(self, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(Country.objects.filter(code__in=list(extracted)))

    @factory.post_generation
    def themes(self, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create:
            self.themes.set(Theme.objects.filter(slug__in=list(extracted or ["revenue-pfm"])))

    @factory.post_generation
    def implementers(self, create: bool, extracted: Iterable[Any] | None, **kwargs: Any) -> None:
        if create:
            implementers = list(extracted or [])
            if not implementers:
                implementers = [
                    OrganisationFactory(type=OrganisationType.CIVIL_SOCIETY, country=None)
                ]
            self.implementers.set(implementers)

    @factory.post_generation
    def funders(self, create: bool, extracted: Iterable[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.funders.set(list(extracted))


class InitiativeLinkFactory(DjangoModelFactory[InitiativeLink]):
    class Meta:
        model = InitiativeLink

    initiative = factory.SubFactory(InitiativeFactory)
    label = "Case study"
    url = "https://example.org/case-study"
