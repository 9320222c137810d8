"""Factories for learning alliances, their members, organisations, priorities and stages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.tests.factories import UserFactory
from peerlearn.alliances.models import (
    AllianceMembership,
    AllianceOrganisation,
    AlliancePriority,
    AllianceStage,
    LearningAlliance,
    MemberRole,
    StageChange,
)
from peerlearn.core.choices import PartnershipType
from peerlearn.core.models import Language, Theme
from peerlearn.organisations.tests.factories import OrganisationFactory


class LearningAllianceFactory(DjangoModelFactory[LearningAlliance]):
    """An alliance at pre-assessment, visible on the platform, working in English.

    ``working_languages`` takes ISO codes; ``funders`` organisations."""

    class Meta:
        model = LearningAlliance
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"County Revenue Alliance {n}")
    slug = factory.LazyAttribute(lambda a: slugify(a.name))
    theme = factory.LazyFunction(lambda: Theme.objects.get(slug="decentralisation"))
    type = PartnershipType.TYPE_II
    stage = AllianceStage.PRE_ASSESSMENT
    purpose = "Raise own-source revenue by learning from each other."
    visibility = Visibility.PLATFORM

    @factory.post_generation
    def working_languages(
        self, create: bool, extracted: Iterable[str] | None, **kwargs: Any
    ) -> None:
        if create:
            self.working_languages.set(Language.objects.filter(code__in=list(extracted or ["en"])))

    @factory.post_generation
    def funders(self, create: bool, extracted: Iterable[Any] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.funders.set(list(extracted))


class AllianceMembershipFactory(DjangoModelFactory[AllianceMembership]):
    class Meta:
        model = AllianceMembership

    alliance = factory.SubFactory(LearningAllianceFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.PEER


class AllianceOrganisationFactory(DjangoModelFactory[AllianceOrganisation]):
    class Meta:
        model = AllianceOrganisation

    alliance = factory.SubFactory(LearningAllianceFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class AlliancePriorityFactory(DjangoModelFactory[AlliancePriority]):
    class Meta:
        model = AlliancePriority

    alliance = factory.SubFactory(LearningAllianceFactory)
    title = factory.Sequence(lambda n: f"Priority reform area {n}")
    description = ""
    position = factory.Sequence(lambda n: n)


class StageChangeFactory(DjangoModelFactory[StageChange]):
    class Meta:
        model = StageChange

    alliance = factory.SubFactory(LearningAllianceFactory)
    from_stage = None
    to_stage = AllianceStage.PRE_ASSESSMENT
    changed_by = None
    note = ""
