"""Groups in a pool where some peers write in another language than English: which model
groups them by topic?

The hand-written topic sets (``benchmarks/data/topics72.json``, ``topics36_heldout.json``)
with a share of the peers, drawn at random (``--draws`` draws, fixed seeds), giving their
translated texts instead (Spanish or Russian) and reading that language besides their own.
Each pool is grouped twelve by twelve under the rules of ``benchmarks/topics.py`` with the
default method (*common challenges*), once with all-mpnet-base-v2 and once with
multilingual-e5-small, and the adjusted Rand index against the planted topics is printed
per set, language and share, averaged over the draws, with what ``auto`` chose. It informs
``peerlearn.matching.choice.GROUPS_OTHER_LANGUAGE_SHARE``.

    python benchmarks/mixed_topics.py                         # about ten minutes
    python benchmarks/mixed_topics.py --shares 0.25 --draws 1
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent))

from topics import RULES, _rule_fields

from peerlearn.matching import GroupRules, choice, match_groups, profiles_from_vectors
from peerlearn.matching.features import encode_peers
from peerlearn.matching.io import read_peers
from peerlearn.matching.methods import method_rules, method_weights, methods_for

DATA = Path(__file__).parent / "data"
SETS = (
    ("topics72", "es"),
    ("topics72", "ru"),
    ("topics36_heldout", "es"),
    ("topics36_heldout", "ru"),
)


def mixed(english: list[dict], other: list[dict], lang: str, share: float, seed: int) -> list[dict]:
    """``english`` with a share of the peers (rows in the same order) writing in ``lang``."""
    picked = set(random.Random(seed).sample(range(len(english)), round(share * len(english))))
    out = []
    for i, record in enumerate(english):
        record = dict(record)
        if i in picked:
            record["challenge"] = other[i]["challenge"]
            record["experience"] = other[i].get("experience", "")
            record["languages"] = sorted(set(record["languages"]) | {lang})
        out.append(record)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shares", type=float, nargs="+", default=[0.1, 0.17, 0.25, 0.5])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=4.0)
    args = parser.parse_args()
    method = methods_for("groups")[0]
    rules = GroupRules(**{**_rule_fields(RULES), **method_rules(method, "groups")})  # type: ignore[arg-type]
    weights = method_weights(method)
    encoders = {name: choice.encoder_named(name) for name in ("mpnet", "multilingual")}
    print("| set | language | share | all-mpnet-base-v2 | multilingual-e5-small | auto chose |")
    print("|---|---|---:|---:|---:|---|")
    folder = Path(tempfile.mkdtemp(prefix="mixed-topics-"))
    for base, lang in SETS:
        english = json.loads((DATA / f"{base}.json").read_text())
        other = json.loads((DATA / f"{base}_{lang}.json").read_text())
        topics = [r["topic"] for r in english]
        for share in args.shares:
            ari: dict[str, list[float]] = {name: [] for name in encoders}
            chosen = set()
            for seed in range(args.draws):
                path = folder / "pool.json"
                path.write_text(json.dumps(mixed(english, other, lang, share, seed)))
                peers = read_peers(str(path))
                texts = [t for p in peers for t in (p.challenge, p.experience)]
                chosen.add(choice.auto_choice("groups", texts))
                for name, encoder in encoders.items():
                    challenge, experience = encode_peers(peers, encoder)
                    profiles = profiles_from_vectors(peers, challenge, experience, weights, name)
                    result = match_groups(
                        peers, rules, profiles=profiles, time_limit=args.time_limit, explain=False
                    )
                    label = {m: g for g, group in enumerate(result.groups) for m in group.members}
                    placed = [i for i, p in enumerate(peers) if p.id in label]
                    ari[name].append(
                        adjusted_rand_score(
                            [topics[i] for i in placed], [label[peers[i].id] for i in placed]
                        )
                    )
            cells = " | ".join(f"{np.mean(v):.3f}" for v in ari.values())
            print(
                f"| {base} | {lang} | {share:.2f} | {cells} | {', '.join(sorted(chosen))} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
