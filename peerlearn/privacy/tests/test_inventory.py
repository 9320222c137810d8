"""Every record that points at a person is either in their archive or listed, with a
reason, as deliberately left out — so that a new app cannot forget "My data"."""

from __future__ import annotations

import doctest
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from peerlearn.peers.models import PeerProfile
from peerlearn.privacy import inventory
from peerlearn.privacy.inventory import PERSON_LINKS, Exported, NotExported
from peerlearn.privacy.selectors import account_data, archive_readme


def person_links() -> set[str]:
    """``app_label.Model.field`` for every peerlearn field pointing at a person."""
    people = (get_user_model(), PeerProfile)
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("peerlearn.")
        for field in model._meta.get_fields()
        if field.is_relation and field.concrete and field.related_model in people
    }


def test_every_link_to_a_person_is_exported_or_left_out_with_a_reason() -> None:
    found = person_links()
    missing = sorted(found - PERSON_LINKS.keys())
    assert not missing, (
        "These fields point at a person but peerlearn/privacy/inventory.py does not say "
        f"whether 'My data' exports them: {missing}. Add each to PERSON_LINKS, as "
        "Exported('<table>') (and export the rows) or NotExported('<why>')."
    )
    stale = sorted(PERSON_LINKS.keys() - found)
    assert not stale, f"PERSON_LINKS names fields that no longer exist: {stale}"
    for key, decision in PERSON_LINKS.items():
        if isinstance(decision, NotExported):
            assert len(decision.reason) > 20, f"{key}: say why it is not exported"


@pytest.mark.django_db
def test_every_exported_table_is_in_the_archive_and_its_readme(world: Any) -> None:
    tables = set(account_data(user=world.member_platform.user))
    for key, decision in PERSON_LINKS.items():
        if isinstance(decision, Exported):
            assert decision.table in tables, f"{key} → {decision.table} is not exported"
    readme = archive_readme(sorted(tables))
    for table in tables:
        assert f"{table}.csv" in readme, f"the README does not describe {table}.csv"


def test_the_inventory_examples_run() -> None:
    result = doctest.testmod(inventory)
    assert result.failed == 0
    assert result.attempted > 0


def test_the_table_examples_run() -> None:
    from peerlearn.privacy import tables

    result = doctest.testmod(tables)
    assert result.failed == 0
    assert result.attempted > 0
