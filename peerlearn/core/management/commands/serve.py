"""Serve peerlearn with waitress, a production-grade pure-Python WSGI server.

One process by default. Python runs one thread at a time in a process, so ``--processes N``
serves from N waitress processes on one port, one or two per core: this process binds the
listening socket once, starts N children that each serve from that same socket (the kernel
hands each new connection to one of them), restarts a child that dies, passes SIGTERM on and
stops every child when it stops. With ``--with-worker``, it also runs one background worker
(``peerlearn worker``) beside the server, in either mode.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

#: Seconds a child has to stop after SIGTERM before it is killed.
STOP_GRACE = 10
#: A child that dies sooner than this after starting counts as failing to start; after
#: FAST_DEATHS of those in a row, the server gives up rather than restart it forever.
FAST_DEATH_SECONDS = 5.0
FAST_DEATHS = 5


class Command(BaseCommand):
    help = "Serve the platform over HTTP (waitress), behind a TLS proxy in production."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on.")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on.")
        parser.add_argument("--threads", type=int, default=8, help="Threads per process.")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="Web processes serving the same port (one or two per core). Above 1, "
            "this process supervises them: it restarts one that dies and stops them all "
            "on SIGTERM or Ctrl+C. Not on Windows.",
        )
        parser.add_argument(
            "--connection-limit",
            type=int,
            default=1000,
            help="Open connections accepted at once per process (browsers keep theirs "
            "open); beyond, new ones wait.",
        )
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run a background worker (`peerlearn worker`) and stop it on exit.",
        )
        parser.add_argument(
            "--served-by",
            action="store_true",
            help="Name the serving process in each answer's X-Served-By header (its process "
            "id), to check that several processes share the work. Off by default.",
        )
        # A child of `--processes N`: serve from the listening socket inherited as this file
        # descriptor, and stop if the supervising process goes away.
        parser.add_argument("--socket-fd", type=int, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["processes"] < 1:
            raise CommandError("--processes must be at least 1.")
        if options["socket_fd"] is not None:
            self._serve_child(options)
            return
        self._site_address(options)
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        if options["processes"] > 1:
            self._supervise(options)
        else:
            self._serve_alone(options)

    # -- one process ---------------------------------------------------------------------

    def _serve_alone(self, options: dict[str, Any]) -> None:
        from waitress import serve

        worker = None
        if options["with_worker"]:
            # The same interpreter and environment: the child uses this server's settings.
            worker = _start(["worker"])
            child = worker

            def stop_too(signum: int, frame: FrameType | None) -> None:
                # A process manager stops the server with SIGTERM: pass it on to the worker
                # (it stops after its current task), then stop serving.
                child.send_signal(signum)
                sys.exit(0)

            signal.signal(signal.SIGTERM, stop_too)
            self.stdout.write(f"background worker started (process {worker.pid})")
        self._announce(options)
        try:
            serve(
                _application(options["served_by"]),
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
                _stop([worker])

    # -- several processes ---------------------------------------------------------------

    def _supervise(self, options: dict[str, Any]) -> None:
        if not hasattr(os, "fork"):
            raise CommandError("--processes above 1 needs a POSIX system; use 1 on Windows.")
        listener = _listen(options["host"], options["port"])
        shared_cache = _shared_cache()
        if shared_cache:
            # Rate limits are counted in the cache: one count for all the processes.
            os.environ["CACHE_URL"] = shared_cache
        # The children open their own database connections; this one is not theirs.
        connections.close_all()
        child_args = [
            "serve",
            "--no-migrate",
            "--socket-fd",
            str(listener.fileno()),
            "--threads",
            str(options["threads"]),
            "--connection-limit",
            str(options["connection_limit"]),
        ]
        if options["served_by"]:
            child_args.append("--served-by")
        starters: list[Callable[[], subprocess.Popen[bytes]]] = [
            lambda: _start(child_args, pass_fds=(listener.fileno(),))
        ] * options["processes"]
        if options["with_worker"]:
            starters.append(lambda: _start(["worker"]))
        supervisor = _Supervisor(starters, self.stdout.write)
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, supervisor.ask_to_stop)
        supervisor.start()
        self.stdout.write(
            f"{options['processes']} web processes started "
            f"({', '.join(str(p.pid) for p in supervisor.children[: options['processes']])})"
            + (
                f", background worker (process {supervisor.children[-1].pid})"
                if options["with_worker"]
                else ""
            )
        )
        self._announce(options)
        try:
            supervisor.watch()
        finally:
            supervisor.stop_all()
            listener.close()
        if supervisor.failed:
            raise CommandError(supervisor.failed)

    def _serve_child(self, options: dict[str, Any]) -> None:
        from waitress.server import create_server

        listener = socket.socket(fileno=options["socket_fd"])
        _stop_with_parent(os.getppid())
        create_server(
            _application(options["served_by"]),
            sockets=[listener],
            threads=options["threads"],
            connection_limit=options["connection_limit"],
            ident="peerlearn",
        ).run()

    def _site_address(self, options: dict[str, Any]) -> None:
        """E-mails sent by the worker have no request to take the platform's address from:
        without ``PEERLEARN_SITE_URL``, the address served here is given to this process and
        to the children it starts (the worker among them), so their links can be followed."""
        if settings.PEERLEARN_SITE_URL:
            return
        host = options["host"]
        if host in ("", "0.0.0.0", "::"):  # noqa: S104 - naming the wildcard, not binding it
            host = socket.getfqdn() or "localhost"
        address = f"http://{host}:{options['port']}"
        os.environ["PEERLEARN_SITE_URL"] = address
        settings.PEERLEARN_SITE_URL = address
        self.stdout.write(
            f"links in e-mails point to {address} (set PEERLEARN_SITE_URL to the platform's "
            "public address)"
        )

    def _announce(self, options: dict[str, Any]) -> None:
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"peerlearn is serving at {url}  (Ctrl+C stops it)"))


class _Supervisor:
    """Keeps one child running per starter until asked to stop; restarts one that dies."""

    def __init__(
        self, starters: list[Callable[[], subprocess.Popen[bytes]]], say: Callable[[str], Any]
    ) -> None:
        self.starters = starters
        self.say = say
        self.children: list[subprocess.Popen[bytes]] = []
        self.started_at: list[float] = []
        self.fast_deaths = [0] * len(starters)
        self.stopping = threading.Event()
        self.signal: int | None = None
        self.failed = ""

    def start(self) -> None:
        for starter in self.starters:
            self.children.append(starter())
            self.started_at.append(time.monotonic())

    def ask_to_stop(self, signum: int, frame: FrameType | None) -> None:
        self.signal = signum
        self.stopping.set()

    def watch(self) -> None:
        while not self.stopping.wait(0.5):
            for i, child in enumerate(self.children):
                if child.poll() is None:
                    continue
                lived = time.monotonic() - self.started_at[i]
                self.fast_deaths[i] = self.fast_deaths[i] + 1 if lived < FAST_DEATH_SECONDS else 0
                if self.fast_deaths[i] >= FAST_DEATHS:
                    self.failed = (
                        f"process {child.pid} stopped (exit status {child.returncode}) "
                        f"{FAST_DEATHS} times in a row within {FAST_DEATH_SECONDS:.0f} s of "
                        "starting; see the messages above"
                    )
                    return
                self.children[i] = self.starters[i]()
                self.started_at[i] = time.monotonic()
                self.say(
                    f"process {child.pid} stopped (exit status {child.returncode}); "
                    f"process {self.children[i].pid} replaces it"
                )

    def stop_all(self) -> None:
        # Ctrl+C in a terminal reaches every process of the group: each child has it already
        # (a worker stops after its current task, and a second signal would cut it short).
        # Any other signal, or none, is passed on as SIGTERM.
        if self.signal != signal.SIGINT:
            for child in self.children:
                if child.poll() is None:
                    child.terminate()
        _stop(self.children)


def _shared_cache() -> str:
    """A cache the children share, when this process's own is its memory (SQLite without
    CACHE_URL): files under the data directory."""
    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.endswith("LocMemCache"):
        return ""
    return f"filecache://{settings.DATA_DIR / 'cache'}"


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket every web process accepts connections from."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as e:
        listener.close()
        raise CommandError(f"cannot listen on {host}:{port}: {e.strerror}") from e
    listener.listen(1024)
    listener.set_inheritable(True)
    return listener


def _start(args: list[str], pass_fds: Iterable[int] = ()) -> subprocess.Popen[bytes]:
    """A child running ``peerlearn ARGS`` in this interpreter and environment."""
    command = [sys.executable, "-m", "peerlearn", *args]
    return subprocess.Popen(command, pass_fds=tuple(pass_fds))  # noqa: S603 - our own command


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    """Stop the children, which Ctrl+C in a terminal (or SIGTERM, passed on) has reached:
    a worker stops after its current task. Wait STOP_GRACE seconds; then ask those still
    running to stop, and kill any that will not within STOP_GRACE seconds more."""
    for ask in (None, "terminate", "kill"):
        running = [c for c in children if c.poll() is None]
        if not running:
            return
        if ask is not None:
            for child in running:
                getattr(child, ask)()
        deadline = time.monotonic() + STOP_GRACE
        for child in running:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                continue


def _stop_with_parent(parent: int) -> None:
    """End this process when its supervising process is gone (killed without passing a
    signal on): its children are then adopted by another process."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _application(served_by: bool) -> Any:
    from peerlearn.core.warm import web_warm_up_start
    from peerlearn.wsgi import application

    # Before the first visitor: the views, and what each app's first request would load.
    web_warm_up_start()

    if not served_by:
        return application
    pid = str(os.getpid()).encode("ascii")

    def named(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            return start_response(status, [*headers, ("X-Served-By", pid.decode())], *exc_info)

        return application(environ, start)

    return named
