"""Shared fixtures: the sample pool, and small random pools with precomputed vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from peerlearn.matching.features import Profiles, profiles_from_vectors
from peerlearn.matching.io import read_peers
from peerlearn.matching.types import Peer

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sample_peers() -> list[Peer]:
    return read_peers(DATA / "peers_sample.csv")


def random_profiles(peers: list[Peer], seed: int, dim: int = 8) -> Profiles:
    """Random unit vectors: solvers are tested on the scores, not on any text model."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((len(peers), dim))
    e = rng.standard_normal((len(peers), dim))
    return profiles_from_vectors(peers, c, e)
