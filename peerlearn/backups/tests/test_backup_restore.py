"""``peerlearn backup`` and ``peerlearn restore`` on the demo: every row of every table comes
back identical, on the engine the suite runs on (SQLite, or PostgreSQL when DATABASE_URL names
one). The archive is checked before anything is replaced."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import override_settings

from peerlearn.accounts.models import User
from peerlearn.backups import services
from peerlearn.backups.services import DUMP_NAMES, MANIFEST

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def every_row() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, keyed by table."""
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def media(tmp_path: Path) -> Any:
    root = tmp_path / "media"
    (root / "reports").mkdir(parents=True)
    (root / "reports" / "outcomes.pdf").write_bytes(b"%PDF-1.4 learning outcomes")
    with override_settings(MEDIA_ROOT=str(root), PASSWORD_HASHERS=FAST_HASHER):
        yield root


def _files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_backup_then_restore_into_an_empty_database_gives_every_row_back(
    media: Path, tmp_path: Path
) -> None:
    call_command("demo", peers=30, stdout=io.StringIO())
    before = every_row()
    assert sum(len(r) for r in before.values()) > 500
    archive = tmp_path / "backup.tar.gz"

    # The demo's own uploads (the library's resources) and the file planted here.
    uploads = _files(media)
    assert Path("reports/outcomes.pdf") in uploads
    out = io.StringIO()
    call_command("backup", out=str(archive), stdout=out)
    assert f"{len(uploads)} uploaded file" in out.getvalue()

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
    engine = connection.vendor
    assert manifest["format_version"] == 1
    assert manifest["engine"] == engine
    assert "created_at" in manifest
    assert "0001_initial" in manifest["migrations"]["accounts"]
    assert DUMP_NAMES[engine] in names
    assert {f"media/{name}" for name in uploads} <= set(names)

    # The database holds accounts: restoring over it needs --force.
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), stdout=io.StringIO())

    # An empty database, and no uploaded files.
    call_command("flush", interactive=False, stdout=io.StringIO())
    shutil.rmtree(media)
    media.mkdir()
    assert not User.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restored" in out.getvalue()
    after = every_row()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert _files(media) == uploads


def test_restore_over_data_with_force_replaces_it(media: Path, tmp_path: Path) -> None:
    from peerlearn.conftest import make_user

    make_user("kept")
    archive = tmp_path / "b.tar.gz"
    call_command("backup", out=str(archive), stdout=io.StringIO())
    make_user("added_later")
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert set(User.objects.values_list("username", flat=True)) == {"kept"}


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy ``archive`` to ``target`` with ``change(name, data) -> data | None`` applied."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            new = change(member.name, data)
            if new is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(new)
            dst.addfile(info, io.BytesIO(new))


@pytest.fixture
def archive(media: Path, tmp_path: Path) -> Path:
    path = tmp_path / "good.tar.gz"
    call_command("backup", out=str(path), stdout=io.StringIO())
    return path


def _restore(path: Path) -> str:
    with pytest.raises(CommandError) as e:
        call_command("restore", str(path), force=True, stdout=io.StringIO())
    return str(e.value)


def test_restore_refuses_an_archive_from_the_other_engine(archive: Path, tmp_path: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def swap(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["engine"] = other
        dump = manifest["checksums"].pop(DUMP_NAMES[connection.vendor])
        manifest["checksums"][DUMP_NAMES[other]] = dump
        return json.dumps(manifest).encode()

    bad = tmp_path / "other.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = swap(member.name, src.extractfile(member).read())  # type: ignore[union-attr]
            name = (
                DUMP_NAMES[other] if member.name == DUMP_NAMES[connection.vendor] else member.name
            )
            info = tarfile.TarInfo(name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    message = _restore(bad)
    assert "DATABASE_URL" in message
    assert ("SQLite" in message) and ("PostgreSQL" in message)


def test_restore_refuses_a_damaged_archive(archive: Path, tmp_path: Path) -> None:
    dump = DUMP_NAMES[connection.vendor]
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(archive, damaged, lambda name, data: data[:-10] + b"x" * 10 if name == dump else data)
    assert "checksum" in _restore(damaged)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "damaged or truncated" in _restore(truncated) or "not a peerlearn" in _restore(truncated)

    no_manifest = tmp_path / "no-manifest.tar.gz"
    _rewrite(archive, no_manifest, lambda name, data: None if name == MANIFEST else data)
    assert "manifest.json" in _restore(no_manifest)

    not_tar = tmp_path / "notes.txt"
    not_tar.write_text("hello")
    assert "not a peerlearn backup" in _restore(not_tar)
    assert "no such file" in _restore(tmp_path / "missing.tar.gz")


def test_restore_refuses_an_unknown_format_or_a_newer_schema(archive: Path, tmp_path: Path) -> None:
    def future(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["format_version"] = 99
        return json.dumps(manifest).encode()

    newer = tmp_path / "future.tar.gz"
    _rewrite(archive, newer, future)
    assert "format 99" in _restore(newer)

    def newer_migration(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"]["accounts"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    ahead = tmp_path / "ahead.tar.gz"
    _rewrite(archive, ahead, newer_migration)
    assert "Upgrade peerlearn" in _restore(ahead)


def test_restore_refuses_paths_outside_the_archive(archive: Path, tmp_path: Path) -> None:
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(evil, "w:gz") as dst:
        for member in src.getmembers():
            dst.addfile(member, src.extractfile(member))
        info = tarfile.TarInfo("../escape.txt")
        info.size = 1
        dst.addfile(info, io.BytesIO(b"x"))
    assert "not a plain file inside the archive" in _restore(evil)
    assert not (tmp_path.parent / "escape.txt").exists()


def test_backup_writes_nothing_under_the_name_when_it_fails(
    media: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(engine: str, target: Path) -> None:
        raise services.BackupError("pg_dump failed: connection refused")

    monkeypatch.setattr(services, "_dump_database", fail)
    out = tmp_path / "b.tar.gz"
    with pytest.raises(CommandError, match="connection refused"):
        call_command("backup", out=str(out), stdout=io.StringIO())
    assert not out.exists()


def test_the_sqlite_copy_leaves_writers_free_and_ends_consistent(tmp_path: Path) -> None:
    """The platform keeps writing while a backup runs: a writer that will not wait at all
    (busy timeout 0) still commits between the copy's steps, and the copy holds its row."""
    import sqlite3

    source_path = tmp_path / "live.sqlite3"
    source = sqlite3.connect(source_path)
    source.execute("PRAGMA journal_mode=WAL")
    source.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    source.executemany("INSERT INTO note (body) VALUES (?)", [("x" * 500,)] * 4000)
    source.commit()
    writer = sqlite3.connect(source_path, timeout=0)
    steps: list[int] = []

    def write_meanwhile(status: int, remaining: int, total: int) -> None:
        steps.append(remaining)
        if len(steps) == 1:
            writer.execute("INSERT INTO note (body) VALUES ('written during the backup')")
            writer.commit()

    copy = tmp_path / "copy.sqlite3"
    services.sqlite_online_copy(source, copy, progress=write_meanwhile)
    assert len(steps) > 1  # copied in several steps, not in one locked sweep
    copied = sqlite3.connect(copy)
    assert copied.execute("SELECT count(*) FROM note").fetchone() == (4001,)
    assert copied.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for c in (copied, writer, source):
        c.close()
