"""The weight of a first visit: what a browser with an empty cache downloads to show each
main page, per role, on the demo data. Prints a table and fails (exit status 1) if a page,
gzip-compressed as a front server sends it, goes over the budget.

    python benchmarks/page_weight.py               # budget 150 KB
    python benchmarks/page_weight.py --budget 120

A throwaway SQLite database in a temporary directory gets ``peerlearn migrate`` and
``peerlearn demo``; ``peerlearn serve`` (development settings: static files as they are,
uncompressed) serves it. Chromium (``PEERLEARN_CHROMIUM``, default /usr/bin/chromium) signs
in as each demo role once, then opens every page in a fresh browser context holding only the
session cookie, so nothing comes from a cache; the weight is the sum of every response's
headers and body as transferred (HTML, CSS, JavaScript, and fonts or images if a page had
any), as Chromium counts them; `peerlearn serve` compresses nothing, so a second column
gives the same with every body gzip-compressed (level 6), as behind a compressing front
server (docs/deployment.md) or WhiteNoise's compressed static files in production.
"""

from __future__ import annotations

import argparse
import gzip
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "peerlearn-demo"  # noqa: S105 - the demo's published password
KIND_OF = {"document": "html", "stylesheet": "css", "script": "js", "font": "font"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main_pages() -> dict[str | None, list[str]]:
    """The main pages of each role (None: not signed in), read from the demo database."""
    from peerlearn.alliances.models import LearningAlliance, MemberRole
    from peerlearn.initiatives.models import Initiative
    from peerlearn.peers.models import Authorisation, PeerProfile

    alliance = LearningAlliance.objects.filter(
        memberships__user__username="facilitator", memberships__role=MemberRole.FACILITATOR
    ).first()
    initiative = Initiative.objects.order_by("id").first()
    profile = PeerProfile.objects.get(user__username="peer")
    authorisation = Authorisation.objects.filter(authoriser__username="authoriser").first()
    assert alliance and initiative and authorisation, "the demo data is missing"
    shared = [
        "/",
        "/peers/",
        f"/peers/{profile.id}/",
        "/alliances/",
        f"/alliances/{alliance.slug}/",
        "/initiatives/",
        "/evidence/",
    ]
    return {
        None: ["/", "/initiatives/", f"/initiatives/{initiative.slug}/", "/accounts/login/"],
        "peer": [*shared, "/peers/me/challenges/new/", "/matching/proposals/"],
        "facilitator": [*shared, "/facilitation/", "/matching/runs/new/", "/supply-and-demand/"],
        "authoriser": [*shared, f"/peers/authorisations/{authorisation.id}/"],
        "funder": shared,
        "admin": [*shared, "/audit/"],
    }


def weigh(context: Any, url: str) -> dict[str, int]:
    """Bytes transferred, by kind, to load ``url`` in ``context``; under "gzip", the total
    had every body been sent gzip-compressed (level 6, as a front server would)."""
    page = context.new_page()
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url, wait_until="load", timeout=120_000)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    sizes: dict[str, int] = {}
    for request in finished:
        s = request.sizes()
        kind = KIND_OF.get(request.resource_type, "other")
        sizes[kind] = sizes.get(kind, 0) + s["responseHeadersSize"] + s["responseBodySize"]
        response = request.response()
        body = response.body() if response else b""
        sizes["gzip"] = sizes.get("gzip", 0) + s["responseHeadersSize"]
        sizes["gzip"] += min(len(gzip.compress(body, 6)), s["responseBodySize"])
    page.close()
    return sizes


def run(budget_kb: float) -> int:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="peerlearn-weight-"))
    env = {
        **os.environ,
        "PEERLEARN_ENV": "development",
        "PEERLEARN_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'demo.sqlite3'}",
        "PEERLEARN_ENV_FILE": str(data_dir / "none.env"),
        "DJANGO_SETTINGS_MODULE": "peerlearn.settings",
        "PEERLEARN_MATCHING_ENCODER": "tfidf",
    }
    peerlearn = [sys.executable, "-m", "peerlearn"]
    for args in (["migrate", "--no-input"], ["demo"]):
        subprocess.run([*peerlearn, *args], env=env, check=True, capture_output=True)
    os.environ.update(env)
    import django

    django.setup()
    pages = main_pages()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*peerlearn, "serve", "--port", str(port), "--no-migrate"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    over: list[str] = []
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 - http only
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=os.environ.get("PEERLEARN_CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            print(
                f"{'role':<12} {'page':<44} {'HTML':>7} {'CSS':>7} {'JS':>7} {'other':>7} "
                f"{'total':>8} {'gzipped':>8}  (KB, empty cache)"
            )
            heaviest = heaviest_zipped = 0.0
            for role, urls in pages.items():
                state = None
                if role:
                    context = browser.new_context(base_url=base)
                    page = context.new_page()
                    page.goto("/accounts/login/")
                    page.get_by_label("Username").fill(role)
                    page.get_by_label("Password").fill(PASSWORD)
                    page.get_by_role("button", name="Sign in").click()
                    page.wait_for_url(lambda url: "/accounts/login/" not in url)
                    state = context.storage_state()
                    context.close()
                for url in urls:
                    context = browser.new_context(base_url=base, storage_state=state)
                    sizes = weigh(context, url)
                    context.close()
                    kb = {k: v / 1024 for k, v in sizes.items()}
                    zipped = kb.pop("gzip")
                    total = sum(kb.values())
                    heaviest = max(heaviest, total)
                    heaviest_zipped = max(heaviest_zipped, zipped)
                    other = kb.get("font", 0) + kb.get("other", 0)
                    print(
                        f"{role or 'anonymous':<12} {url[:44]:<44} {kb.get('html', 0):7.1f} "
                        f"{kb.get('css', 0):7.1f} {kb.get('js', 0):7.1f} {other:7.1f} "
                        f"{total:8.1f} {zipped:8.1f}"
                    )
                    if zipped > budget_kb:
                        over.append(f"{role} {url}: {zipped:.1f} KB gzipped")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"heaviest first load: {heaviest:.1f} KB as served, {heaviest_zipped:.1f} KB gzipped;"
        f" budget {budget_kb:.0f} KB gzipped"
    )
    if over:
        print("over the budget:", *over, sep="\n  ")
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=150.0, help="KB per page (150)")
    return run(parser.parse_args().budget)


if __name__ == "__main__":
    sys.exit(main())
