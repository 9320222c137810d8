"""An explanation names only concepts that mean something: a phrase both texts hold, or a
word that is specific across the pool — never a lone general word or a fragment ("on line",
"taxpayers and based", "outside and management", "revenue and share")."""

from __future__ import annotations

import numpy as np

from peerlearn.matching import match_pairs
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.explain import Concepts, explain_groups, explain_pair
from peerlearn.matching.features import build_profiles
from peerlearn.matching.types import Peer

#: The words the demo's explanations named as reasons, each meaning nothing alone.
FRAGMENTS = {
    "line",
    "country",
    "based",
    "share",
    "average",
    "documents",
    "outside",
    "management",
    "data",
    "system",
    "process",
    "new",
    "public",
}

SOPHIE = Peer(
    "sophie",
    name="Sophie Girard",
    languages=("en", "fr"),
    role="seeker",
    challenge="Linking performance contracts to results. Performance contracts are signed by "
    "senior managers only, and they are not cascaded to the staff who actually deliver the "
    "results. We want to learn how peers cascaded performance contracts to front-line staff "
    "and kept targets realistic and fair. Our budget for this is small, so we are looking "
    "for approaches that do not depend on expensive consultants.",
)
ASKAR = Peer(
    "askar",
    name="Askar Beisenov",
    languages=("en", "kk", "ru"),
    role="provider",
    experience="A confidential reporting line with independent follow-up. We opened a "
    "confidential reporting line run outside the management chain, promising to acknowledge "
    "every report within 10 days. Reports rose from a handful to about 30 a year, and most "
    "led to corrective action. We can host a short visit or set up a video call with the "
    "team that did the work.",
)
PRINCE = Peer(
    "prince",
    name="Prince Appiah",
    languages=("en",),
    role="seeker",
    challenge="Moving to risk-based audit selection. Our new leadership has asked us to solve "
    "this within the year. Audit cases are still selected by rotation and by instruction from "
    "above, and we suspect most of our effort goes on taxpayers who already comply. We want "
    "to learn how others built a risk engine for refunds and audit selection and persuaded "
    "management to trust it. Whatever we adopt has to work with unreliable internet outside "
    "the main towns.",
)
FAITH = Peer(
    "faith",
    name="Faith Mwende Kioko",
    languages=("en", "sw"),
    role="both",
    challenge="Building the skills of revenue staff. Many of our revenue officers came from "
    "the former local authorities and have had no training since; some struggle with the "
    "new systems and with explaining charges to taxpayers. We are looking for practical, "
    "low-cost ways to build skills, such as mentoring, job rotation or short courses.",
    experience="A weekly revenue dashboard by stream and ward. Every Monday we share a "
    "one-page dashboard with collections by stream and by ward against the same week last "
    "year, produced from the payment system with a simple spreadsheet and discussed in a "
    "thirty-minute meeting with the director.",
)
KWAME = Peer(
    "kwame",
    name="Kwame Mensah",
    languages=("en",),
    role="provider",
    experience="Risk-based audit selection for small taxpayers. We built a simple risk engine "
    "that scores every refund claim and return, based on the taxpayers' filing history and "
    "third-party data, and persuaded management to trust it with a pilot in two offices "
    "outside the capital. Audit selection by rotation ended and the yield per audit doubled.",
)
LINDA = Peer(
    "linda",
    name="Linda Achieng",
    languages=("en",),
    role="provider",
    experience="Cascading performance contracts to front-line staff. Performance contracts "
    "now reach every officer in the county, with targets agreed in a short meeting with each "
    "team and reviewed every quarter; the public can read the results online.",
)
JOSEPH = Peer(
    "joseph",
    name="Joseph Banda",
    languages=("en",),
    role="both",
    challenge="Ghost workers on the payroll. Our payroll still pays ghost workers in several "
    "districts and the country's documents on staff are out of date.",
    experience="A property tax valuation roll. We built a new valuation roll for property "
    "tax from aerial imagery, shared with the public and the country's land office, and the "
    "average bill is now based on market value.",
)
ANNA = Peer(
    "anna",
    name="Anna Mwale",
    languages=("en",),
    role="both",
    challenge="Collecting property tax in small towns. Our property tax register is decades "
    "old and the average bill is not based on value; documents are kept on paper.",
    experience="Removing ghost workers from the payroll. We matched the payroll against the "
    "civil service census and biometric data, and removed 4,000 ghost workers in a year; "
    "the new system now checks every month.",
)

POOL = [SOPHIE, ASKAR, PRINCE, FAITH, KWAME, LINDA, JOSEPH, ANNA]


def _index(peer: Peer) -> int:
    return POOL.index(peer)


def _named(conc: Concepts, seeker: Peer, provider: Peer) -> tuple[str, ...]:
    return conc.between(_index(seeker), _index(provider))


def _fragments(terms: tuple[str, ...]) -> set[str]:
    """The terms that are a lone word of :data:`FRAGMENTS`, and the words of a phrase that
    only make a fragment ("based audit", "outside management"). A phrase may hold a general
    word ("line staff", "data exchange")."""
    lone = {term for term in terms if term in FRAGMENTS}
    return lone | {w for term in terms for w in term.split() if w in FRAGMENT_WORDS}


#: Words no phrase should hold either.
FRAGMENT_WORDS = {"based", "share", "outside", "front"}


def test_texts_that_share_only_a_fragment_share_no_named_concept() -> None:
    """Her challenge is on performance contracts, his experience on a reporting line: the
    word "line" (her "front-line staff") is no reason for him to help her."""
    conc = Concepts.fit(POOL)
    assert _named(conc, SOPHIE, ASKAR) == ()
    explanation = explain_pair(POOL, _index(SOPHIE), _index(ASKAR), ())
    assert explanation.summary.code == "summary.pair"  # no "on …"
    assert str(explanation.summary) == "askar can help sophie"


def test_a_shared_phrase_is_named_and_its_fragments_are_not() -> None:
    conc = Concepts.fit(POOL)
    assert _named(conc, SOPHIE, LINDA)[0] == "performance contracts"
    assert "ghost workers" in _named(conc, JOSEPH, ANNA)
    assert "property tax" in _named(conc, ANNA, JOSEPH)
    prince = _named(conc, PRINCE, KWAME)
    assert "audit selection" in prince
    for seeker in POOL:
        for provider in POOL:
            named = _named(conc, seeker, provider)
            assert not _fragments(named), (seeker.id, provider.id, named)


def test_a_hyphenated_word_never_lends_a_part_to_a_phrase() -> None:
    """The re-check walk: "party data" named from "third-party data", "flow forecast" from
    "cash-flow forecast", "risk refunds" from "low-risk refunds"."""
    others = [p.challenge or p.experience for p in POOL]
    conc = Concepts.fit_texts(
        [
            "We buy third-party data to check refunds and a cash-flow forecast for treasury.",
            "Low-risk refunds wait weeks; we need a weekly cash-flow forecast.",
            *others,
        ],
        [
            "Our team cleaned third-party data and built a cash-flow forecast each week.",
            "Low-risk refunds are paid in days after automatic checks of third-party data.",
            *others,
        ],
    )
    named = {term for i in (0, 1) for j in (0, 1) for term in conc.between(i, j)}
    assert not named & {"party data", "flow forecast", "risk refunds"}, named
    assert "cash flow" in named, named


def test_a_prefix_a_hyphen_leaves_alone_is_not_a_concept() -> None:
    """A fresh install's walk: "Pedro can help Petra on pre", from "pre-filled" forms in
    both texts (and "self" of "self-assessment" alike)."""
    others = [p.challenge or p.experience for p in POOL]
    conc = Concepts.fit_texts(
        ["Citizens abandon pre-filled returns and the self-assessment form.", *others],
        ["We sent pre-filled forms by SMS and simplified the self-assessment.", *others],
    )
    named = set(conc.between(0, 0))
    assert not named & {"pre", "self"}, named
    assert "self assessment" in named, named


def test_a_group_names_neither_fragments_nor_general_words() -> None:
    """What each member brings and seeks, and the group's common ground (the run page's
    "Main shared concern"), name no fragment."""
    prof = build_profiles(POOL, TfidfEncoder())
    conc = Concepts.fit(POOL)
    groups = [np.arange(len(POOL), dtype=np.int64), np.array([2, 3, 4], dtype=np.int64)]
    for explanation in explain_groups(POOL, groups, prof, conc):
        assert not _fragments(explanation.shared_concepts), explanation.shared_concepts
        for contribution in explanation.contributions:
            for said in (contribution.brings, contribution.seeks):
                concepts = said.params.get("concepts", ())
                assert isinstance(concepts, tuple)
                assert not _fragments(concepts), str(said)
                assert not set(concepts) & {"based", "revenue", "share"}, str(said)


def test_a_word_common_across_the_pool_is_not_named_alone() -> None:
    """Among revenue officers, "taxpayers" is in most statements: it names nothing. A phrase
    the two texts share still does."""
    officers = [
        Peer(
            f"o{i}",
            languages=("en",),
            challenge=f"Serving taxpayers in district {name}. Queues of taxpayers are long "
            f"at the {name} office and {topic} is slow.",
            experience=f"Taxpayers in {name} now book visits; {topic} was simplified.",
        )
        for i, (name, topic) in enumerate(
            [
                ("Kisumu", "registration"),
                ("Nakuru", "valuation"),
                ("Eldoret", "licensing"),
                ("Thika", "arrears collection"),
                ("Machakos", "refund processing"),
                ("Kitui", "objection handling"),
                ("Nyeri", "stamp duty"),
                ("Embu", "rental income"),
            ]
        )
    ]
    pool = [*officers, PRINCE, KWAME]
    conc = Concepts.fit(pool)
    named = conc.between(len(officers), len(officers) + 1)
    assert "taxpayers" not in named
    assert "audit selection" in named and "risk engine" in named


def test_texts_in_french_spanish_and_russian_are_read_in_their_language() -> None:
    pool = [
        Peer(
            "fr1",
            languages=("fr",),
            challenge="Recouvrer l'impôt foncier dans les communes. La gestion des données "
            "du cadastre est manuelle et le pays manque de documents à jour.",
        ),
        Peer(
            "fr2",
            languages=("fr",),
            experience="Nous avons numérisé le cadastre et l'impôt foncier se paie en ligne ; "
            "la gestion des données est désormais centralisée dans le pays.",
        ),
        Peer(
            "es1",
            languages=("es",),
            challenge="Eliminar trabajadores fantasma de la nómina. La gestión de los datos "
            "del personal es un problema en todo el país.",
        ),
        Peer(
            "es2",
            languages=("es",),
            experience="Depuramos la nómina y retiramos trabajadores fantasma con un censo "
            "biométrico; la gestión de datos del personal es ahora mensual en el país.",
        ),
        Peer(
            "ru1",
            languages=("ru",),
            challenge="Мы хотим ввести налог на недвижимость, но управление данными в "
            "стране слабое.",
        ),
        Peer(
            "ru2",
            languages=("ru",),
            experience="Мы ввели налог на недвижимость и новое управление данными в стране.",
        ),
    ]
    conc = Concepts.fit(pool)
    french, spanish, russian = conc.between(0, 1), conc.between(2, 3), conc.between(4, 5)
    assert "impôt foncier" in french and "cadastre" in french
    assert "trabajadores fantasma" in spanish and "nómina" in spanish
    assert "недвижимость" in russian
    for general in ("gestion", "données", "pays", "gestión", "datos", "país", "personal"):
        assert general not in french + spanish, general
    assert "управление" not in russian and "стране" not in russian


def test_a_matching_of_pairs_explains_with_meaningful_concepts() -> None:
    result = match_pairs(POOL, encoder=TfidfEncoder())
    by_seeker = {group.seeker: group for group in result.groups}
    assert by_seeker["sophie"].provider == "linda"
    assert by_seeker["sophie"].explanation.shared_concepts[0] == "performance contracts"
    for group in result.groups:
        assert not _fragments(group.explanation.shared_concepts)
