"""Search on the demo data: the issue's examples, words and meaning. The demo is loaded
once for this module (and rolled back at its end), apart from the tests that build their
own small world."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from peerlearn.accounts.models import User
from peerlearn.search.selectors import search
from peerlearn.search.tests.test_search import API, client_for, needs_model


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        call_command("demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_on_the_demo_a_peer_finds_the_kenyan_alliance_and_the_climate_initiative(
    demo: None,
) -> None:
    client = client_for(User.objects.get(username="peer"))
    api = client.get(API, {"q": "county governments own revenue", "meaning": "false"}).json()
    assert "Fiscal Decentralisation Learning Alliance in Kenya" in {
        h["title"] for h in api["words"] if h["kind"] == "alliance"
    }
    html = client.get(reverse("search:search"), {"q": "Green Climate Fund accreditation"})
    assert "Climate Finance Integrity Learning Alliance" in html.content.decode()


@needs_model
@pytest.mark.django_db
def test_on_the_demo_a_question_in_other_words_finds_the_bus_park_ticket(
    demo: None, settings: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from peerlearn.search.tasks import encode_texts

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    peer = User.objects.get(username="peer")
    query = "who moved minibus owners from paying every morning to one pass a season"
    first = search(user=peer, query=query, kinds={"experience"})
    if first.meaning_pending:
        # More texts than a request encodes: they went to the worker's queue. Run it.
        assert not first.meaning
        for queued in DBTaskResult.objects.filter(task_path__endswith="encode_texts"):
            encode_texts.call(*queued.args_kwargs["args"])
    result = search(user=peer, query=query, kinds={"experience"})
    assert result.meaning_pending == 0
    assert result.meaning[0].title == "A seasonal ticket for bus parks"
    assert result.meaning[0].url.startswith("/peers/")
