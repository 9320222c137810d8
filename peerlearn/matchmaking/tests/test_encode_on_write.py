"""Texts are encoded when they are written: one background task per transaction encodes the
pool texts of the peers whose challenges or experiences it saved."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction

from peerlearn.matching.encoders import text_key
from peerlearn.matchmaking import embeddings, signals
from peerlearn.matchmaking.embeddings import pool_texts
from peerlearn.matchmaking.models import EmbeddingVector
from peerlearn.matchmaking.tests.conftest import say
from peerlearn.matchmaking.tests.test_embeddings import CountingEncoder
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import statement_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_batch_left_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no batch waiting in this thread: a module's fixtures may have
    written with encoding on in a transaction that was rolled back, whose peers would ride
    along with this test's first task."""
    monkeypatch.setattr(signals, "_pending", threading.local())


@pytest.fixture
def counting(settings: Any, monkeypatch: pytest.MonkeyPatch) -> CountingEncoder:
    """Encoding on write turned on, with an encoder that records what it is given."""
    settings.PEERLEARN_ENCODE_ON_WRITE = True
    settings.PEERLEARN_MATCHING_ENCODER = "auto"
    encoder = CountingEncoder()
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: encoder)
    return encoder


@pytest.fixture
def warmed(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The peers of each encoding task, in order."""
    calls: list[list[int]] = []
    real = embeddings.embeddings_backlog

    def recording(**kwargs: Any) -> Any:
        calls.append(list(kwargs["peer_ids"]))
        return real(**kwargs)

    monkeypatch.setattr(embeddings, "embeddings_backlog", recording)
    return calls


def cached(texts: list[str]) -> set[str]:
    keys = {text_key("counting", t): t for t in texts}
    found = EmbeddingVector.objects.filter(key__in=keys).values_list("key", flat=True)
    return {keys[key] for key in found}


def test_writing_a_challenge_encodes_its_authors_texts(
    market: SimpleNamespace,
    counting: CountingEncoder,
    warmed: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    author, other = market.peers[0], market.peers[3]
    with django_capture_on_commit_callbacks(execute=True):
        say(author, Challenge, "Fees kept by collectors", "Collectors keep part of the cash fees.")
    assert warmed == [[author.id]]
    mine = [t for t in pool_texts([author.id]) if t]
    assert any("Collectors keep part of the cash fees." in t for t in mine)
    assert cached(mine) == set(mine)
    # And as search by meaning and the unmet demand read it.
    meaning = "Fees kept by collectors. Collectors keep part of the cash fees."
    assert cached([meaning]) == {meaning}
    # Nobody else's texts were encoded.
    theirs = set(pool_texts([other.id])) - set(mine) - {""}
    assert theirs and not theirs & set(counting.seen)


def test_an_edit_encodes_the_new_text(
    market: SimpleNamespace,
    counting: CountingEncoder,
    warmed: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    author = market.peers[3]
    statement = Experience.objects.filter(peer=author).first()
    assert statement is not None
    with django_capture_on_commit_callbacks(execute=True):
        statement_update(statement=statement, data={"description": "Mobile money at every gate."})
    assert warmed == [[author.id]]
    assert any("Mobile money at every gate." in t for t in counting.seen)


def test_one_task_per_transaction_whatever_it_writes(
    market: SimpleNamespace,
    counting: CountingEncoder,
    warmed: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for peer in market.peers[:3]:
            say(peer, Challenge, "Arrears", "Ratepayers owe three years of arrears.")
            say(peer, Experience, "Amnesty", "A penalty amnesty cleared half the arrears.")
    assert warmed == [sorted(p.id for p in market.peers[:3])]


def test_a_rolled_back_write_queues_nothing_and_stops_nothing(
    market: SimpleNamespace,
    counting: CountingEncoder,
    warmed: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as first,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        say(market.peers[1], Challenge, "Audit", "Our audit backlog is two years long.")
        raise RuntimeError("the request failed")
    assert first == [] and warmed == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        say(market.peers[2], Challenge, "Payroll", "Ghost workers fill our payroll.")
    # The next transaction queues its own task; the rolled-back author rides along, and
    # what they wrote in the failed transaction is never encoded.
    assert warmed == [sorted([market.peers[1].id, market.peers[2].id])]
    assert any("Ghost workers fill our payroll." in t for t in counting.seen)
    assert not any("Our audit backlog" in t for t in counting.seen)
    # Once queued, the batch starts afresh.
    with django_capture_on_commit_callbacks(execute=True):
        say(market.peers[3], Challenge, "Fees", "Collectors keep part of the cash fees.")
    assert warmed[-1] == [market.peers[3].id]


def test_nothing_is_queued_when_turned_off(
    market: SimpleNamespace,
    counting: CountingEncoder,
    warmed: list[list[int]],
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.PEERLEARN_ENCODE_ON_WRITE = False
    with django_capture_on_commit_callbacks(execute=True):
        say(market.peers[0], Challenge, "Fees", "Collectors keep part of the cash fees.")
    assert warmed == [] and counting.seen == []


def test_tfidf_has_nothing_to_encode(
    market: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PEERLEARN_ENCODE_ON_WRITE = True
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"
    before = EmbeddingVector.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        say(market.peers[0], Challenge, "Fees", "Collectors keep part of the cash fees.")
    assert EmbeddingVector.objects.count() == before


@pytest.fixture
def fresh_mix(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each process's reading of the language mix forgotten; the number of readings."""
    monkeypatch.setattr(embeddings, "_mix_read", [])
    reads: list[int] = []
    real = embeddings._language_sample

    def counting_sample(size: int = 500) -> list[str]:
        reads.append(size)
        return real(size)

    monkeypatch.setattr(embeddings, "_language_sample", counting_sample)
    return reads


def test_the_language_mix_is_read_once_per_period_for_every_kind(
    market: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch, fresh_mix: list[int]
) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"
    clock = [1000.0]
    monkeypatch.setattr(embeddings.time, "monotonic", lambda: clock[0])
    assert embeddings.platform_encoder("pairs").name == "tfidf"
    assert fresh_mix == []  # a named encoder: the languages cannot change it
    settings.PEERLEARN_MATCHING_ENCODER = "auto"
    for kind in ("pairs", "groups", "team", "texts", "pairs"):
        embeddings.platform_encoder(kind)
    assert len(fresh_mix) == 1  # one reading serves every kind
    clock[0] += embeddings.LANGUAGE_MIX_SECONDS - 1
    embeddings.texts_encoder()
    assert len(fresh_mix) == 1
    clock[0] += 1
    embeddings.texts_encoder()
    assert len(fresh_mix) == 2
    # Without the multilingual model the languages cannot change the choice: not read.
    from peerlearn.matching import multilingual

    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: False)
    clock[0] += embeddings.LANGUAGE_MIX_SECONDS
    embeddings.platform_encoder("pairs")
    assert len(fresh_mix) == 2


FRENCH = [
    "Les commerçants refusent de payer les droits de marché chaque jour.",
    "Nous avons numérisé le registre foncier et les litiges ont baissé de moitié.",
    "Les enseignants fantômes pèsent sur la masse salariale du ministère.",
]


def test_a_platform_written_mostly_in_another_language_reads_with_the_multilingual_model(
    market: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch, fresh_mix: list[int]
) -> None:
    from peerlearn.matching import minilm, mpnet, multilingual

    settings.PEERLEARN_MATCHING_ENCODER = "auto"
    for module in (minilm, mpnet):
        monkeypatch.setattr(module, "available", lambda: True)
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: True)
    monkeypatch.setattr(
        embeddings, "_base_encoder", lambda name: SimpleNamespace(name=name, cacheable=True)
    )
    assert embeddings.platform_encoder("groups").name == "mpnet"  # the market's English
    assert embeddings.texts_encoder().name == "minilm"  # the light model, for web requests
    for model in (Challenge, Experience):
        for i, statement in enumerate(model.objects.all()):
            statement.title, statement.description = "", FRENCH[i % len(FRENCH)]
            statement.save()
    fresh_mix.clear()
    embeddings._mix_read.clear()
    assert embeddings.platform_encoder("groups").name == "multilingual"
    assert embeddings.platform_encoder("team").name == "multilingual"
    assert embeddings.platform_encoder("pairs").name == "multilingual"
    assert embeddings.texts_encoder().name == "multilingual"  # searches read French too


def test_the_language_sample_reads_only_what_may_enter_a_pool(market: SimpleNamespace) -> None:
    say(market.peers[0], Challenge, "Shared", "Our rates roll is ten years out of date.")
    say(market.peers[1], Challenge, "Kept", "A grievance about my director.", visibility="private")
    sample = embeddings._language_sample()
    assert any("ten years out of date" in t for t in sample)
    assert not any("grievance about my director" in t for t in sample)
