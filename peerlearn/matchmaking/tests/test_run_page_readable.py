"""What users walking the demo on a phone and in French found hard to read: a run's
proposals named, its alliances' default names, the countries a team may be kept in, the
runs' numbering, the focus after a refused answer, and a group's reasons as a list."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from peerlearn.matchmaking.forms import RunForm
from peerlearn.matchmaking.models import MatchingRun, Proposal
from peerlearn.matchmaking.selectors.proposals import explanation_view
from peerlearn.matchmaking.selectors.runs import member_names
from peerlearn.matchmaking.services import (
    default_alliance_name,
    matching_run_create,
    matching_run_propose,
    proposal_default_alliance_name,
    run_alliance_name,
)
from peerlearn.matchmaking.tests.test_views import amina_pair, client_for, make_run

pytestmark = pytest.mark.django_db


def _members(*names: str | None) -> SimpleNamespace:
    return SimpleNamespace(members=[SimpleNamespace(name=n) for n in names])


# --- a run's proposals, one line each ---------------------------------------------------


def test_a_proposal_line_names_a_pair_and_counts_a_large_groups_others() -> None:
    assert member_names(_members("Amina", "Dora")) == "Amina and Dora"  # type: ignore[arg-type]
    three = member_names(_members("Amina", None, "Chidi"))  # type: ignore[arg-type]
    assert three == "Amina, a peer whose profile is not shared, and Chidi"
    six = member_names(_members("Amina", "Baraka", "Chidi", "Dora", "Esi", "Faith"))  # type: ignore[arg-type]
    assert six == "Amina, Baraka, and 4 others"
    with translation.override("fr"):
        assert member_names(_members("Amina", "Dora")) == "Amina et Dora"  # type: ignore[arg-type]


# --- "What stood in the way" and the alliances' names ------------------------------------


def test_default_alliance_names_put_the_number_before_the_day() -> None:
    day = date(2026, 12, 7)
    assert default_alliance_name("Revenue", day=day) == "Revenue alliance, December 7, 2026"
    # Not "Revenue alliance, December 7, 2026 1".
    assert default_alliance_name("Revenue", day=day, number=1) == (
        "Revenue alliance 1, December 7, 2026"
    )
    assert default_alliance_name(day=day, number=2) == "Learning alliance 2, December 7, 2026"
    with translation.override("fr"):
        assert default_alliance_name("Revenue", day=day) == "Alliance Revenue, 7 décembre 2026"


def test_a_default_name_given_in_english_reads_in_the_readers_language(
    market: SimpleNamespace,
) -> None:
    run = make_run(market)
    theme = run.theme.display_name
    today = timezone.localdate(run.created_at)
    run.alliance_name = default_alliance_name(theme, day=today)
    run.save(update_fields=["alliance_name"])
    proposal = run.proposals.order_by("position").last()
    assert proposal is not None and run.proposals.count() > 1
    assert proposal_default_alliance_name(run=run, proposal=proposal) == (
        default_alliance_name(theme, day=today, number=proposal.position)
    )
    with translation.override("fr"):
        french = run_alliance_name(run)
        assert french == default_alliance_name(run.theme.display_name, day=today)
        assert (french.startswith("Alliance ") and "décembre" in french) or "20" in french
    # A name of the facilitator's own is kept, numbered after it.
    run.alliance_name = "Revenue pairs"
    assert proposal_default_alliance_name(run=run, proposal=proposal) == (
        f"Revenue pairs {proposal.position}"
    )
    assert run_alliance_name(run) == "Revenue pairs"
    # A default of another day (or theme) is not recognised as one: it stays as it is.
    run.alliance_name = default_alliance_name(theme, day=today - timedelta(days=5))
    assert run_alliance_name(run, number=2) == f"{run.alliance_name} 2"


def test_the_run_page_shows_the_names_the_alliances_take(market: SimpleNamespace) -> None:
    run = make_run(market)
    client = client_for(market.facilitator)
    text = " ".join(client.get(reverse("matchmaking:run", args=[run.id])).content.decode().split())
    assert "become new learning alliances, one per proposal, called “Revenue pairs 1”, " in text
    assert "“Revenue pairs 2” and so on" in text
    assert "numbered when there are several" not in text


def test_the_team_form_says_the_team_forms_one_alliance(market: SimpleNamespace) -> None:
    team = RunForm(initial={"kind": "team"}, user=market.facilitator)
    assert str(team.fields["alliance_name"].help_text) == (
        "The confirmed team becomes a learning alliance with this name."
    )
    pairs = RunForm(initial={"kind": "pairs"}, user=market.facilitator)
    assert "Each confirmed pair becomes its own alliance" in str(
        pairs.fields["alliance_name"].help_text
    )


# --- the countries a run may be kept in ------------------------------------------------


def test_the_country_choices_are_the_peers_countries_by_name(market: SimpleNamespace) -> None:
    form = RunForm(initial={"kind": "team"}, user=market.facilitator)
    for name in ("country", "pool_country"):
        codes = {c.code for c in form.fields[name].queryset}
        assert codes == {"KE", "UG", "GH"}  # not Antarctica nor Bouvet Island
    with translation.override("fr"):
        html = str(RunForm(initial={"kind": "team"}, user=market.facilitator)["country"])
        assert re.findall(r">([^<>]+)</option>", html)[1:] == ["Ghana", "Kenya", "Ouganda"]
    # A country an earlier run chose stays offered.
    again = RunForm(initial={"kind": "team", "country": "FR"}, user=market.facilitator)
    assert "FR" in {c.code for c in again.fields["country"].queryset}


# --- a run's number, the same everywhere -----------------------------------------------


def test_a_run_is_numbered_alike_on_its_page_the_list_and_the_home_page(
    market: SimpleNamespace,
) -> None:
    run = make_run(market, send=False)
    client = client_for(market.facilitator)
    client.cookies["django_language"] = "fr"
    pages = [
        client.get(reverse("matchmaking:run", args=[run.id])).content.decode(),
        client.get(reverse("matchmaking:index")).content.decode(),
        client.get(reverse("home")).content.decode(),
    ]
    for page in pages:
        assert f"nº {run.id}</" in page, page[:300]
        assert f"#{run.id}</" not in page
    # The pool is followed by its comma, with no space before it.
    home = " ".join(pages[2].split())
    assert "finances publiques, Brouillon" in home
    assert not re.search(r"\w ,", re.sub(r"<[^>]+>", "", home))
    with translation.override("en"):
        assert run.label == f"Pairs (Type I) #{run.id}" == str(run)


# --- the focus after a refused answer ----------------------------------------------------


def test_a_refused_answer_takes_the_focus_to_its_first_error(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    client = client_for(market.peers[0].user)
    respond = reverse("matchmaking:respond", args=[proposal.id])
    answer = client.post(respond, {"response": "decline"}, headers={"HX-Request": "true"})
    assert answer.status_code == 400
    html = answer.content.decode()
    focused = re.findall(r"<[^>]*\bautofocus\b[^>]*>", html)
    assert len(focused) == 1  # htmx focuses it in the swapped answer, a browser on load
    assert 'id="id_decline_reason_error"' in focused[0] and 'tabindex="-1"' in focused[0]
    # A page without an error takes no focus away from where the reader is.
    page = client.get(reverse("matchmaking:proposal", args=[proposal.id])).content.decode()
    assert "autofocus" not in page


# --- why a group: a short list in normal weight -----------------------------------------


def test_a_groups_reasons_are_a_list_headed_by_its_size(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="groups",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Revenue groups",
        rules={"min_size": 3, "max_size": 3},
    )
    matching_run_propose(run=run)
    proposal = Proposal.objects.filter(run=run).select_related("run").first()
    assert proposal is not None, MatchingRun.objects.get(id=run.id).diagnostics
    view = explanation_view(proposal=proposal, names={}, full=True)
    assert view["summary"]  # the API still reads the one-line summary
    assert view["lead"] == ""
    assert view["points"][0] == "3 peers"
    assert view["points"][1:] == view["reasons"]
    member = proposal.members.first()
    assert member is not None
    page = client_for(member.peer.user).get(reverse("matchmaking:proposal", args=[proposal.id]))
    why = page.content.decode().split('id="why-h"')[1].split("</section>")[0]
    assert '<ul class="explanation-points"><li>3 peers</li>' in why
    assert "<strong>" not in why


def test_a_pairs_summary_stays_one_sentence_above_its_reasons(market: SimpleNamespace) -> None:
    proposal = amina_pair(make_run(market), market)
    names = {m.peer_id: m.peer.user.name for m in proposal.members.select_related("peer__user")}
    view = explanation_view(proposal=proposal, names=names, full=True)
    assert view["lead"] == view["summary"] and " can help " in view["lead"]
    assert view["points"] == view["reasons"]


def test_a_group_of_choices_is_a_fieldset_and_its_error_sits_below_its_question() -> None:
    """The re-check walk: the conflict checkboxes' label was not tied to them, and after a
    refused decline on a phone the focus landed below the reasons, the question off screen."""
    from django.template.loader import render_to_string

    from peerlearn.matchmaking.forms import RespondForm

    form = RespondForm({"response": "decline"}, others=[(7, "Dora"), (8, "Esi")], kind="groups")
    assert form.is_valid()
    # The service names a missing reason; the view puts it beside the field.
    form.add_error("decline_reason", "Say why you decline.")
    html = render_to_string(
        "matchmaking/_field.html",
        {"field": form["decline_reason"], "first_error": "decline_reason"},
    )
    legend = html.index("<legend>If you decline, why?</legend>")
    error = html.index('id="id_decline_reason_error"')
    assert legend < error < html.index('name="decline_reason"')
    assert 'tabindex="-1" autofocus' in html
    conflicts = render_to_string("matchmaking/_field.html", {"field": form["conflict_with"]})
    assert re.search(r"<fieldset><legend>The member or members you have a conflict with", conflicts)
