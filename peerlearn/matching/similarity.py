"""How two peers' texts become one similarity for grouping: one vector per peer.

A peer writes two texts, a challenge (what they want to learn) and an experience (what they
can share). The *texts* similarity mixes their cosines with the score weights:

    w(i, j) = a * c_i.c_j + b/2 * (c_i.e_j + e_i.c_j)

The *peer vector* similarity, which the *common challenges* and *same stage* methods use
(``ScoreWeights.peer_vector``), first adds each peer's two texts into one unit vector, what
they seek and what they know, then takes its cosine:

    u_i = (sqrt(a) c_i + h sqrt(b) e_i) / |sqrt(a) c_i + h sqrt(b) e_i|,   w(i, j) = u_i.u_j

with ``h`` = :data:`EXPERIENCE_SCALE` (0.5): what a peer knows counts, but their challenge,
what the group is about, leads.

It counts what two peers know in common (e_i.e_j), which the texts similarity leaves out,
and it gives every peer the same say: a peer whose two texts point in one direction does
not pull a group towards them twice. Empty texts are zero vectors (a peer with no
experience yet is their challenge alone), never the encoder's vector of an empty string.
On the hand-written topic sets (``benchmarks/topics.py``) it groups ``topics72`` at an
adjusted Rand index of 0.81 instead of 0.76 with all-MiniLM-L6-v2, and the held-out set as
before (0.84). ``h`` = 1 (challenge and experience alike) gave the same 0.81 there, but on
the synthetic pools of ``benchmarks/matching.py``, where an experience often lies in
another topic than its challenge, it lowered the groups' mean challenge cosine by a fifth;
with 0.5 it stays within 0.01 of the texts similarity's. The *complementary* method keeps
the texts similarity: its point is the directional "one's experience answers another's
challenge" term.

The peer vector is a plain vector per peer, so everything the grouping engine does with
vectors stays as it is at any pool size: blocks' weights are one matrix product, the
bound's Cauchy-Schwarz summaries hold, and nothing is quadratic in the pool. It costs one
extra n x d array (150 MB at 100,000 peers and 384 dimensions).

Sharper similarities were measured on the same sets and not adopted (docs/benchmarks.md,
"Do groups follow the topics?"): kernels on the cosine (exp(w/tau), (w - baseline)^p),
shared-nearest-neighbour, mutual-kNN and self-tuning kernels, and spectral embeddings of
the kNN graph all grouped ``topics72`` no better than the plain cosine, and most worse. A
per-peer shift such as CSLS (w - r_i/2 - r_j/2, r the mean of a peer's k best scores)
changes nothing at all: in groups of equal size, as in pairs where every seeker and
provider is paired once, the shifts add up to the same total whatever the partition:

    >>> import numpy as np
    >>> w = np.array([[0, .9, .1, .2], [.9, 0, .3, .1], [.1, .3, 0, .8], [.2, .1, .8, 0]])
    >>> r = np.array([.5, .2, .7, .4])
    >>> shifted = w - r[:, None] / 2 - r[None, :] / 2
    >>> def total(m, groups): return sum(m[a, b] for g in groups for a in g for b in g if a != b)
    >>> splits = ([(0, 1), (2, 3)], [(0, 2), (1, 3)])
    >>> [round(float(total(w, p) - total(shifted, p)), 6) for p in splits]
    [1.8, 1.8]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.encoders import Vectors, normalise_rows

#: How much the experience counts against the challenge in a peer vector: its vector is
#: scaled by this times the square root of its weight (see the module's formula).
EXPERIENCE_SCALE = 0.5
#: How many texts the pool's mean must rest on before it is removed in full: of the mean of
#: n texts, the share n / (n + CENTRE_SHRINK) is removed (:func:`centred`). A seeker alone
#: keeps five sixths of their own vector instead of becoming zero; 36 seekers lose 88 % of
#: their mean. 5 and 10 measured alike on the labelled pairs (docs/benchmarks.md).
CENTRE_SHRINK = 5.0
#: Rows changed at a time where whole arrays are changed in place, so that no temporary of a
#: whole pool's vectors is made (600 MB at 100,000 peers and 768 dimensions).
ROWS_AT_A_TIME = 8192


def blank_rows(texts: Sequence[str]) -> NDArray[np.bool_]:
    """True for texts with nothing but white space: their vectors must be zero.

    >>> blank_rows(["tax arrears", "", "  "]).tolist()
    [False, True, True]
    """
    return np.array([not t.strip() for t in texts], dtype=bool)


def zero_blank(vectors: NDArray[np.floating], texts: Sequence[str]) -> NDArray[np.floating]:
    """``vectors`` with the rows of blank texts set to zero (a copy when any is blank).

    A sentence model embeds an empty string as a vector like any other, so every peer
    without an experience would share one "experience" resembling some challenges.

    >>> zero_blank(np.ones((2, 2)), ["audit", ""]).tolist()
    [[1.0, 1.0], [0.0, 0.0]]
    """
    blank = blank_rows(texts)
    if not blank.any():
        return vectors
    out = np.array(vectors, copy=True)
    out[blank] = 0
    return out


def peer_vectors(
    challenge: NDArray[np.floating],
    experience: NDArray[np.floating],
    challenge_weight: float = 1.0,
    experience_weight: float = 1.0,
) -> Vectors:
    """One unit vector per peer: ``sqrt(challenge_weight) * c + EXPERIENCE_SCALE *
    sqrt(experience_weight) * e`` normalised (a zero row when both are zero). The cosine
    of two rows is the peer vector similarity; it is symmetric, at most 1, and 1 for a peer
    with itself.

    >>> c = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]])
    >>> e = np.array([[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]])
    >>> [[round(float(x), 3) for x in row] for row in peer_vectors(c, e)]
    [[0.894, 0.447], [1.0, 0.0], [0.0, 0.0]]
    >>> [[round(float(x), 3) for x in row] for row in peer_vectors(c, e, 1.0, 4.0)][0]
    [0.707, 0.707]
    """
    c = np.asarray(challenge, dtype=np.float32)
    e = np.asarray(experience, dtype=np.float32)
    out = np.float32(np.sqrt(challenge_weight)) * c
    if experience_weight:
        scale = np.float32(EXPERIENCE_SCALE * np.sqrt(experience_weight))
        for start in range(0, out.shape[0], ROWS_AT_A_TIME):
            stop = start + ROWS_AT_A_TIME
            out[start:stop] += scale * e[start:stop]
    norms = np.sqrt(np.einsum("ij,ij->i", out, out))[:, None]
    np.divide(out, norms, out=out, where=norms > 0)
    result: Vectors = np.ascontiguousarray(out, dtype=np.float32)
    return result


def centred(vectors: NDArray[np.floating], shrink: float = CENTRE_SHRINK) -> Vectors:
    """Unit rows of ``vectors`` after removing their mean (shrunk towards zero for few
    rows, :data:`CENTRE_SHRINK`); zero rows (blank texts) stay zero and do not count.

    Pairs score a seeker's challenge against a provider's experience. Sentence models put
    every text of one kind, and every text of one language, near a shared direction: all
    challenges resemble all experiences a little, and a French challenge resembles French
    experiences more than the English one that answers it. Removing each side's mean
    before the cosine takes that shared part out, so what is left is what tells texts
    apart (the language-neutral representations of Libovický et al., 2020, do the same per
    language). It also lowers the score of providers whose experience resembles everyone's
    challenge (hubs). multilingual-e5-small, whose cosines lie between 0.75 and 0.95, gains
    most: docs/benchmarks.md, "Matching quality".

    >>> v = np.array([[1.0, 0.2], [1.0, -0.2], [0.0, 0.0]])
    >>> [[round(float(x), 3) for x in row] for row in centred(v, shrink=0.0)]
    [[0.0, 1.0], [0.0, -1.0], [0.0, 0.0]]
    >>> [[round(float(x), 3) for x in row] for row in centred(v[:1])]
    [[0.981, 0.196]]
    """
    v = np.asarray(vectors, dtype=np.float32)
    filled = np.einsum("ij,ij->i", v, v) > 0
    n = int(filled.sum())
    if not n:
        return np.ascontiguousarray(v)
    out = v - np.float32(n / (n + shrink)) * v[filled].mean(axis=0)
    out[~filled] = 0
    return normalise_rows(out)
