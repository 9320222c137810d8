"""Peer profiles: text vectors plus structured features, and the scores built from them.

The group score between two peers is a dot product of feature vectors, so the sum over a
group is cheap to update and blocks of any size can be scored with one matrix product:

    w(i, j) = a * c_i.c_j + b/2 * (c_i.e_j + e_i.c_j) + t*[same theme] + s*[same stage]
              + o*[same organisation type]

where c and e are the unit vectors of the challenge and the experience texts and a, b, t, s,
o come from :class:`~peerlearn.matching.types.ScoreWeights` (the *texts* similarity). Under
the *peer vector* similarity (``ScoreWeights.peer_vector``, :mod:`peerlearn.matching.similarity`)
the text part is instead the cosine of one vector per peer, challenge plus half the
experience; :func:`grouping_profiles` gives the engine those vectors. The pair score is
directional: how well a provider's experience answers a seeker's challenge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.encoders import Encoder, Vectors, default_encoder, normalise_rows
from peerlearn.matching.progress import timed
from peerlearn.matching.similarity import ROWS_AT_A_TIME, blank_rows, centred, peer_vectors
from peerlearn.matching.types import Peer, ScoreWeights


@dataclass(frozen=True, slots=True)
class Profiles:
    """Vectors for a list of peers, row ``i`` for ``peers[i]``; arrays are read-only."""

    challenge: Vectors
    experience: Vectors
    structured: Vectors  # one-hot theme, stage and organisation type, pre-scaled by sqrt(weight)
    weights: ScoreWeights
    encoder: str
    stage: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.challenge.shape[0])

    def subset(self, idx: NDArray[np.int64]) -> Profiles:
        return Profiles(
            _frozen(self.challenge[idx]),
            _frozen(self.experience[idx]),
            _frozen(self.structured[idx]),
            self.weights,
            self.encoder,
            _frozen_int(self.stage[idx]),
        )


def _frozen(a: NDArray[np.floating]) -> Vectors:
    out = np.ascontiguousarray(a, dtype=np.float32)
    out.flags.writeable = False
    return out


def _frozen_int(a: NDArray[np.integer]) -> NDArray[np.int64]:
    out = np.ascontiguousarray(a, dtype=np.int64)
    out.flags.writeable = False
    return out


def _one_hot(values: Sequence[str], scale: float) -> NDArray[np.float32]:
    """One column per distinct non-empty value; empty values match nothing."""
    levels = sorted({v for v in values if v})
    out = np.zeros((len(values), len(levels)), dtype=np.float32)
    if not levels or scale <= 0:
        return out[:, :0]
    pos = {v: k for k, v in enumerate(levels)}
    for i, v in enumerate(values):
        if v:
            out[i, pos[v]] = np.sqrt(scale)
    return out


def structured_features(peers: Sequence[Peer], weights: ScoreWeights) -> Vectors:
    parts = [
        _one_hot([p.theme.strip().casefold() for p in peers], weights.theme),
        _one_hot([str(p.reform_stage) for p in peers], weights.stage),
        _one_hot(
            [p.organisation_type.strip().casefold() for p in peers], weights.organisation_type
        ),
    ]
    return np.ascontiguousarray(np.hstack(parts), dtype=np.float32)


def build_profiles(
    peers: Sequence[Peer], encoder: Encoder | None = None, weights: ScoreWeights | None = None
) -> Profiles:
    """Encode every peer's challenge and experience and add the structured features.

    Both texts go through one ``encode`` call so corpus-fitted encoders (TF-IDF) put them
    in the same space. A blank text gets a zero vector whatever the encoder made of it
    (a sentence model embeds the empty string like any other), so peers without an
    experience do not share one.

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> prof = build_profiles([Peer("a", challenge="tax audits"), Peer("b", experience="tax")],
    ...                       TfidfEncoder())
    >>> len(prof)
    2
    """
    encoder = encoder or default_encoder()
    challenge, experience = _encoded(peers, encoder)
    # Unit rows of an array no one else holds: kept as they are, not copied again.
    return _profiles(peers, challenge, experience, weights or ScoreWeights(), encoder.name)


def encode_peers(peers: Sequence[Peer], encoder: Encoder) -> tuple[Vectors, Vectors]:
    """The challenge and the experience vectors of ``peers`` from one ``encode`` call, with
    zero rows for blank texts (see :func:`build_profiles`): two views of one array, the
    encoder's own when it is a new float32 one (as the shipped encoders return), changed in
    place rather than copied (at 100,000 peers and 768 dimensions a copy is 600 MB)."""
    texts = [p.challenge for p in peers] + [p.experience for p in peers]
    with timed("encode"):
        vectors = encoder.encode(texts) if peers else np.zeros((0, 1), dtype=np.float32)
    owned = (
        isinstance(vectors, np.ndarray)
        and vectors.dtype == np.float32
        and vectors.base is None
        and vectors.flags.writeable
        and vectors.flags.c_contiguous
    )
    vectors = vectors if owned else np.array(vectors, dtype=np.float32)
    vectors[blank_rows(texts)] = 0
    n = len(peers)
    return vectors[:n], vectors[n:]


def _encoded(peers: Sequence[Peer], encoder: Encoder) -> tuple[Vectors, Vectors]:
    """:func:`encode_peers` with its rows scaled to unit length in place, a slice of rows at
    a time: the same numbers as ``normalise_rows`` without its copy.

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> c, e = _encoded([Peer("a", challenge="tax audit"), Peer("b", experience="tax")],
    ...                 TfidfEncoder())
    >>> np.linalg.norm(c, axis=1).round(3).tolist(), np.linalg.norm(e, axis=1).round(3).tolist()
    ([1.0, 0.0], [0.0, 1.0])
    """
    challenge, experience = encode_peers(peers, encoder)
    for vectors in (challenge, experience):
        for start in range(0, vectors.shape[0], ROWS_AT_A_TIME):
            rows = vectors[start : start + ROWS_AT_A_TIME]
            norms = np.linalg.norm(rows, axis=1, keepdims=True)
            np.divide(rows, norms, out=rows, where=norms > 0)
    return challenge, experience


def profiles_from_vectors(
    peers: Sequence[Peer],
    challenge: NDArray[np.floating],
    experience: NDArray[np.floating],
    weights: ScoreWeights | None = None,
    encoder: str = "precomputed",
) -> Profiles:
    """Profiles from embeddings computed elsewhere (for example read from a cache table);
    the vectors are taken as given, whatever the peers' text fields hold."""
    weights = weights or ScoreWeights()
    if challenge.shape[0] != len(peers) or experience.shape[0] != len(peers):
        raise ValueError("one challenge and one experience vector per peer are needed")
    return _profiles(peers, normalise_rows(challenge), normalise_rows(experience), weights, encoder)


def _profiles(
    peers: Sequence[Peer],
    challenge: NDArray[np.floating],
    experience: NDArray[np.floating],
    weights: ScoreWeights,
    encoder: str,
) -> Profiles:
    """Profiles holding ``challenge`` and ``experience`` (unit or zero rows, one per peer,
    arrays no caller will change) as they are."""
    return Profiles(
        _frozen(challenge),
        _frozen(experience),
        _frozen(structured_features(peers, weights)),
        weights,
        encoder,
        _frozen_int(np.array([p.reform_stage for p in peers], dtype=np.int64)),
    )


def grouping_profiles(prof: Profiles) -> Profiles:
    """The profiles the grouping engine scores: ``prof`` itself under the texts similarity,
    or, when ``prof.weights.peer_vector`` is set, one unit vector per peer in place of the
    challenge (:func:`~peerlearn.matching.similarity.peer_vectors`) with no experience and
    weights challenge 1, complementary 0, so every score, bound and embedding the engine
    computes is the peer vectors' cosine plus the structured bonuses. Explanations keep
    reading the texts of ``prof``.

    >>> peers = [Peer("a", challenge="tax", experience="audit"), Peer("b", challenge="tax audit")]
    >>> c, e = np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([[0.0, 1.0], [0.0, 0.0]])
    >>> prof = profiles_from_vectors(peers, c, e, ScoreWeights(theme=0.0))
    >>> round(float(group_weights(grouping_profiles(prof))[0, 1]), 3)
    0.949
    >>> texts = dataclasses.replace(prof, weights=ScoreWeights(theme=0.0, peer_vector=False))
    >>> round(float(group_weights(grouping_profiles(texts))[0, 1]), 3)
    1.061
    """
    w = prof.weights
    if not w.peer_vector:
        return prof
    n, d = prof.challenge.shape
    nothing = np.broadcast_to(np.zeros((1, d), dtype=np.float32), (n, d))
    return Profiles(
        _frozen(peer_vectors(prof.challenge, prof.experience, w.challenge, w.complementary)),
        nothing,
        prof.structured,
        dataclasses.replace(w, challenge=1.0, complementary=0.0, peer_vector=False),
        prof.encoder,
        prof.stage,
    )


def pairing_profiles(
    prof: Profiles, seekers: NDArray[np.int64], providers: NDArray[np.int64]
) -> Profiles:
    """The profiles the pairs solver scores: the seekers' challenges centred on their mean
    and the providers' experiences on theirs (:func:`~peerlearn.matching.similarity.centred`),
    so that :func:`pair_scores` compares what tells one challenge or experience from the
    others rather than what they all share. Other rows are as in ``prof``; explanations
    keep reading the texts.

    Three seekers and three providers, all on one subject (the first axis): the third
    provider speaks to everyone a little. Centred, each seeker's own provider stands out
    further from the rest:

    >>> peers = [Peer(f"s{i}", challenge="x") for i in range(3)]
    >>> peers += [Peer(f"p{i}", experience="y") for i in range(3)]
    >>> none = [0, 0, 0, 0]
    >>> c = np.array([[1, .3, 0, 0], [1, 0, .3, 0], [1, 0, 0, .3], none, none, none])
    >>> e = np.array([none, none, none, [1, .25, 0, 0], [1, 0, .25, 0], [1, .1, .1, .1]])
    >>> prof = profiles_from_vectors(peers, c, e, ScoreWeights(theme=0.0))
    >>> s, p = np.arange(3), np.arange(3, 6)
    >>> pair_scores(prof, s, p).astype(float).round(2).tolist()
    [[1.0, 0.93, 0.97], [0.93, 1.0, 0.97], [0.93, 0.93, 0.97]]
    >>> pair_scores(pairing_profiles(prof, s, p), s, p).astype(float).round(2).tolist()
    [[1.0, 0.83, 0.93], [0.83, 1.0, 0.93], [0.85, 0.85, 0.95]]
    """
    challenge = np.array(prof.challenge, dtype=np.float32)
    experience = np.array(prof.experience, dtype=np.float32)
    if seekers.size:
        challenge[seekers] = centred(challenge[seekers])
    if providers.size:
        experience[providers] = centred(experience[providers])
    return dataclasses.replace(prof, challenge=_frozen(challenge), experience=_frozen(experience))


def group_weights(prof: Profiles, idx: NDArray[np.int64] | None = None) -> NDArray[np.float64]:
    """Symmetric matrix of group scores w(i, j) for the peers ``idx`` (zero diagonal),
    under the similarity ``prof.weights`` names (the same as for :func:`grouping_profiles`)."""
    if idx is None:
        idx = np.arange(len(prof))
    w = prof.weights
    if w.peer_vector:
        u = peer_vectors(prof.challenge[idx], prof.experience[idx], w.challenge, w.complementary)
        s = prof.structured[idx]
        pm = u @ u.T
        if s.shape[1]:
            pm += s @ s.T
        pv = pm.astype(np.float64)
        np.fill_diagonal(pv, 0.0)
        return pv
    c = prof.challenge[idx]
    e = prof.experience[idx]
    s = prof.structured[idx]
    m = np.float32(w.challenge) * (c @ c.T)
    if w.complementary:
        ce = c @ e.T
        m += np.float32(w.complementary / 2) * (ce + ce.T)
    if s.shape[1]:
        m += s @ s.T
    out = m.astype(np.float64)
    np.fill_diagonal(out, 0.0)
    return out


class GroupEmbedding:
    """One vector per peer for clustering: what they seek, and a little of what they know,
    with the structured features (``structured=False`` leaves them out: the text alone).

    Rows are computed when asked for (``emb[rows]``) rather than stored: at 100,000 peers
    the whole matrix is a fresh 150 MB allocation whose first touch alone costs a
    noticeable share of a grouping run, and every reader wants some rows at a time.
    """

    def __init__(self, prof: Profiles, structured: bool = True) -> None:
        self.prof = prof
        self.structured = structured
        extra = prof.structured.shape[1] if structured else 0
        self.shape = (len(prof), prof.challenge.shape[1] + extra)
        w = prof.weights
        self._a = np.float32(np.sqrt(w.challenge + w.complementary / 2))
        self._b = np.float32(np.sqrt(w.complementary / 2)) if w.complementary else None

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, rows: NDArray[np.int64] | slice) -> Vectors:
        prof = self.prof
        d = prof.challenge.shape[1]
        c = prof.challenge[rows]
        out: Vectors = np.empty((c.shape[0], self.shape[1]), dtype=np.float32)
        z = out[:, :d]
        np.multiply(c, self._a, out=z)
        if self._b is not None:
            z += self._b * prof.experience[rows]
        if self.structured:
            out[:, d:] = prof.structured[rows]
        norms = np.sqrt(np.einsum("ij,ij->i", out, out))[:, None]
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def pair_scores(
    prof: Profiles, seekers: NDArray[np.int64], providers: NDArray[np.int64]
) -> NDArray[np.float32]:
    """Directional scores, seekers in rows: how well each provider answers each seeker.

    Cosine of the seeker's challenge and the provider's experience, plus the structured
    bonuses; a provider at the same or a later reform stage earns the stage bonus, since
    they have been where the seeker is.
    """
    w = prof.weights
    out = prof.challenge[seekers] @ prof.experience[providers].T
    s = prof.structured
    if s.shape[1]:
        out += s[seekers] @ s[providers].T
        # The structured product already counts "same stage"; add "later stage" on top.
        if w.stage:
            later = prof.stage[providers][None, :] > prof.stage[seekers][:, None]
            out += np.float32(w.stage) * later
    result: NDArray[np.float32] = out.astype(np.float32)
    return result
