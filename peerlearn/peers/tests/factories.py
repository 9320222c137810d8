"""Factories for peers, their challenges, experiences and authorisations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from factory.django import DjangoModelFactory

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.core.models import Language, Theme
from peerlearn.organisations.tests.factories import OrganisationFactory
from peerlearn.peers.models import (
    Authorisation,
    AuthorisationStatus,
    Challenge,
    Experience,
    PeerProfile,
    ReformStage,
    Seniority,
)


def theme(slug: str = "revenue-pfm") -> Theme:
    """A theme from the reference data the migrations load."""
    return Theme.objects.get(slug=slug)


class PeerProfileFactory(DjangoModelFactory[PeerProfile]):
    """A peer in a new organisation, working in English, visible on the platform.

    ``languages`` and ``reform_areas`` take ISO codes and theme slugs:
    ``PeerProfileFactory(languages=["fr", "en"], reform_areas=["procurement"])``."""

    class Meta:
        model = PeerProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, organisation=factory.SubFactory(OrganisationFactory))
    position = "Revenue officer"
    seniority = Seniority.OFFICER
    reform_stage = ReformStage.DESIGNING
    bio = ""
    visibility = Visibility.PLATFORM

    @factory.post_generation
    def languages(self, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create:
            self.languages.set(Language.objects.filter(code__in=list(extracted or ["en"])))

    @factory.post_generation
    def reform_areas(self, create: bool, extracted: Iterable[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.reform_areas.set(Theme.objects.filter(slug__in=list(extracted)))


class _StatementFactory(DjangoModelFactory[Any]):
    peer = factory.SubFactory(PeerProfileFactory)
    theme = factory.LazyFunction(theme)
    title = factory.Sequence(lambda n: f"Statement {n}")
    description = "Cash collection at markets leaks revenue."
    visibility = Visibility.PLATFORM
    alliance = None


class ChallengeFactory(_StatementFactory):
    class Meta:
        model = Challenge


class ExperienceFactory(_StatementFactory):
    class Meta:
        model = Experience


class AuthorisationFactory(DjangoModelFactory[Authorisation]):
    """A granted authorisation by an authoriser of the peer's own organisation."""

    class Meta:
        model = Authorisation

    peer = factory.SubFactory(PeerProfileFactory)
    authoriser = factory.SubFactory(
        UserFactory,
        role=Role.AUTHORISER,
        organisation=factory.SelfAttribute("..peer.user.organisation"),
    )
    status = AuthorisationStatus.GRANTED
    scope = "Take part in the county revenue learning alliance."
