"""Fixtures for matching in the platform: a theme pool with complementary statements."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from peerlearn.access.roles import Role
from peerlearn.access.visibility import Visibility
from peerlearn.conftest import make_peer, make_user
from peerlearn.core.models import Country
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import statement_create


@pytest.fixture(autouse=True)
def default_language() -> Any:
    """Explanations render in the active language; a request in French leaves French active
    in the thread, so every test starts and ends with the default."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def tfidf_encoder(settings: Any) -> None:
    """TF-IDF is instant and deterministic; the sentence model is measured elsewhere."""
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"


def say(peer: Any, model: Any, title: str, description: str, **kwargs: Any) -> Any:
    kwargs.setdefault("theme", "revenue-pfm")
    return statement_create(model=model, peer=peer, title=title, description=description, **kwargs)


@pytest.fixture
def market(db: Any) -> SimpleNamespace:
    """Six peers in six organisations across Kenya, Uganda and Ghana, on revenue: three
    seek help with market-fee leakage, property rates and audit, three offer experience in
    each; a facilitator and an administrator."""
    m = SimpleNamespace()
    countries = ["KE", "UG", "GH", "KE", "UG", "GH"]
    m.orgs = [
        organisation_create(
            name=f"County {i}",
            type=OrganisationType.LOCAL_GOVERNMENT,
            country=Country.objects.get(code=countries[i]),
        )
        for i in range(6)
    ]
    names = ["amina", "baraka", "chidi", "dora", "esi", "faith"]
    m.peers = [make_peer(n, m.orgs[i], seniority=4 if i % 2 else 2) for i, n in enumerate(names)]
    topics = [
        ("Market fees", "Cash collection of market fees leaks revenue at every gate."),
        ("Property rates", "Property rates valuation roll is outdated and disputed."),
        ("Revenue audit", "Audit backlog of revenue collectors and late audit reports."),
    ]
    answers = [
        ("Mobile money market fees", "We moved market fees to mobile money; leakage fell."),
        ("Valuation roll", "We rebuilt the property rates valuation roll with GIS."),
        ("Audit teams", "Risk-based audit teams cleared the audit backlog of collectors."),
    ]
    for i in range(3):
        say(m.peers[i], Challenge, *topics[i])
        say(m.peers[i + 3], Experience, *answers[i])
    m.facilitator = make_user("fac", role=Role.FACILITATOR, organisation=m.orgs[0])
    m.other_facilitator = make_user("fac2", role=Role.FACILITATOR, organisation=m.orgs[1])
    m.admin = make_user("root", role=Role.ADMIN)
    m.authoriser = make_user("auth", role=Role.AUTHORISER, organisation=m.orgs[2])
    m.funder = make_user("fund", role=Role.FUNDER)
    m.outsider = make_peer("gabriel", m.orgs[0], visibility=Visibility.PLATFORM)
    return m
