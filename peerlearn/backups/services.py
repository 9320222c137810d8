"""Backing up and restoring the platform: the database and the uploaded files in one archive.

An archive is a gzipped tar file holding

* ``manifest.json`` — the format version, the database engine, the Django migrations applied,
  when it was made, and a SHA-256 checksum of every other member;
* ``database.sqlite3`` (SQLite, copied with SQLite's online backup API, a few pages at a time,
  so writers are never held up for long) or ``database.pgdump`` (PostgreSQL, ``pg_dump`` in
  its custom format, which reads one consistent snapshot and takes no lock that blocks
  writes);
* ``media/…`` — the files under ``MEDIA_ROOT``.

Restoring checks the archive first (manifest, format, checksums, safe file names), refuses an
archive made on another engine, and refuses a database that already holds accounts unless
told to replace it (``force``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

#: The version of the archive layout; restore refuses any other.
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
#: Pages copied per step of SQLite's online backup: the source is read-locked only that long.
SQLITE_PAGES_PER_STEP = 256
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    media_files: int
    #: Migrations this code has that the archive's database had not applied yet.
    pending_migrations: list[str]


def current_engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def applied_migrations() -> dict[str, list[str]]:
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def _media_files(root: Path | None) -> Iterator[Path]:
    if root is None or not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


# --- PostgreSQL command-line tools -----------------------------------------------------------


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    args += ["--dbname", str(s["NAME"]), "--no-password"]
    return env, args


def _run(cmd: list[str], env: dict[str, str]) -> None:
    tool = cmd[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is not installed: install the PostgreSQL client tools "
            "(e.g. apt-get install postgresql-client) in the same major version as the server."
        )
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


# --- backup ----------------------------------------------------------------------------------


def sqlite_online_copy(
    source: sqlite3.Connection,
    target: Path,
    progress: Callable[[int, int, int], object] | None = None,
) -> None:
    """Copy an open SQLite database into the file ``target``, a few pages at a time: between
    steps other connections read and write freely (in WAL mode a reader never blocks a
    writer anyway), and a write by another connection restarts the copy, so the copy is one
    consistent state."""
    dest = sqlite3.connect(target)
    try:
        source.backup(dest, pages=SQLITE_PAGES_PER_STEP, progress=progress)
    finally:
        dest.close()


def _dump_database(engine: str, target: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        sqlite_online_copy(connection.connection, target)
    else:
        env, args = _pg_env_and_args()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
            ],
            env,
        )


def backup_create(*, out: Path) -> dict[str, Any]:
    """Write a backup archive to ``out`` and return its manifest."""
    engine = current_engine()
    media_root = _media_root()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="peerlearn-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[engine]
        _dump_database(engine, dump)
        media = list(_media_files(media_root))
        checksums = {DUMP_NAMES[engine]: _sha256(dump)}
        for path in media:
            assert media_root is not None
            checksums[f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}"] = _sha256(path)
        manifest = {
            "format_version": FORMAT_VERSION,
            "application": "peerlearn",
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "migrations": applied_migrations(),
            "media_files": len(media),
            "checksums": checksums,
        }
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMP_NAMES[engine])
            for path in media:
                assert media_root is not None
                arcname = f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}"
                tar.add(path, arcname=arcname)
        # Only a complete archive takes the name asked for.
        partial.replace(out)
    return manifest


# --- checking --------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name not in ("", ".")


def backup_check(*, archive: Path, into: Path) -> dict[str, Any]:
    """Unpack ``archive`` into the directory ``into`` and check it; return its manifest.
    Raises BackupError naming what is wrong."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with below
    except (tarfile.TarError, OSError) as e:
        raise BackupError(f"{archive} is not a peerlearn backup archive ({e}).") from e
    with tar:
        try:
            members = tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as e:
            raise BackupError(f"{archive} is damaged or truncated ({e}).") from e
        for member in members:
            if not _safe_member(member.name) or not (member.isfile() or member.isdir()):
                raise BackupError(
                    f"{archive} holds {member.name!r}, which is not a plain file inside the "
                    "archive: refusing to restore it."
                )
        try:
            tar.extractall(into, filter="data")
        except (tarfile.TarError, OSError, EOFError) as e:
            raise BackupError(f"{archive} is damaged or truncated ({e}).") from e
    manifest_path = into / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{archive} has no {MANIFEST}: it was not made by `peerlearn backup`.")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as e:
        raise BackupError(f"{archive}: {MANIFEST} is not valid JSON ({e}).") from e
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} has backup format {manifest.get('format_version')!r}; this version of "
            f"peerlearn reads format {FORMAT_VERSION}. Restore it with the peerlearn version "
            "that made it."
        )
    engine = manifest.get("engine")
    if engine not in DUMP_NAMES:
        raise BackupError(f"{archive}: unknown database engine {engine!r} in the manifest.")
    checksums = manifest.get("checksums") or {}
    if DUMP_NAMES[engine] not in checksums:
        raise BackupError(f"{archive} has no database dump ({DUMP_NAMES[engine]}).")
    for name, expected in checksums.items():
        path = into / name
        if not _safe_member(name) or not path.is_file():
            raise BackupError(f"{archive} lacks {name}, which its manifest lists.")
        if _sha256(path) != expected:
            raise BackupError(
                f"{archive}: {name} does not match its checksum: the file is damaged."
            )
    return dict(manifest)


# --- restore ---------------------------------------------------------------------------------


def database_is_empty() -> bool:
    """True when the database holds no accounts: a new one, or one just migrated (the
    migrations load only reference data)."""
    from peerlearn.accounts.models import User

    if User._meta.db_table not in connection.introspection.table_names():
        return True
    return not User.objects.exists()


def _restore_database(engine: str, dump: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection, pages=SQLITE_PAGES_PER_STEP)
        finally:
            source.close()
    else:
        env, args = _pg_env_and_args()
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(dump),
            ],
            env,
        )
    connection.close()


def _restore_media(source: Path) -> int:
    root = _media_root()
    files = [p for p in sorted(source.rglob("*")) if p.is_file()] if source.is_dir() else []
    if not files:
        return 0
    if root is None:
        raise BackupError("The archive holds uploaded files but MEDIA_ROOT is not set: set it.")
    for path in files:
        target = root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return len(files)


def backup_restore(*, archive: Path, force: bool = False) -> RestoreResult:
    """Replace the database and add the uploaded files from ``archive``."""
    engine = current_engine()
    with tempfile.TemporaryDirectory(prefix="peerlearn-restore-") as tmp:
        manifest = backup_check(archive=Path(archive), into=Path(tmp))
        if manifest["engine"] != engine:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(
                f"{archive} holds a {names[manifest['engine']]} database and this platform uses "
                f"{names[engine]}. Restore it with DATABASE_URL naming a "
                f"{names[manifest['engine']]} database; to move the data to {names[engine]}, "
                "restore it there, then copy it with `peerlearn dumpdata` and `peerlearn loaddata`."
            )
        known = _known_migrations()
        archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
        unknown = sorted(f"{app}.{name}" for app, name in archived - known)
        if unknown:
            raise BackupError(
                f"{archive} was made by a newer version of peerlearn (migrations unknown here: "
                f"{', '.join(unknown[:5])}). Upgrade peerlearn, then restore."
            )
        if not force and not database_is_empty():
            raise BackupError(
                "The database already holds accounts. Restoring replaces everything in it: "
                "run `peerlearn restore --force` to do so, or point DATABASE_URL at an empty "
                "database."
            )
        _restore_database(engine, Path(tmp) / DUMP_NAMES[engine])
        media = _restore_media(Path(tmp) / MEDIA_DIR)
    pending = sorted(f"{app}.{name}" for app, name in known - archived)
    return RestoreResult(manifest=manifest, media_files=media, pending_migrations=pending)


def _known_migrations() -> set[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)
