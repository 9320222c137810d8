"""A facilitator starts a matching from the web page; it waits in the queue, a worker takes
it, and the page follows it to the proposals — with htmx polling, and without JavaScript
(the page refreshes itself) — in a real browser."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import OperationalError, connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from peerlearn.matchmaking.models import MatchingRun
from tests.browser.test_matching_journey import THEME, revenue_peers, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

__all__ = ["revenue_peers"]


@pytest.fixture
def queue(settings: Any) -> None:
    """The platform's real queue: runs wait in the database until a worker takes them. No
    heartbeat thread: fewer threads writing to the shared in-memory database."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PEERLEARN_RUN_HEARTBEAT_SECONDS = 0


@pytest.fixture
def start_worker() -> Iterator[Callable[[], None]]:
    """Start a database worker in a thread of the test process, beside the live server."""
    workers: list[tuple[Worker, threading.Thread]] = []

    def run(worker: Worker) -> None:
        try:
            while worker.running:
                try:
                    worker.run()
                except OperationalError:
                    # The live server's in-memory database is shared between threads, and
                    # SQLite answers "table is locked" at once instead of waiting: try again.
                    time.sleep(0.2)
        finally:
            connections.close_all()

    def start() -> None:
        worker = Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test-worker",
            excluded_queue_names=[],
        )
        thread = threading.Thread(target=run, args=(worker,), daemon=True)
        thread.start()
        workers.append((worker, thread))

    yield start
    for worker, thread in workers:
        worker.running = False
        thread.join(timeout=60)


def start_matching(page: Any, javascript: bool = True) -> None:
    page.goto("/matching/runs/new/")
    # What to form first: choosing it brings that kind's rules in (without JavaScript,
    # through its own button).
    page.get_by_label("Pairs (Type I)").check()
    if not javascript:
        page.get_by_role("button", name="Show the rules for this kind").click()
    page.get_by_label("Seekers each provider can help").wait_for()
    page.get_by_label("Peers working on a theme").check()
    page.get_by_label(re.compile(r"^Theme")).select_option(label=THEME)
    page.get_by_label("Or name the new learning alliance").fill("Revenue pairs")
    page.get_by_role("button", name="Run the matching").click()


def test_the_run_page_follows_a_queued_matching_to_its_proposals(
    page: Any, revenue_peers: SimpleNamespace, queue: None, start_worker: Callable[[], None]
) -> None:
    sign_in(page, "wanjiru")
    start_matching(page)

    # Queued: the page says so, shows the progress bar and that the page may be closed.
    progress = page.locator("#progress")
    expect(progress.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
    expect(progress.locator("progress")).to_have_attribute("value", "0")
    expect(progress).to_contain_text("you may close this page and come back")
    # htmx is loaded (a deferred script: it may run after the first content shows).
    page.wait_for_function("typeof window.htmx === 'object'")
    run = MatchingRun.objects.get()
    assert run.status == "queued" and not run.proposals.exists()

    # A worker takes it; htmx polling notices the end and the page shows the proposals.
    start_worker()
    page.get_by_role("heading", name="3 proposals").wait_for(timeout=60_000)
    expect(page.locator("#progress")).to_have_count(0)
    assert "Dora can help Achieng" in (
        page.locator("details.proposal", has_text="Achieng").text_content() or ""
    )
    run.refresh_from_db()
    assert run.status == "draft" and run.proposals.count() == 3


def test_without_javascript_the_run_page_refreshes_until_done(
    browser: Any,
    live_server: Any,
    revenue_peers: SimpleNamespace,
    queue: None,
    start_worker: Callable[[], None],
) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "wanjiru")
        start_matching(page, javascript=False)
        expect(page.locator("#progress")).to_contain_text("Waiting for a worker")
        start_worker()
        # The page reloads itself (meta refresh) until the proposals are there.
        page.get_by_role("heading", name="3 proposals").wait_for(timeout=60_000)
        expect(page.locator("meta[http-equiv=refresh]")).to_have_count(0)
    finally:
        context.close()
