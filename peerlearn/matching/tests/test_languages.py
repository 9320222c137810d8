"""Identifying the language of a pool's texts."""

from __future__ import annotations

import json
from pathlib import Path

import py3langid
import pytest
from py3langid import classify

from peerlearn.matching.languages import MIN_WORDS, SAMPLE, other_language_share

DATA = Path(__file__).resolve().parents[3] / "benchmarks" / "data"


def test_every_labelled_text_is_identified() -> None:
    pairs = json.loads((DATA / "labelled_pairs.json").read_text())["pairs"]
    for lang in ("en", "fr", "es", "ru"):
        texts = [p[f] for p in pairs if p["lang"] == lang for f in ("challenge", "experience")]
        assert other_language_share(texts, lang) == 0.0, lang
        assert other_language_share(texts, "de") == 1.0, lang


def test_short_texts_do_not_count() -> None:
    assert MIN_WORDS > 1
    assert other_language_share(["Audits", "ERP", "SMS alerts"]) == 0.0
    assert other_language_share(["ERP", "Les agents détournent les recettes du marché"]) == 1.0


def test_a_large_pool_is_sampled(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting(text: str) -> tuple[str, float]:
        calls.append(text)
        return classify(text)

    monkeypatch.setattr(py3langid, "classify", counting)
    english = "Traders at our markets avoid paying the daily fees"
    french = "Les commerçants refusent de payer les droits de marché"
    texts = [english, english, english, french] * SAMPLE
    share = other_language_share(texts)
    assert len(calls) == SAMPLE
    assert 0.2 < share < 0.3
    assert other_language_share(texts) == share  # the same pool, the same sample
