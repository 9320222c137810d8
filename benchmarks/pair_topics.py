"""Do pairs stay within a topic? Each challenge against every other peer's experience.

On the hand-written topic sets (``benchmarks/data/topics72.json``, ``topics36_heldout.json``
and their translations into French, Spanish and Russian) every peer is a seeker (their
challenge) and every peer with an experience a provider; nobody is paired with
themselves. Printed per set, encoder and score (plain cosine, or each side centred as
the pairs solver does, :func:`peerlearn.matching.similarity.centred`): the share of
seekers whose best provider is in their own topic, and the share of the one-to-one
assignment's pairs that are.
It informs which model ``auto`` gives pairs (``peerlearn.matching.choice``).

    python benchmarks/pair_topics.py          # about a minute on two cores
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peerlearn.matching import minilm, mpnet, multilingual  # noqa: E402
from peerlearn.matching.encoders import MiniLMEncoder, MPNetEncoder  # noqa: E402
from peerlearn.matching.multilingual import MultilingualEncoder  # noqa: E402
from peerlearn.matching.similarity import centred, zero_blank  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
SETS = (
    "topics72.json",
    "topics36_heldout.json",
    "topics72_fr.json",
    "topics72_es.json",
    "topics72_ru.json",
    "topics36_heldout_es.json",
    "topics36_heldout_ru.json",
)


def rows() -> list[dict[str, object]]:
    encoders = []
    if minilm.available():
        encoders.append(MiniLMEncoder())
    if mpnet.available():
        encoders.append(MPNetEncoder())
    if multilingual.available():
        encoders.append(MultilingualEncoder())
    out: list[dict[str, object]] = []
    for name in SETS:
        records = json.loads((DATA / name).read_text())
        topic = np.array([r["topic"] for r in records])
        challenges = [r.get("challenge", "") for r in records]
        experiences = [r.get("experience", "") for r in records]
        has = np.array([bool(t.strip()) for t in experiences])
        providers = np.flatnonzero(has)
        for encoder in encoders:
            vectors = encoder.encode(challenges + experiences)
            c, e = vectors[: len(records)], zero_blank(vectors[len(records) :], experiences)
            for score in ("plain cosine", "centred"):
                cc, ee = np.array(c, dtype=np.float32), np.array(e, dtype=np.float32)
                if score == "centred":
                    cc, ee[has] = centred(cc), centred(ee[has])
                sim = cc @ ee.T
                np.fill_diagonal(sim, -9.0)
                sim[:, ~has] = -9.0
                best = (topic[sim.argmax(axis=1)] == topic).mean()
                seekers, picked = linear_sum_assignment(-sim[:, providers])
                assigned = (topic[providers[picked]] == topic[seekers]).mean()
                out.append(
                    {
                        "set": name,
                        "encoder": encoder.name,
                        "score": score,
                        "best provider in topic": round(float(best), 3),
                        "assigned pairs in topic": round(float(assigned), 3),
                        "pairs": int(seekers.size),
                    }
                )
    return out


def main() -> int:
    found = rows()
    keys = list(found[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in found:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
