"""Every sentence the engine writes is a structured message: a code with an English template,
and parameters that hold the peer ids, codes and numbers — never baked into the text."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest

from peerlearn.matching import (
    GroupRules,
    PairRules,
    Peer,
    TeamRules,
    match_groups,
    match_pairs,
    match_team,
)
from peerlearn.matching.cli import main
from peerlearn.matching.encoders import TfidfEncoder
from peerlearn.matching.messages import PARAM_KINDS, TEMPLATES, Message, Param, message
from peerlearn.matching.types import Explanation, MatchResult

from .conftest import random_profiles

PACKAGE = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).parent / "data" / "peers_sample.csv"

KINDS = {
    "peer",
    "language",
    "languages",
    "country",
    "countries",
    "theme",
    "organisation",
    "terms",
    "quote",
    "rule",
    "number",
    "message",
    "messages",
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _used_codes() -> set[str]:
    codes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.relative_to(PACKAGE).parts:
            continue
        codes |= set(re.findall(r"""message\(\s*["']([a-z_.]+)["']""", path.read_text()))
    return codes


def test_every_code_used_by_the_engine_has_a_template_and_none_is_unused() -> None:
    used = _used_codes()
    assert used, "no message(...) call found in the engine"
    assert used - set(TEMPLATES) == set(), "codes without a template"
    assert set(TEMPLATES) - used == set(), "templates no code uses"


def test_codes_are_namespaced_and_every_parameter_has_a_kind() -> None:
    for code, template in TEMPLATES.items():
        assert re.fullmatch(
            r"(reason|summary|brings|seeks|where|unmatched|diagnosis)\.[a-z_]+", code
        ), code
        missing = _fields(template) - set(PARAM_KINDS)
        assert not missing, f"{code}: parameters without a kind: {missing}"
    assert set(PARAM_KINDS.values()) <= KINDS


def _sample(name: str) -> Any:
    kind = PARAM_KINDS[name]
    return {
        "peer": "P007",
        "language": "fr",
        "languages": ["en", "fr"],
        "country": "KE",
        "countries": ["KE", "UG"],
        "theme": "revenue-pfm",
        "organisation": "Kenya Revenue",
        "terms": ["market fees", "audit"],
        "quote": "cash collection leaks…",
        "rule": "min_senior",
        "number": 0.5 if name in {"relevance", "weight", "mean"} else 2,
        "message": message("where.pool"),
        "messages": [message("reason.same_stage", stage=2)],
    }[kind]


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_renders_from_its_parameters(code: str) -> None:
    params = {name: _sample(name) for name in _fields(TEMPLATES[code])}
    msg = message(code, **params)
    text = str(msg)
    assert text == msg.text and text and "{" not in text and "}" not in text
    assert "P007" not in TEMPLATES[code]
    data = msg.to_json()
    assert set(data) == {"code", "params", "text"} and data["code"] == code
    assert json.loads(json.dumps(data)) == data
    for name, value in data["params"].items():
        if PARAM_KINDS[name] in {"languages", "countries", "terms"}:
            assert isinstance(value, list), f"{code}: {name} is not a list in JSON"


@pytest.mark.parametrize(
    ("code", "params", "old"),
    [
        ("reason.shared_language", {"languages": ["en", "fr"]}, "shared working language: en, fr"),
        ("reason.stage_range", {"low": 1, "high": 3}, "reform stages 1–3"),
        ("reason.countries", {"count": 1, "countries": ["KE"]}, "1 country: KE"),
        ("reason.countries", {"count": 2, "countries": ["KE", "UG"]}, "2 countries: KE, UG"),
        ("reason.organisations", {"count": 1}, "1 organisation"),
        ("reason.seniors", {"count": 3}, "3 senior peers"),
        (
            "reason.further_along",
            {"provider": "p1", "seeker": "s1", "provider_stage": 4, "seeker_stage": 2},
            "p1 is further along the reform cycle (stage 4 vs 2)",
        ),
        (
            "summary.pair_on",
            {"provider": "p1", "seeker": "s1", "concepts": ["fees", "cash"]},
            "p1 can help s1 on fees, cash",
        ),
        (
            "brings.team_mentions",
            {"experience": "we moved", "relevance": 0.4213, "terms": ["bus", "park"]},
            "experience: we moved (relevance 0.42; mentions bus, park)",
        ),
        (
            "unmatched.too_few",
            {"count": 6, "where": message("where.language", language="es"), "min_size": 10},
            "only 6 peers share working language 'es'; a group needs at least 10",
        ),
        (
            "unmatched.organisation_surplus",
            {
                "organisation": "Kenya Revenue Authority",
                "max_per_org": 2,
                "groups": 3,
                "where": message("where.language", language="en"),
            },
            "more peers from 'Kenya Revenue Authority' than 2 per group allows in 3 groups with "
            "working language 'en'",
        ),
        (
            "unmatched.groups_limited",
            {
                "why": message(
                    "diagnosis.seniors",
                    seniors=3,
                    where=message("where.language", language="fr"),
                    groups=2,
                    needed=4,
                ),
                "groups": 1,
                "taken": 12,
            },
            "3 senior peers with working language 'fr'; 2 groups need 4: only 1 group can be "
            "formed, taking 12",
        ),
        (
            "diagnosis.sizes",
            {"count": 13, "where": message("where.pool"), "min_size": 10, "max_size": 12},
            "13 peers with the pool cannot be split into groups of 10-12",
        ),
        (
            "summary.group",
            {
                "count": 4,
                "reasons": [
                    message("reason.same_stage", stage=2),
                    message("reason.seniors", count=1),
                ],
            },
            "4 peers; all at reform stage 2; 1 senior peer",
        ),
    ],
)
def test_english_text_reads_as_before(code: str, params: dict[str, Any], old: str) -> None:
    assert str(message(code, **params)) == old


def test_messages_are_frozen_hashable_and_keep_lists_as_tuples() -> None:
    a = message("reason.shared_language", languages=["en", "fr"])
    b = message("reason.shared_language", languages=("en", "fr"))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a.params["languages"] == ("en", "fr")
    assert a.to_json()["params"] == {"languages": ["en", "fr"]}
    with pytest.raises(AttributeError):
        a.code = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        message("reason.same_stage", stage={"a": 1})  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        message("reason.does_not_exist")


def test_a_template_missing_a_parameter_renders_the_template() -> None:
    assert str(Message("x.y", "needs {name}", {})) == "needs {name}"


def test_walk_reaches_nested_parameters() -> None:
    why = message("diagnosis.cannot_group", where=message("where.language", language="en"))
    msg = message("unmatched.left_out_for_others", why=why)
    assert ("language", "en") in list(msg.walk())


# --- peer ids are parameters, never text -------------------------------------------------


def _messages(expl: Explanation) -> list[Message]:
    out = [expl.summary, *expl.reasons]
    for c in expl.contributions:
        out += [c.brings, c.seeks]
    return out


def _all_messages(result: MatchResult) -> list[Message]:
    out = [m for g in result.groups for m in _messages(g.explanation)]
    out += [u.reason for u in result.unmatched] + [d.message for d in result.diagnostics]
    return [m for m in out if m]


def _without_peers(msg: Message) -> str:
    def masked(name: str, value: Param) -> Param:
        if PARAM_KINDS.get(name) == "peer":
            return "<peer>"
        if isinstance(value, Message):
            return Message(
                value.code, value.template, {k: masked(k, v) for k, v in value.params.items()}
            )
        return value

    return str(Message(msg.code, msg.template, {k: masked(k, v) for k, v in msg.params.items()}))


def _check_no_baked_ids(result: MatchResult, ids: set[str]) -> None:
    messages = _all_messages(result)
    assert messages
    for msg in messages:
        assert msg.code in TEMPLATES
        text = _without_peers(msg)
        baked = {pid for pid in ids if re.search(rf"\b{re.escape(pid)}\b", text)}
        assert not baked, f"{msg.code}: {baked} in {text!r}"


def test_group_explanations_name_peers_only_through_parameters(
    sample_peers: list[Peer],
) -> None:
    rules = GroupRules(min_size=5, max_size=7, min_countries=3, max_per_org=1, min_senior=1)
    result = match_groups(sample_peers, rules, encoder=TfidfEncoder())
    _check_no_baked_ids(result, {p.id for p in sample_peers})
    contribution = result.groups[0].explanation.contributions[0]
    assert PARAM_KINDS["peer"] == "peer" and "peer" in contribution.seeks.params


def test_pair_and_team_messages_name_peers_only_through_parameters() -> None:
    peers = [
        Peer(
            "s1",
            role="seeker",
            organisation="A",
            country="KE",
            languages=("en",),
            reform_stage=1,
            challenge="market fee collection leaks cash",
            theme="rev",
        ),
        Peer("s2", role="seeker", organisation="B", languages=("ru",), challenge="audit"),
        Peer(
            "p1",
            role="provider",
            organisation="C",
            country="UG",
            languages=("en",),
            reform_stage=3,
            experience="cashless market fee collection",
            theme="rev",
        ),
    ]
    pairs = match_pairs(peers, PairRules(), encoder=TfidfEncoder())
    _check_no_baked_ids(pairs, {"s1", "s2", "p1"})
    codes = [r.code for r in pairs.groups[0].explanation.reasons]
    assert codes == [
        "reason.experience_answers",
        "reason.shared_language",
        "reason.further_along",
        "reason.countries_pair",
        "reason.common_theme",
    ]
    team = match_team(
        peers, "market fee cash", TeamRules(size=2, common_language=False), encoder=TfidfEncoder()
    )
    _check_no_baked_ids(team, {"s1", "s2", "p1"})
    assert team.groups[0].explanation.summary.code == "summary.team"


def test_unmatched_and_diagnoses_are_structured() -> None:
    peers = [
        Peer(f"x{i}", country="KE", languages=("en",), seniority=5 if i < 2 else 1)
        for i in range(12)
    ]
    result = match_groups(
        peers,
        GroupRules(min_size=4, max_size=4, min_senior=1),
        profiles=random_profiles(peers, 1),
        explain=False,
    )
    _check_no_baked_ids(result, {p.id for p in peers})
    data = result.to_json()
    assert data["diagnostics"][0]["code"] == "diagnosis.seniors"
    assert data["diagnostics"][0]["message"] == result.diagnostics[0].message.text
    assert all(
        isinstance(u["reason"], str) and u["code"].startswith("unmatched.")
        for u in data["unmatched"]
    )


def test_cli_json_keeps_english_strings_and_adds_the_structure(tmp_path: Path) -> None:
    out = tmp_path / "g.json"
    assert (
        main(
            [
                "groups",
                str(SAMPLE),
                "--min-size",
                "4",
                "--max-size",
                "6",
                "--encoder",
                "tfidf",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    data = json.loads(out.read_text())
    expl = data["groups"][0]["explanation"]
    assert isinstance(expl["summary"], str) and expl["summary"].split()[1] == "peers;"
    assert all(isinstance(r, str) for r in expl["reasons"])
    assert all(
        isinstance(c["brings"], str) and isinstance(c["seeks"], str) for c in expl["contributions"]
    )
    structured = expl["messages"]
    assert structured["summary"]["text"] == expl["summary"]
    assert [r["text"] for r in structured["reasons"]] == expl["reasons"]
    assert structured["reasons"][0]["code"] == "reason.shared_language"
    assert isinstance(structured["reasons"][0]["params"]["languages"], list)
    assert [c["brings"]["text"] for c in structured["contributions"]] == [
        c["brings"] for c in expl["contributions"]
    ]


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_templates_render_as_string_formatter_does(code: str) -> None:
    """The parts cut once per template give what :class:`string.Formatter` gives, for every
    template: singular and plural counts, decimals, and text that needs quoting."""
    from peerlearn.matching.messages import _FORMATTER, _render

    template = TEMPLATES[code]
    specs = {name: spec for _, name, spec, _ in string.Formatter().parse(template) if name}
    for number, text in ((1, "Ministry of Finance"), (3.25, 'l\'Assemblée "nationale"')):
        # A field with a format spec is a number; the others are given text, then numbers.
        for plain in (text, number):
            values = {name: number if spec else plain for name, spec in specs.items()}
            assert _render(template, values) == _FORMATTER.format(template, **values)


def test_a_pair_from_one_country_is_said_to_be_both_in_it() -> None:
    """Not "KE ↔ KE": two peers of one country are both in it."""
    from peerlearn.matching.explain import explain_pair

    seeker = Peer("s", role="seeker", country="KE", challenge="market fees")
    provider = Peer("p", role="provider", country="KE", experience="cashless fees")
    abroad = Peer("q", role="provider", country="UG", experience="cashless fees")
    same = explain_pair([seeker, provider], 0, 1, ())
    assert [str(r) for r in same.reasons if r.code == "reason.same_country"] == ["both in KE"]
    assert not [r for r in same.reasons if r.code == "reason.countries_pair"]
    other = explain_pair([seeker, abroad], 0, 1, ())
    assert [str(r) for r in other.reasons if r.code == "reason.countries_pair"] == ["KE ↔ UG"]
