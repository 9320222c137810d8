"""Matching services: pools drawn from what the facilitator may see, field-named errors,
diagnoses, declines that stick, confirmations into alliances, e-mails."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from peerlearn.access.visibility import Visibility
from peerlearn.alliances.models import AllianceMembership, LearningAlliance, MemberRole
from peerlearn.alliances.services import alliance_create, alliance_member_add
from peerlearn.core.choices import PartnershipType
from peerlearn.matching import Peer
from peerlearn.matchmaking import services
from peerlearn.matchmaking.models import (
    ExcludedPair,
    ExclusionReason,
    MatchingRun,
    MemberResponse,
    PoolSource,
    Proposal,
    ProposalMember,
    ProposalRole,
    ProposalStatus,
    RunKind,
    RunStatus,
)
from peerlearn.matchmaking.selectors import matching_pool, pool_candidates, proposal_detail
from peerlearn.matchmaking.services import (
    call_application_create,
    excluded_pair_add,
    execution,
    group_sizes_for,
    matching_run_close,
    matching_run_create,
    matching_run_propose,
    open_call_create,
    proposal_confirm,
    proposal_respond,
    proposal_withdraw,
    proposals,
)
from peerlearn.matchmaking.tests.conftest import say
from peerlearn.peers.models import Challenge, Experience

pytestmark = pytest.mark.django_db


def run_pairs(m: SimpleNamespace, **kwargs: Any) -> MatchingRun:
    kwargs.setdefault("alliance_name", "Revenue pairs")
    return matching_run_create(
        created_by=m.facilitator, kind="pairs", source="theme", theme="revenue-pfm", **kwargs
    )


def pair_of(run: MatchingRun, seeker: Any) -> Proposal:
    return Proposal.objects.get(run=run, members__peer=seeker, members__role=ProposalRole.SEEKER)


def sent(run: MatchingRun) -> MatchingRun:
    return matching_run_propose(run=run)


def member_sets(run: MatchingRun) -> list[set[int]]:
    return [set(p.members.values_list("peer_id", flat=True)) for p in run.proposals.all()]


# --- the pool ----------------------------------------------------------------------------


def test_a_private_statement_never_reaches_the_matcher(
    world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Peer] = []
    real = execution.match_groups

    def spy(peers: list[Peer], *args: Any, **kwargs: Any) -> Any:
        seen.extend(peers)
        return real(peers, *args, **kwargs)

    monkeypatch.setattr(execution, "match_groups", spy)
    run = matching_run_create(
        created_by=world.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue groups",
    )
    texts = " ".join(p.challenge + p.experience for p in seen)
    assert "Challenge private" not in texts
    # The facilitator is inside the alliance, so its safe-space statements are in.
    assert "Challenge alliance" in texts and "Raised in the alliance" in texts
    # A private profile is out altogether, even with a public challenge.
    assert "Behind a private profile" not in texts
    ids = {p.id for p in seen}
    assert f"peer#{world.member_private.id}" not in ids
    assert f"peer#{world.member_platform.id}" in ids
    stored = {i for p in run.proposals.all() for m in p.members.all() for i in m.challenge_ids}
    assert world.challenges[Visibility.PRIVATE].id not in stored


def test_private_statements_stay_out_even_for_an_administrator(
    world: SimpleNamespace,
) -> None:
    pool = matching_pool(
        user=world.admin,
        candidates=pool_candidates(user=world.admin, source=PoolSource.PEERS),
    )
    texts = " ".join(p.challenge for p in pool.peers)
    assert "Challenge private" not in texts and "Challenge alliance" in texts
    assert world.member_private.id not in pool.profiles


def test_the_pool_is_narrower_for_a_facilitator_outside_the_alliance(
    world: SimpleNamespace,
) -> None:
    from peerlearn.conftest import make_user

    stranger = make_user("stranger", role="facilitator")
    pool = matching_pool(
        user=stranger,
        candidates=pool_candidates(user=stranger, source=PoolSource.PEERS),
    )
    texts = " ".join(p.challenge for p in pool.peers)
    assert "Challenge platform" in texts and "Challenge public" in texts
    assert "Challenge alliance" not in texts and "Raised in the alliance" not in texts
    assert world.member_alliance.id not in pool.profiles  # an alliance-only profile


def test_peers_get_roles_from_what_they_state(market: SimpleNamespace) -> None:
    pool = matching_pool(
        user=market.facilitator,
        candidates=pool_candidates(user=market.facilitator, source=PoolSource.PEERS),
    )
    roles = {p.name: p.role for p in pool.peers}
    assert roles["Amina"] == "seeker" and roles["Dora"] == "provider"
    assert roles["Gabriel"] == "both"  # states nothing: takes part in groups as both
    amina = next(p for p in pool.peers if p.name == "Amina")
    assert amina.country == "KE" and amina.languages == ("en",)
    assert amina.theme == "revenue-pfm" and "market fees" in amina.challenge


def test_alliance_pool_is_its_members_and_those_who_raised_challenges(
    world: SimpleNamespace,
) -> None:
    pool = pool_candidates(user=world.facilitator, source=PoolSource.ALLIANCE, alliance=world.inner)
    assert set(pool) == {world.member_alliance, world.member_platform}  # private is hidden


def test_only_the_alliances_facilitators_match_its_candidates(market: SimpleNamespace) -> None:
    alliance = alliance_create(
        name="Somebody else's",
        theme="revenue-pfm",
        purpose="p",
        working_languages=["en"],
        created_by=market.other_facilitator,
    )
    with pytest.raises(ValidationError) as e:
        matching_run_create(
            created_by=market.facilitator,
            kind="groups",
            source="alliance",
            alliance=alliance.slug,
            alliance_name="x",
        )
    assert "alliance" in e.value.message_dict


def test_call_pool_is_its_applicants(market: SimpleNamespace) -> None:
    call = open_call_create(
        created_by=market.facilitator,
        title="Revenue call",
        theme="revenue-pfm",
        description="Apply.",
    )
    for peer in market.peers[:4]:
        call_application_create(call=call, peer=peer, motivation="Keen.")
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="call",
        call=call.id,
        alliance_name="Call groups",
    )
    assert run.pool_size == 4 and run.theme.slug == "revenue-pfm"
    assert run.pool_call == call
    with pytest.raises(ValidationError) as e:
        matching_run_create(
            created_by=market.other_facilitator,
            kind="groups",
            source="call",
            call=call.id,
            alliance_name="x",
        )
    assert "call" in e.value.message_dict


def test_directory_pool_filters_are_stored(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="peers",
        theme="revenue-pfm",
        filters={"country": "ke"},
        alliance_name="Kenyan groups",
    )
    assert run.filters == {"country": "KE"}
    assert run.pool_size == 3  # amina, dora, gabriel


# --- errors and diagnoses ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "rules", "field"),
    [
        ("groups", {"min_size": 5, "max_size": 3}, "max_size"),
        ("groups", {"min_size": 1}, "min_size"),
        ("groups", {"max_gender_share": 1.5}, "max_gender_share"),
        ("groups", {"min_countries": 0}, "min_countries"),
        ("groups", {"size": 3}, "size"),
        ("pairs", {"provider_capacity": 0}, "provider_capacity"),
        ("team", {"size": "three"}, "size"),
        ("team", {"country": "XX"}, "country"),
    ],
)
def test_bad_rules_name_the_field(
    market: SimpleNamespace, kind: str, rules: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as e:
        matching_run_create(
            created_by=market.facilitator,
            kind=kind,
            source="theme",
            theme="revenue-pfm",
            rules=rules,
            problem="Market fees",
            alliance_name="x",
        )
    assert field in e.value.message_dict
    assert not MatchingRun.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"source": "theme", "theme": ""}, "theme"),
        ({"source": "theme", "theme": "no-such-theme"}, "theme"),
        ({"source": "call"}, "call"),
        ({"source": "theme", "theme": "revenue-pfm", "alliance_name": ""}, "alliance_name"),
        ({"source": "theme", "theme": "revenue-pfm", "target_alliance": "nope"}, "target_alliance"),
        ({"source": "peers", "filters": {"stage": 9}}, "pool_stage"),
        ({"source": "peers", "filters": {"language": "xx"}}, "pool_language"),
        ({"source": "theme", "theme": "procurement"}, "theme"),  # nobody works on it
    ],
)
def test_bad_pool_or_outcome_names_the_field(
    market: SimpleNamespace, arguments: dict[str, Any], field: str
) -> None:
    arguments.setdefault("alliance_name", "Groups")
    with pytest.raises(ValidationError) as e:
        matching_run_create(created_by=market.facilitator, kind="groups", **arguments)
    assert field in e.value.message_dict, e.value.message_dict


def test_a_team_needs_its_problem_and_a_pool_as_large(market: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        matching_run_create(
            created_by=market.facilitator,
            kind="team",
            source="theme",
            theme="revenue-pfm",
            alliance_name="Team",
        )
    assert "problem" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        matching_run_create(
            created_by=market.facilitator,
            kind="team",
            source="theme",
            theme="revenue-pfm",
            problem="Market fees",
            rules={"size": 40},
            alliance_name="Team",
        )
    assert "size" in e.value.message_dict


def test_group_sizes_default_to_ten_to_twelve_or_smaller_for_small_pools() -> None:
    assert group_sizes_for(300) == (10, 12)
    assert group_sizes_for(20) == (10, 12)
    assert group_sizes_for(10) == (4, 6)
    assert group_sizes_for(6) == (3, 4)
    assert group_sizes_for(4) == (2, 4)


def test_an_infeasible_request_reports_the_diagnosis_and_the_unmatched(
    market: SimpleNamespace,
) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        rules={"min_size": 3, "max_size": 3, "min_senior": 3},
        alliance_name="Seniors",
    )
    assert run.status == RunStatus.DRAFT
    assert [d["constraint"] for d in run.diagnostics] == ["min_senior"]
    assert run.diagnostics[0]["relaxation"] == {"min_senior": 1}
    assert run.unmatched and all(u["reason"] and u["peer_id"] for u in run.unmatched)


def test_an_impossible_team_reports_the_smallest_relaxation(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="team",
        source="theme",
        theme="revenue-pfm",
        problem="Market fee leakage",
        rules={"size": 3, "min_countries": 4},
        alliance_name="Team",
    )
    assert not run.proposals.exists()
    assert run.diagnostics[0]["constraint"] == "min_countries"
    assert run.diagnostics[0]["relaxation"] == {"min_countries": 3}


def test_a_team_is_one_proposal_around_the_problem(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="team",
        source="theme",
        theme="revenue-pfm",
        problem="Moving market fees from cash to mobile money",
        rules={"size": 3},
        alliance_name="Market fee team",
    )
    (proposal,) = run.proposals.all()
    names = set(proposal.members.values_list("peer__user__name", flat=True))
    assert "Dora" in names and len(names) == 3
    assert run.optimal and run.gap == 0


def test_pairs_leave_out_peers_who_state_nothing(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="peers",
        theme="revenue-pfm",
        alliance_name="Pairs",
    )
    # Every candidate is counted, as when the run was queued; the one who states nothing is
    # counted and listed as left out, with the reason.
    assert run.pool_size == 7
    assert {
        "peer_id": market.outsider.id,
        "reason": {
            "code": "matchmaking.no_statements",
            "params": {},
            "text": "states no challenge or experience the facilitator can see",
        },
    } in run.unmatched


def test_pairs_answer_challenges_with_experiences(market: SimpleNamespace) -> None:
    run = run_pairs(market)
    amina, baraka, chidi, dora, esi, faith = market.peers
    assert sorted(member_sets(run), key=min) == [
        {amina.id, dora.id},
        {baraka.id, esi.id},
        {chidi.id, faith.id},
    ]
    proposal = pair_of(run, amina)
    assert proposal.members.get(peer=dora).role == ProposalRole.PROVIDER
    assert proposal.language == "en"
    # Stored structured: peers are profile ids in the parameters, never names in a text.
    summary = proposal.explanation["summary"]
    assert summary["code"] in {"summary.pair", "summary.pair_on"}
    assert (summary["params"]["provider"], summary["params"]["seeker"]) == (dora.id, amina.id)
    assert "peer#" in summary["text"] and "Dora" not in json.dumps(proposal.explanation)
    assert {c["peer_id"] for c in proposal.explanation["contributions"]} == {amina.id, dora.id}
    assert run.objective > 0 and run.bound is not None and run.gap is not None


# --- sending, answering, declines --------------------------------------------------------


def test_peers_see_nothing_until_the_proposals_are_sent(market: SimpleNamespace) -> None:
    from peerlearn.access.base import NotFound
    from peerlearn.access.matching import access_proposal_by_id

    run = run_pairs(market)
    proposal = pair_of(run, market.peers[0])
    with pytest.raises(NotFound):
        access_proposal_by_id(market.peers[0].user, proposal.id)
    with pytest.raises(ValidationError):
        proposal_respond(proposal=proposal, peer=market.peers[0], answer="accept")
    sent(run)
    assert access_proposal_by_id(market.peers[0].user, proposal.id) == proposal
    with pytest.raises(ValidationError) as e:
        sent(run)
    assert "status" in e.value.message_dict


def test_proposals_are_mailed_to_their_members_after_commit(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    run = run_pairs(market)
    with django_capture_on_commit_callbacks(execute=True):
        matching_run_propose(run=run, site_url="https://peerlearn.example.org")
    assert len(mailoutbox) == 6
    to = {m.to[0] for m in mailoutbox}
    assert to == {p.user.email for p in market.peers}
    proposal = pair_of(run, market.peers[0])
    amina = next(m for m in mailoutbox if m.to == [market.peers[0].user.email])
    assert f"https://peerlearn.example.org/matching/proposals/{proposal.id}/" in amina.body
    assert "Hello Amina" in amina.body


def test_a_proposal_reads_in_its_recipients_language_whatever_the_facilitators(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    """A French walk: English e-mails to peers with no language set named the kind of
    matching in the French of the facilitator who sent them."""
    run = run_pairs(market)
    amina, dora = market.peers[0].user, market.peers[3].user
    amina.preferred_language, dora.preferred_language = "", "fr"
    for user in (amina, dora):
        user.save(update_fields=["preferred_language"])
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        matching_run_propose(run=run, site_url="https://peerlearn.example.org")
    english = next(m for m in mailoutbox if m.to == [amina.email]).body
    french = next(m for m in mailoutbox if m.to == [dora.email]).body
    with translation.override("en"):
        in_english = str(RunKind.PAIRS.label)
    with translation.override("fr"):
        in_french = str(RunKind.PAIRS.label)
    assert in_english != in_french
    assert in_english in english and in_french not in english
    assert in_french in french


def test_a_conflict_becomes_an_excluded_pair_and_the_decline_is_final(
    market: SimpleNamespace,
) -> None:
    amina, _, _, dora, _, _ = market.peers
    run = sent(run_pairs(market))
    proposal = pair_of(run, amina)
    proposal_respond(
        proposal=proposal,
        peer=amina,
        answer="decline",
        decline_reason="conflict",
        conflict_with=[dora.id],
        reason="We already met.",
    )
    pair = ExcludedPair.objects.get()
    assert (pair.peer_a, pair.peer_b) == (amina, dora)
    assert pair.reason == ExclusionReason.CONFLICT and pair.source_proposal == proposal
    assert pair.created_by == amina.user
    member = proposal.members.get(peer=amina)
    assert member.response == MemberResponse.DECLINED and member.reason == "We already met."
    assert member.decline_reason == "conflict"
    with pytest.raises(ValidationError) as e:
        proposal_respond(proposal=proposal, peer=amina, answer="accept")
    assert "response" in e.value.message_dict


@pytest.mark.parametrize("why", ["no_time", "not_interested"])
def test_a_decline_without_a_conflict_excludes_nobody(market: SimpleNamespace, why: str) -> None:
    amina = market.peers[0]
    run = sent(run_pairs(market))
    proposal = pair_of(run, amina)
    proposal_respond(proposal=proposal, peer=amina, answer="decline", decline_reason=why)
    assert not ExcludedPair.objects.exists()
    assert pair_of(run, amina).members.get(peer=amina).response == MemberResponse.DECLINED


def test_not_now_excludes_nobody_and_the_peer_may_still_accept(market: SimpleNamespace) -> None:
    amina = market.peers[0]
    run = sent(run_pairs(market))
    proposal = pair_of(run, amina)
    proposal_respond(proposal=proposal, peer=amina, answer="not_now")
    assert proposal.members.get(peer=amina).response == MemberResponse.NOT_NOW
    assert not ExcludedPair.objects.exists()
    proposal_respond(proposal=proposal, peer=amina, answer="accept")
    assert proposal.members.get(peer=amina).response == MemberResponse.ACCEPTED


@pytest.mark.parametrize(
    ("why", "conflict_with", "field"),
    [
        ("", [], "decline_reason"),
        ("conflict", [], "conflict_with"),
        ("conflict", ["outsider"], "conflict_with"),
        ("no_time", ["partner"], "conflict_with"),
    ],
)
def test_a_decline_must_say_why_and_name_only_fellow_members(
    market: SimpleNamespace, why: str, conflict_with: list[str], field: str
) -> None:
    amina = market.peers[0]
    run = sent(run_pairs(market))
    proposal = pair_of(run, amina)
    partner = proposal.members.exclude(peer=amina).get().peer
    ids = {"outsider": market.outsider.id, "partner": partner.id}
    with pytest.raises(ValidationError) as e:
        proposal_respond(
            proposal=proposal,
            peer=amina,
            answer="decline",
            decline_reason=why,
            conflict_with=[ids[c] for c in conflict_with],
        )
    assert field in e.value.message_dict
    assert proposal.members.get(peer=amina).response == MemberResponse.PENDING


def test_a_later_run_never_proposes_a_conflicting_pair_again(market: SimpleNamespace) -> None:
    amina, _, _, dora, _, _ = market.peers
    run = sent(run_pairs(market))
    proposal_respond(
        proposal=pair_of(run, amina),
        peer=dora,
        answer="decline",
        decline_reason="conflict",
        conflict_with=[amina.id],
    )
    again = run_pairs(market)
    assert again.excluded_count == 1
    assert {amina.id, dora.id} not in member_sets(again)
    groups = matching_run_create(
        created_by=market.other_facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        rules={"min_size": 2, "max_size": 2},
        alliance_name="Duos",
    )
    assert all(not {amina.id, dora.id} <= s for s in member_sets(groups))


def trios(market: SimpleNamespace, **send: Any) -> MatchingRun:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        rules={"min_size": 3, "max_size": 3},
        alliance_name="Trio",
    )
    return matching_run_propose(run=run, **send)


def test_a_conflict_in_a_group_excludes_only_the_members_named(market: SimpleNamespace) -> None:
    proposal = trios(market).proposals.first()
    members = list(proposal.members.order_by("id"))
    proposal_respond(
        proposal=proposal,
        peer=members[0].peer,
        answer="decline",
        decline_reason="conflict",
        conflict_with=[members[2].peer_id],
    )
    pairs = set(ExcludedPair.objects.values_list("peer_a_id", "peer_b_id"))
    assert pairs == {tuple(sorted((members[0].peer_id, members[2].peer_id)))}


def test_other_members_read_not_joining_and_never_the_reason(market: SimpleNamespace) -> None:
    proposal = trios(market).proposals.first()
    a, b, c = (m.peer for m in proposal.members.order_by("id"))
    proposal_respond(
        proposal=proposal, peer=a, answer="decline", decline_reason="no_time", reason="Busy."
    )
    proposal_respond(proposal=proposal, peer=b, answer="not_now")

    seen_by_c = {
        m.member.peer_id: m for m in proposal_detail(user=c.user, proposal=proposal).members
    }
    for peer in (a, b):
        assert seen_by_c[peer.id].response == "not_joining"
        assert seen_by_c[peer.id].response_label == "Not joining"
        assert seen_by_c[peer.id].reason is None and seen_by_c[peer.id].decline_reason is None

    seen_by_a = proposal_detail(user=a.user, proposal=proposal)
    mine = next(m for m in seen_by_a.members if m.is_you)
    assert mine.response == MemberResponse.DECLINED
    assert "not joining" in seen_by_a.next_step

    seen = proposal_detail(user=market.facilitator, proposal=proposal)
    facilitator = {m.member.peer_id: m for m in seen.members}
    assert facilitator[a.id].response == MemberResponse.DECLINED
    assert facilitator[a.id].decline_reason == "no_time" and facilitator[a.id].reason == "Busy."
    assert facilitator[b.id].response == MemberResponse.NOT_NOW


def test_answers_stop_when_the_run_is_closed(market: SimpleNamespace) -> None:
    run = sent(run_pairs(market))
    matching_run_close(run=run)
    assert not run.proposals.filter(status=ProposalStatus.PROPOSED).exists()
    with pytest.raises(ValidationError):
        proposal_respond(
            proposal=pair_of(run, market.peers[0]), peer=market.peers[0], answer="accept"
        )


def test_proposal_detail_hides_what_a_member_may_not_read(market: SimpleNamespace) -> None:
    """A provider's experience shared only inside an alliance the seeker is not in: the
    seeker reads only the reasons that quote nobody, and no hidden name."""
    inner = alliance_create(
        name="Inner circle",
        theme="revenue-pfm",
        purpose="p",
        working_languages=["en"],
        created_by=market.facilitator,
        visibility=Visibility.ALLIANCE,
    )
    dora = market.peers[3]
    alliance_member_add(alliance=inner, user=dora.user, role=MemberRole.PEER)
    dora.visibility = Visibility.ALLIANCE
    dora.save(update_fields=["visibility"])
    Experience.objects.filter(peer=dora).update(visibility=Visibility.ALLIANCE)
    run = sent(run_pairs(market))
    proposal = pair_of(run, market.peers[0])
    assert set(proposal.members.values_list("peer_id", flat=True)) == {market.peers[0].id, dora.id}

    seen_by_amina = proposal_detail(user=market.peers[0].user, proposal=proposal)
    assert seen_by_amina.explanation["redacted"]
    assert not seen_by_amina.explanation["contributions"]
    assert all("“" not in r and "Dora" not in r for r in seen_by_amina.explanation["reasons"])
    dora_view = next(m for m in seen_by_amina.members if m.member.peer_id == dora.id)
    assert dora_view.name is None and dora_view.peer_id is None

    seen_by_facilitator = proposal_detail(user=market.facilitator, proposal=proposal)
    assert not seen_by_facilitator.explanation["redacted"]
    assert "Dora can help Amina" in seen_by_facilitator.explanation["summary"]
    seen_by_dora = proposal_detail(user=dora.user, proposal=proposal)
    assert not seen_by_dora.explanation["redacted"]  # Amina's challenge is platform-wide


# --- confirming --------------------------------------------------------------------------


def test_confirming_a_pair_creates_a_type_i_alliance_with_exactly_the_accepted(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    amina, _, _, dora, _, _ = market.peers
    run = sent(run_pairs(market))
    proposal = pair_of(run, amina)
    for peer in (amina, dora):
        proposal_respond(proposal=proposal, peer=peer, answer="accept")
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = proposal_confirm(
            proposal=proposal, confirmed_by=market.facilitator, alliance_name="Market fee pair"
        )
    alliance = confirmed.alliance
    assert confirmed.status == ProposalStatus.CONFIRMED and confirmed.confirmed_at
    assert alliance.name == "Market fee pair" and alliance.type == PartnershipType.TYPE_I
    assert alliance.theme.slug == "revenue-pfm" and alliance.visibility == Visibility.ALLIANCE
    assert "peer#" not in alliance.purpose and "Amina" not in alliance.purpose
    assert list(alliance.working_languages.values_list("code", flat=True)) == ["en"]
    roles = dict(alliance.memberships.values_list("user__username", "role"))
    assert roles == {
        "fac": MemberRole.FACILITATOR,
        "amina": MemberRole.PEER,
        "dora": MemberRole.RESOURCE,
    }
    assert sorted(m.to[0] for m in mailoutbox) == ["amina@example.org", "dora@example.org"]
    assert "Market fee pair" in mailoutbox[0].subject


def test_confirming_needs_the_groups_minimum_size_by_default(market: SimpleNamespace) -> None:
    proposal = trios(market).proposals.first()
    a, b, c = (m.peer for m in proposal.members.order_by("id"))
    proposal_respond(proposal=proposal, peer=a, answer="accept")
    proposal_respond(proposal=proposal, peer=b, answer="accept")
    with pytest.raises(ValidationError) as e:
        proposal_confirm(proposal=proposal, confirmed_by=market.facilitator)
    assert e.value.message_dict["members"] == [
        "2 of 3 members accepted; this matching needs at least 3 to confirm a proposal. Wait "
        "for more answers, or withdraw the proposal."
    ]
    assert proposal_detail(user=market.facilitator, proposal=proposal).needed == 3
    waiting = proposal_detail(user=market.facilitator, proposal=proposal).waiting
    assert [m.member.peer_id for m in waiting] == [c.id]
    proposal_respond(proposal=proposal, peer=c, answer="accept")
    assert proposal_confirm(proposal=proposal, confirmed_by=market.facilitator).alliance


def test_the_rule_set_when_sending_is_the_one_applied(market: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as e:
        trios(market, min_accepted=1)
    assert "min_accepted" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        trios(market, reply_by=timezone.localdate())
    assert "reply_by" in e.value.message_dict
    # More than any proposal has members: refused, with the most that makes sense.
    with pytest.raises(ValidationError) as e:
        trios(market, min_accepted=50)
    assert e.value.message_dict["min_accepted"] == [
        "The largest proposal has 3 members: ask for 3 acceptances or fewer (a smaller "
        "proposal then needs all its members)."
    ]
    run = trios(market, min_accepted=2)
    proposal = run.proposals.first()
    assert proposal.reply_by == timezone.localdate() + timedelta(days=services.REPLY_DAYS)
    a, b, c = (m.peer for m in proposal.members.order_by("id"))
    proposal_respond(proposal=proposal, peer=a, answer="accept")
    with pytest.raises(ValidationError) as e:
        proposal_confirm(proposal=proposal, confirmed_by=market.facilitator)
    assert "members" in e.value.message_dict
    proposal_respond(proposal=proposal, peer=b, answer="accept")
    proposal_respond(proposal=proposal, peer=c, answer="decline", decline_reason="no_time")
    confirmed = proposal_confirm(proposal=proposal, confirmed_by=market.facilitator)
    alliance = confirmed.alliance
    assert alliance.name == "Trio 1" and alliance.type == PartnershipType.TYPE_II
    peers = set(alliance.memberships.filter(role=MemberRole.PEER).values_list("user_id", flat=True))
    assert peers == {a.user_id, b.user_id}


def test_a_past_reply_by_date_and_too_many_acceptances_are_named_in_one_round(
    market: SimpleNamespace,
) -> None:
    with pytest.raises(ValidationError) as e:
        trios(market, reply_by=timezone.localdate(), min_accepted=50)
    assert set(e.value.message_dict) == {"reply_by", "min_accepted"}
    assert not MatchingRun.objects.filter(status="proposed").exists()


def test_confirming_extends_the_target_alliance(market: SimpleNamespace) -> None:
    target = alliance_create(
        name="Revenue Alliance",
        theme="revenue-pfm",
        purpose="p",
        working_languages=["en"],
        created_by=market.facilitator,
    )
    alliance_member_add(alliance=target, user=market.peers[0].user, role=MemberRole.PEER)
    run = sent(run_pairs(market, target_alliance=target.slug, alliance_name=""))
    proposal = pair_of(run, market.peers[0])
    for m in proposal.members.all():
        proposal_respond(proposal=proposal, peer=m.peer, answer="accept")
    confirmed = proposal_confirm(proposal=proposal, confirmed_by=market.facilitator)
    assert confirmed.alliance == target
    assert LearningAlliance.objects.count() == 1
    assert set(target.memberships.values_list("user__username", flat=True)) == {
        "fac",
        "amina",
        "dora",
    }


def test_a_taken_name_is_a_field_error_and_nothing_is_saved(market: SimpleNamespace) -> None:
    alliance_create(
        name="Taken",
        theme="revenue-pfm",
        purpose="p",
        working_languages=["en"],
        created_by=market.other_facilitator,
    )
    run = sent(run_pairs(market))
    proposal = pair_of(run, market.peers[0])
    for m in proposal.members.all():
        proposal_respond(proposal=proposal, peer=m.peer, answer="accept")
    with pytest.raises(ValidationError) as e:
        proposal_confirm(proposal=proposal, confirmed_by=market.facilitator, alliance_name="Taken")
    assert "alliance_name" in e.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED and proposal.alliance is None
    assert AllianceMembership.objects.filter(user=market.peers[0].user).count() == 0


def test_a_run_closes_when_every_proposal_is_settled(market: SimpleNamespace) -> None:
    run = sent(run_pairs(market))
    proposals = list(run.proposals.order_by("position"))
    for p in proposals[:-1]:
        proposal_withdraw(proposal=p)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    last = proposals[-1]
    for m in last.members.all():
        proposal_respond(proposal=last, peer=m.peer, answer="accept")
    proposal_confirm(proposal=last, confirmed_by=market.facilitator)
    run.refresh_from_db()
    assert run.status == RunStatus.CLOSED
    with pytest.raises(ValidationError):
        proposal_withdraw(proposal=last)


def test_a_draft_proposal_cannot_be_confirmed(market: SimpleNamespace) -> None:
    run = run_pairs(market)
    with pytest.raises(ValidationError) as e:
        proposal_confirm(proposal=run.proposals.first(), confirmed_by=market.facilitator)
    assert "status" in e.value.message_dict


# --- excluded pairs and open calls -------------------------------------------------------


def test_excluded_pairs_are_stored_once_in_order(market: SimpleNamespace) -> None:
    a, b = market.peers[4], market.peers[1]
    pair = excluded_pair_add(peer_a=a, peer_b=b, created_by=market.facilitator)
    assert (pair.peer_a, pair.peer_b) == (b, a)
    with pytest.raises(ValidationError) as e:
        excluded_pair_add(peer_a=b, peer_b=a)
    assert "peer_b" in e.value.message_dict
    with pytest.raises(ValidationError):
        excluded_pair_add(peer_a=a, peer_b=a)


def test_a_conflict_of_interest_keeps_a_pair_apart(market: SimpleNamespace) -> None:
    amina, dora = market.peers[0], market.peers[3]
    excluded_pair_add(peer_a=amina, peer_b=dora, reason=ExclusionReason.CONFLICT)
    assert {amina.id, dora.id} not in member_sets(run_pairs(market))


def test_open_calls_check_dates_visibility_and_repeat_applications(
    market: SimpleNamespace,
) -> None:
    import datetime

    with pytest.raises(ValidationError) as e:
        open_call_create(
            created_by=market.facilitator,
            title="t",
            theme="revenue-pfm",
            description="d",
            closes_on=datetime.date(2000, 1, 1),
        )
    assert "closes_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        open_call_create(
            created_by=market.facilitator,
            title="t",
            theme="revenue-pfm",
            description="d",
            visibility=Visibility.ALLIANCE,
        )
    assert "visibility" in e.value.message_dict
    call = open_call_create(
        created_by=market.facilitator, title="t", theme="revenue-pfm", description="d"
    )
    call_application_create(call=call, peer=market.peers[0])
    with pytest.raises(ValidationError) as e:
        call_application_create(call=call, peer=market.peers[0])
    assert "motivation" in e.value.message_dict
    draft = open_call_create(
        created_by=market.facilitator,
        title="draft",
        theme="revenue-pfm",
        description="d",
        visibility=Visibility.PRIVATE,
    )
    with pytest.raises(ValidationError):
        call_application_create(call=draft, peer=market.peers[1])


def test_statements_in_the_theme_are_preferred(market: SimpleNamespace) -> None:
    from peerlearn.core.models import Theme

    say(
        market.peers[0], Challenge, "Tender rigging", "Bid rigging in tenders.", theme="procurement"
    )
    revenue = Theme.objects.get(slug="revenue-pfm")
    pool = matching_pool(
        user=market.facilitator,
        candidates=pool_candidates(user=market.facilitator, source=PoolSource.THEME, theme=revenue),
        theme=revenue,
    )
    amina = next(p for p in pool.peers if p.name == "Amina")
    assert "Market fees" in amina.challenge and "Tender" not in amina.challenge
    everything = matching_pool(
        user=market.facilitator,
        candidates=pool_candidates(user=market.facilitator, source=PoolSource.PEERS),
    )
    amina = next(p for p in everything.peers if p.name == "Amina")
    assert "Market fees" in amina.challenge and "Tender" in amina.challenge


def test_a_failing_mail_server_is_logged_not_raised(
    market: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("connection refused")

    from peerlearn.core import mail

    monkeypatch.setattr(mail, "send_mail", broken)
    run = run_pairs(market)
    with django_capture_on_commit_callbacks(execute=True):
        matching_run_propose(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert "could not e-mail amina@example.org" in caplog.text


# --- pinned peers ------------------------------------------------------------------------


def test_a_pinned_pair_is_kept_over_a_better_fit(market: SimpleNamespace) -> None:
    amina, dora, faith = market.peers[0], market.peers[3], market.peers[5]
    assert pair_of(run_pairs(market), amina).members.filter(peer=dora).exists()
    run = run_pairs(market, pinned=[[amina.id, faith.id]])
    assert pair_of(run, amina).members.filter(peer=faith).exists()
    assert run.rules["pinned"] == [[amina.id, faith.id]]


def test_pinned_peers_share_a_group(market: SimpleNamespace) -> None:
    def groups(**kwargs: Any) -> list[set[int]]:
        return member_sets(
            matching_run_create(
                created_by=market.facilitator,
                kind="groups",
                source="theme",
                theme="revenue-pfm",
                rules={"min_size": 3, "max_size": 3},
                alliance_name="Groups",
                **kwargs,
            )
        )

    free = groups()
    ids = [p.id for p in market.peers]
    apart = next((a, b) for a in ids for b in ids if a < b and not any({a, b} <= g for g in free))
    pinned = groups(pinned=[list(apart)])
    assert any(set(apart) <= g for g in pinned)
    assert sorted(len(g) for g in pinned) == [3, 3]


def test_a_pinned_peer_is_in_the_team(market: SimpleNamespace) -> None:
    chidi = market.peers[2]  # audit backlog: far from the problem
    run = matching_run_create(
        created_by=market.facilitator,
        kind="team",
        source="theme",
        theme="revenue-pfm",
        problem="Moving market fees from cash to mobile money",
        rules={"size": 2},
        alliance_name="Team",
        pinned=[[chidi.id]],
    )
    (proposal,) = run.proposals.all()
    assert proposal.members.filter(peer=chidi).exists() and proposal.members.count() == 2


@pytest.mark.parametrize(
    ("kind", "pinned", "says"),
    [
        ("pairs", [[1]], "Line 1: name one seeker and then one provider."),
        ("groups", [[1, 2], [3]], "Line 2: name at least two peers to keep together."),
        ("groups", [[1, 2], [2, 3]], "Line 2: peer 2 is already on line 1"),
        ("groups", [[1, "two"]], "Line 1: 'two' is not a peer's profile number."),
        ("groups", "1, 2", "Give the peers to keep together as lists of profile numbers."),
        ("team", [[1, 2, 3, 4]], "4 peers must be in the team but it has 3 places"),
    ],
)
def test_bad_pinned_peers_name_the_line_and_nothing_is_saved(
    market: SimpleNamespace, kind: str, pinned: Any, says: str
) -> None:
    with pytest.raises(ValidationError) as e:
        matching_run_create(
            created_by=market.facilitator,
            kind=kind,
            source="theme",
            theme="revenue-pfm",
            rules={"size": 3} if kind == "team" else {},
            problem="Market fees",
            alliance_name="x",
            pinned=pinned,
        )
    assert any(says in m for m in e.value.message_dict["pinned"]), e.value.message_dict
    assert not MatchingRun.objects.exists()


def test_a_pinned_peer_outside_the_pool_is_named(market: SimpleNamespace) -> None:
    outsider = market.outsider  # states nothing on revenue: not in the theme's pool
    with pytest.raises(ValidationError) as e:
        run_pairs(market, pinned=[[market.peers[0].id, outsider.id]])
    (text,) = e.value.message_dict["pinned"]
    assert text.startswith(f"Not in this pool: {outsider.id}.")
    assert not MatchingRun.objects.exists()


# --- reminders ---------------------------------------------------------------------------


def test_members_who_have_not_answered_are_reminded_exactly_once(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from peerlearn.matchmaking.tasks import send_reminders

    today = timezone.localdate()
    run = matching_run_propose(run=run_pairs(market), reply_by=today + timedelta(days=10))
    amina = market.peers[0]
    proposal = pair_of(run, amina)
    proposal_respond(proposal=proposal, peer=amina, answer="accept")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(days_before=3) == 0  # not due yet
    assert mailoutbox == []

    Proposal.objects.filter(run=run).update(reply_by=today + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(days_before=3, site_url="https://pl.example.org") == 5
        # A second sweep, and the queued task (a second worker), find nothing left to send.
        assert services.reminders_send(days_before=3) == 0
        send_reminders.enqueue()
    to = sorted(m.to[0] for m in mailoutbox)
    assert to == sorted(p.user.email for p in market.peers[1:])
    assert all("waiting for your answer" in m.subject for m in mailoutbox)
    partner = proposal.members.exclude(peer=amina).get().peer.user.email
    body = next(m.body for m in mailoutbox if m.to == [partner])
    assert f"https://pl.example.org/matching/proposals/{proposal.id}/" in body
    assert ProposalMember.objects.filter(reminded_at__isnull=False).count() == 5


def test_two_sweeps_at_once_remind_each_member_once(
    market: SimpleNamespace,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second sweep starts while the first is sending its first reminder: both read the
    same due members, and each member is still e-mailed once."""
    today = timezone.localdate()
    matching_run_propose(run=run_pairs(market), reply_by=today + timedelta(days=1))
    notify = proposals._notify
    counts: list[int] = []

    def notify_and_race(*args: Any, **kwargs: Any) -> None:
        notify(*args, **kwargs)
        if not counts:
            counts.append(-1)
            counts.append(services.reminders_send())  # the other worker

    monkeypatch.setattr(proposals, "_notify", notify_and_race)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_send()
    assert first + counts[1] == 6 and counts[1] == 5 and first == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.user.email for p in market.peers)


def test_no_reminder_after_the_run_is_closed(market: SimpleNamespace) -> None:
    today = timezone.localdate()
    run = matching_run_propose(run=run_pairs(market), reply_by=today + timedelta(days=1))
    matching_run_close(run=run)
    assert services.reminders_send() == 0


def test_the_send_reminders_command_sends_or_queues_the_sweep(
    market: SimpleNamespace, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    today = timezone.localdate()
    matching_run_propose(run=run_pairs(market), reply_by=today + timedelta(days=1))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "6 reminder(s) sent." in out.getvalue() and len(mailoutbox) == 6
    queued = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--queue", stdout=queued)  # immediate backend in tests
    assert "queued" in queued.getvalue() and len(mailoutbox) == 6


def test_an_alliances_text_is_written_in_a_language_it_works_in() -> None:
    from django.utils import translation

    from peerlearn.matchmaking.services.proposals import _text_language

    with translation.override("en"):
        assert _text_language(["fr", "en"]) == "en"  # the reader's, where the alliance uses it
        assert _text_language(["fr"]) == "fr"  # else its own, where the platform speaks it
        assert _text_language(["sw"]) == "en"  # else the reader's
    with translation.override("fr"):
        assert _text_language(["en", "es"]) == "en"
