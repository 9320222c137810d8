"""What the demo refuses, and that its hand-written content is written in our own words.
No database needed."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test.utils import override_settings

from peerlearn.demo.data import kenya
from peerlearn.demo.load import DemoError, load_demo
from peerlearn.initiatives.annex import INITIATIVES

PAPER = Path(__file__).resolve().parents[3].parent / "shared/paper/peer-to-peer-learning-paper.md"


def test_production_mode_refuses_before_touching_the_database():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("demo", stdout=StringIO())
    with override_settings(PRODUCTION=True), pytest.raises(DemoError):
        load_demo()


def test_a_negative_number_of_peers_is_refused():
    with pytest.raises(CommandError, match="--peers"):
        call_command("demo", peers=-1, stdout=StringIO())


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not PAPER.is_file(), reason=f"the paper is not at {PAPER}")
def test_summaries_lessons_and_knowledge_gaps_are_in_our_own_words():
    """No run of eight words is copied from the paper (names and titles are shorter)."""
    paper = _shingles(PAPER.read_text(encoding="utf-8"), 8)
    for seed in INITIATIVES:
        copied = _shingles(seed.summary + " " + seed.lessons, 8) & paper
        assert not copied, (seed.slug, sorted(" ".join(c) for c in copied)[:3])
    for s in kenya.STATEMENTS:
        assert not _shingles(s.description, 8) & paper, s.title
