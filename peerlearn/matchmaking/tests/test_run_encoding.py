"""A run and the worker's backlog: the texts a worker finds not cached when it starts are
queued in short batches below the runs, and a run encodes its own pool's missing texts
itself, saying how many, instead of waiting for the backlog of texts outside its pool."""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from peerlearn.conftest import make_peer
from peerlearn.core.models import Theme
from peerlearn.core.schedule import PRIORITY_BACKGROUND, PRIORITY_WAITED_FOR
from peerlearn.matching import CachedEncoder
from peerlearn.matching.encoders import text_key
from peerlearn.matchmaking import embeddings, tasks
from peerlearn.matchmaking.embeddings import (
    DatabaseEmbeddingCache,
    embeddings_queue,
    pool_texts,
)
from peerlearn.matchmaking.management.commands import worker
from peerlearn.matchmaking.models import EmbeddingVector, MatchingRun, RunStatus
from peerlearn.matchmaking.tests.conftest import say
from peerlearn.matchmaking.tests.test_embeddings import CountingEncoder
from peerlearn.matchmaking.tests.test_tasks import client_for, queue_pairs, work
from peerlearn.peers.models import Experience, PeerProfile

pytestmark = pytest.mark.django_db

BATCH = "peerlearn.matchmaking.tasks.encode_batch"
RUN = "peerlearn.matchmaking.tasks.run_matching"


@pytest.fixture
def queue(settings: Any) -> None:
    """The platform's real queue: tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def counting(settings: Any, monkeypatch: pytest.MonkeyPatch) -> CountingEncoder:
    """A cacheable encoder for every choice (the sentence models' place), recording what it
    is given; the worker's start and writes encode as on a platform."""
    settings.PEERLEARN_MATCHING_ENCODER = "auto"
    settings.PEERLEARN_ENCODE_ON_WRITE = True
    encoder = CountingEncoder()
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: encoder)
    return encoder


@pytest.fixture
def elsewhere(market: SimpleNamespace, settings: Any) -> list[str]:
    """Twelve peers writing on another theme than the run's: their texts are in the
    worker's backlog, never in the run's pool. Written before encoding on write is on."""
    settings.PEERLEARN_ENCODE_ON_WRITE = False
    theme = Theme.objects.exclude(slug="revenue-pfm").order_by("slug").first()
    assert theme is not None
    peers = [make_peer(f"far{i}", market.orgs[i % 6]) for i in range(12)]
    for i, peer in enumerate(peers):
        say(
            peer, Experience, f"Procurement {i}", f"Open contracting, lesson {i}.", theme=theme.slug
        )
    settings.PEERLEARN_ENCODE_ON_WRITE = True
    return [t for t in pool_texts([p.id for p in peers]) if t]


def is_cached(text: str) -> bool:
    return EmbeddingVector.objects.filter(key=text_key("counting", text)).exists()


def test_the_workers_start_queues_its_backlog_in_short_batches_below_runs(
    market: SimpleNamespace,
    elsewhere: list[str],
    counting: CountingEncoder,
    queue: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(worker, "matching_warm_up", lambda: None)
    monkeypatch.setattr(embeddings, "BACKLOG_BATCH", 4)
    # The warm-up thread closes its connections when done; here it shares the test's.
    monkeypatch.setattr(f"{worker.__name__}.connections.close_all", lambda: None)
    worker._warm_up()
    # Nothing encoded at the start itself: queued, in batches of four texts.
    assert counting.seen == [] and not any(is_cached(t) for t in elsewhere)
    batches = list(DBTaskResult.objects.filter(task_path=BATCH).order_by("enqueued_at"))
    assert len(batches) > 3
    assert all(len(b.args_kwargs["args"][1]) <= 4 for b in batches)
    assert {b.priority for b in batches} == {PRIORITY_BACKGROUND} and PRIORITY_BACKGROUND < (
        PRIORITY_WAITED_FOR
    )
    # The last names the whole backlog, for the log.
    assert [bool(b.args_kwargs["args"][2]) for b in batches][-2:] == [False, True]
    work()
    assert all(is_cached(t) for t in elsewhere)
    assert len(counting.seen) == len(set(counting.seen)), "each text encoded once"
    assert re.search(
        r"\d+ texts: \d+ encodings made with counting, \d+ already cached", caplog.text
    )


def test_a_run_encodes_its_pool_without_waiting_for_the_backlog(
    market: SimpleNamespace,
    elsewhere: list[str],
    counting: CountingEncoder,
    queue: None,
) -> None:
    queued = embeddings_queue(batch=4)
    assert queued.batches > 3
    run = queue_pairs(market)  # asked for after the backlog was queued
    work()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.proposals.count() == 3
    assert run.failure == {}
    tasks_run = {t.id: t for t in DBTaskResult.objects.all()}
    (matching,) = [t for t in tasks_run.values() if t.task_path == RUN]
    backlog = [t for t in tasks_run.values() if t.task_path == BATCH]
    assert matching.finished_at is not None
    # The run went first, and did not need the backlog: it encoded its own pool.
    assert all(matching.finished_at <= t.started_at for t in backlog if t.started_at)
    first_backlog_text = next(t for t in counting.seen if t in set(elsewhere))
    encoded_by_run = counting.seen[: counting.seen.index(first_backlog_text)]
    assert any("market fees" in t.lower() for t in encoded_by_run)
    assert not set(encoded_by_run) & set(elsewhere)
    # The backlog then skipped what the run had cached.
    assert len(counting.seen) == len(set(counting.seen))


def test_the_run_page_says_how_many_texts_of_its_pool_are_being_encoded(
    market: SimpleNamespace,
    counting: CountingEncoder,
    queue: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embeddings, "POOL_CHUNK", 2)
    monkeypatch.setattr(tasks, "PROGRESS_EVERY", 0.0)
    run = queue_pairs(market)
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[run.id])
    seen_on_page: list[str] = []
    api_waiting: list[list[str]] = []
    real = counting.encode

    def encode_and_look(texts: Sequence[str]) -> Any:
        # While the worker encodes, the facilitator's page polls the progress.
        page = client.get(f"{url}?fragment=progress", headers={"HX-Request": "true"})
        seen_on_page.append(page.content.decode())
        api_waiting.append(client.get(f"/api/v1/matching/runs/{run.id}").json()["waiting"])
        return real(texts)

    monkeypatch.setattr(counting, "encode", encode_and_look)
    work()
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    total = len(set(counting.seen))
    assert total > 4 and len(counting.seen) == total, "each text of the pool encoded once"
    sentences = [
        re.sub(r"\s+", " ", p.split('class="run-waiting">', 1)[1].split("</p>", 1)[0])
        for p in seen_on_page
    ]
    # Before each chunk of two: how many of the pool's missing texts are done.
    expected = [
        f"Encoding the {total} texts of this pool not encoded before: {done} done."
        for done in range(0, total, 2)
    ]
    assert sentences == expected
    assert all("Reading the statements" in p for p in seen_on_page)
    assert api_waiting[1] == [expected[1]]


def test_a_run_reads_what_another_worker_cached_while_it_encoded(
    market: SimpleNamespace,
    counting: CountingEncoder,
    queue: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embeddings, "POOL_CHUNK", 2)
    queue_pairs(market)
    work()
    pool = set(counting.seen)  # what the run encodes on an empty cache
    EmbeddingVector.objects.all().delete()
    counting.seen.clear()
    asked: list[list[str]] = []
    taken: list[str] = []
    real = counting.encode

    def meanwhile(texts: Sequence[str]) -> Any:
        asked.append(list(texts))
        if len(asked) == 1:
            # Another worker caches a text of this pool while this chunk is encoded.
            later = sorted(t for t in pool if t not in texts)
            DatabaseEmbeddingCache().put_many(
                {text_key("counting", later[-1]): np.ones(8, dtype=np.float32)}
            )
            taken.append(later[-1])
        return real(texts)

    monkeypatch.setattr(counting, "encode", meanwhile)
    queue_pairs(market, rules={"provider_capacity": 2})
    work()
    assert MatchingRun.objects.filter(status=RunStatus.DRAFT).count() == 2
    assert len(pool) > 2 and taken
    assert set(counting.seen) == pool - set(taken), "read, not encoded again"


def test_two_workers_caching_the_same_text_keep_one_row_and_no_error() -> None:
    """Each read the cache before the other wrote: both encode, both write."""

    class ReadBeforeTheOtherWrote(DatabaseEmbeddingCache):
        def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
            return {}

    first, second = CountingEncoder(), CountingEncoder()
    with transaction.atomic():
        CachedEncoder(first, DatabaseEmbeddingCache()).encode(["market fees"])
        again = CachedEncoder(second, ReadBeforeTheOtherWrote()).encode(["market fees"])
        # The transaction is still usable (PostgreSQL aborts one on a failed insert).
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    assert first.seen == second.seen == ["market fees"] and again.shape == (1, 8)
    assert EmbeddingVector.objects.filter(key=text_key("counting", "market fees")).count() == 1


def test_a_write_of_many_peers_queues_batches_and_a_few_are_encoded_at_once(
    market: SimpleNamespace,
    counting: CountingEncoder,
    elsewhere: list[str],
    queue: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embeddings, "BACKLOG_BATCH", 4)
    monkeypatch.setattr(tasks, "ENCODE_BATCH", 3)
    few = tasks.encode_statements.call([market.peers[0].id])
    assert 0 < few <= 3 and DBTaskResult.objects.filter(task_path=BATCH).count() == 0
    everyone = [p.id for p in market.peers[1:]] + list(
        PeerProfile.objects.filter(user__username__startswith="far").values_list("id", flat=True)
    )
    many = tasks.encode_statements.call(everyone)
    assert many > 3 and DBTaskResult.objects.filter(task_path=BATCH).exists()
    assert not any(is_cached(t) for t in elsewhere)
    work()
    assert all(is_cached(t) for t in elsewhere)
