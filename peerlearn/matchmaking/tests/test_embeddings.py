"""The database embedding cache: each text is encoded once, and again only when it changes."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from io import StringIO
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import LearningAlliance
from peerlearn.core.models import Theme
from peerlearn.matching import CachedEncoder
from peerlearn.matching.cache import MemoryCache
from peerlearn.matchmaking import embeddings
from peerlearn.matchmaking.embeddings import (
    DatabaseEmbeddingCache,
    embeddings_warm,
    encode_in_turn,
    pool_texts,
)
from peerlearn.matchmaking.models import EmbeddingVector
from peerlearn.matchmaking.services import matching_run_create
from peerlearn.peers.models import Challenge, Experience

pytestmark = pytest.mark.django_db


class CountingEncoder:
    """A cacheable encoder that records every text it is asked to encode."""

    name = "counting"
    cacheable = True

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> Any:
        self.seen.extend(texts)
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, len(text) % 8] = 1.0
        return out


def test_vectors_round_trip_as_float32_bytes() -> None:
    cache = DatabaseEmbeddingCache()
    vector = np.array([0.25, -1.5, 3.0], dtype=np.float32)
    cache.put_many({"k": vector})
    cache.put_many({"k": np.zeros(3, dtype=np.float32)})  # a repeat keeps the first
    got = cache.get_many(["k", "missing"])
    assert list(got) == ["k"]
    assert got["k"].dtype == np.float32 and got["k"].tolist() == [0.25, -1.5, 3.0]


def test_a_truncated_row_is_recomputed_not_trusted() -> None:
    EmbeddingVector.objects.create(key="bad", dim=4, vector=np.ones(2, np.float32).tobytes())
    assert DatabaseEmbeddingCache().get_many(["bad"]) == {}


def test_texts_are_encoded_once_and_again_only_when_changed() -> None:
    base = CountingEncoder()
    encoder = CachedEncoder(base, DatabaseEmbeddingCache())
    encoder.encode(["market fees", "audit backlog", "market fees"])
    assert sorted(base.seen) == ["audit backlog", "market fees"]
    base.seen.clear()
    again = encoder.encode(["audit backlog", "market fees"])
    assert base.seen == [] and again.shape == (2, 8)
    encoder.encode(["audit backlog", "market fees, now by mobile money"])
    assert base.seen == ["market fees, now by mobile money"]
    assert EmbeddingVector.objects.count() == 3


def test_encoding_beside_other_encoding_waits_its_turn_and_reads_what_was_made() -> None:
    """The worker's start and a task beside it, asking for the same texts at once: the
    second waits for the first and encodes only what the first did not."""
    inside, release = threading.Event(), threading.Event()

    class Slow(CountingEncoder):
        def encode(self, texts: Sequence[str]) -> Any:
            inside.set()
            release.wait(5)
            return super().encode(texts)

    base = Slow()
    encoder = CachedEncoder(base, MemoryCache())
    first = threading.Thread(target=encode_in_turn, args=(encoder, ["fees", "audits"]))
    first.start()
    assert inside.wait(5)
    second = threading.Thread(target=encode_in_turn, args=(encoder, ["audits", "fees", "rates"]))
    second.start()
    time.sleep(0.1)  # the second reaches its turn (without turns it would encode all three)
    release.set()
    first.join(5)
    second.join(5)
    assert base.seen == ["fees", "audits", "rates"]


def test_a_second_run_reads_the_cache(
    market: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = CountingEncoder()
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: base)

    def run() -> Any:
        return matching_run_create(
            created_by=market.facilitator,
            kind="groups",
            source="theme",
            theme="revenue-pfm",
            alliance_name="Groups",
        )

    first = run()
    assert first.encoder == "counting" and base.seen
    base.seen.clear()
    run()
    assert base.seen == []
    Challenge.objects.filter(peer=market.peers[0]).update(description="Something new.")
    run()
    assert len(base.seen) == 1 and "Something new." in base.seen[0]


def test_the_encoder_follows_the_setting(settings: Any) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"
    assert embeddings.matching_encoder().name == "tfidf"


def test_precomputed_texts_are_all_a_matching_needs(
    market: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = CountingEncoder()
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: base)
    # An alliance-only statement: the administrator's pools read it, a facilitator's not.
    alliance = LearningAlliance.objects.create(
        name="Revenue circle", slug="revenue-circle", theme=Theme.objects.get(slug="revenue-pfm")
    )
    Challenge.objects.create(
        peer=market.peers[1],
        theme=alliance.theme,
        title="Rates appeals",
        description="Appeals against valuations stall collection.",
        visibility=Visibility.ALLIANCE,
        alliance=alliance,
    )
    texts = pool_texts()
    assert any("Appeals against" in t for t in texts)  # as the administrator reads it
    assert any("Property rates" in t and "Appeals" not in t for t in texts)  # and not
    warmed = embeddings_warm()
    assert warmed.encoder == "counting" and warmed.encoded == warmed.texts > 0
    assert len(base.seen) == warmed.texts
    base.seen.clear()
    assert embeddings_warm().encoded == 0 and base.seen == []
    for user, source in (
        (market.facilitator, "theme"),
        (market.facilitator, "peers"),
        (market.admin, "theme"),
        (market.admin, "peers"),
    ):
        matching_run_create(
            created_by=user,
            kind="groups",
            source=source,
            theme="revenue-pfm",
            alliance_name="Groups",
        )
        assert base.seen == [], (user.username, source)


def test_the_warm_up_counts_as_cached_what_a_task_encoded_meanwhile(
    market: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = CountingEncoder()
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: base)
    real_turn = embeddings.encode_in_turn
    by_task: list[str] = []

    def a_task_went_first(encoder: CachedEncoder, texts: Sequence[str]) -> None:
        # A write's task, beside the warm-up, encodes half of its batch just before its turn.
        half = list(texts)[: len(texts) // 2]
        CachedEncoder(base, DatabaseEmbeddingCache()).encode(half)
        by_task.extend(half)
        real_turn(encoder, texts)

    monkeypatch.setattr(embeddings, "encode_in_turn", a_task_went_first)
    warmed = embeddings_warm()
    assert by_task and warmed.encoded == warmed.texts - len(by_task)
    assert warmed.cached == len(by_task)
    assert len(base.seen) == warmed.texts  # every text encoded once, by one or the other


def test_nothing_to_precompute_with_tfidf(settings: Any) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = "tfidf"
    out = StringIO()
    call_command("embed", stdout=out)
    assert "fits each pool afresh; nothing to precompute" in out.getvalue()
    assert not EmbeddingVector.objects.exists()


def test_the_command_reports_what_it_encoded(
    market: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: CountingEncoder())
    out = StringIO()
    call_command("embed", stdout=out)
    first = out.getvalue()
    assert "encodings made now with counting, 0 already cached" in first
    out = StringIO()
    call_command("embed", stdout=out)
    assert ": 0 encodings made now with counting," in out.getvalue()


def test_the_mpnet_setting_chooses_all_mpnet_base_v2(settings: Any) -> None:
    # Naming the encoder loads nothing: the weights are read at the first encoding.
    settings.PEERLEARN_MATCHING_ENCODER = "mpnet"
    assert embeddings.matching_encoder().name == "all-mpnet-base-v2"


@pytest.mark.parametrize(
    ("setting", "name"),
    [
        ("multilingual", "multilingual-e5-small"),
        ("multilingual-e5-small", "multilingual-e5-small"),
        ("use-multilingual", "use-multilingual-v3"),
    ],
)
def test_the_multilingual_settings_choose_their_model(
    settings: Any, setting: str, name: str
) -> None:
    settings.PEERLEARN_MATCHING_ENCODER = setting
    assert embeddings.matching_encoder().name == name


@pytest.mark.parametrize("value", ["auto", "", "Multilingual", "multilingual-e5-small", "TFIDF"])
def test_every_documented_encoder_name_passes_the_start_up_check(settings: Any, value: str) -> None:
    from peerlearn.matchmaking.checks import matching_encoder_check

    settings.PEERLEARN_MATCHING_ENCODER = value
    assert matching_encoder_check() == []


def test_a_misspelt_encoder_fails_the_start_up_check(settings: Any, tmp_path: Any) -> None:
    from peerlearn.matchmaking.checks import matching_encoder_check

    settings.PEERLEARN_MATCHING_ENCODER = "multilingal"
    [error] = matching_encoder_check()
    assert error.id == "matchmaking.E001"
    assert "use auto, minilm, mpnet, multilingual, use-multilingual, tfidf" in error.msg
    settings.PEERLEARN_MATCHING_ENCODER = str(tmp_path)  # a model folder
    assert matching_encoder_check() == []


def test_a_named_model_that_is_not_installed_fails_the_start_up_check(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Refused at start, naming the install, rather than failing every matching run later.
    from peerlearn.matching import mpnet
    from peerlearn.matchmaking.checks import matching_encoder_check

    monkeypatch.setattr(mpnet, "available", lambda: False)
    settings.PEERLEARN_MATCHING_ENCODER = "mpnet"
    [error] = matching_encoder_check()
    assert error.id == "matchmaking.E001"
    assert "'mpnet' needs a model that is not installed: make install-mpnet" in error.msg


def test_pairs_in_several_languages_use_the_multilingual_model(
    market: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerlearn.matching import minilm, mpnet, multilingual
    from peerlearn.matchmaking.tests.conftest import say

    settings.PEERLEARN_MATCHING_ENCODER = "auto"
    monkeypatch.setattr(minilm, "available", lambda: True)
    monkeypatch.setattr(mpnet, "available", lambda: True)
    monkeypatch.setattr(multilingual, "available", lambda name=multilingual.E5_NAME: True)
    asked: list[str] = []

    def base(name: str) -> CountingEncoder:
        asked.append(name)
        return CountingEncoder()

    monkeypatch.setattr(embeddings, "_base_encoder", base)

    def run(kind: str) -> None:
        matching_run_create(
            created_by=market.facilitator,
            kind=kind,
            source="theme",
            theme="revenue-pfm",
            alliance_name="Circle",
        )

    for i, peer in enumerate(market.peers):
        say(
            peer,
            Experience,
            f"Revenue lesson {i}",
            f"Our county learned lesson {i} about collecting revenue without leaks.",
        )
    run("pairs")
    assert asked == ["mpnet"]  # every text in English
    say(
        market.peers[1],
        Challenge,
        "Droits de marché",
        "Les collecteurs gardent une partie des droits de marché payés en espèces.",
    )
    run("pairs")
    assert asked[-1] == "mpnet"  # one text in another language: not enough to switch
    say(
        market.peers[4],
        Experience,
        "Paiement mobile",
        "Nous avons remplacé les espèces par le paiement mobile et les fuites ont baissé.",
    )
    asked.clear()
    run("pairs")
    run("groups")
    assert asked == ["multilingual", "mpnet"]
    # The warm-up caches both: what groups and what pairs will read.
    asked.clear()
    embeddings_warm()
    assert sorted(set(asked)) == ["minilm", "mpnet", "multilingual"]
    # A pool written mostly in French: groups and teams read it with the multilingual model.
    for model in (Challenge, Experience):
        for statement in model.objects.all():
            statement.description = (
                f"Les collecteurs gardent une partie des droits ({statement.pk})."
            )
            statement.save()
    asked.clear()
    run("groups")
    assert asked == ["multilingual"]


@pytest.mark.parametrize(("setting", "loads"), [("auto", True), ("tfidf", False)])
def test_the_worker_loads_the_language_identifier_under_auto(
    settings: Any, monkeypatch: pytest.MonkeyPatch, setting: str, loads: bool
) -> None:
    from peerlearn.matching import languages

    settings.PEERLEARN_MATCHING_ENCODER = setting
    monkeypatch.setattr(embeddings, "_base_encoder", lambda name: CountingEncoder())
    # The platform's languages, read apart (a query), are not what this test is about.
    monkeypatch.setattr(embeddings, "_platform_languages", lambda: (0, 0))
    called: list[list[str]] = []
    monkeypatch.setattr(
        languages, "other_language_count", lambda texts, language="en": called.append(texts)
    )
    embeddings.matching_warm_up()
    assert bool(called) is loads
