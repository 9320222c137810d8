"""What the audit trail and the data rights cost; prints one Markdown table.

    python benchmarks/audit.py            # on a fresh demo database in a temporary directory
    python benchmarks/audit.py -n 500     # more requests per row

Rows: an API list of peers (a bulk read, recorded after the request's transaction) with the
trail on and with the recording switched off; a sign-in; the demo peer's data archive; the
demo peer's erasure (rolled back). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """Median and 95th percentile of ``n`` calls, in milliseconds."""
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="requests per row (default 200)")
    args = parser.parse_args()

    os.environ.setdefault("PEERLEARN_DATA_DIR", tempfile.mkdtemp(prefix="peerlearn-audit-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    from peerlearn.accounts.models import User
    from peerlearn.accounts.services import api_token_create
    from peerlearn.audit.models import AuditEvent
    from peerlearn.demo.data.kenya import DEMO_PASSWORD
    from peerlearn.privacy.selectors import account_data_archive
    from peerlearn.privacy.services import account_erase

    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    peer = User.objects.get(username="peer")
    _token, key = api_token_create(user=peer, label="benchmark")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_HOST="localhost")

    def list_peers() -> None:
        assert client.get("/api/v1/peers?limit=25").status_code == 200

    rows = []
    with override_settings(PEERLEARN_API_RATE="100000/min"):
        before = AuditEvent.objects.count()
        rows.append(("API list of peers, trail on", *timed(list_peers, args.n)))
        recorded = AuditEvent.objects.count() - before
        with mock.patch("peerlearn.peers.api.audit_bulk_read"):
            rows.append(("API list of peers, trail off", *timed(list_peers, args.n)))

    browser = Client(HTTP_HOST="localhost")

    def sign_in() -> None:
        response = browser.post(
            "/accounts/login/", {"username": "peer", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302

    rows.append(("sign-in (password hashing included)", *timed(sign_in, max(5, args.n // 20))))
    size = len(account_data_archive(user=peer))
    rows.append(
        ("data archive of the demo peer", *timed(lambda: account_data_archive(user=peer), 20))
    )

    def erase() -> None:
        with transaction.atomic():
            account_erase(user=User.objects.get(id=peer.id), password=DEMO_PASSWORD)
            transaction.set_rollback(True)

    rows.append(("erasure of the demo peer (rolled back)", *timed(erase, 5)))

    print(f"| operation | median ms | p95 ms |  (n={args.n}; {recorded} bulk-read events "
          f"recorded; archive {size // 1024} KB)")
    print("|---|---:|---:|")
    for name, median, p95 in rows:
        print(f"| {name} | {median:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
