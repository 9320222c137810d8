"""Peer profiles: text vectors plus structured features, and the scores built from them.

The group score between two peers is a dot product of feature vectors, so the sum over a
group is cheap to update and blocks of any size can be scored with one matrix product:

    w(i, j) = a * c_i.c_j + b/2 * (c_i.e_j + e_i.c_j) + t*[same theme] + s*[same stage]
              + o*[same organisation type]

where c and e are the unit vectors of the challenge and the experience texts and a, b, t, s,
o come from :class:`~peerlearn.matching.types.ScoreWeights`. The pair score is directional:
how well a provider's experience answers a seeker's challenge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.encoders import Encoder, Vectors, default_encoder, normalise_rows
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
            _frozen(self.challenge[idx]), _frozen(self.experience[idx]),
            _frozen(self.structured[idx]), self.weights, self.encoder,
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
        _one_hot([p.organisation_type.strip().casefold() for p in peers],
                 weights.organisation_type),
    ]
    return np.ascontiguousarray(np.hstack(parts), dtype=np.float32)


def build_profiles(
    peers: Sequence[Peer], encoder: Encoder | None = None, weights: ScoreWeights | None = None
) -> Profiles:
    """Encode every peer's challenge and experience and add the structured features.

    Both texts go through one ``encode`` call so corpus-fitted encoders (TF-IDF) put them
    in the same space.

    >>> from peerlearn.matching.encoders import TfidfEncoder
    >>> prof = build_profiles([Peer("a", challenge="tax audits"), Peer("b", experience="tax")],
    ...                       TfidfEncoder())
    >>> len(prof)
    2
    """
    encoder = encoder or default_encoder()
    weights = weights or ScoreWeights()
    texts = [p.challenge for p in peers] + [p.experience for p in peers]
    vectors = encoder.encode(texts) if peers else np.zeros((0, 1), dtype=np.float32)
    n = len(peers)
    return profiles_from_vectors(peers, vectors[:n], vectors[n:], weights, encoder.name)


def profiles_from_vectors(
    peers: Sequence[Peer],
    challenge: NDArray[np.floating],
    experience: NDArray[np.floating],
    weights: ScoreWeights | None = None,
    encoder: str = "precomputed",
) -> Profiles:
    """Profiles from embeddings computed elsewhere (for example read from a cache table)."""
    weights = weights or ScoreWeights()
    if challenge.shape[0] != len(peers) or experience.shape[0] != len(peers):
        raise ValueError("one challenge and one experience vector per peer are needed")
    return Profiles(
        _frozen(normalise_rows(challenge)), _frozen(normalise_rows(experience)),
        _frozen(structured_features(peers, weights)), weights, encoder,
        _frozen_int(np.array([p.reform_stage for p in peers], dtype=np.int64)),
    )


def group_weights(prof: Profiles, idx: NDArray[np.int64] | None = None) -> NDArray[np.float64]:
    """Symmetric matrix of group scores w(i, j) for the peers ``idx`` (zero diagonal)."""
    if idx is None:
        idx = np.arange(len(prof))
    w = prof.weights
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


def group_embedding(prof: Profiles) -> Vectors:
    """One vector per peer for clustering: what they seek, and a little of what they know.

    Built in one preallocated array, in slices: at 100,000 peers each full-size temporary is
    a fresh 150 MB allocation whose first touch alone costs a noticeable share of the run.
    """
    w = prof.weights
    n, d = prof.challenge.shape
    out: Vectors = np.empty((n, d + prof.structured.shape[1]), dtype=np.float32)
    a = np.float32(np.sqrt(w.challenge + w.complementary / 2))
    b = np.float32(np.sqrt(w.complementary / 2)) if w.complementary else None
    for start in range(0, n, _SLICE):
        stop = min(n, start + _SLICE)
        z = out[start:stop, :d]
        np.multiply(prof.challenge[start:stop], a, out=z)
        if b is not None:
            z += b * prof.experience[start:stop]
        out[start:stop, d:] = prof.structured[start:stop]
        rows = out[start:stop]
        norms = np.sqrt(np.einsum("ij,ij->i", rows, rows))[:, None]
        np.divide(rows, norms, out=rows, where=norms > 0)
    return out


#: Rows per slice when building large arrays in place (a few MB per temporary).
_SLICE = 8192


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
