"""The matcher's structured messages, stored with a run and rendered for each reader: in
their language, with the names they may see, language and country names in their language,
and runs stored before messages were structured still readable."""

from __future__ import annotations

import json
import string
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from peerlearn.matching.messages import PARAM_KINDS, message
from peerlearn.matching.messages import TEMPLATES as LIBRARY_TEMPLATES
from peerlearn.matchmaking.explanations import (
    NO_STATEMENTS,
    RULE_LABELS,
    TEMPLATES,
    quotes_statements,
    render,
    stored,
)
from peerlearn.matchmaking.models import MatchingRun, Proposal, ProposalRole
from peerlearn.matchmaking.selectors import explanation_view, proposal_detail, run_detail
from peerlearn.matchmaking.services import matching_run_create, matching_run_propose

NBSP = "\u00a0"


def _sample(name: str, organisation: str) -> Any:
    return {
        "peer": "peer#7",
        "language": "sw",
        "languages": ["en", "sw"],
        "country": "UG",
        "countries": ["GH", "KE", "UG"],
        "theme": "revenue-pfm",
        "organisation": organisation,
        "terms": ["market fees", "audit"],
        "quote": "cash collection leaks",
        "rule": "min_senior",
        "number": 0.4213 if name in {"relevance", "weight", "mean"} else 3,
        "message": message("where.language", language="sw"),
        "messages": [message("reason.same_stage", stage=2)],
    }[PARAM_KINDS[name]]


def _params(code: str, organisation: str = "Kenya Revenue Authority") -> dict[str, Any]:
    fields = {f for _, f, _, _ in string.Formatter().parse(LIBRARY_TEMPLATES[code]) if f}
    return {name: _sample(name, organisation) for name in fields}


def test_every_library_code_has_a_platform_template() -> None:
    assert set(LIBRARY_TEMPLATES) <= set(TEMPLATES)
    assert set(TEMPLATES) - set(LIBRARY_TEMPLATES) == {NO_STATEMENTS.code}


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(LIBRARY_TEMPLATES))
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_code_renders_in_english_and_french(code: str, language: str) -> None:
    data = stored(message(code, **_params(code)))
    data["text"] = "FALLBACK"  # shown only when the template cannot be filled
    with translation.override(language):
        text = render(data, {7: "Amina"})
    assert text and text != "FALLBACK" and "%(" not in text and "peer#" not in text
    if any(PARAM_KINDS[name] == "peer" for name in data["params"]):
        assert "Amina" in text


@pytest.mark.django_db
def test_a_french_reader_sees_names_languages_countries_and_themes_in_french() -> None:
    reasons = [
        stored(message("reason.shared_language", languages=["en", "sw"])),
        stored(message("reason.countries", count=3, countries=["GH", "KE", "UG"])),
        stored(message("reason.common_theme", theme="revenue-pfm")),
        stored(message("seeks.learns_from", peer="peer#7")),
        stored(
            message(
                "diagnosis.seniors",
                seniors=1,
                groups=2,
                needed=4,
                where=message("where.language", language="fr"),
            )
        ),
    ]
    with translation.override("en"):
        english = [render(r, {7: "Amina"}) for r in reasons]
    with translation.override("fr"):
        french = [render(r, {7: "Amina"}) for r in reasons]
    assert english == [
        "shared working language: English and Swahili",
        "3 countries: Ghana, Kenya, and Uganda",
        "common theme: Revenue and public financial management",
        "learns from Amina",
        "1 senior peer with working language French; 4 needed for 2 groups",
    ]
    assert french == [
        f"langue de travail commune{NBSP}: anglais et swahili",
        f"3 pays{NBSP}: Ghana, Kenya et Ouganda",
        f"thème commun{NBSP}: Recettes et gestion des finances publiques",
        "apprend d’Amina",
        f"1 pair de rang supérieur avec la langue de travail «{NBSP}français{NBSP}»\u202f; "
        "il en faut 4 pour 2 groupes",
    ]


def test_a_peer_the_reader_may_not_see_is_another_member() -> None:
    reason = stored(
        message(
            "reason.further_along",
            provider="peer#9",
            seeker="peer#7",
            provider_stage=3,
            seeker_stage=1,
        )
    )
    assert reason["params"]["provider"] == 9  # stored as a profile id, not a token
    with translation.override("fr"):
        assert render(reason, {7: "Amina"}) == (
            "un autre membre a une longueur d’avance dans le cycle de réforme "
            "(\u00ab\u00a0Phase pilote\u00a0\u00bb, contre "
            "\u00ab\u00a0Identification du problème\u00a0\u00bb)"
        )
    with translation.override("en"):
        # Stages by their names, not their numbers.
        assert render(reason, {7: "Amina", 9: "Dora"}) == (
            "Dora is further along the reform cycle (Piloting, against Identifying the problem)"
        )


def test_stored_messages_are_json_with_peer_ids_in_nested_params_too() -> None:
    why = message("diagnosis.pinned_pair", seeker="peer#3", provider="peer#4")
    data = stored(message("unmatched.left_out_for_others", why=why))
    assert data["params"]["why"]["params"] == {"seeker": 3, "provider": 4}
    assert data["text"] == (
        "left out so that the others can meet the rules: pinned pair (peer#3, peer#4) cannot "
        "be kept: roles or capacity do not allow it"
    )
    assert json.loads(json.dumps(data)) == data


def test_an_unknown_code_shows_the_english_text_with_names() -> None:
    data = {
        "code": "reason.from_a_newer_matcher",
        "params": {"peer": 7},
        "text": "something new about peer#7",
    }
    with translation.override("fr"):
        assert render(data, {7: "Amina"}) == "something new about Amina"
        assert render(data, {}) == "something new about un autre membre"
        # A known code whose parameters do not fit its template falls back the same way.
        assert (
            render({"code": "reason.same_stage", "params": {}, "text": "all at reform stage 2"}, {})
            == "all at reform stage 2"
        )


def test_quotations_are_found_in_structured_and_plain_messages() -> None:
    assert quotes_statements(
        stored(
            message(
                "reason.experience_answers",
                provider="peer#1",
                seeker="peer#2",
                experience="e",
                challenge="c",
            )
        )
    )
    assert quotes_statements(stored(message("summary.team", size=2, problem="p", organisations=2)))
    assert not quotes_statements(stored(message("reason.shared_language", languages=["en"])))
    assert quotes_statements("peer#1's experience (“x”) answers peer#2's challenge")
    assert not quotes_statements("shared working language: en")


@pytest.mark.django_db
def test_organisations_and_rules_are_named(market: SimpleNamespace) -> None:
    org = market.orgs[2]
    data = stored(
        message(
            "diagnosis.organisation_cap",
            count=5,
            organisation=str(org.id),
            where=message("where.pool"),
            groups=2,
            most=4,
        )
    )
    with translation.override("fr"):
        assert render(data, {}) == (
            f"5 pairs de «{NBSP}{org.name}{NBSP}» avec l’ensemble du vivier\u202f; 2 groupes "
            "en accueillent au plus 4"
        )
        assert str(RULE_LABELS["min_senior"]) == "pairs de rang supérieur"
    with translation.override("en"):
        assert render(data, {}) == (
            f"5 peers from “{org.name}” with the whole pool; at most 4 fit in 2 groups"
        )


# --- through the platform ----------------------------------------------------------------


def _pairs(market: SimpleNamespace) -> MatchingRun:
    return matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="peers",
        theme="revenue-pfm",
        alliance_name="Pairs",
    )


def _french(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user)
    return client


def test_a_run_stores_structured_messages(market: SimpleNamespace) -> None:
    run = _pairs(market)
    left_out = next(u for u in run.unmatched if u["peer_id"] == market.outsider.id)
    assert left_out["reason"]["code"] == "matchmaking.no_statements"
    proposal = run.proposals.first()
    assert proposal is not None
    explanation = proposal.explanation
    assert {r["code"] for r in explanation["reasons"]} >= {
        "reason.experience_answers",
        "reason.shared_language",
    }
    assert all(
        set(c) == {"peer_id", "brings", "seeks"} and c["brings"]["code"]
        for c in explanation["contributions"]
    )
    ids = set(proposal.members.values_list("peer_id", flat=True))
    answer = next(r for r in explanation["reasons"] if r["code"] == "reason.experience_answers")
    assert {answer["params"]["provider"], answer["params"]["seeker"]} == ids


def test_a_french_facilitator_reads_the_run_in_french(market: SimpleNamespace) -> None:
    run = _pairs(market)
    page = _french(market.facilitator).get(reverse("matchmaking:run", args=[run.id]))
    html = page.content.decode()
    assert f"langue de travail commune{NBSP}: anglais" in html
    assert "peut aider" in html and "apprend de" in html and "peer#" not in html
    assert "n’indique aucun défi ni aucune expérience visible par le facilitateur" in html
    assert "shared working language" not in html


def test_a_french_member_who_may_not_see_a_peer_reads_another_member(
    market: SimpleNamespace,
) -> None:
    """Amina may not see Dora's profile: every sentence that names Dora says "un autre
    membre" instead, in French."""
    run = matching_run_propose(run=_pairs(market))
    amina, dora = market.peers[0], market.peers[3]
    proposal = Proposal.objects.get(run=run, members__peer=amina, members__role=ProposalRole.SEEKER)
    assert proposal.members.filter(peer=dora).exists()
    with translation.override("fr"):
        view = explanation_view(proposal=proposal, names={amina.id: "Amina"}, full=True)
    assert view["summary"].startswith("un autre membre peut aider Amina")
    texts = [view["summary"], *view["reasons"]] + [
        c[k] for c in view["contributions"] for k in ("brings", "seeks")
    ]
    assert "Dora" not in " ".join(texts)
    assert "apprend d’un autre membre" in texts
    assert view["reason_codes"][0] == "reason.experience_answers"


def test_a_member_without_access_reads_only_reasons_that_quote_no_one(
    market: SimpleNamespace,
) -> None:
    run = matching_run_propose(run=_pairs(market))
    proposal = run.proposals.first()
    assert proposal is not None
    view = explanation_view(proposal=proposal, names={}, full=False)
    assert view["redacted"] and not view["contributions"] and not view["summary"]
    assert "reason.experience_answers" not in view["reason_codes"]
    assert "reason.shared_language" in view["reason_codes"]


def test_a_run_stored_as_text_before_messages_had_codes_still_renders(
    market: SimpleNamespace,
) -> None:
    run = _pairs(market)
    amina, dora = market.peers[0], market.peers[3]
    proposal = Proposal.objects.get(run=run, members__peer=amina)
    # The shape runs were stored in before: English texts naming peers by token.
    Proposal.objects.filter(id=proposal.id).update(
        explanation={
            "summary": f"peer#{dora.id} can help peer#{amina.id} on fees",
            "reasons": [
                f"peer#{dora.id}'s experience (“mobile money”) answers peer#{amina.id}'s "
                "challenge (“cash”)",
                "shared working language: en",
            ],
            "shared_concepts": ["fees"],
            "contributions": [
                {
                    "peer_id": amina.id,
                    "brings": "their own reform context",
                    "seeks": f"learns from peer#{dora.id}",
                }
            ],
        }
    )
    MatchingRun.objects.filter(id=run.id).update(
        unmatched=[{"peer_id": market.outsider.id, "reason": "states no challenge"}],
        diagnostics=[
            {
                "constraint": "min_senior",
                "message": "0 senior peer(s) with the pool",
                "relaxation": {"min_senior": 0},
            }
        ],
    )
    run.refresh_from_db()
    detail = run_detail(user=market.facilitator, run=run)
    row = next(r for r in detail.proposals if r.proposal.id == proposal.id)
    assert row.explanation["summary"] == "Dora can help Amina on fees"
    assert row.explanation["reason_codes"] == [None, None]
    assert row.explanation["contributions"][0]["seeks"] == "learns from Dora"
    assert detail.unmatched[0]["reason"] == "states no challenge"
    assert detail.unmatched[0]["code"] is None
    assert detail.diagnostics[0]["message"] == "0 senior peer(s) with the pool"
    page = _french(market.facilitator).get(reverse("matchmaking:run", args=[run.id]))
    assert page.status_code == 200
    assert "Dora can help Amina on fees" in page.content.decode()
    # A member who may read everything gets the old texts too, names substituted.
    seen = proposal_detail(user=amina.user, proposal=proposal)
    assert seen.explanation["summary"] == "Dora can help Amina on fees"


def test_the_api_renders_messages_in_the_request_language_with_codes(
    market: SimpleNamespace,
) -> None:
    run = _pairs(market)
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(market.facilitator)
    body = client.get(f"/api/v1/matching/runs/{run.id}").json()
    first = body["proposals"][0]["explanation"]
    assert first["reason_codes"][0] == "reason.experience_answers"
    assert any(r.startswith(f"langue de travail commune{NBSP}:") for r in first["reasons"])
    unmatched = next(u for u in body["unmatched"] if u["code"] == "matchmaking.no_statements")
    assert unmatched["reason"].startswith("n’indique aucun défi")


def test_french_elides_before_a_vowel_but_never_changes_what_a_peer_wrote() -> None:
    def french(name: str, challenge: str) -> str:
        reason = stored(message("brings.answers_quote", peer="peer#7", challenge=challenge))
        with translation.override("fr"):
            return render(reason, {7: name})

    assert (
        french("Amina", "Le défi")
        == f"une expérience qui répond au défi d’Amina («{NBSP}Le défi{NBSP}»)"
    )
    assert french("Esi", "de Accra").endswith(f"défi d’Esi («{NBSP}de Accra{NBSP}»)")
    assert french("Baraka", "x") == f"une expérience qui répond au défi de Baraka («{NBSP}x{NBSP}»)"
    assert french("Hamid", "x").endswith(f"défi de Hamid («{NBSP}x{NBSP}»)")  # h: left alone
    with translation.override("en"):
        assert (
            render(
                stored(message("brings.answers_quote", peer="peer#7", challenge="x")), {7: "Amina"}
            )
            == "experience that answers Amina's challenge (“x”)"
        )


@pytest.mark.django_db
def test_a_stored_size_range_of_one_size_reads_as_that_size() -> None:
    where = message("where.language", language="fr")
    old = stored(message("diagnosis.sizes", count=5, where=where, min_size=4, max_size=4))
    ranged = stored(message("diagnosis.sizes", count=7, where=where, min_size=4, max_size=6))
    with translation.override("en"):
        assert render(old, {}).endswith("cannot be split into groups of 4")
        assert render(ranged, {}).endswith("cannot be split into groups of 4–6")
