"""The open data exports at scale: time and peak memory of each format; prints a table.

    python benchmarks/exports.py                 # 10,000 and 100,000 records
    python benchmarks/exports.py --sizes 1000    # a quick look

For each size, a throwaway SQLite database in a temporary directory gets that many public
peers (each with a public challenge) and that many public alliances (each with a member
organisation, a funder and a priority); then ``export csv``, ``export json`` and ``export
iati`` run in turn. Peak memory is Python's own allocations during the export
(``tracemalloc``); the process's resident peak (``ru_maxrss``) is printed after each size.
Nothing here asserts a time.
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
                    password="!",
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


def run_export(fmt: str, out: Path) -> tuple[float, float, int]:
    """Seconds, peak traced MiB, and bytes written."""
    from django.core.management import call_command

    tracemalloc.start()
    start = time.perf_counter()
    call_command("export", fmt, "--out", str(out), stdout=io.StringIO())
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(f.stat().st_size for f in out.rglob("*")) if out.is_dir() else out.stat().st_size
    return seconds, peak / 2**20, size


def one_size(n: int) -> None:
    """Create ``n`` records in a fresh database and print a table row per format."""
    with tempfile.TemporaryDirectory(prefix="peerlearn-exports-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        populate(n)
        created = time.perf_counter() - started
        # Imports happen once, before any measurement (the report modules load matplotlib).
        from peerlearn.reports.opendata import iati, tables  # noqa: F401
        from peerlearn.reports.opendata.results import results_providers

        results_providers()
        for fmt, target in (("csv", "csv"), ("json", "json"), ("iati", "activities.xml")):
            seconds, peak, size = run_export(fmt, Path(tmp) / target)
            print(f"| {n:,} | {fmt} | {seconds:.1f} | {peak:.1f} | {size / 2**20:.1f} |")
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"|  | (records created in {created:.0f} s; process resident peak "
              f"{maxrss:.0f} MiB) | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_size(args.one)
        return
    print("| records | format | seconds | peak traced memory (MiB) | written (MiB) |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        # Each size in a process of its own, so that its resident peak is its own.
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)


if __name__ == "__main__":
    main()
