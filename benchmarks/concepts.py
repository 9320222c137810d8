"""The concepts an explanation names: fitting them on a large pool, with phrases allowed
across a full stop or comma (as before 6 December 2026) and not (now).

    python benchmarks/concepts.py              # 100,000 peers of the end-to-end benchmark
    python benchmarks/concepts.py --peers 10000

Prints, for each rule, the seconds ``Concepts.fit_texts`` takes (the best of ``--runs``) and
how many two-word phrases it may name (pairs of kept words standing side by side in a text).
Nothing here asserts a time: the figures are for reading and for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Sequence

from end_to_end import peer_records

import peerlearn.matching.encoders as encoders
from peerlearn.matching.explain import Concepts

RULES = {
    "phrases across punctuation (before)": r"\w+",
    "phrases within a clause (now)": encoders._WORD_RUN.pattern,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args(argv)
    records = peer_records(args.peers)
    challenges = [r["challenge"] for r in records]
    experiences = [r["experience"] for r in records]
    words = sum(len(t.split()) for t in (*challenges, *experiences))
    print(f"{args.peers} peers, {2 * args.peers} texts, {words} words")
    kept = encoders._WORD_RUN
    try:
        for label, pattern in RULES.items():
            encoders._WORD_RUN = re.compile(pattern, re.UNICODE)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                concepts = Concepts.fit_texts(challenges, experiences)
                times.append(time.perf_counter() - start)
            phrases = int(concepts.phrase.sum())
            print(f"{label}: {min(times):.2f} s, {phrases} phrases possible")
    finally:
        encoders._WORD_RUN = kept
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
