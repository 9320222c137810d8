"""The matching method on the run form, the API and the run page; the encoder is named."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.matching import ScoreWeights
from peerlearn.matchmaking.models import MatchingRun
from peerlearn.matchmaking.selectors import method_summary
from peerlearn.matchmaking.services import matching_run_create, run_score_weights
from peerlearn.tests.api_helpers import API, client_for, field_errors

pytestmark = pytest.mark.django_db

RUN = {"kind": "pairs", "source": "theme", "theme": "revenue-pfm", "alliance_name": "Pairs"}
RUN_FORM = {
    "source": "theme",
    "theme": "revenue-pfm",
    "kind": "pairs",
    "common_language": "on",
    "different_organisation": "on",
    "alliance_name": "Revenue pairs",
}


def post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(
        f"{API}/matching/runs", data=json.dumps(body), content_type="application/json"
    )


def page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_run_without_a_method_takes_its_kinds_default(market: SimpleNamespace) -> None:
    run = matching_run_create(created_by=market.facilitator, **RUN)
    assert run.method == "complementary" and run.weights == {}
    assert run_score_weights(run).stage == 0
    summary = method_summary(run)
    assert summary["label"] == "Complementary" and summary["encoder"] == run.encoder != ""


def test_the_api_takes_a_method_and_weights_and_reads_them_back(
    market: SimpleNamespace,
) -> None:
    body = {**RUN, "method": "same_stage", "weights": {"theme": 0.5}}
    response = post(client_for(market.facilitator), body)
    assert response.status_code == 202, response.content
    data = response.json()
    assert data["method"]["method"] == "same_stage"
    assert data["method"]["label"] == "Same stage"
    assert "stage" in data["method"]["description"]
    used = {w["name"]: (w["value"], w["changed"]) for w in data["method"]["weights"]}
    assert used["theme"] == (0.5, True) and used["stage"] == (0.3, False)
    assert data["method"]["encoder"] == data["encoder"] and data["method"]["encoder_label"]
    run = MatchingRun.objects.get()
    assert run.method == "same_stage" and run.weights == {"theme": 0.5}
    assert run_score_weights(run) == ScoreWeights(
        challenge=1.0, complementary=1.0, theme=0.5, stage=0.3, organisation_type=0.0
    )


def test_same_stage_groups_get_the_same_stage_rule(market: SimpleNamespace) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        **{**RUN, "kind": "groups"},
        method="same-stage",
        rules={"min_size": 2, "max_size": 3},
    )
    assert run.method == "same_stage" and run.rules["same_stage"] is True


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"method": "problem_focused"}, ("body", "method")),  # a team's method on pairs
        ({"method": "random"}, ("body", "method")),
        ({"weights": {"stage": 11}}, ("body", "weights", "stage")),
        ({"weights": {"colour": 1}}, ("body", "weights", "colour")),
    ],
)
def test_a_bad_method_or_weight_is_422_naming_the_field(
    market: SimpleNamespace, changes: dict[str, Any], loc: tuple[Any, ...]
) -> None:
    errors = field_errors(post(client_for(market.facilitator), {**RUN, **changes}))
    assert loc in errors, errors
    assert not MatchingRun.objects.exists()


def test_the_form_offers_the_kinds_methods_and_the_page_explains_the_choice(
    market: SimpleNamespace,
) -> None:
    client = page_client(market.facilitator)
    form = client.get(reverse("matchmaking:run_new")).context["form"]
    assert [v for v, _ in form.fields["method"].choices] == [
        "common_challenges",
        "same_stage",
        "complementary",
    ]
    response = client.post(
        reverse("matchmaking:run_new"),
        {**RUN_FORM, "method": "same_stage", "weight_theme": "0.4"},
    )
    run = MatchingRun.objects.get()
    assert response["Location"] == reverse("matchmaking:run", args=[run.id])
    assert run.method == "same_stage" and run.weights == {"theme": 0.4}
    page = client.get(response["Location"]).content.decode()
    assert "How peers are matched" in page and "Same stage" in page
    assert "same theme 0.4 (changed)" in page
    assert "Texts compared by" in page and run.encoder and run.encoder in page
    again = client.get(reverse("matchmaking:run_new"), {"from": run.id}).context["form"]
    assert again.initial["method"] == "same_stage" and again.initial["weight_theme"] == 0.4


def test_a_method_of_another_kind_is_a_field_error_on_the_form(
    market: SimpleNamespace,
) -> None:
    response = page_client(market.facilitator).post(
        reverse("matchmaking:run_new"), {**RUN_FORM, "method": "common_challenges"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["method"]
    assert not MatchingRun.objects.exists()


@pytest.mark.parametrize(
    ("encoder", "words"),
    [
        ("all-MiniLM-L6-v2", "meaning, with the sentence model all-MiniLM-L6-v2"),
        (
            "multilingual-e5-small",
            "meaning, in and across languages, with the multilingual sentence model "
            "multilingual-e5-small",
        ),
        ("tfidf", "shared words (TF-IDF)"),
    ],
)
def test_the_run_says_how_its_texts_were_compared(
    market: SimpleNamespace, encoder: str, words: str
) -> None:
    run = matching_run_create(
        created_by=market.facilitator,
        kind="pairs",
        source="theme",
        theme="revenue-pfm",
        alliance_name="Pairs",
    )
    run.encoder = encoder
    assert method_summary(run)["encoder_label"].startswith(words)


ALL_ZERO = {
    "challenge": 0,
    "complementary": 0,
    "theme": 0,
    "stage": 0,
    "organisation_type": 0,
}


def test_weights_all_0_are_refused_by_the_api_naming_the_weights(
    market: SimpleNamespace,
) -> None:
    response = post(client_for(market.facilitator), {**RUN, "weights": ALL_ZERO})
    errors = field_errors(response)
    assert ("body", "weights") in errors, errors
    assert "above 0" in str(errors[("body", "weights")])
    assert not MatchingRun.objects.exists()


def test_weights_all_0_are_a_field_error_inside_the_open_weights_section(
    market: SimpleNamespace,
) -> None:
    fields = {f"weight_{name}": "0" for name in ALL_ZERO}
    response = page_client(market.facilitator).post(
        reverse("matchmaking:run_new"), {**RUN_FORM, "method": "complementary", **fields}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "above 0" in errors["weight_challenge"][0], errors
    assert not MatchingRun.objects.exists()


def test_the_weights_section_is_opened_once_however_many_weights_are_set(
    market: SimpleNamespace,
) -> None:
    fields = {f"weight_{name}": "0" for name in ALL_ZERO}
    response = page_client(market.facilitator).post(
        reverse("matchmaking:run_new"), {**RUN_FORM, "method": "complementary", **fields}
    )
    html = response.content.decode()
    tag = re.search(r"<details[^>]*>\s*<summary>Advanced: change the method", html)
    assert tag is not None
    assert tag.group(0).startswith("<details open>")  # one attribute, written once
    shown = page_client(market.facilitator).get(reverse("matchmaking:run_new")).content.decode()
    assert re.search(r"<details>\s*<summary>Advanced: change the method", shown)


def test_a_single_weight_left_above_0_is_enough(market: SimpleNamespace) -> None:
    # Complementary keeps its 0.25 on similar challenges when only the others are zeroed.
    weights = {k: v for k, v in ALL_ZERO.items() if k != "challenge"}
    run = matching_run_create(
        created_by=market.facilitator, **RUN, method="complementary", weights=weights
    )
    assert run_score_weights(run).challenge == 0.25
