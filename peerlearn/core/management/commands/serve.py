"""Serve peerlearn with waitress, a production-grade pure-Python WSGI server; with
``--with-worker``, also run a background worker (``peerlearn worker``) beside it."""

from __future__ import annotations

import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the platform over HTTP (waitress), behind a TLS proxy in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument("--threads", type=int, default=8, help="Worker threads.")
        parser.add_argument(
            "--connection-limit",
            type=int,
            default=1000,
            help="Open connections accepted at once (browsers keep theirs open); beyond, "
            "new ones wait.",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run a background worker (`peerlearn worker`) and stop it on exit.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from peerlearn.wsgi import application

        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if options["with_worker"]:
            # The same interpreter and environment: the child uses this server's settings.
            worker = subprocess.Popen([sys.executable, "-m", "peerlearn", "worker"])
            child = worker

            def stop_too(signum: int, frame: FrameType | None) -> None:
                # A process manager stops the server with SIGTERM: pass it on to the worker
                # (it stops after its current task), then stop serving.
                child.send_signal(signum)
                sys.exit(0)

            signal.signal(signal.SIGTERM, stop_too)
            self.stdout.write(f"background worker started (process {worker.pid})")
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"peerlearn is serving at {url}  (Ctrl+C stops it)"))
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                connection_limit=options["connection_limit"],
                ident="peerlearn",
            )
        except BaseException:
            if worker is not None and worker.poll() is None:
                worker.terminate()
            raise
        finally:
            if worker is not None:
                _stop(worker)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop the worker: Ctrl+C in a terminal (or SIGTERM, passed on) has reached it and it
    stops after its current task; otherwise ask it to stop, and kill it if it will not."""
    for ask in (None, worker.terminate, worker.kill):
        if ask is not None and worker.poll() is None:
            ask()
        try:
            worker.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue
