"""The grouping solver on MDGPLIB, the maximally diverse grouping library, against the
published best-known values; prints a Markdown table per family and size.

    python benchmarks/mdgplib.py                          # benchmarks/data/mdgplib, 20 s, 3 seeds
    python benchmarks/mdgplib.py --time-limit 20 --seeds 0 1 2 --only n240
    python benchmarks/mdgplib.py --instances ~/MDGPLIB/RanReal --time-limit 60
    python benchmarks/mdgplib.py --no-limit               # the command's default steps

Each run goes through the command line, as a user would:
``python -m peerlearn.matching groups --weights W.csv --groups K --time-limit S --seed s``,
one run at a time. ``--instances`` takes a directory of MDGPLIB files (``*.txt`` or
``*.txt.gz``, searched recursively; header ``n k ss a b a b ...``, then ``i j d`` lines) and
keeps the equal-size (``ss``) ones with a best-known value in ``--best-known``
(benchmarks/data/mdgplib/best_known.csv: the best of Yang et al. 2022, see the README there).

MDGPLIB counts each pair once; the command line counts each pair in both directions
(ordered pairs), so its objective is twice the library's. The table gives both: "ours" in
the library's convention (the command line's objective / 2) and "ours, CLI" as printed.
Nothing here asserts a time; the figures are for reading and for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "mdgplib"
NAME = re.compile(r"^(?P<family>[A-Za-z]+)_n(?P<n>\d+)_ss_(?P<index>\d+)$")


def read_instance(path: Path) -> tuple[NDArray[np.float64], int, list[int]]:
    """(symmetric weight matrix, number of groups, group sizes) of an MDGPLIB file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as f:
        head = f.readline().split()
        n, k = int(head[0]), int(head[1])
        bounds = [int(x) for x in head[3 : 3 + 2 * k]]
        data = np.loadtxt(f, ndmin=2)
    w = np.zeros((n, n))
    i, j = data[:, 0].astype(int), data[:, 1].astype(int)
    w[i, j] = data[:, 2]
    w[j, i] = data[:, 2]
    return w, k, bounds[0::2]


def instance_name(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".txt"):
        name = name.removesuffix(suffix)
    return name


def write_csv(w: NDArray[np.float64], path: Path) -> None:
    ids = [str(i) for i in range(w.shape[0])]
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["id", *ids])
        for i, row in enumerate(w.tolist()):
            out.writerow([ids[i], *(repr(x) for x in row)])


def run_cli(weights_csv: Path, k: int, time_limit: float | None, seed: int, out: Path) -> float:
    """Objective the command line reports (ordered pairs); the wall time is measured
    around the call. Without a time limit the command runs its default number of steps."""
    cmd = [
        sys.executable,
        "-m",
        "peerlearn.matching",
        "groups",
        "--weights",
        str(weights_csv),
        "--groups",
        str(k),
        *(["--time-limit", str(time_limit)] if time_limit is not None else []),
        "--seed",
        str(seed),
        "--out",
        str(out),
    ]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    return float(json.loads(out.read_text())["objective"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=Path, default=DATA)
    parser.add_argument("--best-known", type=Path, default=DATA / "best_known.csv")
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument(
        "--no-limit", action="store_true", help="run without --time-limit (the default steps)"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--only", nargs="*", default=[], help="keep names containing these")
    parser.add_argument("--json", type=Path, help="also write every run here")
    args = parser.parse_args(argv)
    best_known = {
        row["instance"]: float(row["best_known"])
        for row in csv.DictReader(args.best_known.open(encoding="utf-8"))
    }
    paths = sorted(
        p
        for p in args.instances.rglob("*")
        if p.is_file()
        and NAME.match(instance_name(p))
        and instance_name(p) in best_known
        and all(word in instance_name(p) for word in args.only)
    )
    if not paths:
        print(f"no equal-size instance with a best-known value under {args.instances}")
        return 2
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"load average at start {os.getloadavg()[0]:.1f}; "
        f"time limit {'none' if args.no_limit else f'{args.time_limit:g} s'}; "
        f"seeds {' '.join(map(str, args.seeds))}\n"
    )
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            name = instance_name(path)
            w, k, _ = read_instance(path)
            weights_csv = Path(tmp) / f"{name}.csv"
            write_csv(w, weights_csv)
            for seed in args.seeds:
                load = os.getloadavg()[0]
                started = time.perf_counter()
                cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
                limit = None if args.no_limit else args.time_limit
                ordered = run_cli(weights_csv, k, limit, seed, Path(tmp) / "out.json")
                seconds = time.perf_counter() - started
                cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (
                    cpu_before.ru_utime + cpu_before.ru_stime
                )
                ours = ordered / 2.0
                gap = 100.0 * (best_known[name] - ours) / best_known[name]
                runs.append(
                    {
                        "instance": name,
                        "seed": seed,
                        "best_known": best_known[name],
                        "ours": ours,
                        "ours_cli": ordered,
                        "gap_pct": gap,
                        "seconds": seconds,
                        "cpu_seconds": cpu,
                        "load": load,
                    }
                )
                print(
                    f"  {name} seed {seed}: {ours:,.2f} gap {gap:.3f} % in {seconds:.1f} s "
                    f"({cpu:.1f} s of CPU, load {load:.1f})"
                )
    print()
    print(table(runs))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(runs, indent=1))
    return 0


def table(runs: list[dict[str, float | str | int]]) -> str:
    """Per family and size: best-known, ours (mean and best over seeds and instances),
    the gaps, wall and CPU seconds of the command, and the load average at the runs' start."""
    by_key: dict[tuple[str, int], list[dict[str, float | str | int]]] = defaultdict(list)
    for r in runs:
        m = NAME.match(str(r["instance"]))
        assert m is not None
        by_key[(m["family"], int(m["n"]))].append(r)
    lines = [
        "| family | n | instances | runs | best-known (mean) | ours: mean | ours: best "
        "| ours, CLI (ordered pairs): mean | mean gap % | gap of best % | mean s | CPU s "
        "| load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (family, n), rs in sorted(by_key.items()):
        names = sorted({str(r["instance"]) for r in rs})
        bk = np.mean([float(r["best_known"]) for r in rs])
        best_per = [max(float(r["ours"]) for r in rs if r["instance"] == x) for x in names]
        bk_per = [float(next(r["best_known"] for r in rs if r["instance"] == x)) for x in names]
        gap_best = np.mean([100.0 * (b - o) / b for b, o in zip(bk_per, best_per, strict=True)])
        lines.append(
            f"| {family} | {n} | {len(names)} | {len(rs)} | {bk:,.2f} "
            f"| {np.mean([float(r['ours']) for r in rs]):,.2f} | {np.mean(best_per):,.2f} "
            f"| {np.mean([float(r['ours_cli']) for r in rs]):,.2f} "
            f"| {np.mean([float(r['gap_pct']) for r in rs]):.3f} | {gap_best:.3f} "
            f"| {np.mean([float(r['seconds']) for r in rs]):.1f} "
            f"| {np.mean([float(r['cpu_seconds']) for r in rs]):.1f} "
            f"| {np.mean([float(r['load']) for r in rs]):.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
