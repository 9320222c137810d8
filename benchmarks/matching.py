"""Quality and speed of the matching engine; prints one Markdown table per section.

    python benchmarks/matching.py                 # everything (about 10 minutes on 2 cores)
    python benchmarks/matching.py --only small published medium
    python benchmarks/matching.py --json benchmarks/out/matching.json

Sections: ``small`` (<= 16 peers: scalable solver vs the proven MILP optimum), ``published``
(the RanInt_n010_ss_10 grouping instance through the CLI's --weights form), ``medium``
(60-300 peers: gap to the bound, and CP-SAT given the same time), ``scale`` (10,000 and
100,000 peers into groups of 10-12 with language, organisation and country rules, each in a
fresh process so peak memory is its own), ``pairs`` (10,000 and 100,000 seekers with as many
providers), ``throughput`` (embeddings per second) and ``quality`` (retrieval on the
labelled challenge/experience pairs in benchmarks/data/). CP-SAT needs the ``bench`` extra.
Nothing here asserts a time: the figures are for reading and for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.matching_data import synthetic_pool  # noqa: E402
from peerlearn.matching import (  # noqa: E402
    GroupRules,
    PairRules,
    Peer,
    check_groups,
    check_pairs,
    exact,
    group_by_weights,
    match_groups,
    match_pairs,
    profiles_from_vectors,
)
from peerlearn.matching.features import Profiles, group_weights  # noqa: E402
from peerlearn.matching.similarity import centred  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
WEIGHTS = ROOT / "peerlearn" / "matching" / "tests" / "data" / "RanInt_n010_ss_10.csv"
SCALE_RULES = {"min_size": 10, "max_size": 12, "common_language": True, "max_per_org": 2,
               "min_countries": 3}

Row = dict[str, Any]


def table(title: str, rows: Sequence[Row]) -> str:
    if not rows:
        return f"### {title}\n\n(no rows)\n"
    cols = list(rows[0])
    lines = [f"### {title}", "", "| " + " | ".join(cols) + " |",
             "|" + "|".join("---" for _ in cols) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(_fmt(row.get(c)) for c in cols) + " |")
    return "\n".join(lines) + "\n"


def _fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "—"
        return f"{value:,.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _peak_mb() -> float:
    """This process's peak resident memory. On Linux VmHWM, which starts afresh when a child
    interpreter is exec'd; ru_maxrss would carry over the parent's peak at fork time."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _mean_cosine(prof: Profiles, groups: Sequence[np.ndarray]) -> float:
    """Mean cosine of challenge vectors over member pairs: a solver-independent yardstick."""
    total, count = 0.0, 0
    for g in groups:
        if len(g) < 2:
            continue
        c = prof.challenge[g]
        sims = c @ c.T
        total += float(sims.sum() - np.trace(sims))
        count += len(g) * (len(g) - 1)
    return total / count if count else float("nan")


# -------------------------------------------------------------------- small ------------


def _random_small(n: int, seed: int) -> tuple[list[Peer], Profiles]:
    rng = np.random.default_rng(seed)
    langs = [("en",), ("en",), ("fr",), ("en", "fr")]
    peers = [Peer(f"p{i}", organisation=f"o{int(rng.integers(n // 2))}",
                  country=str(rng.choice(["KE", "UG", "GH", "SN"])),
                  languages=langs[int(rng.integers(len(langs)))],
                  gender=str(rng.choice(["female", "male"])), seniority=int(rng.integers(1, 6)))
             for i in range(n)]
    c = rng.standard_normal((n, 32))
    e = rng.standard_normal((n, 32))
    return peers, profiles_from_vectors(peers, c, e)


SMALL_FAMILIES = {
    # Everyone can be placed: the question is only the best partition.
    "all placeable": GroupRules(min_size=3, max_size=5, min_countries=2, max_per_org=2,
                                max_gender_share=0.7),
    # Rules force some peers out: the solver must also choose whom.
    "over-constrained": GroupRules(min_size=4, max_size=4, min_countries=2, max_per_org=1,
                                   min_senior=1),
}


def bench_small(instances: int = 10) -> list[Row]:
    rows = []
    for family, rules in SMALL_FAMILIES.items():
        for n in (8, 12, 16):
            hits, valid, gaps, t_heur, t_milp = 0, 0, [], [], []
            for seed in range(instances):
                peers, prof = _random_small(n, seed)
                t0 = time.perf_counter()
                heur = match_groups(peers, rules, profiles=prof, exact_limit=0, explain=False,
                                    seed=seed)
                t_heur.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                opt = exact.solve_groups(peers, group_weights(prof), rules)
                t_milp.append(time.perf_counter() - t0)
                assert opt is not None and opt.proven
                if check_groups(peers, heur.member_lists(), rules) == []:
                    valid += 1
                placed = sum(len(g.members) for g in heur.groups)
                same_count = placed == n - len(opt.unmatched)
                gap = (opt.objective - heur.objective) / max(abs(opt.objective), 1e-9)
                # Weights are float32: sums that differ below 1e-6 relative are the same value.
                if same_count and gap <= 1e-6:
                    hits += 1
                gaps.append(gap if same_count else float("nan"))
            finite = [g for g in gaps if not math.isnan(g)]
            rows.append({"family": family, "peers": n, "instances": instances,
                         "valid": valid, "scalable = proven optimum": f"{hits}/{instances}",
                         "fewer placed than optimum": sum(math.isnan(g) for g in gaps),
                         "worst gap (same placed)": max(finite) if finite else None,
                         "scalable s (mean)": float(np.mean(t_heur)),
                         "MILP s (mean)": float(np.mean(t_milp))})
    return rows


# ---------------------------------------------------------------- published ------------


def bench_published() -> list[Row]:
    from peerlearn.matching.cli import main
    from peerlearn.matching.io import read_weights

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        t0 = time.perf_counter()
        code = main(["groups", "--weights", str(WEIGHTS), "--groups", "2", "--out", str(out)])
        cli_seconds = time.perf_counter() - t0
        data = json.loads(out.read_text()) if code == 0 else {}
    ids, w = read_weights(WEIGHTS)
    t0 = time.perf_counter()
    heur = group_by_weights(ids, w, 2, exact_limit=0)
    heur_seconds = time.perf_counter() - t0
    return [
        {"run": "CLI --weights (local search + MILP proof)", "objective": data.get("objective"),
         "proven optimum": 2224, "optimal": data.get("optimal"), "seconds": cli_seconds},
        {"run": "local search alone", "objective": heur.objective, "proven optimum": 2224,
         "optimal": heur.objective == 2224, "seconds": heur_seconds},
    ]


# ------------------------------------------------------------------- medium ------------


def cpsat_groups(peers: Sequence[Peer], prof: Profiles, rules: GroupRules, members: list[int],
                 k: int, seconds: float, neighbours: int = 20) -> list[np.ndarray] | None:
    """CP-SAT on the same peers, groups and rules, maximising within-group weights over each
    peer's ``neighbours`` best partners (the full pair objective does not fit in memory)."""
    from ortools.sat.python import cp_model

    w = group_weights(prof, np.array(members))
    n = len(members)
    model = cp_model.CpModel()
    x = [[model.NewBoolVar(f"x{i}_{g}") for g in range(k)] for i in range(n)]
    for i in range(n):
        model.AddExactlyOne(x[i])
        for g in range(i + 1, k):
            model.Add(x[i][g] == 0)
    langs = sorted({lang for i in members for lang in peers[i].languages})
    for g in range(k):
        size = sum(x[i][g] for i in range(n))
        model.Add(size >= rules.min_size)
        model.Add(size <= rules.max_size)
        z = {lang: model.NewBoolVar(f"z{g}{lang}") for lang in langs}
        model.AddExactlyOne(z.values())
        for i in range(n):
            model.Add(x[i][g] <= sum(z[lang] for lang in peers[members[i]].languages))
        orgs: dict[str, list[int]] = {}
        countries: dict[str, list[int]] = {}
        for i in range(n):
            orgs.setdefault(peers[members[i]].organisation, []).append(i)
            countries.setdefault(peers[members[i]].country, []).append(i)
        if rules.max_per_org is not None:
            for group in orgs.values():
                if len(group) > rules.max_per_org:
                    model.Add(sum(x[i][g] for i in group) <= rules.max_per_org)
        present = []
        for group in countries.values():
            t = model.NewBoolVar("")
            model.Add(t <= sum(x[i][g] for i in group))
            present.append(t)
        model.Add(sum(present) >= rules.min_countries)
    objective = []
    pairs = set()
    for i in range(n):
        for j in np.argsort(-w[i])[:neighbours]:
            pairs.add((min(i, int(j)), max(i, int(j))))
    for i, j in sorted(pairs):
        weight = round(1000 * w[i, j])
        if weight <= 0:
            continue
        for g in range(min(i, j) + 1 if min(i, j) + 1 < k else k):
            y = model.NewBoolVar("")
            model.AddImplication(y, x[i][g])
            model.AddImplication(y, x[j][g])
            objective.append(weight * y)
    model.Maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out = []
    for g in range(k):
        chosen = [members[i] for i in range(n) if solver.Value(x[i][g])]
        if chosen:
            out.append(np.array(chosen))
    return out


def bench_medium(cpsat_long: float = 20.0) -> list[Row]:
    try:
        import ortools  # noqa: F401
        have_cpsat = True
    except ImportError:
        have_cpsat = False
    rows = []
    rules = GroupRules(**SCALE_RULES)
    for n in (60, 120, 300):
        peers, c, e = synthetic_pool(n, seed=n)
        prof = profiles_from_vectors(peers, c, e)
        t0 = time.perf_counter()
        ours = match_groups(peers, rules, profiles=prof, explain=False)
        seconds = time.perf_counter() - t0
        index = {p.id: i for i, p in enumerate(peers)}
        groups = [np.array([index[m] for m in g.members]) for g in ours.groups]
        row: Row = {"peers": n, "groups": len(ours.groups), "unmatched": len(ours.unmatched),
                    "ours s": seconds, "ours objective": ours.objective, "bound": ours.bound,
                    "gap": ours.gap, "ours mean cos": _mean_cosine(prof, groups)}
        if have_cpsat and groups:
            members = sorted(int(i) for g in groups for i in g)
            w_all = group_weights(prof)
            for label, budget in (("same time", max(seconds, 1.0)), ("long", cpsat_long)):
                t0 = time.perf_counter()
                found = cpsat_groups(peers, prof, rules, members, len(groups), budget)
                took = time.perf_counter() - t0
                if found is None:
                    row[f"CP-SAT {label} objective"] = None
                    row[f"CP-SAT {label} mean cos"] = None
                    continue
                ids = [[peers[i].id for i in g] for g in found]
                assert check_groups(peers, ids, rules) == []
                row[f"CP-SAT {label} s"] = took
                row[f"CP-SAT {label} objective"] = float(
                    sum(w_all[np.ix_(g, g)].sum() for g in found))
                row[f"CP-SAT {label} mean cos"] = _mean_cosine(prof, found)
        rows.append(row)
    return rows


# -------------------------------------------------------------------- scale ------------


def _child(section: str, n: int) -> Row:
    """Run one large measurement in this process (called in a fresh interpreter)."""
    if section == "scale":
        peers, c, e = synthetic_pool(n, seed=1)
        prof = profiles_from_vectors(peers, c, e)
        del c, e
        rules = GroupRules(**SCALE_RULES)
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        res = match_groups(peers, rules, profiles=prof, explain=False)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        violations = len(check_groups(peers, res.member_lists(), rules))
        row: Row = {"peers": n, "wall s": wall, "cpu s": cpu, "peak MB": _peak_mb(),
                    "groups": len(res.groups), "unmatched": len(res.unmatched),
                    "violations": violations, "objective": res.objective, "bound": res.bound,
                    "gap": res.gap}
        if n <= 20_000:
            exact_bound = match_groups(peers, rules, profiles=prof, explain=False,
                                       exact_bound_limit=n).bound
            row["gap to exact per-peer bound"] = (
                (exact_bound - res.objective) / exact_bound if exact_bound else None)
        return row
    if section == "pairs":
        peers, c, e = synthetic_pool(2 * n, seed=2)
        peers = [Peer(**{**_fields(p), "role": "seeker" if i < n else "provider"})
                 for i, p in enumerate(peers)]
        prof = profiles_from_vectors(peers, c, e)
        del c, e
        rules = PairRules(provider_capacity=1)
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        res = match_pairs(peers, rules, profiles=prof, explain=False)
        wall = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        violations = len(check_pairs(peers, res.pair_list(), rules))
        return {"seekers": n, "providers": n, "wall s": wall, "cpu s": cpu,
                "peak MB": _peak_mb(), "pairs": len(res.groups), "violations": violations,
                "objective": res.objective, "bound": res.bound, "gap": res.gap,
                "solver": res.solver}
    raise ValueError(section)


def _fields(p: Peer) -> dict[str, Any]:
    return {f: getattr(p, f) for f in Peer.__dataclass_fields__}


def _in_child(section: str, n: int) -> Row:
    out = subprocess.run(
        [sys.executable, __file__, "--child", section, str(n)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    last: Row = json.loads(out.stdout.strip().splitlines()[-1])
    return last


def _median_run(section: str, n: int, runs: int = 5) -> Row:
    """The run with the median wall time: this machine is shared, single runs are noisy."""
    results = sorted((_in_child(section, n) for _ in range(runs)), key=lambda r: r["wall s"])
    row = results[len(results) // 2]
    row["runs"] = runs
    return row


def bench_scale(sizes: Sequence[int] = (10_000, 100_000)) -> list[Row]:
    rows = [_median_run("scale", n) for n in sizes]
    if len(rows) == 2:
        rows.append({"peers": f"ratio {sizes[1]:,}/{sizes[0]:,}",
                     "wall s": rows[1]["wall s"] / rows[0]["wall s"]})
    return rows


def bench_pairs(sizes: Sequence[int] = (10_000, 100_000)) -> list[Row]:
    rows = [_median_run("pairs", n) for n in sizes]
    if len(rows) == 2:
        rows.append({"seekers": f"ratio {sizes[1]:,}/{sizes[0]:,}",
                     "wall s": rows[1]["wall s"] / rows[0]["wall s"]})
    return rows


# ---------------------------------------------------------------- throughput -----------


def _paragraphs(count: int, seed: int = 0) -> list[str]:
    """~40-word paragraphs stitched from the labelled English texts."""
    pairs = [p for p in json.loads((DATA / "labelled_pairs.json").read_text())["pairs"]
             if p["lang"] == "en"]
    sentences = [p["challenge"] for p in pairs] + [p["experience"] for p in pairs]
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        words: list[str] = []
        while len(words) < 40:
            words.extend(sentences[int(rng.integers(len(sentences)))].split())
        out.append(" ".join(words[:40]) + f" (case {i})")
    return out


def bench_throughput(count: int = 1000) -> list[Row]:
    from peerlearn.matching import minilm
    from peerlearn.matching.cache import MemoryCache
    from peerlearn.matching.encoders import CachedEncoder, MiniLMEncoder, TfidfEncoder

    texts = _paragraphs(count)
    rows = []
    encoders: list[tuple[str, Callable[[], Any]]] = [("TF-IDF (scikit-learn)", TfidfEncoder)]
    if minilm.available():
        encoders.insert(0, ("all-MiniLM-L6-v2, numpy", MiniLMEncoder))
    for label, make in encoders:
        enc = make()
        enc.encode(texts[:8])  # load weights outside the timing
        t0 = time.perf_counter()
        enc.encode(texts)
        rate = count / (time.perf_counter() - t0)
        rows.append({"encoder": label, "paragraphs": count, "per second": rate})
        if enc.cacheable:
            cached = CachedEncoder(enc, MemoryCache())
            cached.encode(texts)
            t0 = time.perf_counter()
            cached.encode(texts)
            rows.append({"encoder": f"{label}, cached (texts unchanged)", "paragraphs": count,
                         "per second": count / (time.perf_counter() - t0)})
    return rows


# ------------------------------------------------------------------ quality ------------


def _ranks(sim: np.ndarray, correct: np.ndarray) -> np.ndarray:
    target = sim[np.arange(sim.shape[0]), correct]
    return (sim > target[:, None]).sum(axis=1) + 1


def quality_encoders() -> list[tuple[str, Any]]:
    """Every installed encoder, the sentence models first."""
    from peerlearn.matching import minilm, mpnet, multilingual
    from peerlearn.matching.encoders import MiniLMEncoder, MPNetEncoder, TfidfEncoder
    from peerlearn.matching.multilingual import MultilingualEncoder

    found: list[tuple[str, Any]] = []
    if mpnet.available():
        found.append((mpnet.MODEL_NAME, MPNetEncoder()))
    if minilm.available():
        found.append((minilm.MODEL_NAME, MiniLMEncoder()))
    for name in (multilingual.E5_NAME, multilingual.USE_NAME):
        if multilingual.available(name):
            found.append((name, MultilingualEncoder(name)))
    return [*found, ("TF-IDF", TfidfEncoder())]


def _solver_right(seekers: list[dict[str, str]], providers: list[dict[str, str]],
                  encoder: Any) -> float:
    """Share of seekers the pairs solver pairs with their own provider (same id)."""
    peers = ([Peer(f"s-{p['id']}", organisation=f"s{i}", languages=("xx",), role="seeker",
                   challenge=p["challenge"]) for i, p in enumerate(seekers)]
             + [Peer(f"p-{p['id']}", organisation=f"p{i}", languages=("xx",),
                     role="provider", experience=p["experience"])
                for i, p in enumerate(providers)])
    res = match_pairs(peers, encoder=encoder, explain=False)
    right = sum(s.removeprefix("s-") == p.removeprefix("p-") for s, p in res.pair_list())
    return right / len(seekers)


def bench_quality() -> list[Row]:
    """Retrieval and pairing on the labelled pairs: in English, within French, Spanish and
    Russian (each language's 36 challenges against its own 36 experiences), and across
    languages (each language's challenges against the 36 English experiences)."""
    pairs = json.loads((DATA / "labelled_pairs.json").read_text())["pairs"]
    by_lang: dict[str, list[dict[str, str]]] = {}
    for p in pairs:
        by_lang.setdefault(p["lang"], []).append(p)
    others = [lang for lang in by_lang if lang != "en"]
    rows = []
    for label, enc in quality_encoders():
        # One call so a corpus-fitted encoder sees every text, as in a real matching run.
        texts = [p["challenge"] for p in pairs] + [p["experience"] for p in pairs]
        vec = enc.encode(texts)
        ch = {(p["id"], p["lang"]): vec[i] for i, p in enumerate(pairs)}
        ex = {(p["id"], p["lang"]): vec[len(pairs) + i] for i, p in enumerate(pairs)}
        tasks = [("English", "en", "en")]
        tasks += [(f"{lang}, within", lang, lang) for lang in others]
        tasks += [(f"{lang} challenge, English experience", lang, "en") for lang in others]
        for task, q_lang, d_lang in tasks:
            pool = {p["id"] for p in by_lang[d_lang]}
            queries = [p for p in by_lang[q_lang] if p["id"] in pool]
            keys = [p["id"] for p in by_lang[d_lang]]
            q = np.stack([ch[(p["id"], q_lang)] for p in queries])
            d = np.stack([ex[(key, d_lang)] for key in keys])
            right = np.array([keys.index(p["id"]) for p in queries])
            plain = _ranks(q @ d.T, right)
            # The pairs solver's scores: each side centred on its own mean.
            ranks = _ranks(centred(q) @ centred(d).T, right)
            rows.append({"encoder": label, "task": task, "queries": len(queries),
                         "recall@1 (plain cosine)": float((plain <= 1).mean()),
                         "recall@1": float((ranks <= 1).mean()),
                         "recall@5": float((ranks <= 5).mean()),
                         "MRR": float((1.0 / ranks).mean()),
                         "pairs solver right": _solver_right(
                             queries, by_lang[d_lang], enc)})
    return rows


# --------------------------------------------------------------------- main ------------


def machine() -> Row:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    from threadpoolctl import threadpool_info

    blas = next((f"{i['internal_api']} {i['version']} ({i['num_threads']} threads)"
                 for i in threadpool_info() if i["user_api"] == "blas"), "unknown")
    return {"cpu": cpu, "cores": os.cpu_count(), "memory GiB": round(mem, 1),
            "python": platform.python_version(), "numpy": np.__version__, "blas": blas,
            "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg())}


SECTIONS: dict[str, tuple[str, Callable[[], list[Row]]]] = {
    "small": ("Random instances of 8-16 peers: scalable solver vs proven MILP optimum "
              "(all placeable: groups of 3-5, >= 2 countries, <= 2 per organisation, gender "
              "<= 0.7; over-constrained: groups of 4, >= 2 countries, <= 1 per organisation, "
              ">= 1 senior)", bench_small),
    "published": ("Published instance RanInt_n010_ss_10 (10 elements, 2 groups)",
                  bench_published),
    "medium": ("60-300 peers into groups of 10-12 (common language, <= 2 per organisation, "
               ">= 3 countries): gap to the bound, and CP-SAT", bench_medium),
    "scale": ("10,000 and 100,000 peers into groups of 10-12 (common language, <= 2 per "
              "organisation, >= 3 countries), embeddings precomputed", bench_scale),
    "pairs": ("Type I pairs, capacity 1, common language, different organisations",
              bench_pairs),
    "throughput": ("Embedding throughput, 1,000 paragraphs of ~40 words", bench_throughput),
    "quality": ("Matching quality on the labelled challenge/experience pairs", bench_quality),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SECTIONS), default=None)
    parser.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    parser.add_argument("--child", nargs=2, metavar=("SECTION", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.child[0], int(args.child[1]))))
        return 0
    results: dict[str, Any] = {"machine": machine()}
    print(table("Machine", [results["machine"]]))
    for name in args.only or list(SECTIONS):
        title, run = SECTIONS[name]
        rows = run()
        results[name] = rows
        print(table(title, rows), flush=True)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
