"""The matching API for every role: 401, 403, 404 and 422 as elsewhere."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from peerlearn.alliances.models import LearningAlliance
from peerlearn.matchmaking.models import (
    ExcludedPair,
    MatchingRun,
    OpenCall,
    Proposal,
    ProposalRole,
)
from peerlearn.matchmaking.services import (
    excluded_pair_add,
    matching_run_create,
    matching_run_propose,
    open_call_create,
    proposal_respond,
)
from peerlearn.tests.api_helpers import API, bearer_client, client_for, field_errors, items

pytestmark = pytest.mark.django_db

RUN = {
    "kind": "pairs",
    "source": "theme",
    "theme": "revenue-pfm",
    "alliance_name": "Revenue pairs",
}


def post(client: Any, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}{path}", data=json.dumps(body or {}), content_type="application/json")


def roles(m: SimpleNamespace) -> dict[str, Any]:
    return {
        "facilitator": m.facilitator,
        "other_facilitator": m.other_facilitator,
        "admin": m.admin,
        "member": m.peers[0].user,
        "non_member": m.outsider.user,
        "authoriser": m.authoriser,
        "funder": m.funder,
    }


def sent_run(m: SimpleNamespace) -> MatchingRun:
    run = matching_run_create(
        created_by=m.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
    )
    return matching_run_propose(run=run)


def amina_pair(run: MatchingRun, m: SimpleNamespace) -> Proposal:
    return Proposal.objects.get(
        run=run, members__peer=m.peers[0], members__role=ProposalRole.SEEKER
    )


def test_a_facilitator_runs_a_matching(market: SimpleNamespace) -> None:
    response = post(bearer_client(market.facilitator), "/matching/runs", RUN)
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "draft" and body["kind"] == "pairs" and body["pool_size"] == 6
    assert body["theme"]["slug"] == "revenue-pfm"
    assert body["rules"] == {
        "provider_capacity": 1,
        "common_language": True,
        "different_organisation": True,
    }
    assert len(body["proposals"]) == 3 and body["gap"] is not None
    first = body["proposals"][0]
    assert {m["role"] for m in first["members"]} == {"seeker", "provider"}
    assert all(m["name"] for m in first["members"])
    assert first["explanation"]["summary"] and "peer#" not in json.dumps(first["explanation"])
    assert first["you"] == {
        "member": False,
        "can_answer": False,
        "can_confirm": False,
        "can_withdraw": True,
        "next_step": "",
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 202),
        ("other_facilitator", 202),
        ("admin", 202),
        ("member", 403),
        ("non_member", 403),
        ("authoriser", 403),
        ("funder", 403),
    ],
)
def test_only_facilitators_and_admins_run_matchings(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    response = post(client_for(roles(market)[role]), "/matching/runs", RUN)
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"kind": "groups", "min_size": 6, "max_size": 4}, ("body", "max_size")),
        ({"kind": "groups", "max_gender_share": 2}, ("body", "max_gender_share")),
        ({"size": 3}, ("body", "size")),  # a team rule on pairs
        ({"theme": "nope"}, ("body", "theme")),
        ({"alliance_name": ""}, ("body", "alliance_name")),
        ({"source": "call"}, ("body", "call")),
        ({"kind": "team"}, ("body", "problem")),
        ({"kind": "trios"}, ("body", "kind")),
        ({"pinned": [[1]]}, ("body", "pinned")),  # a pair needs a seeker and a provider
        ({"pinned": [["x", 2]]}, ("body", "pinned", 0, 0)),
        ({"colour": "blue"}, ("body", "colour")),
    ],
)
def test_bad_runs_are_422_naming_the_field(
    market: SimpleNamespace, changes: dict[str, Any], loc: tuple[str, ...]
) -> None:
    errors = field_errors(
        post(client_for(market.facilitator), "/matching/runs", {**RUN, **changes})
    )
    assert loc in errors, errors
    assert not MatchingRun.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("admin", 200),
        ("member", 403),
        ("non_member", 403),
        ("authoriser", 403),
        ("funder", 403),
    ],
)
def test_a_run_is_read_by_its_facilitator_and_admins(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    run = sent_run(market)
    response = client_for(roles(market)[role]).get(f"{API}/matching/runs/{run.id}")
    assert response.status_code == expected, response.content
    listed = client_for(roles(market)[role]).get(f"{API}/matching/runs")
    if expected == 403:
        assert listed.status_code == 403
    else:
        assert len(items(listed)) == (0 if role == "other_facilitator" else 1)


def test_send_then_answer_then_confirm(market: SimpleNamespace) -> None:
    facilitator = bearer_client(market.facilitator)
    run_id = post(facilitator, "/matching/runs", RUN).json()["id"]
    body = post(facilitator, f"/matching/runs/{run_id}/propose").json()
    assert body["status"] == "proposed"
    assert post(facilitator, f"/matching/runs/{run_id}/propose").status_code == 422

    run = MatchingRun.objects.get(id=run_id)
    proposal = amina_pair(run, market)
    amina = bearer_client(market.peers[0].user)
    listed = items(amina.get(f"{API}/matching/proposals"))
    assert [(p["id"], p["your_response"]) for p in listed] == [(proposal.id, "pending")]
    seen = amina.get(f"{API}/matching/proposals/{proposal.id}").json()
    assert seen["you"] == {
        "member": True,
        "can_answer": True,
        "can_confirm": False,
        "can_withdraw": False,
        "next_step": f"Please answer by {date_format(proposal.reply_by)}.",
    }
    assert seen["reply_by"] == proposal.reply_by.isoformat()
    assert seen["acceptances_needed"] == 2
    assert seen["answers"] == {"accepted": 0, "declined": 0, "not_now": 0, "pending": 2}
    assert all(m["reason"] is None for m in seen["members"])

    early = post(facilitator, f"/matching/proposals/{proposal.id}/confirm")
    assert ("body", "members") in field_errors(early)

    for member in proposal.members.all():
        answer = post(
            bearer_client(member.peer.user),
            f"/matching/proposals/{proposal.id}/respond",
            {"response": "accept"},
        )
        assert answer.status_code == 200, answer.content
    confirmed = post(
        facilitator,
        f"/matching/proposals/{proposal.id}/confirm",
        {"alliance_name": "Market fee pair", "visibility": "platform"},
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "confirmed"
    alliance = LearningAlliance.objects.get(name="Market fee pair")
    assert confirmed.json()["alliance"] == {"slug": alliance.slug, "name": alliance.name}
    assert alliance.memberships.count() == 3


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("admin", 403),
        ("member", 200),
        ("non_member", 404),
        ("authoriser", 404),
        ("funder", 404),
    ],
)
def test_only_members_answer(market: SimpleNamespace, role: str, expected: int) -> None:
    proposal = amina_pair(sent_run(market), market)
    response = post(
        client_for(roles(market)[role]),
        f"/matching/proposals/{proposal.id}/respond",
        {"response": "decline", "decline_reason": "no_time", "reason": "No time this year."},
    )
    assert response.status_code == expected, response.content


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("admin", 200),
        ("member", 403),
        ("non_member", 404),
        ("authoriser", 404),
        ("funder", 404),
    ],
)
def test_only_the_runs_facilitator_and_admins_confirm(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    proposal = amina_pair(sent_run(market), market)
    for member in proposal.members.all():
        proposal_respond(proposal=proposal, peer=member.peer, answer="accept")
    response = post(client_for(roles(market)[role]), f"/matching/proposals/{proposal.id}/confirm")
    assert response.status_code == expected, response.content


def test_a_bad_answer_is_422(market: SimpleNamespace) -> None:
    proposal = amina_pair(sent_run(market), market)
    errors = field_errors(
        post(
            client_for(market.peers[0].user),
            f"/matching/proposals/{proposal.id}/respond",
            {"response": "maybe"},
        )
    )
    assert ("body", "response") in errors


def test_a_decline_reason_is_for_the_facilitator_only(market: SimpleNamespace) -> None:
    proposal = amina_pair(sent_run(market), market)
    amina = client_for(market.peers[0].user)
    answered = post(
        amina,
        f"/matching/proposals/{proposal.id}/respond",
        {"response": "decline", "decline_reason": "no_time", "reason": "No time this year."},
    )
    assert answered.status_code == 200, answered.content
    assert not ExcludedPair.objects.exists()
    mine = answered.json()
    assert {m["reason"] for m in mine["members"]} == {None}
    assert mine["you"]["can_answer"] is False and "not joining" in mine["you"]["next_step"]
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    theirs = client_for(dora.user).get(f"{API}/matching/proposals/{proposal.id}").json()
    amina_row = next(m for m in theirs["members"] if m["peer_id"] == market.peers[0].id)
    assert amina_row["response"] == "not_joining"
    assert amina_row["reason"] is None and amina_row["decline_reason"] is None
    facilitator = client_for(market.facilitator)
    seen = facilitator.get(f"{API}/matching/proposals/{proposal.id}").json()
    assert "No time this year." in {m["reason"] for m in seen["members"]}
    assert {m["decline_reason"] for m in seen["members"]} == {"no_time", None}
    assert seen["answers"] == {"accepted": 0, "declined": 1, "not_now": 0, "pending": 1}


def test_a_conflict_names_the_members_to_keep_apart(market: SimpleNamespace) -> None:
    proposal = amina_pair(sent_run(market), market)
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    amina = client_for(market.peers[0].user)
    missing = post(
        amina,
        f"/matching/proposals/{proposal.id}/respond",
        {"response": "decline", "decline_reason": "conflict"},
    )
    assert ("body", "conflict_with") in field_errors(missing)
    answered = post(
        amina,
        f"/matching/proposals/{proposal.id}/respond",
        {"response": "decline", "decline_reason": "conflict", "conflict_with": [dora.id]},
    )
    assert answered.status_code == 200, answered.content
    assert ExcludedPair.objects.get().reason == "conflict"


def test_the_send_step_sets_reply_by_and_the_rule(market: SimpleNamespace) -> None:
    facilitator = bearer_client(market.facilitator)
    run_id = post(facilitator, "/matching/runs", RUN).json()["id"]
    bad = post(facilitator, f"/matching/runs/{run_id}/propose", {"min_accepted": 1})
    assert ("body", "min_accepted") in field_errors(bad)
    reply_by = timezone.localdate() + timedelta(days=5)
    sent = post(
        facilitator,
        f"/matching/runs/{run_id}/propose",
        {"reply_by": reply_by.isoformat(), "min_accepted": 2},
    )
    assert sent.status_code == 200, sent.content
    assert {p["reply_by"] for p in sent.json()["proposals"]} == {reply_by.isoformat()}


def test_draft_proposals_are_not_found_by_peers(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Draft",
    )
    proposal = amina_pair(run, market)
    amina = client_for(market.peers[0].user)
    assert amina.get(f"{API}/matching/proposals/{proposal.id}").status_code == 404
    assert items(amina.get(f"{API}/matching/proposals")) == []


def test_withdraw_and_close(market: SimpleNamespace) -> None:
    run = sent_run(market)
    facilitator = client_for(market.facilitator)
    proposal = amina_pair(run, market)
    body = post(facilitator, f"/matching/proposals/{proposal.id}/withdraw").json()
    assert body["status"] == "withdrawn"
    assert (
        post(
            client_for(market.peers[0].user), f"/matching/proposals/{proposal.id}/withdraw"
        ).status_code
        == 403
    )
    closed = post(facilitator, f"/matching/runs/{run.id}/close").json()
    assert closed["status"] == "closed"
    assert {p["status"] for p in closed["proposals"]} == {"withdrawn"}


def test_open_calls(market: SimpleNamespace) -> None:
    created = post(
        client_for(market.facilitator),
        "/matching/calls",
        {"title": "Revenue exchange", "theme": "revenue-pfm", "description": "Apply."},
    )
    assert created.status_code == 201, created.content
    call_id = created.json()["id"]
    assert (
        post(
            client_for(market.peers[0].user),
            "/matching/calls",
            {"title": "t", "theme": "revenue-pfm", "description": "d"},
        ).status_code
        == 403
    )
    applied = post(
        client_for(market.peers[0].user),
        f"/matching/calls/{call_id}/applications",
        {"motivation": "Keen."},
    )
    assert applied.status_code == 201 and applied.json()["call"] == call_id
    again = post(client_for(market.peers[0].user), f"/matching/calls/{call_id}/applications")
    assert ("body", "motivation") in field_errors(again)
    assert (
        post(
            client_for(market.funder),
            f"/matching/calls/{call_id}/applications",
        ).status_code
        == 403
    )
    listed = items(client_for(market.funder).get(f"{API}/matching/calls"))
    assert [(c["id"], c["applications"]) for c in listed] == [(call_id, 1)]
    draft = open_call_create(
        created_by=market.facilitator,
        title="d",
        theme="revenue-pfm",
        description="d",
        visibility="private",
    )
    assert (
        post(
            client_for(market.peers[0].user), f"/matching/calls/{draft.id}/applications"
        ).status_code
        == 404
    )
    assert OpenCall.objects.count() == 2


# --- excluded pairs ----------------------------------------------------------------------


def test_a_facilitator_records_lists_and_lifts_a_conflict_of_interest(
    market: SimpleNamespace,
) -> None:
    amina, dora = market.peers[0], market.peers[3]
    facilitator = client_for(market.facilitator)
    created = post(
        facilitator,
        "/matching/excluded",
        {"peer_a": dora.id, "peer_b": amina.id, "note": "Same family"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {body["peer_a"]["id"], body["peer_b"]["id"]} == {amina.id, dora.id}
    assert (body["reason"], body["note"], body["from_proposal"]) == (
        "conflict",
        "Same family",
        None,
    )
    assert [p["id"] for p in items(facilitator.get(f"{API}/matching/excluded"))] == [body["id"]]
    # A later pairing never proposes them together.
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Pairs",
    )
    assert not any(
        {amina.id, dora.id} <= set(p.members.values_list("peer_id", flat=True))
        for p in run.proposals.all()
    )
    again = post(facilitator, "/matching/excluded", {"peer_a": amina.id, "peer_b": dora.id})
    assert ("body", "peer_b") in field_errors(again)
    gone = facilitator.delete(f"{API}/matching/excluded/{body['id']}")
    assert gone.status_code == 204
    assert items(facilitator.get(f"{API}/matching/excluded")) == []


@pytest.mark.parametrize(
    ("role", "listed", "delete"),
    [
        ("facilitator", 1, 204),
        ("other_facilitator", 1, 403),  # sees both peers, did not record it
        ("admin", 1, 204),
        ("member", 403, 403),
        ("non_member", 403, 403),
        ("authoriser", 403, 403),
        ("funder", 403, 403),
    ],
)
def test_excluded_pairs_for_every_role(
    market: SimpleNamespace, role: str, listed: int, delete: int
) -> None:
    pair = excluded_pair_add(
        peer_a=market.peers[0], peer_b=market.peers[3], created_by=market.facilitator
    )
    client = client_for(roles(market)[role])
    response = client.get(f"{API}/matching/excluded")
    if listed == 403:
        assert response.status_code == 403
    else:
        assert len(items(response)) == listed
    assert client.delete(f"{API}/matching/excluded/{pair.id}").status_code == delete


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"peer_a": 1, "peer_b": 999_999}, ("body", "peer_b")),
        ({"peer_a": 999_998, "peer_b": 1}, ("body", "peer_a")),
        ({"peer_a": 1, "peer_b": 2, "reason": "declined"}, ("body", "reason")),
        ({"peer_a": 1}, ("body", "peer_b")),
        ({"peer_a": 1, "peer_b": 2, "colour": "blue"}, ("body", "colour")),
    ],
)
def test_bad_excluded_pairs_are_422_naming_the_field(
    market: SimpleNamespace, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    errors = field_errors(post(client_for(market.facilitator), "/matching/excluded", body))
    assert loc in errors, errors
    assert not ExcludedPair.objects.exists()


def test_the_same_peer_twice_is_refused(market: SimpleNamespace) -> None:
    amina = market.peers[0].id
    errors = field_errors(
        post(
            client_for(market.facilitator), "/matching/excluded", {"peer_a": amina, "peer_b": amina}
        )
    )
    assert errors[("body", "peer_b")] == "Choose two different peers."


def test_an_open_call_reads_the_same_on_its_page_and_endpoint(market: SimpleNamespace) -> None:
    """One read model: the page and ``GET /matching/calls/{id}`` agree on who may apply and
    who sees the applicants."""
    from django.test import Client

    from peerlearn.matchmaking.services import call_application_create, open_call_create

    call = open_call_create(
        created_by=market.facilitator, title="Bus parks", theme="revenue-pfm", description="d"
    )
    call_application_create(call=call, peer=market.peers[0], motivation="Cash leaks at parks")
    for user, manages, applied, can_apply in (
        (market.facilitator, True, False, False),
        (market.peers[0].user, False, True, False),
        (market.peers[1].user, False, False, True),
    ):
        body = bearer_client(user).get(f"/api/v1/matching/calls/{call.id}").json()
        assert body["you"] == {"manages": manages, "applied": applied, "can_apply": can_apply}
        assert bool(body["applicants"]) is manages
        client = Client()
        client.force_login(user)
        page = client.get(f"/matching/calls/{call.id}/")
        detail = page.context["detail"]
        assert (detail.manages, detail.applied, detail.can_apply) == (manages, applied, can_apply)
        assert ("Cash leaks at parks" in page.content.decode()) is manages


# --- query counts ------------------------------------------------------------------------


def test_run_endpoint_query_count_does_not_grow_with_proposals(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = client_for(market.facilitator)
    small = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        rules={"min_size": 6, "max_size": 6},
        alliance_name="One group",
    )
    with django_assert_max_num_queries(20) as first:
        assert client.get(f"{API}/matching/runs/{small.id}").status_code == 200
    large = sent_run(market)
    assert large.proposals.count() == 3
    with django_assert_max_num_queries(len(first.captured_queries)):
        body = client.get(f"{API}/matching/runs/{large.id}").json()
    assert len(body["proposals"]) == 3


def test_run_and_proposal_lists_query_count_does_not_grow(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    facilitator, member = client_for(market.facilitator), client_for(market.peers[0].user)
    sent_run(market)
    with django_assert_max_num_queries(20) as runs:
        facilitator.get(f"{API}/matching/runs")
    with django_assert_max_num_queries(20) as proposals:
        member.get(f"{API}/matching/proposals")
    for _ in range(4):
        sent_run(market)
    with django_assert_max_num_queries(len(runs.captured_queries)):
        assert len(items(facilitator.get(f"{API}/matching/runs"))) == 5
    with django_assert_max_num_queries(len(proposals.captured_queries)):
        assert len(items(member.get(f"{API}/matching/proposals"))) == 5


def test_a_run_reads_as_the_page_does_summary_solver_and_what_a_send_does(
    market: SimpleNamespace,
) -> None:
    facilitator = bearer_client(market.facilitator)
    run_id = post(facilitator, "/matching/runs", RUN).json()["id"]
    body = facilitator.get(f"{API}/matching/runs/{run_id}").json()
    assert [s["proposal_id"] for s in body["summary"]] == [p["id"] for p in body["proposals"]]
    assert {s["fit"] for s in body["summary"]} <= {"strong", "good", "fair"}
    assert all(s["size"] == 2 for s in body["summary"])
    assert "best possible" in body["solver_summary"]["quality"]
    assert body["solver_summary"]["compared"]
    assert body["block_gap"] is None  # a small pool is searched whole
    members = {m["peer_id"] for p in body["proposals"] for m in p["members"]}
    assert body["to_send"] == {"proposals": len(body["proposals"]), "peers": len(members)}
