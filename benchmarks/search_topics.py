"""Search by meaning on a platform written in several languages: which model finds the
statements of a query's topic?

On the hand-written topic sets (``benchmarks/data/topics72.json``, ``topics36_heldout.json``)
and their translations, each peer's challenge is a query and the other peers' experiences
are what a search by meaning (or the unmet demand, which reads the same way) ranks.
A platform where a share ``s`` of the peers write in another language is simulated by
giving each peer, at random (``--draws`` draws, fixed seeds), their English or their
translated texts; every peer queries in their own language. Printed per set, encoder and
share: precision at 5 (the share of the five best experiences in the query's topic) and
top 1, over all queries, over the English queries and over the others.
It informs which model ``auto`` gives texts compared outside a matching
(``peerlearn.matching.choice.TEXTS_OTHER_LANGUAGE_SHARE``).

    python benchmarks/search_topics.py      # about three minutes on two cores
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from peerlearn.matching import minilm, mpnet, multilingual  # noqa: E402
from peerlearn.matching.encoders import Encoder, MiniLMEncoder, MPNetEncoder  # noqa: E402
from peerlearn.matching.multilingual import MultilingualEncoder  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
#: Each English set and the languages it is translated into.
SETS = {"topics72": ("fr", "es", "ru"), "topics36_heldout": ("es", "ru")}
SHARES = (0.0, 0.1, 0.25, 0.5, 1.0)
K = 5


def _records(name: str) -> list[dict[str, object]]:
    return list(json.loads((DATA / f"{name}.json").read_text()))


def _texts(records: list[dict[str, object]], field: str) -> list[str]:
    return [str(r.get(field, "") or "") for r in records]


def _scores(
    encoder: Encoder, english: list[dict[str, object]], other: list[dict[str, object]]
) -> tuple[np.ndarray, np.ndarray]:
    """Challenge vectors and experience vectors, shaped (language, peer, dim): 0 English,
    1 the translation (rows of one peer are in the same order in both files)."""
    challenges = np.stack(
        [encoder.encode(_texts(english, "challenge")), encoder.encode(_texts(other, "challenge"))]
    )
    experiences = np.stack(
        [encoder.encode(_texts(english, "experience")), encoder.encode(_texts(other, "experience"))]
    )
    return challenges, experiences


def precision(
    challenges: np.ndarray,
    experiences: np.ndarray,
    topic: np.ndarray,
    provides: np.ndarray,
    language: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per query, precision at K and whether the best hit is in the query's topic, when
    peer i writes in ``language[i]`` (0 English, 1 the other)."""
    n = len(topic)
    q = challenges[language, np.arange(n)]
    e = experiences[language, np.arange(n)]
    s = q @ e.T
    s[np.arange(n), np.arange(n)] = -np.inf  # nobody finds their own experience
    s[:, ~provides] = -np.inf
    order = np.argsort(-s, axis=1)[:, :K]
    hit = topic[order] == topic[:, None]
    return hit.mean(axis=1), hit[:, 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20)
    args = parser.parse_args()
    encoders: list[Encoder] = []
    if minilm.available():
        encoders.append(MiniLMEncoder())
    if mpnet.available():
        encoders.append(MPNetEncoder())
    if multilingual.available():
        encoders.append(MultilingualEncoder())
    print(
        "| set | other language | encoder | share of peers in it | P@5 all | P@5 English"
        " queries | P@5 other queries | top 1 all |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for base, languages in SETS.items():
        english = _records(base)
        topic = np.array([r["topic"] for r in english])
        provides = np.array([bool(t.strip()) for t in _texts(english, "experience")])
        for lang in languages:
            other = _records(f"{base}_{lang}")
            assert [r["topic"] for r in other] == list(topic), f"{base}_{lang}: order differs"
            for encoder in encoders:
                challenges, experiences = _scores(encoder, english, other)
                for share in SHARES:
                    p_all, p_en, p_other, top = [], [], [], []
                    for seed in range(args.draws if 0 < share < 1 else 1):
                        rng = np.random.default_rng(seed)
                        language = (rng.random(len(topic)) < share).astype(int)
                        p, first = precision(challenges, experiences, topic, provides, language)
                        p_all.append(p.mean())
                        top.append(first.mean())
                        if (language == 0).any():
                            p_en.append(p[language == 0].mean())
                        if (language == 1).any():
                            p_other.append(p[language == 1].mean())

                    def cell(values: list[float]) -> str:
                        return f"{np.mean(values):.3f}" if values else "—"

                    print(
                        f"| {base} | {lang} | {encoder.name} | {share:.2f} | {cell(p_all)} |"
                        f" {cell(p_en)} | {cell(p_other)} | {cell(top)} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
