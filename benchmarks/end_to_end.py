"""From a file of peers to explained groups: ``peerlearn match groups`` timed end to end.

    python benchmarks/end_to_end.py                        # 10,000 and 100,000 peers
    python benchmarks/end_to_end.py --sizes 10000 --runs 1 --encoders tfidf
    python benchmarks/end_to_end.py --json benchmarks/out/end_to_end.json

Peer files (JSON Lines) are built from the demo's pure generator
(``peerlearn.demo.generate.build_plan``): each peer's challenges and experiences, title and
description, become the CLI's ``challenge`` and ``experience`` fields. Building 100,000
peers takes minutes, so the files are kept in ``benchmarks/out/`` (not in git) and reused.

Each run is a fresh ``python -m peerlearn match groups ... --timings`` process: its wall
time, its own peak resident memory (``ru_maxrss`` of that child, from ``wait4``), the phase
durations it prints, and the groups, unmatched peers and objective of the file it writes.
The model encoder is measured with a warm ``--cache`` (one untimed run fills it first).
Filling it takes the sentence model about an hour for the 101,127 distinct texts of
100,000 peers on two cores, so ``--encoders stand-in`` times the same path with a cache
filled in seconds by *stand-in* vectors: each text's TF-IDF projected to 384 dimensions
(latent semantic analysis: topic structure, unit length, all-MiniLM-L6-v2's size), stored
under all-MiniLM-L6-v2's keys; ``stand-in-mpnet`` does the same at 768 dimensions under
all-mpnet-base-v2's keys (the default install's model for matchings). The run (``--encoder
minilm --cache`` or ``--encoder mpnet --cache``) then reads every vector from the cache and
never loads the model: its time is that of a run whose texts were all encoded before, as on
the platform. Its groups are not the model's.
Nothing here asserts a time: the figures are for reading and for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

RULES = [
    "--min-size",
    "10",
    "--max-size",
    "12",
    "--common-language",
    "--max-per-org",
    "2",
    "--min-countries",
    "3",
]
#: The generator draws names per country without repeats, which runs out past a few
#: thousand peers: large files are built from plans of this many peers, one seed each.
CHUNK = 2000
PHASES = ("read", "encode", "solve", "explain", "write")
Row = dict[str, Any]


def _statement_text(statements: Sequence[Any]) -> str:
    return " ".join(f"{s.title}. {s.description}" for s in statements)


def peer_records(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` demo peers as records of the CLI's input fields."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
    django.setup()  # the generator reads choices from the models' enumerations
    from peerlearn.demo.generate import build_plan

    records = []
    for chunk, start in enumerate(range(0, n, CHUNK)):
        plan = build_plan(seed=seed * 1000 + chunk, peers=min(CHUNK, n - start))
        records += [_record(p, f"p{start + p.index:06d}") for p in plan.peers]
    return records


def _record(p: Any, pid: str) -> dict[str, Any]:
    challenge = _statement_text(p.challenges)
    experience = _statement_text(p.experiences)
    role = "both" if challenge and experience else "provider" if experience else "seeker"
    themes = [s.theme for s in (*p.challenges, *p.experiences)]
    return {
        "id": pid,
        "name": p.name,
        "organisation": p.organisation.name,
        "organisation_type": str(p.organisation.type),
        "country": p.country,
        "languages": list(p.languages),
        "gender": p.gender,
        "seniority": p.seniority,
        "reform_stage": p.reform_stage,
        "role": role,
        "theme": themes[0] if themes else "",
        "challenge": challenge,
        "experience": experience,
    }


def peer_file(n: int, seed: int = 7) -> tuple[Path, float | None]:
    """The cached JSON Lines file of ``n`` peers, and the seconds it took to build (None
    when it was already there)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"peers-{n}-seed{seed}.jsonl"
    if path.exists():
        return path, None
    started = time.perf_counter()
    records = peer_records(n, seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path, time.perf_counter() - started


#: The sentence models a stand-in cache can pose as: (command line name, vector size).
STAND_INS = {"stand-in": ("minilm", 384), "stand-in-mpnet": ("mpnet", 768)}


def stand_in_cache(path: Path, label: str = "stand-in") -> Path:
    """A cache holding a stand-in vector (see the module's text) for every text of the
    peer file, under the keys and at the size of the model ``label`` poses as."""
    from peerlearn.matching import choice
    from peerlearn.matching.cache import SqliteCache
    from peerlearn.matching.encoders import TfidfEncoder, text_key
    from peerlearn.matching.io import read_peers

    name, dim = STAND_INS[label]
    model = choice.encoder_named(name).name
    cache = OUT / f"{label}-{path.stem}.sqlite"
    if cache.exists():
        return cache
    peers = read_peers(str(path))
    texts = list(dict.fromkeys([p.challenge for p in peers] + [p.experience for p in peers]))
    vectors = TfidfEncoder(max_dim=dim).encode(texts)
    tmp = cache.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    store = SqliteCache(tmp)
    for start in range(0, len(texts), 20_000):
        chunk = texts[start : start + 20_000]
        store.put_many({text_key(model, t): vectors[start + i] for i, t in enumerate(chunk)})
    tmp.replace(cache)
    return cache


def run_cli(path: Path, encoder: str, cache: Path | None = None) -> Row:
    """One fresh CLI process; its wall time, peak memory, phases and result."""
    label = encoder
    if encoder in STAND_INS:
        encoder = STAND_INS[encoder][0]
    out = OUT / f"groups-{path.stem}-{label}.json"
    cmd = [
        sys.executable,
        "-m",
        "peerlearn",
        "match",
        "groups",
        str(path),
        *RULES,
        "--encoder",
        encoder,
        "--out",
        str(out),
        "--timings",
        "--no-progress",
    ]
    if cache is not None:
        cmd += ["--cache", str(cache)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # wait4 gives this child's own resource usage (RUSAGE_CHILDREN keeps the maximum of all).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stderr = proc.stderr.read() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{stderr}")
    phases, cpu = {}, {}
    for line in stderr.splitlines():
        if line.startswith("timing "):  # timing PHASE WALLs cpu CPUs
            words = line.split()
            phases[words[1]] = float(words[2].rstrip("s"))
            cpu[words[1]] = float(words[4].rstrip("s"))
    result = json.loads(out.read_text(encoding="utf-8"))
    groups = result["groups"]
    explained = sum(1 for g in groups if g.get("explanation"))
    n = sum(1 for _ in path.open(encoding="utf-8"))
    return {
        "peers": n,
        "encoder": label + (" (warm cache)" if cache is not None else ""),
        "wall s": wall,
        "cpu s": usage.ru_utime + usage.ru_stime,
        **{f"{p} s": phases.get(p) for p in PHASES},
        **{f"{p} cpu s": cpu.get(p) for p in PHASES},
        "peak MB": usage.ru_maxrss / 1024,
        "groups": len(groups),
        "explained": explained,
        "unmatched": len(result["unmatched"]),
        "objective per peer": result["objective"] / n,
        "gap": result.get("gap"),
        "block gap": result.get("block_gap"),
    }


def median_run(path: Path, encoder: str, cache: Path | None, runs: int) -> Row:
    rows = sorted((run_cli(path, encoder, cache) for _ in range(runs)), key=lambda r: r["wall s"])
    row = rows[len(rows) // 2]
    row["runs"] = runs
    return row


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def table(rows: Sequence[Row]) -> str:
    keys = list(dict.fromkeys(k for r in rows for k in r))
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(_cell(r.get(k)) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--encoders",
        nargs="+",
        default=["tfidf", "model"],
        choices=["tfidf", "model", *STAND_INS],
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows: list[Row] = []
    for n in args.sizes:
        path, built = peer_file(n, args.seed)
        if built is not None:
            print(f"built {path.name} in {built:.1f} s", file=sys.stderr)
        for encoder in args.encoders:
            cache = None
            if encoder == "model":
                cache = OUT / "embeddings.sqlite"
                run_cli(path, encoder, cache)  # fills the cache; not timed
            elif encoder in STAND_INS:
                started = time.perf_counter()
                cache = stand_in_cache(path, encoder)
                print(
                    f"stand-in cache ready in {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
            row = median_run(path, encoder, cache, args.runs)
            print(json.dumps(row), file=sys.stderr)
            rows.append(row)
    for encoder in args.encoders:
        by_size = {r["peers"]: r for r in rows if r["encoder"].startswith(encoder)}
        if len(by_size) == 2:
            small, large = sorted(by_size)
            rows.append(
                {
                    "peers": f"ratio {large:,}/{small:,}",
                    "encoder": encoder,
                    "wall s": by_size[large]["wall s"] / by_size[small]["wall s"],
                }
            )
    print(table(rows))
    load = os.getloadavg()
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average {load[0]:.1f} at the end"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
