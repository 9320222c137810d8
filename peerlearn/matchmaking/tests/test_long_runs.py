"""What users walking a long run on a phone found hard: 184 languages to choose the pool's
from, a pool summary in codes ("KE", "en"), and 178 proposals on one page. A run's list now
comes fifty at a time, filtered by what became of each proposal, with the counts shown;
each proposal falls under one filter, and only the proposals a page shows are explained."""

from __future__ import annotations

import re
from collections import Counter
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from peerlearn.access.visibility import Visibility
from peerlearn.conftest import make_peer
from peerlearn.matchmaking.forms import RunForm
from peerlearn.matchmaking.models import (
    MatchingRun,
    MemberResponse,
    Proposal,
    ProposalMember,
    ProposalStatus,
    RunStatus,
)
from peerlearn.matchmaking.selectors import (
    PROPOSAL_FILTERS,
    pool_filter_names,
    proposal_shown,
    proposal_state,
    run_detail,
)
from peerlearn.matchmaking.selectors import runs as run_selectors
from peerlearn.matchmaking.services import matching_run_create, matching_run_propose
from peerlearn.matchmaking.tests.test_views import client_for, make_run
from peerlearn.peers.models import PeerProfile

pytestmark = pytest.mark.django_db


# --- the pool's language: the languages of the peers one sees ---------------------------


def test_the_language_choices_are_the_working_languages_of_the_peers_one_sees(
    market: SimpleNamespace,
) -> None:
    make_peer("hugo", market.orgs[0], languages=("fr", "sw"), visibility=Visibility.PLATFORM)
    make_peer("ines", market.orgs[1], languages=("de",), visibility=Visibility.PRIVATE)
    form = RunForm(user=market.facilitator)
    assert {lang.code for lang in form.fields["pool_language"].queryset} == {"en", "fr", "sw"}
    with translation.override("fr"):
        html = str(RunForm(user=market.facilitator)["pool_language"])
    # By name in the reader's language, after the empty choice; German is nobody's here.
    assert re.findall(r">([^<>]+)</option>", html)[1:] == ["anglais", "français", "swahili"]
    # A language an earlier run chose, or the form sent, stays valid.
    again = RunForm(initial={"pool_language": "de"}, user=market.facilitator)
    assert "de" in {lang.code for lang in again.fields["pool_language"].queryset}
    sent = RunForm({"pool_language": "de"}, user=market.facilitator)
    assert sent.fields["pool_language"].clean("de").code == "de"


# --- the pool by name ---------------------------------------------------------------------


def test_a_runs_pool_filters_read_as_names_on_its_page_the_list_and_the_home_page(
    market: SimpleNamespace,
) -> None:
    PeerProfile.objects.filter(id__in=[p.id for p in market.peers]).update(reform_stage=3)
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="peers",
        theme="revenue-pfm",
        filters={"country": "KE", "language": "en", "stage": 3},
        alliance_name="Kenyan pairs",
    )
    assert run.filters == {"country": "KE", "language": "en", "stage": 3}
    client = client_for(market.facilitator)
    urls = [reverse("matchmaking:run", args=[run.id]), reverse("matchmaking:index"), "/"]
    for url in urls:
        text = " ".join(re.sub(r"<[^>]+>", " ", client.get(url).content.decode()).split())
        assert "All peers I can see · Kenya · English · reform stage: Piloting" in text, url
        assert "· KE" not in text and "· en " not in text and "stage 3" not in text
    with translation.override("fr"):
        assert pool_filter_names(run.filters)[:2] == ["Kenya", "anglais"]


def test_a_team_kept_in_one_country_names_the_country(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="team",
        source="theme",
        theme="revenue-pfm",
        problem="Market fees leak at the gates.",
        rules={"country": "KE"},
        alliance_name="Kenyan team",
    )
    page = client_for(market.facilitator).get(reverse("matchmaking:run", args=[run.id]))
    text = " ".join(page.content.decode().split())
    assert "<dt>Keep the team inside one country</dt><dd>Kenya</dd>" in text


# --- a long run, a page at a time ---------------------------------------------------------


def grow(run: MatchingRun, total: int) -> None:
    """Copies of the run's first proposal (same two members), up to ``total`` proposals."""
    first = run.proposals.order_by("position").first()
    assert first is not None
    members = list(first.members.order_by("id"))
    start = run.proposals.count()
    copies = Proposal.objects.bulk_create(
        Proposal(
            run=run,
            position=n,
            score=first.score * 0.9,
            language=first.language,
            explanation=first.explanation,
            reply_by=first.reply_by,
        )
        for n in range(start + 1, total + 1)
    )
    ProposalMember.objects.bulk_create(
        ProposalMember(
            proposal=p,
            peer_id=m.peer_id,
            role=m.role,
            challenge_ids=m.challenge_ids,
            experience_ids=m.experience_ids,
        )
        for p in copies
        for m in members
    )


def answer(run: MatchingRun, positions: range, response: str) -> None:
    """Every member of the proposals at ``positions`` answers ``response`` (a decline: the
    first member only)."""
    members = ProposalMember.objects.filter(proposal__run=run, proposal__position__in=positions)
    if response == MemberResponse.DECLINED:
        firsts = {m.proposal_id: m.id for m in members.order_by("-id")}  # the lowest id wins
        ProposalMember.objects.filter(id__in=firsts.values()).update(
            response=response, decline_reason="no_time"
        )
    else:
        members.update(response=response)


def listed(html: str) -> list[int]:
    """The positions of the proposals the page lists."""
    return [int(n) for n in re.findall(r'<span class="proposal-n" aria-hidden="true">(\d+)<', html)]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def long_run(market: SimpleNamespace) -> MatchingRun:
    """A sent run of 120 pairs: 1–10 accepted by both, 11–15 declined by one member,
    116–120 withdrawn; the others wait for answers."""
    run = make_run(market)
    grow(run, 120)
    answer(run, range(1, 11), MemberResponse.ACCEPTED)
    answer(run, range(11, 16), MemberResponse.DECLINED)
    Proposal.objects.filter(run=run, position__gt=115).update(status=ProposalStatus.WITHDRAWN)
    return run


def test_a_long_runs_proposals_come_fifty_a_page_with_the_count_shown(
    market: SimpleNamespace, long_run: MatchingRun
) -> None:
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[long_run.id])
    first = client.get(url).content.decode()
    assert "120 proposals</h2>" in first
    assert listed(first) == list(range(1, 51))
    assert "Showing 1–50 of 120" in text_of(first) and "Page 1 of 3" in text_of(first)
    # Plain links, to the list (its anchor), which htmx follows for the list alone.
    assert 'href="?page=2#proposals" rel="next"' in first
    assert 'hx-get="?page=2" hx-target="#proposals"' in first
    last = client.get(url, {"page": 3}).content.decode()
    assert listed(last) == list(range(101, 121))
    assert "Showing 101–120 of 120" in text_of(last)
    assert 'href="?page=2#proposals" rel="prev"' in last and 'rel="next"' not in last
    # The answers over the whole run stay on top, whatever page is shown.
    assert "20 accepted · 5 declined · 0 not now" in text_of(last)
    # A page beyond the last shows the last.
    assert listed(client.get(url, {"page": 99}).content.decode()) == list(range(101, 121))


def test_a_long_runs_proposals_are_filtered_by_what_became_of_them(
    market: SimpleNamespace, long_run: MatchingRun
) -> None:
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[long_run.id])
    html = client.get(url).content.decode()
    # A GET form whose choices count their proposals; only filters some proposal falls under.
    select = re.search(r'<select name="show" id="proposal-show">.*?</select>', html, re.S)
    assert select is not None
    options = re.findall(r"<option value=\"(\w*)\"[^>]*>([^<]+)</option>", select.group(0))
    # What to act on first (confirm; replace or withdraw), then what waits, then what is done.
    assert options == [
        ("", "All proposals (120)"),
        ("ready", "Enough acceptances to confirm (10)"),
        ("declined", "Declined by a member (5)"),
        ("waiting", "Waiting for answers (100)"),
        ("withdrawn", "Withdrawn (5)"),
    ]
    assert re.search(r'<form method="get" action="[^"]*#proposals"', html)
    waiting = client.get(url, {"show": "waiting"}).content.decode()
    assert listed(waiting) == list(range(16, 66))
    assert "Showing 1–50 of 100" in text_of(waiting)
    # The pages keep the filter.
    assert 'href="?show=waiting&amp;page=2#proposals"' in waiting
    assert listed(client.get(url, {"show": "waiting", "page": 2}).content.decode()) == list(
        range(66, 116)
    )
    assert listed(client.get(url, {"show": "ready"}).content.decode()) == list(range(1, 11))
    assert listed(client.get(url, {"show": "declined"}).content.decode()) == list(range(11, 16))
    assert listed(client.get(url, {"show": "withdrawn"}).content.decode()) == list(range(116, 121))
    # A filter nothing falls under says so, with the way back; an unknown one shows all.
    none = client.get(url, {"show": "confirmed"}).content.decode()
    assert listed(none) == [] and "No proposal of this matching is in this list." in none
    assert '<option value="confirmed" selected>Confirmed (0)</option>' in none
    assert len(listed(client.get(url, {"show": "nonsense"}).content.decode())) == 50


def test_htmx_asks_for_the_list_alone(market: SimpleNamespace, long_run: MatchingRun) -> None:
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[long_run.id])
    fragment = client.get(
        url,
        {"show": "waiting", "page": 2},
        headers={"HX-Request": "true", "HX-Target": "proposals"},
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="proposals"') and "<html" not in html
    assert listed(html) == list(range(66, 116)) and "Showing 51–100 of 100" in text_of(html)
    assert {"HX-Request", "HX-Target"} <= {v.strip() for v in fragment.headers["Vary"].split(",")}
    # Any other htmx request (a history restore, another target) gets the whole page.
    whole = client.get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in whole.content.decode()


def test_withdrawing_from_a_later_page_comes_back_to_it(
    market: SimpleNamespace, long_run: MatchingRun
) -> None:
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[long_run.id])
    html = client.get(url, {"show": "waiting", "page": 2}).content.decode()
    back = f"{url}?show=waiting&amp;page=2#proposals"
    assert f'<input type="hidden" name="next" value="{back}">' in html
    proposal = Proposal.objects.get(run=long_run, position=70)
    response = client.post(
        reverse("matchmaking:withdraw", args=[proposal.id]),
        {"next": back.replace("&amp;", "&")},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?show=waiting&page=2#proposals"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    # Elsewhere, the run's page.
    other = Proposal.objects.get(run=long_run, position=71)
    away = client.post(
        reverse("matchmaking:withdraw", args=[other.id]), {"next": "https://x.example/"}
    )
    assert away["Location"] == url


def test_the_paged_list_query_count_does_not_grow(
    market: SimpleNamespace, django_assert_max_num_queries: Any
) -> None:
    client = client_for(market.facilitator)
    small = make_run(market)  # three pairs
    with django_assert_max_num_queries(40) as first:
        client.get(reverse("matchmaking:run", args=[small.id]))
    large = make_run(market)
    grow(large, 150)
    answer(large, range(1, 40), MemberResponse.ACCEPTED)
    answer(large, range(40, 60), MemberResponse.DECLINED)
    url = reverse("matchmaking:run", args=[large.id])
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = client.get(url, {"show": "waiting", "page": 2}).content.decode()
    assert "Showing 51–91 of 91" in text_of(page)
    with django_assert_max_num_queries(len(first.captured_queries)):
        fragment = client.get(
            url, {"page": 3}, headers={"HX-Request": "true", "HX-Target": "proposals"}
        ).content.decode()
    assert listed(fragment) == list(range(101, 151))


# --- one filter per proposal --------------------------------------------------------------


def respond(run: MatchingRun, position: int, *responses: str) -> None:
    """The members of the proposal at ``position`` answer ``responses``, in the order they
    were added."""
    members = ProposalMember.objects.filter(proposal__run=run, proposal__position=position)
    for member, response in zip(members.order_by("id"), responses, strict=True):
        member.response = response
        member.decline_reason = "no_time" if response == MemberResponse.DECLINED else ""
        member.save(update_fields=["response", "decline_reason"])


def filter_counts(html: str) -> list[tuple[str, int]]:
    """The run page's filters and the count beside each; none when it offers none."""
    select = re.search(r'<select name="show" id="proposal-show">.*?</select>', html, re.S)
    if select is None:
        return []
    options = re.findall(r'<option value="(\w*)"[^>]*>[^<]+ \((\d+)\)</option>', select.group(0))
    return [(value, int(count)) for value, count in options]


A, D, N, P = (
    MemberResponse.ACCEPTED,
    MemberResponse.DECLINED,
    MemberResponse.NOT_NOW,
    MemberResponse.PENDING,
)

#: A sent run of groups of three, two acceptances confirming each: each group's members'
#: answers, its status, and the one filter that lists it. The first four each fell under two
#: filters before (a decline counted wherever else the proposal was), the fifth under none.
GROUPS: dict[int, tuple[tuple[str, str, str], str, str]] = {
    1: ((A, A, D), ProposalStatus.CONFIRMED, "confirmed"),
    2: ((D, P, P), ProposalStatus.WITHDRAWN, "withdrawn"),
    3: ((A, A, P), ProposalStatus.PROPOSED, "ready"),  # may be confirmed before C answers
    4: ((A, A, D), ProposalStatus.PROPOSED, "ready"),
    5: ((D, A, P), ProposalStatus.PROPOSED, "declined"),  # C may still accept
    6: ((D, D, P), ProposalStatus.PROPOSED, "declined"),  # out of reach
    7: ((P, P, P), ProposalStatus.PROPOSED, "waiting"),
    8: ((A, N, N), ProposalStatus.PROPOSED, "waiting"),  # "not now" may still turn to yes
}


@pytest.fixture
def groups_run(market: SimpleNamespace) -> MatchingRun:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        rules={"min_size": 3, "max_size": 3},
        alliance_name="Revenue groups",
    )
    grow(run, len(GROUPS))
    matching_run_propose(run=run, min_accepted=2)
    for position, (responses, status, _shown) in GROUPS.items():
        respond(run, position, *responses)
        Proposal.objects.filter(run=run, position=position).update(status=status)
    return run


def test_each_proposal_falls_under_one_filter_and_their_counts_add_up(
    market: SimpleNamespace, groups_run: MatchingRun
) -> None:
    expected = {position: shown for position, (_, _, shown) in GROUPS.items()}
    detail = run_detail(user=market.facilitator, run=groups_run, explain=False)
    views = {view.proposal.position: view for view in detail.proposals}
    assert views[6].out_of_reach and not views[5].out_of_reach
    for position, view in views.items():
        assert proposal_state(view) == expected[position], position
        assert [key for key in PROPOSAL_FILTERS if proposal_shown(view, key)] == [
            expected[position]
        ]
        assert proposal_shown(view, "") and proposal_shown(view, "nonsense")
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[groups_run.id])
    counts = filter_counts(client.get(url).content.decode())
    assert counts[0] == ("", len(GROUPS))
    assert counts[1:] == [
        ("ready", 2),
        ("declined", 2),
        ("waiting", 2),
        ("confirmed", 1),
        ("withdrawn", 1),
    ]
    assert sum(count for _, count in counts[1:]) == len(GROUPS)
    # Each filter lists its proposals, and all filters together list each proposal once.
    shown = {key: listed(client.get(url, {"show": key}).content.decode()) for key, _ in counts}
    assert sorted(p for key, _ in counts[1:] for p in shown[key]) == shown[""] == list(GROUPS)
    for key, count in counts[1:]:
        assert shown[key] == [p for p, state in expected.items() if state == key]
        assert len(shown[key]) == count


def test_a_draft_runs_proposals_are_listed_as_not_sent_yet(market: SimpleNamespace) -> None:
    draft = make_run(market, send=False)
    client = client_for(market.facilitator)
    url = reverse("matchmaking:run", args=[draft.id])
    # Every proposal under one filter: filtering would narrow nothing, none is offered.
    assert filter_counts(client.get(url).content.decode()) == []
    Proposal.objects.filter(run=draft, position=3).update(status=ProposalStatus.WITHDRAWN)
    html = client.get(url).content.decode()
    assert filter_counts(html) == [("", 3), ("draft", 2), ("withdrawn", 1)]
    assert '<option value="draft">Draft — not sent yet (2)</option>' in html
    assert listed(client.get(url, {"show": "draft"}).content.decode()) == [1, 2]
    # A proposal still open in a run closed by hand (closing withdraws them) is closed too.
    MatchingRun.objects.filter(id=draft.id).update(status=RunStatus.CLOSED)
    closed = run_detail(user=market.facilitator, run=draft, explain=False)
    assert [proposal_state(v) for v in closed.proposals] == ["withdrawn"] * 3
    assert Counter(f["value"] for f in closed.filter_choices("")) == Counter([""])


# --- explanations, for the proposals a page shows -----------------------------------------


def test_only_the_proposals_a_page_shows_are_explained(
    market: SimpleNamespace, long_run: MatchingRun
) -> None:
    """Explaining a proposal is the costly part of a run's page: a page of a long run
    explains its fifty proposals, as a short run's page explains its three, whatever the
    run's length; counts and filters read every proposal's answers only."""
    client = client_for(market.facilitator)
    small = make_run(market)
    draft = make_run(market, send=False)
    grow(draft, 120)
    hx = {"HX-Request": "true", "HX-Target": "proposals"}
    url = reverse("matchmaking:run", args=[long_run.id])
    pages: list[tuple[str, dict[str, Any], dict[str, str], int]] = [
        (reverse("matchmaking:run", args=[small.id]), {}, {}, 3),
        (url, {}, {}, 50),
        (url, {"page": 3}, {}, 20),
        (url, {"show": "waiting", "page": 2}, {}, 50),
        (url, {"show": "declined"}, {}, 5),
        (url, {"page": 2}, hx, 50),
        (url, {"show": "confirmed"}, {}, 0),
    ]
    for target, params, headers, shown in pages:
        with mock.patch.object(
            run_selectors, "explanation_view", wraps=run_selectors.explanation_view
        ) as explain:
            html = client.get(target, params, headers=headers).content.decode()
        assert len(listed(html)) == shown, (target, params)
        assert explain.call_count == shown, (target, params)
        assert html.count('<div class="explanation">') == shown
    # Asking to send a draft counts its proposals and peers: nothing to explain.
    propose = reverse("matchmaking:run_propose", args=[draft.id])
    with mock.patch.object(
        run_selectors, "explanation_view", wraps=run_selectors.explanation_view
    ) as explain:
        asked = client.get(propose).content.decode()
        refused = client.post(propose, {"reply_by": "2000-01-01"})
    assert "Send 120 proposals to 6 peers?" in text_of(asked)
    assert refused.status_code == 400
    assert explain.call_count == 0
