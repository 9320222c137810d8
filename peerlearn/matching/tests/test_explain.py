"""The concepts an explanation names are content words and phrases of the texts."""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

from peerlearn.matching import GroupRules, match_groups, match_pairs
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.explain import Concepts, explain_group
from peerlearn.matching.features import build_profiles
from peerlearn.matching.stopwords import concept_stop_words, lone_concept, phrase_concept
from peerlearn.matching.types import Peer

# Texts that share their function words and filler ("two years ago", "we finished", "and
# data", "on our peers", "nous avons", "depuis") far more than their subjects.
POOL = [
    Peer(
        "a",
        languages=("en",),
        challenge="Two years ago we finished the design of e-invoicing and data sharing "
        "with our peers, but the tax arrears of small firms keep growing.",
        experience="We finished a reform of customs valuation on our peers' advice in 2019.",
    ),
    Peer(
        "b",
        languages=("en",),
        challenge="We want to learn how the work on customs valuation was done and how the "
        "data of the ministries is shared.",
        experience="Two years ago we finished e-invoicing for tax arrears and data sharing "
        "between agencies, with help from peers.",
    ),
    Peer(
        "c",
        languages=("fr",),
        challenge="Depuis deux ans nous avons des arriérés fiscaux et nous voulons "
        "apprendre de nos pairs sur la facturation électronique.",
        experience="Nous avons fini la facturation électronique il y a un an, avec les pairs.",
    ),
    Peer(
        "d",
        languages=("fr",),
        challenge="Nous cherchons comment réduire les arriérés fiscaux des petites "
        "entreprises, depuis un an.",
        experience="Nous avons réformé la facturation électronique et les arriérés fiscaux "
        "avec nos pairs.",
    ),
]


def _content(term: str) -> bool:
    stop = concept_stop_words()
    return all(len(w) >= 3 and w.isalpha() and w not in stop for w in term.split())


def test_concepts_hold_only_content_words_of_the_texts() -> None:
    concepts = Concepts.fit(POOL)
    found = set(concepts.shared(range(len(POOL)), limit=10))
    for seeker in range(len(POOL)):
        for provider in range(len(POOL)):
            found |= set(concepts.between(seeker, provider))
    assert found
    assert all(_content(term) for term in found), found
    assert not found & {"ago", "finished", "peers", "pairs", "and", "nous", "avons", "two", "years"}
    # Phrases of the texts come first: the shared subjects, not their words one by one.
    assert {"tax arrears", "arriérés fiscaux", "facturation électronique"} & found
    # A phrase is only kept where its words stand together in a text.
    text = "\n".join(" ".join(re.findall(r"\w+", t.casefold())) for t in _texts(POOL))
    assert all(term in text for term in found if " " in term)


def test_the_explanations_of_a_matching_name_content_words() -> None:
    result = match_pairs(POOL)
    named = {term for group in result.groups for term in group.explanation.shared_concepts}
    assert all(_content(term) for term in named), named


def test_a_pool_of_only_filler_has_no_concepts() -> None:
    pool = [
        Peer(str(i), challenge="We finished it two years ago.", experience="And so on.")
        for i in range(3)
    ]
    concepts = Concepts.fit(pool)
    assert concepts.shared([0, 1, 2]) == ()
    assert concepts.terms.size == 0 or not np.any(concepts.challenge.toarray())


def _texts(pool: list[Peer]) -> list[str]:
    return [p.challenge for p in pool] + [p.experience for p in pool]


# The per-peer lookups the batched ones replaced: dense rows over the whole vocabulary, and
# each term checked as it comes. The batched lookups must name the same terms.
def _reference_best(conc: Concepts, text: str, candidates, weight, limit):  # type: ignore[no-untyped-def]
    phrase = np.char.count(conc.terms[candidates].astype(str), " ") > 0
    ranked = weight[candidates] * np.where(phrase, 2.0, 1.0)
    out: list[str] = []
    for t in candidates[np.argsort(-ranked, kind="stable")]:
        term = str(conc.terms[t])
        assert " " not in term or term in text  # a phrase of the texts
        if not conc.rare[t]:
            continue
        if not (phrase_concept(term) if " " in term else lone_concept(term)):
            continue
        if any(term in kept or kept in term for kept in out):
            continue
        out.append(term)
        if len(out) >= limit:
            break
    return tuple(out)


def _reference_shared(conc: Concepts, text: str, rows: list[int]) -> tuple[str, ...]:
    if not conc.terms.size or len(rows) < 2:
        return ()
    sub = conc.challenge[rows] + conc.experience[rows]
    present = np.asarray((sub > 0).sum(axis=0)).ravel()
    weight = np.asarray(sub.sum(axis=0)).ravel()
    return _reference_best(conc, text, np.flatnonzero(present >= 2), weight, 5)


def _reference_between(conc: Concepts, text: str, s: int, p: int) -> tuple[str, ...]:
    if not conc.terms.size:
        return ()
    weight = np.asarray(conc.challenge[s].multiply(conc.experience[p]).todense()).ravel()
    return _reference_best(conc, text, np.flatnonzero(weight > 0), weight, 3)


_WORDS = [
    "tax",
    "arrears",
    "customs",
    "valuation",
    "payroll",
    "audit",
    "procurement",
    "e-invoicing",
    "the",
    "of",
    "and",
    "for",
    "with",
    "our",
    "peers",
    "two",
    "years",
    "ago",
    "data",
    "sharing",
    "grievance",
    "mechanism",
    "land",
    "registry",
    "pension",
    "reform",
    "2019",
    "nous",
    "avons",
    "la",
    "facturation",
    "électronique",
    "des",
    "arriérés",
    "fiscaux",
    "pour",
    "les",
]


def _word_pool(seed: int, n: int) -> list[Peer]:
    rng = np.random.default_rng(seed)

    def text() -> str:
        words = rng.choice(_WORDS, size=int(rng.integers(0, 25)))
        return " ".join(words) + ("." if rng.random() < 0.5 else "")

    return [Peer(str(i), languages=("en",), challenge=text(), experience=text()) for i in range(n)]


def test_batched_concepts_name_what_the_per_peer_lookups_named() -> None:
    for pool in [POOL, *(_word_pool(seed, 30) for seed in range(6))]:
        conc = Concepts.fit(pool)
        text = "\n".join(" ".join(re.findall(r"\w+", t.casefold())) for t in _texts(pool))
        n = len(pool)
        rng = np.random.default_rng(n)
        groups = [
            sorted(rng.choice(n, size=int(rng.integers(1, min(6, n + 1))), replace=False).tolist())
            for _ in range(20)
        ] + [list(range(n))]
        assert conc.shared_many(groups) == [_reference_shared(conc, text, g) for g in groups]
        pairs = [(s, p) for s in range(n) for p in range(n)]
        assert conc.between_many(pairs, chunk=7) == [
            _reference_between(conc, text, s, p) for s, p in pairs
        ]
        assert any(conc.between_many(pairs)), "the pools share some concepts"


def test_explaining_groups_together_gives_each_group_its_own_explanation() -> None:
    pool = _word_pool(11, 24)
    result = match_groups(
        pool, GroupRules(min_size=4, max_size=6, common_language=False), encoder=TfidfEncoder()
    )
    prof = build_profiles(pool, TfidfEncoder())
    conc = Concepts.fit(pool)
    index = {p.id: i for i, p in enumerate(pool)}
    assert result.groups
    for group in result.groups:
        members = np.array([index[m] for m in group.members], dtype=np.int64)
        assert group.explanation == explain_group(pool, members, prof, conc)
        assert len(group.explanation.contributions) == len(group.members)


def test_concept_matrices_stay_sparse() -> None:
    conc = Concepts.fit(_word_pool(3, 10))
    assert sparse.issparse(conc.challenge) and sparse.issparse(conc.experience)


def test_concepts_fitted_beside_equal_those_fitted_here(caplog) -> None:  # type: ignore[no-untyped-def]
    """A large pool's concepts come from a spawned process: the same terms, rows and
    phrases as fitting them in this process."""
    from peerlearn.matching import explain
    from peerlearn.matching.beside import second_process

    pool = POOL * 3
    here = Concepts.fit(pool)
    with second_process(True) as helper:
        there = explain.concepts_beside(pool, beside=helper)()
    assert there is not None
    assert there.terms.tolist() == here.terms.tolist()
    assert (there.challenge != here.challenge).nnz == 0
    assert (there.experience != here.experience).nnz == 0
    assert there.rare.tolist() == here.rare.tolist()
    assert there.phrase.tolist() == here.phrase.tolist()
    assert "second one failed" not in caplog.text  # fitted there, not here after all
    assert explain.concepts_beside(pool, enabled=False)() is None
