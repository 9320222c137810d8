"""The ``peerlearn`` console command: the operator's jobs in one place.

    peerlearn demo                 load the demo data (development only)
    peerlearn serve                serve the platform (default http://127.0.0.1:8000);
                                   --with-worker also runs a background worker beside it
    peerlearn worker               run background tasks (matching runs) from the queue
    peerlearn migrate              create or update the database
    peerlearn createsuperuser      create a platform administrator
    peerlearn check --deploy       check a production configuration
    peerlearn backup --out FILE    back up the database and uploaded files, while serving
    peerlearn restore FILE         restore a backup into an empty database (--force: replace)
    peerlearn match ...            the matching engine on a file of peers (no database)

Every other Django management command works too (``peerlearn help`` lists them).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        # The matcher is a pure library: it needs neither Django nor a database.
        from peerlearn.matching.cli import main as match_main

        return match_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerlearn.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["peerlearn", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
