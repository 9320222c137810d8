"""The concepts an explanation names are content words and phrases of the texts."""

from __future__ import annotations

import numpy as np

from peerlearn.matching import match_pairs
from peerlearn.matching.explain import Concepts
from peerlearn.matching.stopwords import concept_stop_words
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
    text = concepts.text
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
