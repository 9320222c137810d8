"""The progress hook: a caller hears each stage of a run, whether or not a bar is shown."""

from __future__ import annotations

from peerlearn.matching import GroupRules, Peer, match_groups, match_pairs
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.progress import Progress, reporting


def test_the_hook_hears_start_updates_and_end() -> None:
    heard: list[tuple[str, int, int]] = []
    with reporting(lambda *event: heard.append(event)), Progress(3, False, "pairing") as bar:
        bar.update(2)
        bar.update(5)
    assert heard == [("pairing", 0, 3), ("pairing", 2, 3), ("pairing", 3, 3), ("pairing", 3, 3)]


def test_no_hook_outside_the_block() -> None:
    heard: list[tuple[str, int, int]] = []
    with reporting(lambda *event: heard.append(event)):
        pass
    with Progress(2, False, "grouping") as bar:
        bar.update(2)
    assert heard == []


def test_a_grouping_reports_grouping_then_explaining() -> None:
    peers = [
        Peer(str(i), country="KE" if i % 2 else "UG", languages=("en",), challenge="tax audit")
        for i in range(8)
    ]
    heard: list[tuple[str, int, int]] = []
    with reporting(lambda *event: heard.append(event)):
        match_groups(peers, GroupRules(min_size=4, max_size=4), encoder=TfidfEncoder())
    stages = [stage for stage, _, _ in heard]
    assert stages[0] == "grouping" and stages[-1] == "explaining"
    assert heard[-1] == ("explaining", 8, 8)
    for stage in ("grouping", "explaining"):
        done = [d for s, d, _ in heard if s == stage]
        assert done == sorted(done)


def test_a_pairing_reports_pairing() -> None:
    peers = [
        Peer("s", role="seeker", organisation="A", languages=("en",), challenge="market fees"),
        Peer("p", role="provider", organisation="B", languages=("en",), experience="fees"),
    ]
    heard: list[tuple[str, int, int]] = []
    with reporting(lambda *event: heard.append(event)):
        match_pairs(peers, encoder=TfidfEncoder())
    assert {stage for stage, _, _ in heard} >= {"pairing"}
    assert ("pairing", 1, 1) in heard
