"""The open data exports at scale: time and peak memory of each format; prints a table.

    python benchmarks/exports.py                 # 10,000 and 100,000 records
    python benchmarks/exports.py --sizes 1000    # a quick look

For each size, a throwaway SQLite database in a temporary directory gets that many public
peers (each with a public challenge) and that many public alliances (each with a member
organisation, a funder and a priority); then ``export csv``, ``export json`` and ``export
iati`` each run in a fresh process, which reports its resident peak (``ru_maxrss``) and what
it was before the export began; ``--tracemalloc`` adds the peak of Python's own allocations
during the export (and slows it several times). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5000


def populate(n: int) -> None:
    from django.db import transaction

    from peerlearn.access.visibility import Visibility
    from peerlearn.accounts.models import User
    from peerlearn.alliances.models import (
        AllianceOrganisation,
        AlliancePriority,
        LearningAlliance,
    )
    from peerlearn.core.models import Country, Theme
    from peerlearn.organisations.models import Organisation, OrganisationType
    from peerlearn.peers.models import Challenge, PeerProfile

    theme = Theme.objects.get(slug="decentralisation")
    countries = list(Country.objects.order_by("code")[:50])
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"County {i}", type=OrganisationType.LOCAL_GOVERNMENT, country=countries[i % 50]
        )
        for i in range(200)
    )
    funder = Organisation.objects.create(name="Fund", type=OrganisationType.DEVELOPMENT_PARTNER)
    with transaction.atomic():
        for start in range(0, n, BATCH):
            ids = range(start, min(start + BATCH, n))
            users = User.objects.bulk_create(
                User(
                    username=f"peer{i}",
                    email=f"peer{i}@example.org",
                    name=f"Peer {i}",
                    organisation=orgs[i % 200],
                    password="!",  # noqa: S106 - an unusable password
                )
                for i in ids
            )
            profiles = PeerProfile.objects.bulk_create(
                PeerProfile(user=u, position="Revenue officer", visibility=Visibility.PUBLIC)
                for u in users
            )
            Challenge.objects.bulk_create(
                Challenge(
                    peer=p,
                    theme=theme,
                    title=f"Challenge {p.id}",
                    description="Cash collection leaks revenue at the bus park. " * 4,
                    visibility=Visibility.PUBLIC,
                )
                for p in profiles
            )
            alliances = LearningAlliance.objects.bulk_create(
                LearningAlliance(
                    name=f"Alliance {i}",
                    slug=f"alliance-{i}",
                    theme=theme,
                    purpose="Counties learn from each other how to raise own revenue. " * 3,
                    visibility=Visibility.PUBLIC,
                )
                for i in ids
            )
            AllianceOrganisation.objects.bulk_create(
                AllianceOrganisation(alliance=a, organisation=orgs[a.id % 200]) for a in alliances
            )
            AlliancePriority.objects.bulk_create(
                AlliancePriority(alliance=a, title="Revenue laws") for a in alliances
            )
            through = LearningAlliance.funders.through
            through.objects.bulk_create(
                through(learningalliance_id=a.id, organisation_id=funder.id) for a in alliances
            )


def run_export(fmt: str, out: Path, *, traced: bool) -> tuple[float, float | None, int]:
    """Seconds, peak traced MiB (when ``traced``), and bytes written."""
    from django.core.management import call_command

    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    call_command("export", fmt, "--out", str(out), stdout=io.StringIO())
    seconds = time.perf_counter() - start
    peak = None
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    size = sum(f.stat().st_size for f in out.rglob("*")) if out.is_dir() else out.stat().st_size
    return seconds, peak, size


def setup(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
    import django

    django.setup()
    # Imports happen before any measurement (the report modules load matplotlib).
    from peerlearn.reports.opendata import iati, tables  # noqa: F401
    from peerlearn.reports.opendata.results import results_providers

    results_providers()


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python's allocations (several times slower)",
    )
    parser.add_argument("--populate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--export", nargs=2, metavar=("DB", "FORMAT"), help=argparse.SUPPRESS)
    parser.add_argument("-n", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate:
        setup(args.populate)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        populate(args.n)
        return
    if args.export:
        database, fmt = Path(args.export[0]), args.export[1]
        setup(database)
        baseline = maxrss_mib()
        out = database.parent / ("activities.xml" if fmt == "iati" else fmt)
        seconds, peak, size = run_export(fmt, out, traced=args.tracemalloc)
        traced = f"{peak:.1f}" if peak is not None else "—"
        print(
            f"| {args.n:,} | {fmt} | {seconds:.1f} | {maxrss_mib():.0f} | {baseline:.0f} "
            f"| {traced} | {size / 2**20:.1f} |",
            flush=True,
        )
        return
    print(
        "| records | format | seconds | resident peak (MiB) | of which before the export "
        "(MiB) | peak traced (MiB) | written (MiB) |"
    )
    print("|---|---|---|---|---|---|---|")
    sys.stdout.flush()
    here = [sys.executable, __file__]
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="peerlearn-exports-") as tmp:
            database = Path(tmp) / "bench.sqlite3"
            started = time.perf_counter()
            subprocess.run([*here, "--populate", str(database), "-n", str(n)], check=True)
            created = time.perf_counter() - started
            # Each export in a fresh process, so that its resident peak is its own.
            for fmt in ("csv", "json", "iati"):
                extra = ["--tracemalloc"] if args.tracemalloc else []
                subprocess.run(
                    [*here, "--export", str(database), fmt, "-n", str(n), *extra], check=True
                )
            print(f"<!-- {n:,} records created in {created:.0f} s -->", flush=True)


if __name__ == "__main__":
    main()
