"""The matching methods: each sets the weights and rules its table documents, the command
line takes ``--method`` and ``--weight``, and the labelled topic sets are what they say."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from peerlearn.matching import GroupRules, Peer, ScoreWeights, TfidfEncoder, match_groups
from peerlearn.matching.checks import check_groups
from peerlearn.matching.cli import main
from peerlearn.matching.io import read_peers
from peerlearn.matching.methods import (
    METHODS,
    WEIGHT_NAMES,
    Method,
    check_method,
    default_method,
    method_rules,
    method_spec,
    method_weights,
    methods_for,
    parse_method,
    weights_json,
)

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "data"


def test_every_method_is_in_the_table_once_with_words() -> None:
    assert [m.method for m in METHODS] == list(Method)
    for spec in METHODS:
        assert spec.label and len(spec.description) > 40 and spec.kinds


def test_defaults_per_kind() -> None:
    assert default_method("groups") is Method.COMMON_CHALLENGES
    assert default_method("pairs") is Method.COMPLEMENTARY
    assert default_method("team") is Method.PROBLEM_FOCUSED
    for kind in ("groups", "pairs", "team"):
        assert methods_for(kind)[0] is default_method(kind)


def test_common_challenges_counts_the_texts_only() -> None:
    w = method_weights(Method.COMMON_CHALLENGES)
    assert w.stage == 0 and w.organisation_type == 0
    assert w.challenge == 1 and w.complementary == 1
    # The library's defaults are the default method's, so a caller who passes no weights
    # gets topic groups too.
    assert ScoreWeights() == w


def test_complementary_puts_answers_before_likeness() -> None:
    w = method_weights("complementary")
    assert w.complementary > w.challenge
    assert w.stage == 0 and w.organisation_type == 0


def test_same_stage_adds_its_rule_for_groups_and_its_bonus_for_pairs() -> None:
    assert method_rules("same_stage", "groups") == {"same_stage": True}
    assert method_rules("same_stage", "pairs") == {}
    assert method_weights("same_stage").stage > 0
    assert method_rules("common_challenges", "groups") == {}


def test_weights_can_be_changed_on_top_within_bounds() -> None:
    w = method_weights("common_challenges", {"stage": 0.4})
    assert w.stage == 0.4 and w.challenge == 1
    with pytest.raises(ValueError, match="unknown weight"):
        method_weights("common_challenges", {"colour": 1})
    with pytest.raises(ValueError, match="between 0 and 10"):
        method_weights("common_challenges", {"stage": 11})
    assert list(weights_json(w)) == list(WEIGHT_NAMES)


def test_method_names_and_kinds_are_checked() -> None:
    assert parse_method("same-stage") is Method.SAME_STAGE
    assert method_spec("Problem focused").method is Method.PROBLEM_FOCUSED
    with pytest.raises(ValueError, match="method must be one of"):
        parse_method("random")
    with pytest.raises(ValueError, match="does not apply to team"):
        check_method("complementary", "team")
    assert check_method("complementary", "groups") is Method.COMPLEMENTARY


def test_the_stage_bonus_decides_only_when_a_method_asks_for_it() -> None:
    """Four peers: two by two alike in text, crossed by stage. The default groups by text;
    the same-stage weights (with a strong bonus) group by stage."""
    texts = [
        "market fee cash leaks",
        "market fee cash leaks",
        "payroll ghost workers",
        "payroll ghost workers",
    ]
    stages = [1, 2, 1, 2]
    peers = [
        Peer(
            str(i),
            organisation=str(i),
            country="KE",
            languages=("en",),
            reform_stage=s,
            challenge=t,
        )
        for i, (t, s) in enumerate(zip(texts, stages, strict=True))
    ]
    rules = GroupRules(min_size=2, max_size=2)
    by_text = match_groups(peers, rules, encoder=TfidfEncoder())
    assert sorted(sorted(g) for g in by_text.member_lists()) == [["0", "1"], ["2", "3"]]
    by_stage = match_groups(
        peers, rules, encoder=TfidfEncoder(), weights=method_weights("same_stage", {"stage": 5})
    )
    assert sorted(sorted(g) for g in by_stage.member_lists()) == [["0", "2"], ["1", "3"]]


# --- the command line ---------------------------------------------------------------------


def _peers_file(tmp_path: Path) -> Path:
    rows = [
        {
            "id": f"p{i}",
            "organisation": f"org{i}",
            "country": "KE",
            "languages": ["en"],
            "seniority": 4,
            "reform_stage": 1 + i % 2,
            "role": "both",
            "challenge": ["market fees leak", "payroll ghosts"][i % 2],
            "experience": ["mobile money for fees", "biometric headcount"][i % 2],
        }
        for i in range(8)
    ]
    path = tmp_path / "peers.json"
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.parametrize(
    ("command", "method", "stage"),
    [
        ("groups", "common-challenges", 0.0),
        ("groups", "same-stage", 0.3),
        ("groups", "complementary", 0.0),
        ("pairs", "same-stage", 0.3),
    ],
)
def test_the_cli_takes_a_method_and_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, method: str, stage: float
) -> None:
    out = tmp_path / "out.json"
    sizes = ["--min-size", "2", "--max-size", "4"] if command == "groups" else []
    code = main(
        [
            command,
            str(_peers_file(tmp_path)),
            *sizes,
            "--encoder",
            "tfidf",
            "--method",
            method,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["method"] == method.replace("-", "_")
    assert data["weights"]["stage"] == stage
    assert data["encoder"] == "tfidf"
    err = capsys.readouterr().err
    assert "encoder tfidf" in err and f"method {method}" in err
    if command == "groups" and method == "same-stage":
        stages = {
            g: {int(m[1:]) % 2 for m in grp["members"]} for g, grp in enumerate(data["groups"])
        }
        assert all(len(s) == 1 for s in stages.values())


def test_the_cli_default_method_and_weight_overrides(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = main(
        [
            "groups",
            str(_peers_file(tmp_path)),
            "--min-size",
            "2",
            "--max-size",
            "4",
            "--encoder",
            "tfidf",
            "--weight",
            "stage=0.5",
            "--weight",
            "organisation-type=0.1",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["method"] == "common_challenges"
    assert data["weights"]["stage"] == 0.5 and data["weights"]["organisation_type"] == 0.1


@pytest.mark.parametrize(
    "args",
    [
        ["groups", "--method", "problem-focused"],
        ["team", "--problem", "x", "--method", "complementary"],
        ["groups", "--weight", "stage=11"],
        ["groups", "--weight", "colour=1"],
    ],
)
def test_the_cli_refuses_a_method_of_another_kind_or_a_bad_weight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    out = tmp_path / "out.json"
    code = main([args[0], str(_peers_file(tmp_path)), *args[1:], "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "error:" in capsys.readouterr().err


# --- the labelled topic sets --------------------------------------------------------------

TOPIC_RULES = GroupRules(
    min_size=12,
    max_size=12,
    common_language=True,
    min_countries=4,
    max_per_org=2,
    max_gender_share=0.75,
    min_senior=1,
)


@pytest.mark.parametrize(
    ("name", "peers", "topics"), [("topics72.json", 72, 6), ("topics36_heldout.json", 36, 3)]
)
def test_the_labelled_sets_read_and_their_topics_meet_the_rules(
    name: str, peers: int, topics: int
) -> None:
    path = BENCH / name
    rows = json.loads(path.read_text())
    read = read_peers(str(path))
    assert len(read) == peers
    assert Counter(r["topic"] for r in rows) == Counter(
        dict.fromkeys({r["topic"] for r in rows}, 12)
    )
    assert len({r["topic"] for r in rows}) == topics
    # Every text is its own (none generated from another).
    challenges = [r["challenge"] for r in rows]
    assert len(set(challenges)) == len(challenges)
    planted = [
        [r["id"] for r in rows if r["topic"] == t] for t in sorted({r["topic"] for r in rows})
    ]
    assert check_groups(read, planted, TOPIC_RULES) == []
    # Structured fields do not give the topic away: every topic spans stages and types.
    for t in {r["topic"] for r in rows}:
        mine = [r for r in rows if r["topic"] == t]
        assert len({r["reform_stage"] for r in mine}) == 5
        assert len({r["organisation_type"] for r in mine}) >= 4
        assert len({r["country"] for r in mine}) >= 4


# --- another sentence model, by its folder ------------------------------------------------


def test_a_model_folder_is_an_encoder_setting(tmp_path: Path) -> None:
    from peerlearn.matching import MiniLMEncoder, minilm

    folder = minilm.model_dir()
    if folder is None:
        pytest.skip("the sentence model is not installed")
    copy = tmp_path / "my-sentence-model"
    copy.symlink_to(folder, target_is_directory=True)
    enc = MiniLMEncoder(folder=copy)
    assert enc.name == "my-sentence-model"
    same = MiniLMEncoder().encode(["tax audit backlog"])
    assert float(enc.encode(["tax audit backlog"])[0] @ same[0]) == pytest.approx(1, abs=1e-5)
    out = tmp_path / "out.json"
    code = main(
        [
            "groups",
            str(_peers_file(tmp_path)),
            "--min-size",
            "2",
            "--max-size",
            "4",
            "--encoder",
            str(copy),
            "--out",
            str(out),
        ]
    )
    assert code == 0 and json.loads(out.read_text())["encoder"] == "my-sentence-model"
