"""The Annex cases: in our own words, with ordered lessons, and linked to their registry
entries by the demo."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from peerlearn.library.annex import CASES
from peerlearn.library.demo import seed_demo
from peerlearn.library.models import Case, Resource

PAPER = Path(__file__).resolve().parents[3].parent / "shared/paper/peer-to-peer-learning-paper.md"


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_eight_cases_each_with_lessons() -> None:
    assert len(CASES) == 8
    assert len({c.key for c in CASES}) == 8
    for seed in CASES:
        assert 4 <= len(seed.lessons) <= 6, seed.key
        assert all(len(lesson) <= 400 for lesson in seed.lessons)
        assert len(seed.summary) <= 500


@pytest.mark.skipif(not PAPER.is_file(), reason=f"the paper is not at {PAPER}")
def test_the_cases_are_in_our_own_words() -> None:
    """No run of eight words is copied from the paper."""
    paper = _shingles(PAPER.read_text(encoding="utf-8"), 8)
    for seed in CASES:
        text = " ".join([seed.title, seed.summary, seed.body, *seed.lessons])
        copied = _shingles(text, 8) & paper
        assert not copied, (seed.key, sorted(" ".join(c) for c in copied)[:3])


def test_the_demo_adds_resources_once(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    seed_demo(date(2026, 6, 1))
    seed_demo(date(2026, 6, 1))
    assert Case.objects.filter(key__in=[c.key for c in CASES]).count() == 8
    kept = Resource.objects.get(alliance__isnull=False)
    assert kept.visibility == "alliance" and kept.file.read().startswith(b"Agreed")
    assert Resource.objects.count() == 3
    assert sorted(p.name for p in (tmp_path / "library").iterdir()) == [
        "demo-evidence-needs.csv",
        "demo-workshop-notes.txt",
    ]
