"""Matching pages for every role, with query counts that do not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from peerlearn.alliances.models import LearningAlliance
from peerlearn.conftest import in_time_zone_of
from peerlearn.matchmaking.forms import RespondForm, default_alliance_name
from peerlearn.matchmaking.models import (
    ExcludedPair,
    MatchingRun,
    MemberResponse,
    OpenCall,
    Proposal,
    ProposalRole,
    ProposalStatus,
    RunStatus,
)
from peerlearn.matchmaking.services import (
    call_application_create,
    excluded_pair_add,
    matching_run_create,
    matching_run_propose,
    open_call_create,
    proposal_respond,
)

pytestmark = pytest.mark.django_db

RUN_FORM = {
    "source": "theme",
    "theme": "revenue-pfm",
    "kind": "pairs",
    "common_language": "on",
    "different_organisation": "on",
    "alliance_name": "Revenue pairs",
}


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def roles(m: SimpleNamespace) -> dict[str, Any]:
    return {
        "facilitator": m.facilitator,
        "other_facilitator": m.other_facilitator,
        "admin": m.admin,
        "member": m.peers[0].user,
        "non_member": m.outsider.user,
        "authoriser": m.authoriser,
        "funder": m.funder,
        "anonymous": None,
    }


def make_run(m: SimpleNamespace, send: bool = True) -> MatchingRun:
    run = matching_run_create(
        created_by=m.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
    )
    if send:
        matching_run_propose(run=run)
    return run


def amina_pair(run: MatchingRun, m: SimpleNamespace) -> Proposal:
    return Proposal.objects.get(
        run=run, members__peer=m.peers[0], members__role=ProposalRole.SEEKER
    )


def assert_status(response: Any, expected: int) -> None:
    if expected == 302:
        assert response.status_code == 302, response.content
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, (response.status_code, response.content[:500])


# --- who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 200),
        ("other_facilitator", 200),
        ("admin", 200),
        ("member", 403),
        ("non_member", 403),
        ("authoriser", 403),
        ("funder", 403),
        ("anonymous", 302),
    ],
)
def test_run_form_is_for_facilitators(market: SimpleNamespace, role: str, expected: int) -> None:
    response = client_for(roles(market)[role]).get(reverse("matchmaking:run_new"))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("admin", 200),
        ("member", 404),
        ("non_member", 404),
        ("authoriser", 404),
        ("funder", 404),
        ("anonymous", 302),
    ],
)
def test_a_run_is_seen_by_its_facilitator_and_admins(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    run = make_run(market)
    response = client_for(roles(market)[role]).get(reverse("matchmaking:run", args=[run.id]))
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("admin", 200),
        ("member", 200),
        ("non_member", 404),
        ("authoriser", 404),
        ("funder", 404),
        ("anonymous", 302),
    ],
)
def test_a_proposal_is_seen_by_its_members_facilitator_and_admins(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    proposal = amina_pair(make_run(market), market)
    response = client_for(roles(market)[role]).get(
        reverse("matchmaking:proposal", args=[proposal.id])
    )
    assert_status(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 403),
        ("other_facilitator", 404),
        ("admin", 403),
        ("member", 302),
        ("non_member", 404),
        ("authoriser", 404),
        ("funder", 404),
        ("anonymous", 302),
    ],
)
def test_only_members_answer(market: SimpleNamespace, role: str, expected: int) -> None:
    proposal = amina_pair(make_run(market), market)
    response = client_for(roles(market)[role]).post(
        reverse("matchmaking:respond", args=[proposal.id]), {"response": "accept"}
    )
    if role == "member":
        assert response.status_code == 302
        assert response["Location"] == reverse("matchmaking:proposal", args=[proposal.id])
        answer = proposal.members.get(peer=market.peers[0]).response
        assert answer == MemberResponse.ACCEPTED
    else:
        assert_status(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 302),
        ("other_facilitator", 404),
        ("admin", 302),
        ("member", 403),
        ("non_member", 404),
        ("authoriser", 404),
        ("funder", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_runs_facilitator_and_admins_confirm(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    proposal = amina_pair(make_run(market), market)
    for member in proposal.members.all():
        proposal_respond(proposal=proposal, peer=member.peer, answer="accept")
    response = client_for(roles(market)[role]).post(
        reverse("matchmaking:confirm", args=[proposal.id]),
        {"alliance_name": "Market fee pair", "visibility": "alliance"},
    )
    proposal.refresh_from_db()
    if expected == 302 and role != "anonymous":
        assert response.status_code == 302
        alliance = LearningAlliance.objects.get(name="Market fee pair")
        assert response["Location"] == reverse("alliances:detail", args=[alliance.slug])
        assert proposal.status == ProposalStatus.CONFIRMED
    else:
        assert_status(response, expected)
        assert proposal.status == ProposalStatus.PROPOSED


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("facilitator", 200),
        ("admin", 200),
        ("member", 403),
        ("authoriser", 403),
        ("funder", 403),
        ("anonymous", 302),
    ],
)
def test_excluded_pairs_and_new_calls_are_for_facilitators(
    market: SimpleNamespace, role: str, expected: int
) -> None:
    client = client_for(roles(market)[role])
    assert_status(client.get(reverse("matchmaking:excluded")), expected)
    assert_status(client.get(reverse("matchmaking:call_new")), expected)


def test_matching_index_shows_runs_to_facilitators_and_proposals_to_peers(
    market: SimpleNamespace,
) -> None:
    run = make_run(market)
    html = client_for(market.facilitator).get(reverse("matchmaking:index")).content.decode()
    assert reverse("matchmaking:run", args=[run.id]) in html
    assert (
        client_for(market.other_facilitator)
        .get(reverse("matchmaking:index"))
        .context["page"]
        .paginator.count
        == 0
    )
    response = client_for(market.peers[0].user).get(reverse("matchmaking:index"))
    assert [p.id for p in response.context["page"].object_list] == [amina_pair(run, market).id]
    empty = client_for(market.outsider.user).get(reverse("matchmaking:index"))
    assert empty.context["page"].paginator.count == 0


def test_nav_shows_matching_to_facilitators_and_admins_only(market: SimpleNamespace) -> None:
    link = f'href="{reverse("matchmaking:index")}"'
    assert link in client_for(market.facilitator).get("/").content.decode()
    assert link in client_for(market.admin).get("/").content.decode()
    assert link not in client_for(market.peers[0].user).get("/").content.decode()
    assert link not in client_for().get("/").content.decode()


# --- the journey through the pages -------------------------------------------------------


def test_run_review_send_answer_confirm(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    facilitator = client_for(market.facilitator)
    response = facilitator.post(reverse("matchmaking:run_new"), RUN_FORM)
    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matchmaking:run", args=[run.id])
    page = facilitator.get(response["Location"]).content.decode()
    assert "Dora can help Amina" in page and "Send the proposals to the peers" in page
    assert "peer#" not in page

    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(reverse("matchmaking:run_propose", args=[run.id]))
    assert len(mailoutbox) == 6
    proposal = amina_pair(run, market)

    home = client_for(market.peers[0].user).get("/").content.decode()
    assert "Proposed matches" in home
    assert reverse("matchmaking:respond", args=[proposal.id]) in home
    for member in proposal.members.all():
        client_for(member.peer.user).post(
            reverse("matchmaking:respond", args=[proposal.id]),
            {"response": "accept", "next": "/"},
        )
    page = facilitator.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "2 accepted · " in page
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(
            reverse("matchmaking:confirm", args=[proposal.id]),
            {"alliance_name": "Market fee pair", "visibility": "alliance"},
        )
    alliance = LearningAlliance.objects.get(name="Market fee pair")
    assert response["Location"] == reverse("alliances:detail", args=[alliance.slug])
    assert len(mailoutbox) == 8
    html = facilitator.get(response["Location"]).content.decode()
    assert "Amina" in html and "Dora" in html


def test_answer_redirects_to_a_safe_next_only(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    client = client_for(market.peers[0].user)
    response = client.post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {"response": "accept", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("matchmaking:proposal", args=[proposal.id])


def test_the_answer_form_without_javascript_opens_its_page_at_the_form(
    market: SimpleNamespace,
) -> None:
    # A decline without a reason answers the whole page: without JavaScript the browser
    # lands at the form (far down on a phone), where the error is, not at the page's top.
    proposal = amina_pair(make_run(market), market)
    client = client_for(market.peers[0].user)
    respond = reverse("matchmaking:respond", args=[proposal.id])
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert f'action="{respond}#answer"' in page
    missing = client.post(respond, {"response": "decline"})
    assert missing.status_code == 400
    html = missing.content.decode()
    assert 'id="answer"' in html and f'action="{respond}#answer"' in html


def test_a_decline_with_reason_from_the_page(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    client = client_for(market.peers[0].user)
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert 'value="not_now"' in page and 'value="conflict"' in page
    assert 'class="danger"' in page  # decline does not look like accept
    missing = client.post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {"response": "decline", "decline_reason": "conflict"},
    )
    assert missing.status_code == 400
    assert "Choose the member or members you have a conflict with." in missing.content.decode()
    client.post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {
            "response": "decline",
            "decline_reason": "conflict",
            "conflict_with": [dora.id],
            "reason": "Conflict with my role.",
        },
    )
    assert ExcludedPair.objects.count() == 1
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "Declined" in page and "Conflict with my role." not in page  # for the facilitator
    assert 'value="accept"' not in page
    page = (
        client_for(market.facilitator)
        .get(reverse("matchmaking:proposal", args=[proposal.id]))
        .content.decode()
    )
    assert "Conflict with my role." in page and "I have a conflict with a member" in page


def test_a_pair_is_declined_as_a_partner_not_a_group(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    url = reverse("matchmaking:proposal", args=[proposal.id])
    client = client_for(market.peers[0].user)
    page = client.get(url).content.decode()
    assert "This partner is not what I am looking for" in page
    assert "This group is not what I am looking for" not in page
    client.post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {"response": "decline", "decline_reason": "not_interested"},
    )
    mine = client.get(url).content.decode()
    assert "This partner is not what I am looking for" in mine and "This group" not in mine
    theirs = client_for(market.facilitator).get(url).content.decode()
    assert "This partner is not what I am looking for" in theirs and "This group" not in theirs


def test_a_pair_one_declined_says_it_cannot_go_ahead(market: SimpleNamespace) -> None:
    """Both of a pair must accept: once one declines, the other, who accepted, reads that
    the proposal cannot go ahead rather than that it waits; the facilitator reads what to
    do."""
    proposal = amina_pair(make_run(market), market)
    url = reverse("matchmaking:proposal", args=[proposal.id])
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    client_for(dora.user).post(
        reverse("matchmaking:respond", args=[proposal.id]), {"response": "accept"}
    )
    assert "cannot go ahead" not in client_for(dora.user).get(url).content.decode()
    client_for(market.peers[0].user).post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {"response": "decline", "decline_reason": "no_time"},
    )
    theirs = client_for(dora.user).get(url).content.decode()
    assert "This proposal cannot go ahead: confirming it needs 2 acceptances" in theirs
    assert "The facilitator will withdraw it" in theirs
    facilitator = client_for(market.facilitator).get(url).content.decode()
    assert "Withdraw it, or match these peers again." in facilitator
    assert "Confirm and form the alliance" not in facilitator  # only withdrawing is offered


def test_a_member_of_a_proposal_that_cannot_go_ahead_is_asked_nothing(
    market: SimpleNamespace,
) -> None:
    from peerlearn.notifications.needs import needs_for

    proposal = amina_pair(make_run(market), market)
    url = reverse("matchmaking:proposal", args=[proposal.id])
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    assert [n for n in needs_for(dora.user) if n.url == url]
    client_for(market.peers[0].user).post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {"response": "decline", "decline_reason": "no_time"},
    )
    assert not [n for n in needs_for(dora.user) if n.url == url]
    page = client_for(dora.user).get(url).content.decode()
    assert "This proposal cannot go ahead" in page
    assert 'value="accept"' not in page and "Please answer by" not in page


def test_the_not_interested_reason_follows_the_kind_of_proposal() -> None:
    def offered(kind: str) -> str:
        return dict(RespondForm(kind=kind).fields["decline_reason"].choices)["not_interested"]

    assert offered("groups") == "This group is not what I am looking for"
    assert offered("pairs") == "This partner is not what I am looking for"
    assert offered("team") == "This team is not what I am looking for"


def test_no_time_from_the_page_excludes_nobody_and_others_read_not_joining(
    market: SimpleNamespace,
) -> None:
    proposal = amina_pair(make_run(market), market)
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    client = client_for(market.peers[0].user)
    response = client.post(
        reverse("matchmaking:respond", args=[proposal.id]),
        {"response": "decline", "decline_reason": "no_time", "reason": "Too busy this quarter"},
    )
    assert response.status_code == 302
    assert not ExcludedPair.objects.exists()
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "Other members only read that you are not joining" in page
    theirs = client_for(dora.user).get(reverse("matchmaking:proposal", args=[proposal.id]))
    html = theirs.content.decode()
    members = html.split('id="members-h"')[1].split("</table>")[0]
    assert "Not joining" in members and "Declined" not in members
    assert "Too busy" not in html and "I have no time" not in members


def test_after_accepting_the_peer_sees_their_answer_and_what_comes_next(
    market: SimpleNamespace,
) -> None:
    proposal = amina_pair(make_run(market), market)
    client = client_for(market.peers[0].user)
    before = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "answer by" in before.lower()
    client.post(reverse("matchmaking:respond", args=[proposal.id]), {"response": "accept"})
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    members = page.split('id="members-h"')[1].split("</table>")[0]
    assert "Accepted" in members and "Not answered yet" in members  # Dora has not answered
    row = next(r for r in members.split("<tr>") if "Amina" in r)
    assert "Accepted" in row and "Not answered yet" not in row
    assert "the facilitator confirms the proposal" in page


def test_not_now_from_the_page(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    client = client_for(market.peers[0].user)
    client.post(reverse("matchmaking:respond", args=[proposal.id]), {"response": "not_now"})
    assert not ExcludedPair.objects.exists()
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "You may still accept" in page and 'value="accept"' in page


def test_confirming_with_too_few_acceptances_is_refused_naming_the_rule(
    market: SimpleNamespace,
) -> None:
    proposal = amina_pair(make_run(market), market)
    client_for(market.peers[0].user).post(
        reverse("matchmaking:respond", args=[proposal.id]), {"response": "accept"}
    )
    facilitator = client_for(market.facilitator)
    page = facilitator.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "Confirming needs at least 2 acceptances." in page
    assert "Not answered yet:" in page and "Dora" in page.split("Not answered yet:")[1]
    response = facilitator.post(
        reverse("matchmaking:confirm", args=[proposal.id]),
        {"alliance_name": "Too early", "visibility": "alliance"},
    )
    assert response.status_code == 400
    assert "this matching needs at least 2 to confirm a proposal" in response.content.decode()
    assert not LearningAlliance.objects.filter(name="Too early").exists()


def test_the_send_step_takes_a_reply_by_date(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue pairs",
    )
    facilitator = client_for(market.facilitator)
    # The send step's confirmation page asks for the reply-by date and the confirm rule.
    page = facilitator.get(reverse("matchmaking:run_propose", args=[run.id])).content.decode()
    assert 'name="reply_by"' in page and 'name="min_accepted"' in page
    past = facilitator.post(
        reverse("matchmaking:run_propose", args=[run.id]), {"reply_by": "2020-01-01"}
    )
    assert past.status_code == 400
    assert "Choose a reply-by date after today" in past.content.decode()
    unreadable = facilitator.post(
        reverse("matchmaking:run_propose", args=[run.id]), {"reply_by": "31/01/2099x"}
    )
    assert unreadable.status_code == 400
    assert "Enter a date such as 2027-03-14." in unreadable.content.decode()
    call = facilitator.post(
        reverse("matchmaking:call_new"),
        {"title": "Call", "theme": "revenue-pfm", "description": "D", "closes_on": "soon"},
    )
    assert "Enter a date such as 2027-03-14." in call.content.decode()
    # A proposal waits three months at most for its answers.
    far = facilitator.post(
        reverse("matchmaking:run_propose", args=[run.id]), {"reply_by": "2099-01-31"}
    )
    assert far.status_code == 400
    assert "Choose a reply-by date within 90 days" in far.content.decode()
    run.refresh_from_db()
    assert run.status == "draft" and not run.proposals.filter(reply_by__isnull=False).exists()
    with in_time_zone_of(market.facilitator):
        due = timezone.localdate() + timedelta(days=90)
    facilitator.post(reverse("matchmaking:run_propose", args=[run.id]), {"reply_by": str(due)})
    assert {p.reply_by for p in run.proposals.all()} == {due}


def test_bad_answer_is_a_field_error(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    response = client_for(market.peers[0].user).post(
        reverse("matchmaking:respond", args=[proposal.id]), {"response": "maybe"}
    )
    assert response.status_code == 400
    assert response.context["respond_form"].errors["response"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "groups", "min_size": "6", "max_size": "4"}, "max_size"),
        ({"theme": ""}, "theme"),
        ({"kind": "team", "problem": ""}, "problem"),
        ({"kind": "team", "problem": "Fees", "size": "30"}, "size"),
        ({"kind": "groups", "max_gender_share": "0"}, "max_gender_share"),
    ],
)
def test_run_form_errors_name_the_field(
    market: SimpleNamespace, changes: dict[str, str], field: str
) -> None:
    response = client_for(market.facilitator).post(
        reverse("matchmaking:run_new"), {**RUN_FORM, **changes}
    )
    assert response.status_code == 400
    assert response.context["form"].errors[field], response.context["form"].errors
    assert not MatchingRun.objects.exists()


def test_an_infeasible_run_shows_the_diagnosis(market: SimpleNamespace) -> None:
    client = client_for(market.facilitator)
    response = client.post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "kind": "groups", "min_size": "3", "max_size": "3", "min_senior": "3"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "What stood in the way" in page
    assert "Setting “senior peers” to 1 would " in page  # the change, as a sentence
    assert "Not matched" in page
    # Rules are named in words, never as code.
    assert "min_senior" not in page and not re.search(r"\b\w+ = \w+", page)


def test_draft_review_withdraw_then_send(market: SimpleNamespace) -> None:
    run = make_run(market, send=False)
    client = client_for(market.facilitator)
    proposal = amina_pair(run, market)
    client.post(reverse("matchmaking:withdraw", args=[proposal.id]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    client.post(reverse("matchmaking:run_propose", args=[run.id]))
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    # The withdrawn draft never reaches its peers.
    response = client_for(market.peers[0].user).get(
        reverse("matchmaking:proposal", args=[proposal.id])
    )
    assert response.status_code == 200  # sent run: members see the record…
    assert 'value="accept"' not in response.content.decode()  # …but cannot answer it


def test_run_again_prefills_the_form(market: SimpleNamespace) -> None:
    run = make_run(market, send=False)
    response = client_for(market.facilitator).get(reverse("matchmaking:run_new"), {"from": run.id})
    form = response.context["form"]
    assert form.initial["kind"] == "pairs" and form.initial["theme"] == "revenue-pfm"
    assert (
        client_for(market.other_facilitator)
        .get(reverse("matchmaking:run_new"), {"from": run.id})
        .status_code
        == 404
    )


def test_open_call_apply_and_match_its_applicants(market: SimpleNamespace) -> None:
    facilitator = client_for(market.facilitator)
    response = facilitator.post(
        reverse("matchmaking:call_new"),
        {
            "title": "Revenue exchange",
            "theme": "revenue-pfm",
            "description": "Apply.",
            "visibility": "platform",
        },
    )
    call = OpenCall.objects.get()
    assert response["Location"] == reverse("matchmaking:call", args=[call.id])
    for peer in market.peers:
        client_for(peer.user).post(
            reverse("matchmaking:call_apply", args=[call.id]), {"motivation": "Keen."}
        )
    assert call.applications.count() == 6
    again = client_for(market.peers[0].user).post(
        reverse("matchmaking:call_apply", args=[call.id]), {"motivation": "Again."}
    )
    assert again.status_code == 400
    page = facilitator.get(reverse("matchmaking:call", args=[call.id])).content.decode()
    assert "Keen." in page and f"?call={call.id}" in page
    peer_page = client_for(market.peers[0].user).get(reverse("matchmaking:call", args=[call.id]))
    assert "Keen." not in peer_page.content.decode()  # motivations are for the facilitator
    form = facilitator.get(reverse("matchmaking:run_new"), {"call": call.id}).context["form"]
    assert form.initial["source"] == "call"
    response = facilitator.post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "source": "call", "call": call.id, "theme": ""},
    )
    assert MatchingRun.objects.get().pool_size == 6
    assert (
        client_for(market.authoriser)
        .post(reverse("matchmaking:call_apply", args=[call.id]), {"motivation": "x"})
        .status_code
        == 403
    )


def test_excluded_pairs_page_adds_and_lifts(market: SimpleNamespace) -> None:
    client = client_for(market.facilitator)
    a, b = market.peers[0], market.peers[3]
    client.post(
        reverse("matchmaking:excluded"),
        {"peer_a": a.id, "peer_b": b.id, "reason": "conflict", "note": "Same family."},
    )
    pair = ExcludedPair.objects.get()
    assert pair.created_by == market.facilitator
    page = client.get(reverse("matchmaking:excluded")).content.decode()
    assert "Same family." in page
    assert (
        client_for(market.other_facilitator)
        .post(reverse("matchmaking:excluded_delete", args=[pair.id]))
        .status_code
        == 403
    )
    client.post(reverse("matchmaking:excluded_delete", args=[pair.id]))
    assert not ExcludedPair.objects.exists()
    same = client.post(
        reverse("matchmaking:excluded"), {"peer_a": a.id, "peer_b": a.id, "reason": "other"}
    )
    assert same.status_code == 400 and same.context["form"].errors["peer_b"]


# --- query counts ------------------------------------------------------------------------


def test_runs_list_query_count_does_not_grow(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = client_for(market.facilitator)
    make_run(market)
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("matchmaking:index"))
    for _ in range(5):
        make_run(market)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("matchmaking:index"))
    assert response.context["page"].paginator.count == 6


def test_run_page_query_count_does_not_grow_with_proposals(
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
        client.get(reverse("matchmaking:run", args=[small.id]))
    large = make_run(market)
    assert large.proposals.count() == 3
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("matchmaking:run", args=[large.id]))


def test_proposals_list_query_count_does_not_grow(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = client_for(market.peers[0].user)
    make_run(market)
    with django_assert_max_num_queries(12) as first:
        client.get(reverse("matchmaking:proposals"))
    for _ in range(4):
        make_run(market)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("matchmaking:proposals"))
    assert response.context["page"].paginator.count == 5


def test_calls_and_excluded_lists_query_count_does_not_grow(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = client_for(market.facilitator)
    call = open_call_create(
        created_by=market.facilitator, title="c0", theme="revenue-pfm", description="d"
    )
    excluded_pair_add(peer_a=market.peers[0], peer_b=market.peers[1])
    with django_assert_max_num_queries(12) as calls_first:
        client.get(reverse("matchmaking:calls"))
    with django_assert_max_num_queries(40) as excluded_first:
        client.get(reverse("matchmaking:excluded"))
    for i in range(1, 5):
        other = open_call_create(
            created_by=market.facilitator, title=f"c{i}", theme="revenue-pfm", description="d"
        )
        call_application_create(call=other, peer=market.peers[i])
        excluded_pair_add(peer_a=market.peers[0], peer_b=market.peers[i + 1])
    call_application_create(call=call, peer=market.peers[0])
    with django_assert_max_num_queries(len(calls_first.captured_queries)):
        client.get(reverse("matchmaking:calls"))
    with django_assert_max_num_queries(len(excluded_first.captured_queries)):
        response = client.get(reverse("matchmaking:excluded"))
    assert response.context["page"].paginator.count == 5


def test_runs_filter_by_status_and_answer_htmx_with_the_list_only(
    market: SimpleNamespace,
) -> None:
    make_run(market)
    draft = make_run(market, send=False)
    client = client_for(market.facilitator)
    response = client.get(reverse("matchmaking:index"), {"status": "draft"})
    assert [r.id for r in response.context["page"].object_list] == [draft.id]
    partial = client.get(reverse("matchmaking:index"), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html


def test_pinned_peers_are_read_from_numbers_or_profile_addresses(market: SimpleNamespace) -> None:
    amina, faith = market.peers[0], market.peers[5]
    client = client_for(market.facilitator)
    response = client.post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "pinned": f"{amina.id} /peers/{faith.id}/"},
    )
    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matchmaking:run", args=[run.id])
    assert run.rules["pinned"] == [[amina.id, faith.id]]
    page = client.get(response["Location"]).content.decode()
    assert "Keep these peers together" in page and f"{amina.id}, {faith.id}" in page
    again = client.get(reverse("matchmaking:run_new"), {"from": run.id}).context["form"]
    assert again.initial["pinned"] == f"{amina.id}, {faith.id}"


def test_a_pinned_line_that_is_not_a_number_is_a_field_error(market: SimpleNamespace) -> None:
    response = client_for(market.facilitator).post(
        reverse("matchmaking:run_new"), {**RUN_FORM, "pinned": "1, 2\n3 amina"}
    )
    assert response.status_code == 400
    (error,) = response.context["form"].errors["pinned"]
    assert error.startswith("Line 2: “amina” is not a profile number")
    assert not MatchingRun.objects.exists()


# --- a result a facilitator can read ----------------------------------------------------


def test_the_run_page_lists_each_proposal_on_one_line_naming_its_members(
    market: SimpleNamespace,
) -> None:
    # Forty pairs were forty cards of seven labelled rows on a phone: each proposal is now one
    # line naming its members, with its fit; the rest is folded, without JavaScript.
    run = make_run(market, send=False)
    page = client_for(market.facilitator).get(reverse("matchmaking:run", args=[run.id]))
    html = page.content.decode()
    assert 'class="proposal-summary"' not in html and 'data-label="Fit"' not in html
    listing = re.search(r'<ol class="proposal-list">.*?</ol>', html, re.S)
    assert listing is not None
    summaries = re.findall(r"<summary>(.*?)</summary>", listing.group(0), re.S)
    proposals = list(run.proposals.order_by("position").prefetch_related("members__peer__user"))
    assert len(summaries) == len(proposals) > 0
    for line, proposal in zip(summaries, proposals, strict=True):
        names = [m.peer.user.name for m in proposal.members.all()]
        assert f"{names[0]} and {names[1]}" in line
        assert f"Proposal {proposal.position}" in line  # for screen readers
        assert re.search(r">fit: (strong|good|fair)</span>", line)
        assert "country" in line or "countries" in line
    # Each proposal's detail is folded until opened, and links to its own page.
    details = re.findall(r"<details class=\"proposal\"[^>]*>", listing.group(0))
    assert len(details) == len(proposals)
    assert not any(" open" in d for d in details)
    for proposal in proposals:
        assert reverse("matchmaking:proposal", args=[proposal.id]) in listing.group(0)
    summary = page.context["detail"].summary
    assert [s["position"] for s in summary] == [p.position for p in proposals]
    assert "strong" in {s["fit"] for s in summary}  # the best proposal is the yardstick
    assert all(s["size"] == 2 for s in summary)


def test_the_solver_figures_are_in_words_with_the_numbers_folded(market: SimpleNamespace) -> None:
    run = make_run(market, send=False)
    html = client_for(market.facilitator).get(reverse("matchmaking:run", args=[run.id]))
    text = html.content.decode()
    folded = re.search(r'<details class="solver-figures">.*?</details>', text, re.S)
    assert folded is not None
    for figure in ("Objective", "Upper bound", "Gap", run.encoder):
        assert figure in folded.group(0)
        assert figure not in text.replace(folded.group(0), "")
    assert "compared texts by shared words (TF-IDF)" in text
    assert "best possible" in text


def test_sending_asks_first_and_says_how_many_are_emailed(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    run = make_run(market, send=False)
    client = client_for(market.facilitator)
    run_page = client.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    # The run page links to the confirmation; it holds no form that sends.
    assert f'action="{reverse("matchmaking:run_propose", args=[run.id])}"' not in run_page
    page = client.get(reverse("matchmaking:run_propose", args=[run.id]))
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and not mailoutbox
    peers = {m.peer_id for p in run.proposals.all() for m in p.members.all()}
    n = run.proposals.count()
    text = " ".join(page.content.decode().split())
    assert f"Send {n} proposals to {len(peers)} peers?" in text
    emails = sum(p.members.count() for p in run.proposals.all())
    if emails == len(peers):
        assert "Each gets one e-mail and can then accept or decline." in text
    else:  # a peer in several proposals is e-mailed for each
        assert f"one e-mail per proposal they are in ({emails} e-mails in all)" in text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:run_propose", args=[run.id]))
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert {a for m in mailoutbox for a in m.to} == {
        m.peer.user.email for p in run.proposals.all() for m in p.members.all()
    }
    assert len(mailoutbox) == emails


# --- the run form -----------------------------------------------------------------------


def test_a_run_with_no_alliance_name_takes_a_default_one(market: SimpleNamespace) -> None:
    client = client_for(market.facilitator)
    shown = client.get(reverse("matchmaking:run_new")).context["form"]
    assert shown["alliance_name"].value()  # the form offers a name
    response = client.post(reverse("matchmaking:run_new"), {**RUN_FORM, "alliance_name": ""})
    assert response.status_code == 302, response.context["form"].errors
    run = MatchingRun.objects.get()
    assert run.alliance_name.startswith(str(run.theme.display_name))


def test_the_offered_alliance_name_follows_a_theme_chosen_after_the_page_opened(
    market: SimpleNamespace,
) -> None:
    client = client_for(market.facilitator)
    offered = client.get(reverse("matchmaking:run_new")).context["form"]["alliance_name"].value()
    # Names carry the day in the facilitator's zone, as their pages read it.
    zone = in_time_zone_of(market.facilitator)
    with zone:
        assert offered == default_alliance_name()
    # Without JavaScript the offered name cannot change when the theme is chosen: sent as
    # it was offered, it is named after the theme on the server.
    response = client.post(reverse("matchmaking:run_new"), {**RUN_FORM, "alliance_name": offered})
    assert response.status_code == 302, response.context["form"].errors
    run = MatchingRun.objects.get()
    theme = str(run.theme.display_name)
    with in_time_zone_of(market.facilitator):
        assert run.alliance_name == default_alliance_name(theme)
    assert run.alliance_name.startswith(f"{theme} alliance, ")
    # A page opened for a theme offers its name from the start.
    form = client.get(reverse("matchmaking:run_new"), {"theme": "revenue-pfm"}).context["form"]
    with in_time_zone_of(market.facilitator):
        assert form["alliance_name"].value() == default_alliance_name(theme)


def test_run_form_errors_are_summarised_first_with_links_to_the_fields(
    market: SimpleNamespace,
) -> None:
    response = client_for(market.facilitator).post(
        reverse("matchmaking:run_new"), {**RUN_FORM, "theme": "", "kind": "team", "problem": ""}
    )
    html = response.content.decode()
    summary = re.search(r'<div class="errors error-summary"[^>]*>.*?</div>', html, re.S)
    assert summary is not None
    assert "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert 'href="#id_theme"' in summary.group(0) and 'href="#id_problem"' in summary.group(0)
    # The summary comes before the first field.
    assert html.index("error-summary") < html.index('name="source"')


def test_every_error_of_the_run_form_shows_in_one_round(market: SimpleNamespace) -> None:
    """The fields' own errors (a bad line to keep together) and what the matching would
    refuse (no theme, the largest group below the smallest) together, not one after the
    other."""
    response = client_for(market.facilitator).post(
        reverse("matchmaking:run_new"),
        {
            **RUN_FORM,
            "kind": "groups",
            "source": "theme",
            "theme": "",
            "min_size": "12",
            "max_size": "3",
            "pinned": "1, 2\n3 amina",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"pinned", "theme", "max_size"}, errors
    assert "at least the smallest (12)" in errors["max_size"][0]
    assert not MatchingRun.objects.exists()


def test_the_run_button_is_disabled_once_the_form_is_sent(market: SimpleNamespace) -> None:
    html = client_for(market.facilitator).get(reverse("matchmaking:run_new")).content.decode()
    form = html[html.index('action="/matching/runs/new/"') :]
    form = form[: form.index("</form>")]
    # Enter in a field sends the form with its first button: one that runs the matching,
    # not "Show the rules for this kind" (tests/browser/test_matching_journey.py presses it).
    buttons = re.findall(r"<button [^>]*>", form)
    assert "data-run" in buttons[0] and 'name="show_rules"' in buttons[1]
    assert 'name="show_rules"' not in form[form.index("runButtons") :]
    assert "runButtons(true)" in form and "b.disabled = disabled" in form


def test_the_run_form_asks_what_to_form_first_and_shows_only_its_rules(
    market: SimpleNamespace,
) -> None:
    client = client_for(market.facilitator)
    html = client.get(reverse("matchmaking:run_new")).content.decode()
    # What to form, then who is in the pool, then the rules.
    assert html.index('name="kind"') < html.index('name="source"') < html.index('id="rules"')
    # Groups by default: the group rules, not the pairs' or the team's.
    assert 'name="min_size"' in html
    assert 'name="provider_capacity"' not in html and 'name="problem"' not in html
    # Changing the kind (without JavaScript: "Show the rules for this kind") keeps what was
    # chosen, shows the new kind's rules with their defaults and starts nothing.
    response = client.post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "kind": "team", "shown_kind": "groups", "show_rules": "1"},
    )
    assert response.status_code == 200 and not MatchingRun.objects.exists()
    html = response.content.decode()
    assert 'name="problem"' in html and 'name="min_size"' not in html
    form = response.context["form"]
    assert not form.is_bound and form.chosen_kind() == "team"
    assert form.initial["theme"] == "revenue-pfm"
    assert "Show the rules for this kind" in html
    assert 'hx-trigger="change from:input[name=kind]"' in html


def test_a_kind_chosen_and_sent_at_once_shows_its_rules_instead_of_failing(
    market: SimpleNamespace,
) -> None:
    """Without JavaScript a facilitator may tick "Pairs" on the groups form and press "Run"
    at once: the groups' method is no method for pairs. The form comes back for pairs, with
    their default method ticked and a note saying why, and nothing runs."""
    response = client_for(market.facilitator).post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "kind": "pairs", "shown_kind": "groups", "method": "common_challenges"},
    )
    assert response.status_code == 200 and not MatchingRun.objects.exists()
    form = response.context["form"]
    assert not form.errors and form.chosen_kind() == "pairs"
    assert form["method"].value() == "complementary"
    html = response.content.decode()
    assert 'id="kind-changed"' in html and "Shown now for “Pairs" in html
    assert "common_challenges" not in html.split('id="kind-changed"')[1].split("</div>")[0]
    # The same form sent again (now showing pairs) runs.
    again = client_for(market.facilitator).post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "kind": "pairs", "shown_kind": "pairs", "method": "complementary"},
    )
    assert again.status_code == 302 and MatchingRun.objects.count() == 1


def test_answer_counts_on_the_run_and_home_pages_without_growing_queries(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    facilitator = client_for(market.facilitator)
    one_group = matching_run_propose(
        run=matching_run_create(
            created_by=market.facilitator,
            kind="groups",
            source="theme",
            theme="revenue-pfm",
            rules={"min_size": 6, "max_size": 6},
            alliance_name="One group",
        )
    )
    with django_assert_max_num_queries(40) as small_run:
        assert facilitator.get(reverse("matchmaking:run", args=[one_group.id])).status_code == 200
    with django_assert_max_num_queries(40) as small_home:
        assert facilitator.get(reverse("home")).status_code == 200

    run = make_run(market)  # three pairs
    proposal = amina_pair(run, market)
    dora = proposal.members.exclude(peer=market.peers[0]).get().peer
    proposal_respond(proposal=proposal, peer=market.peers[0], answer="accept")
    proposal_respond(proposal=proposal, peer=dora, answer="not_now")
    other = run.proposals.exclude(id=proposal.id).first()
    first = other.members.order_by("id").first()
    proposal_respond(proposal=other, peer=first.peer, answer="decline", decline_reason="no_time")
    for _ in range(3):
        make_run(market)
    counts = "1 accepted · 1 declined · 1 not now · 3 not answered"
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        page = facilitator.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    assert counts in page
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "1 accepted · 0 declined · 1 not now · 0 not answered — confirming needs 2" in text
    with django_assert_max_num_queries(len(small_home.captured_queries)):
        home = facilitator.get(reverse("home")).content.decode()
    assert counts in home and "0 accepted · 0 declined · 0 not now · 6 not answered" in home


def test_a_run_searched_in_blocks_shows_the_gap_within_the_blocks_beside_the_loose_one(
    market: SimpleNamespace,
) -> None:
    from peerlearn.matchmaking.selectors import solver_summary

    facilitator = client_for(market.facilitator)
    facilitator.post(reverse("matchmaking:run_new"), RUN_FORM)
    run = MatchingRun.objects.get()
    assert run.block_gap is None
    assert "blocks" not in solver_summary(run)["quality"]
    # As a 100,000-peer run reports it: a loose bound over the pool, a tight one per block.
    MatchingRun.objects.filter(id=run.id).update(optimal=False, gap=0.687, block_gap=0.091)
    run.refresh_from_db()
    quality = solver_summary(run)["quality"]
    assert "within 9%" in quality and "(69%)" in quality, quality
    page = facilitator.get(reverse("matchmaking:run", args=[run.id])).content.decode()
    assert "Gap within the blocks" in page and "0.0910" in page


def test_a_loose_gap_on_a_small_pool_is_read_as_a_cautious_limit(market: SimpleNamespace) -> None:
    # A small pool can read "within 26 %" while the exact solver proves its grouping the
    # best there is: the bound counts every peer with their best partners at once. The
    # page says so.
    from peerlearn.matchmaking.selectors import solver_summary

    facilitator = client_for(market.facilitator)
    facilitator.post(reverse("matchmaking:run_new"), RUN_FORM)
    run = MatchingRun.objects.get()
    MatchingRun.objects.filter(id=run.id).update(optimal=False, gap=0.35, block_gap=None)
    run.refresh_from_db()
    quality = solver_summary(run)["quality"]
    assert quality.startswith("The best arrangement found is within 35% of the best possible.")
    assert "cautious limit" in quality and "much smaller" in quality
    with translation.override("fr"):
        assert "limite prudente" in solver_summary(run)["quality"]
