"""Grouping learning needs by meaning, with the matching engine's text encoder.

The texts are encoded by the encoder matchings use (``PEERLEARN_MATCHING_ENCODER``: the
sentence model when installed, TF-IDF otherwise) and clustered by average-linkage
agglomerative clustering on cosine distance (scikit-learn): either into a target number of
groups, or until no two groups are more similar than a threshold. Each group is titled
after its most central need (the one closest to the others), which the facilitator can
rename.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from peerlearn.matching import Encoder
from peerlearn.matching.encoders import on_reference_scale

#: Two needs whose texts' cosine similarity reaches this are put together when no target
#: number of groups is given. Sentence-model vectors of related texts score about 0.4–0.7;
#: TF-IDF vectors score lower, since only shared words count. On MiniLM's scale, moved to
#: the encoder's by ``on_reference_scale``.
DEFAULT_THRESHOLD = 0.3


@dataclass(frozen=True)
class Clustering:
    groups: tuple[tuple[int, ...], ...]  # indices into the texts, each group's centre first
    encoder: str


def cluster_texts(
    texts: Sequence[str],
    *,
    encoder: Encoder,
    n_groups: int | None = None,
    threshold: float | None = None,
) -> Clustering:
    """Cluster ``texts`` into ``n_groups`` groups, or by ``threshold`` (cosine similarity
    within a group, on average linkage) when no number is given.

    Groups come out largest first (ties: by first text), each listing its most central text
    first. ``n_groups`` above the number of texts gives one group per text.

    >>> from peerlearn.matching import TfidfEncoder
    >>> c = cluster_texts(["market fees", "market fees in cash", "staff skills"],
    ...                   encoder=TfidfEncoder(), n_groups=2)
    >>> [sorted(g) for g in c.groups]
    [[0, 1], [2]]
    """
    n = len(texts)
    if n == 0:
        return Clustering((), encoder.name)
    if n == 1:
        return Clustering(((0,),), encoder.name)
    vectors = np.asarray(encoder.encode(list(texts)), dtype=np.float64)
    similarity = np.clip(vectors @ vectors.T, -1.0, 1.0)
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    distance = np.maximum(distance, 0.0)
    from sklearn.cluster import AgglomerativeClustering

    if n_groups is not None:
        k = max(1, min(n_groups, n))
        model = AgglomerativeClustering(n_clusters=k, metric="precomputed", linkage="average")
    else:
        alike = DEFAULT_THRESHOLD if threshold is None else threshold
        cut = 1.0 - on_reference_scale(encoder, alike)
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=cut
        )
    labels = model.fit_predict(distance)
    members: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        members.setdefault(int(label), []).append(i)
    groups = []
    for indices in members.values():
        sub = similarity[np.ix_(indices, indices)]
        centre = indices[int(np.argmax(sub.sum(axis=1)))]
        groups.append((centre, *[i for i in indices if i != centre]))
    groups.sort(key=lambda g: (-len(g), min(g)))
    return Clustering(tuple(groups), encoder.name)
