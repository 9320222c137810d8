"""``export_peers``: matching input in three formats, never leaking private content."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerlearn.access.visibility import Visibility
from peerlearn.accounts.services import user_create
from peerlearn.alliances.models import MemberRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.core.models import Country
from peerlearn.matchmaking.management.commands.export_peers import FIELDS, peer_records
from peerlearn.organisations.models import OrganisationType
from peerlearn.organisations.services import organisation_create
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import peer_profile_create, statement_create

SECRET = "secret sauce"


def _peer(username: str, org: Any, visibility: str, **kwargs: Any) -> Any:
    user = user_create(
        username=username,
        email=f"{username}@example.org",
        name=username.title(),
        password=None,
        organisation=org,
    )
    return peer_profile_create(
        user=user, position="Revenue officer", visibility=visibility, **kwargs
    )


def _say(model: Any, peer: Any, title: str, visibility: str, **kwargs: Any) -> Any:
    return statement_create(
        model=model,
        peer=peer,
        theme="revenue-pfm",
        title=title,
        description=f"About {title.lower()}.",
        visibility=visibility,
        **kwargs,
    )


@pytest.fixture
def peers(db: Any) -> SimpleNamespace:
    county = organisation_create(
        name="County Government of Kisumu",
        type=OrganisationType.LOCAL_GOVERNMENT,
        country=Country.objects.get(code="KE"),
    )
    ministry = organisation_create(
        name="Ministère des Finances",
        type=OrganisationType.MINISTRY,
        country=Country.objects.get(code="SN"),
    )
    w = SimpleNamespace()
    w.both = _peer(
        "amina",
        county,
        Visibility.PLATFORM,
        languages=["sw", "en"],
        gender="female",
        seniority=4,
        reform_stage=3,
        reform_areas=["decentralisation"],
    )
    w.provider = _peer("moussa", ministry, Visibility.PUBLIC, languages=["fr"])
    w.alliance_profile = _peer("ines", county, Visibility.ALLIANCE, languages=["en"])
    w.private_profile = _peer("omar", county, Visibility.PRIVATE, languages=["en"])
    w.quiet = _peer("lena", county, Visibility.PLATFORM, languages=["en"])
    alliance = alliance_create(
        name="County revenue",
        theme="decentralisation",
        purpose="Own-source revenue.",
        working_languages=["en"],
    )
    alliance_member_add(alliance=alliance, user=w.both.user, role=MemberRole.PEER)

    _say(Challenge, w.both, "Cash leakage in markets", Visibility.PUBLIC)
    _say(Challenge, w.both, "Valuation roll", Visibility.PLATFORM)
    _say(Challenge, w.both, "Political interference", Visibility.ALLIANCE, alliance=alliance)
    _say(Challenge, w.both, f"Our {SECRET}", Visibility.PRIVATE)
    _say(Experience, w.both, "Seasonal bus-park tickets", Visibility.PLATFORM)
    _say(Experience, w.provider, "Mobile money for market fees", Visibility.PLATFORM)
    _say(Challenge, w.alliance_profile, "Staff rotation", Visibility.PLATFORM)
    _say(Challenge, w.private_profile, f"Public words behind a {SECRET}", Visibility.PUBLIC)
    _say(Experience, w.quiet, f"Draft with the {SECRET}", Visibility.PRIVATE)
    return w


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("export_peers", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _parse(text: str, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        row["languages"] = row["languages"].split(";") if row["languages"] else []
        row["seniority"] = int(row["seniority"])
        row["reform_stage"] = int(row["reform_stage"])
    return rows


def test_exports_platform_and_public_peers_with_their_roles(peers):
    records = {r["name"]: r for r in json.loads(_run())}
    assert set(records) == {"Amina", "Moussa", "Lena"}
    amina = records["Amina"]
    assert amina == {
        "id": str(peers.both.id),
        "name": "Amina",
        "organisation": "County Government of Kisumu",
        "organisation_type": "local_government",
        "country": "KE",
        "languages": ["en", "sw"],
        "gender": "female",
        "seniority": 4,
        "reform_stage": 3,
        "challenge": "Cash leakage in markets. About cash leakage in markets.\n\n"
        "Valuation roll. About valuation roll.",
        "experience": "Seasonal bus-park tickets. About seasonal bus-park tickets.",
        "role": "both",
        "theme": "revenue-pfm",
    }
    assert records["Moussa"]["role"] == "provider"
    assert records["Moussa"]["challenge"] == ""
    # Lena's only text is private: exported with nothing to match on.
    assert (records["Lena"]["challenge"], records["Lena"]["experience"]) == ("", "")


def test_alliance_level_only_when_asked_and_private_never(peers):
    default = _run()
    assert "Political interference" not in default and "Ines" not in default
    wider = _run("--include-alliance")
    records = {r["name"]: r for r in json.loads(wider)}
    assert set(records) == {"Amina", "Moussa", "Lena", "Ines"}
    assert "Political interference" in records["Amina"]["challenge"]
    assert records["Ines"]["role"] == "seeker"
    for text in (
        default,
        wider,
        _run("--format", "csv", "--include-alliance"),
        _run("--format", "jsonl", "--include-alliance"),
    ):
        assert SECRET not in text
        assert "Omar" not in text


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_each_format_round_trips(peers, fmt):
    expected = peer_records(include_alliance=True)
    text = _run("--format", fmt, "--include-alliance")
    assert _parse(text, fmt) == expected
    if fmt == "csv":
        assert text.splitlines()[0].split(",") == list(FIELDS)


def test_writes_a_file_in_the_format_its_name_asks_for(peers, tmp_path):
    err = io.StringIO()
    target = tmp_path / "peers.csv"
    call_command("export_peers", "--out", str(target), stdout=io.StringIO(), stderr=err)
    rows = _parse(target.read_text(encoding="utf-8"), "csv")
    assert {r["name"] for r in rows} == {"Amina", "Moussa", "Lena"}
    assert "Wrote 3 peers" in err.getvalue()
    jsonl = tmp_path / "peers.jsonl"
    call_command("export_peers", "--out", str(jsonl), stdout=io.StringIO(), stderr=err)
    assert len(_parse(jsonl.read_text(encoding="utf-8"), "jsonl")) == 3


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_the_command_line_matcher_reads_every_format(peers, tmp_path, fmt):
    from peerlearn.matching.io import read_peers

    target = tmp_path / f"peers.{fmt}"
    call_command(
        "export_peers",
        "--out",
        str(target),
        "--include-alliance",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    matched = {p.id: p for p in read_peers(target)}
    assert set(matched) == {r["id"] for r in peer_records(include_alliance=True)}
    amina = matched[str(peers.both.id)]
    assert (amina.country, amina.languages, amina.role) == ("KE", ("en", "sw"), "both")
    assert matched[str(peers.alliance_profile.id)].role == "seeker"


def test_peers_without_a_country_are_left_out_and_counted(peers):
    agency = organisation_create(
        name="Peer Learning Fund", type=OrganisationType.DEVELOPMENT_PARTNER, country=None
    )
    _peer("nomad", agency, Visibility.PLATFORM, languages=["en"])
    err = io.StringIO()
    out = io.StringIO()
    call_command("export_peers", stdout=out, stderr=err)
    assert "Nomad" not in out.getvalue()
    assert "Left out 1 peers whose organisation has no country" in err.getvalue()


def test_an_unwritable_path_names_the_problem(peers, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "export_peers",
            "--out",
            str(tmp_path / "missing" / "peers.json"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_inactive_users_are_not_exported(peers):
    peers.both.user.is_active = False
    peers.both.user.save(update_fields=["is_active"])
    assert "Amina" not in _run()


def test_query_count_does_not_grow_with_the_number_of_peers(peers, django_assert_num_queries):
    with django_assert_num_queries(5):
        small = peer_records()
    for i in range(5):
        extra = _peer(
            f"extra{i}", peers.both.user.organisation, Visibility.PLATFORM, languages=["en"]
        )
        _say(Challenge, extra, f"Extra {i}", Visibility.PLATFORM)
    with django_assert_num_queries(5):
        assert len(peer_records()) == len(small) + 5
