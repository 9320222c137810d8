"""Synthetic peer pools for the matching benchmark, deterministic from a seed.

Texts are not needed at scale (embeddings are precomputed, as the platform caches them):
peers get topic-clustered unit vectors, and attributes shaped like real calls for peers —
mostly English speakers, French- and Spanish-speaking regions whose countries follow the
language, organisations inside countries, an uneven spread of seniority and stages.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from peerlearn.matching.types import ROLES, Peer

DIM = 384
_LANG_REGIONS: list[tuple[tuple[str, ...], float, list[str]]] = [
    (("en",), 0.62, ["KE", "UG", "GH", "ZM", "MW", "ZW", "NG", "GB", "IN", "NP", "TZ", "RW"]),
    (("fr",), 0.12, ["SN", "CI", "MA", "CM", "BF", "ML", "BJ", "TN"]),
    (("fr", "en"), 0.06, ["MA", "CM", "RW", "SN"]),
    (("es",), 0.10, ["PE", "CO", "MX", "AR", "BO", "EC", "GT"]),
    (("es", "en"), 0.04, ["PE", "CO", "MX", "CL"]),
    (("ru",), 0.04, ["KZ", "KG", "AZ", "GE"]),
    (("ru", "en"), 0.02, ["KZ", "KG", "GE"]),
]


def synthetic_pool(n: int, seed: int = 0, roles: bool = False
                   ) -> tuple[list[Peer], NDArray[np.float32], NDArray[np.float32]]:
    """``n`` peers with challenge and experience vectors (rows aligned with the peers)."""
    rng = np.random.default_rng(seed)
    n_topics = max(8, n // 60)
    centres = rng.standard_normal((n_topics, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    topic = rng.integers(n_topics, size=n)
    # Experience often lies near a neighbouring topic: complementary, not identical.
    exp_topic = np.where(rng.random(n) < 0.6, topic, rng.integers(n_topics, size=n))
    noise = 0.9
    scale = np.float32(noise / np.sqrt(DIM))
    chal = centres[topic] + scale * rng.standard_normal((n, DIM), dtype=np.float32)
    expe = centres[exp_topic] + scale * rng.standard_normal((n, DIM), dtype=np.float32)
    chal /= np.linalg.norm(chal, axis=1, keepdims=True)
    expe /= np.linalg.norm(expe, axis=1, keepdims=True)
    shares = np.array([s for _, s, _ in _LANG_REGIONS])
    region = rng.choice(len(_LANG_REGIONS), size=n, p=shares / shares.sum())
    # About three peers per organisation, and a few organisations in every language region
    # however small the pool: calls for peers reach many institutions.
    per_region = [max(4, int(np.ceil(share * n / 3))) for share in shares / shares.sum()]
    org_region = np.repeat(np.arange(len(_LANG_REGIONS)), per_region)
    org_country = [str(rng.choice(_LANG_REGIONS[r][2])) for r in org_region]
    orgs_by_region: dict[int, list[int]] = {}
    for o, r in enumerate(org_region.tolist()):
        orgs_by_region.setdefault(r, []).append(o)
    genders = rng.choice(["female", "male", ""], size=n, p=[0.47, 0.47, 0.06])
    seniority = rng.choice([1, 2, 3, 4, 5], size=n, p=[0.15, 0.25, 0.3, 0.2, 0.1])
    stage = rng.integers(1, 6, size=n)
    role_idx = rng.integers(len(ROLES), size=n) if roles else np.full(n, 2)
    peers = []
    for i in range(n):
        r = int(region[i])
        options = orgs_by_region[r]
        org = int(options[int(rng.integers(len(options)))])
        peers.append(Peer(
            id=f"p{i:06d}", name=f"Peer {i}", organisation=f"org-{org:05d}",
            organisation_type=("ministry", "parliament", "county", "agency")[org % 4],
            country=org_country[org], languages=_LANG_REGIONS[r][0], gender=str(genders[i]),
            seniority=int(seniority[i]), reform_stage=int(stage[i]),
            role=ROLES[int(role_idx[i])],
        ))
    return peers, chal, expe
