"""Configuration: the system checks, production mode and the console command."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command


def run_peerlearn(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "peerlearn", *args],
        env={**base, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path: Path) -> dict[str, str]:
    return {
        "PEERLEARN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "peerlearn.example.org",
        "PEERLEARN_SITE_URL": "https://peerlearn.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "PEERLEARN_DATA_DIR": str(tmp_path),
        "PEERLEARN_ENV_FILE": str(tmp_path / "none.env"),
    }


def test_system_checks_pass() -> None:
    call_command("check", fail_level="WARNING")


def test_production_mode_passes_check_deploy(tmp_path: Path) -> None:
    result = run_peerlearn(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path), cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "SECRET_KEY is not set"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS is not set")],
)
def test_production_mode_refuses_to_start_without(
    tmp_path: Path, missing: str, message: str
) -> None:
    env = production_env(tmp_path)
    env[missing] = ""
    result = run_peerlearn("check", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_development_generates_and_keeps_its_own_secret_key(tmp_path: Path) -> None:
    env = {
        "PEERLEARN_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "PEERLEARN_ENV_FILE": str(tmp_path / "none.env"),
    }
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_peerlearn("shell", "-c", code, env=env, cwd=tmp_path)
    second = run_peerlearn("shell", "-c", code, env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 50
    assert key in first.stdout and key in second.stdout


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    result = run_peerlearn("check", env={"PEERLEARN_ENV": "staging"}, cwd=tmp_path)
    assert result.returncode != 0
    assert "use 'development' or 'production'" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree() -> None:
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_a_library_of_the_same_name_as_another_is_still_reported() -> None:
    from django.template import engines

    engine = engines["django"]
    assert not engine._check_for_template_tags_with_the_same_name()  # i18n replaced on purpose
    engine.engine.libraries["avatars"] = "peerlearn.core.templatetags.cached_url"
    try:
        (warning,) = engine._check_for_template_tags_with_the_same_name()
    finally:
        del engine.engine.libraries["avatars"]
    assert warning.id == "templates.W003" and "'avatars'" in warning.msg


def test_an_unknown_matching_encoder_is_refused(tmp_path: Path) -> None:
    # A misspelt model must not fall back to another one silently.
    result = run_peerlearn("check", env={"PEERLEARN_MATCHING_ENCODER": "multilingal"}, cwd=tmp_path)
    assert result.returncode != 0
    assert "PEERLEARN_MATCHING_ENCODER: 'multilingal' names no encoder: use auto, minilm," in (
        result.stderr
    )
