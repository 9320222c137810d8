"""The knowledge-flow graph (edges are the transfers the reader may see; the SVG is XML with
titles) and the scorecard's charts (SVG radar and trend beside their tables)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser

from peerlearn.access.visibility import Visibility
from peerlearn.evidence import charts, selectors, services
from peerlearn.evidence.principles import CODES, ITEMS, short_label

from .conftest import TODAY, on_day

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """Our own SVG, drawn by the code under test."""
    return ET.fromstring(svg)  # noqa: S314


def _transfers(w: SimpleNamespace) -> dict[str, object]:
    made = {}
    for level in Visibility.values:
        made[level] = services.transfer_create(
            created_by=w.facilitator,
            alliance=w.inner,
            practice=f"Practice {level}",
            origin_organisation=w.county_b,
            origin_country=w.county_b.country,
            adopters=[w.county_a, w.ministry] if level == Visibility.PUBLIC else [w.county_a],
            transferred_on=TODAY,
            status="adopted",
            visibility=level,
        )
    return made


def test_edges_are_the_transfers_the_reader_may_see(ev: SimpleNamespace) -> None:
    _transfers(ev)
    public = selectors.knowledge_flow(reader=None)
    # One edge per adopter of the one public transfer.
    assert {(e.source, e.target, e.practice) for e in public.edges} == {
        ("Kisumu County", "Nakuru County", "Practice public"),
        ("Kisumu County", "Ministère des Finances", "Practice public"),
    }
    member = selectors.knowledge_flow(reader=ev.member_platform.user)
    assert {e.practice for e in member.edges} == {
        "Practice public",
        "Practice platform",
        "Practice alliance",
    }
    admin = selectors.knowledge_flow(reader=ev.admin)
    assert len(admin.edges) == 5
    outsider = selectors.knowledge_flow(reader=ev.outsider.user, alliance=None)
    assert {e.practice for e in outsider.edges} == {"Practice public", "Practice platform"}


def test_the_graph_svg_parses_and_names_every_edge(ev: SimpleNamespace) -> None:
    _transfers(ev)
    flow = selectors.knowledge_flow(reader=ev.member_platform.user)
    root = parse(flow.svg)
    assert root.tag == f"{SVG}svg"
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert titles[0] == "Knowledge flows across the platform"
    for edge in flow.edges:
        assert any(edge.practice in t and edge.source in t for t in titles)
    assert "Practice private" not in flow.svg
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert "Kisumu County" in labels


def test_an_empty_graph_is_still_a_drawing(db: None) -> None:
    flow = selectors.knowledge_flow(reader=AnonymousUser())
    assert flow.edges == []
    parse(flow.svg)


def test_radar_chart_svg_has_its_axes_as_text() -> None:
    axes = [short_label(i.code) for i in ITEMS]
    svg = charts.radar_svg(
        axes,
        [charts.Series("Third month", [4.0] * 16), charts.Series("First month", [2.5] * 16)],
        title="Average scores",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Average scores"
    text = "".join(root.itertext())
    for label in ("P1", "P11", "S5", "Third month", "First month"):
        assert label in text
    trend = charts.trend_svg(
        ["First month", "Third month"], [charts.Series("Average", [2.6, 3.8])], title="Trend"
    )
    assert "Third month" in "".join(parse(trend).itertext())


def _round(w: SimpleNamespace, title: str, opens: dt.date, score: int, low: str = "") -> object:
    """A platform-level round of the inner alliance: opened while the alliance was on the
    platform (a round is never opened wider than its alliance), which was narrowed since."""
    narrowed = w.inner.visibility
    w.inner.visibility = Visibility.PLATFORM
    w.inner.save()
    with on_day(opens):  # filled in while the round was open
        found = services.scorecard_round_create(
            alliance=w.inner,
            created_by=w.facilitator,
            title=title,
            opens_on=opens,
            closes_on=opens,
            visibility=Visibility.PLATFORM,
        )
        w.inner.visibility = narrowed
        w.inner.save()
        for user in (w.member_platform.user, w.facilitator):
            scores = dict.fromkeys(CODES, (score, ""))
            if low:
                scores[low] = (1, "We do not trust each other yet")
            services.scorecard_sheet_submit(
                scorecard_round=found, assessor=user, kind="self", scores=scores
            )
    return found


def test_round_detail_and_trend(ev: SimpleNamespace) -> None:
    first = _round(ev, "First", TODAY, 2, low="trust")
    second = _round(ev, "Second", TODAY + dt.timedelta(days=60), 4)
    detail = selectors.scorecard_round_detail(
        reader=ev.member_platform.user, scorecard_round=second
    )
    assert detail.previous is not None and detail.previous.round == first
    assert detail.summary.averages["trust"] == 4.0
    assert [s.overall for s in detail.trend] == [round((15 * 2 + 1) / 16, 2), 4.0]
    parse(detail.radar_svg)
    assert len(detail.sheets) == 2
    # Outside the alliance: the averages of a platform round, never the sheets.
    outside = selectors.scorecard_round_detail(reader=ev.outsider.user, scorecard_round=first)
    assert outside.sheets == []
    assert outside.summary.averages["trust"] == 1.0


def test_low_scores_of_the_latest_round(ev: SimpleNamespace) -> None:
    _round(ev, "First", TODAY, 4, low="trust")
    assert selectors.scorecard_low_scores([ev.inner.id, ev.public_alliance.id]) == {
        ev.inner.id: ["Importance of trust"]
    }
    _round(ev, "Second", TODAY + dt.timedelta(days=60), 3)
    assert selectors.scorecard_low_scores([ev.inner.id]) == {}
    _round(ev, "Third", TODAY + dt.timedelta(days=120), 2)
    assert len(selectors.scorecard_low_scores([ev.inner.id])[ev.inner.id]) == len(CODES)


def _flow_between(w: SimpleNamespace, pairs: list[tuple[object, object, str]]) -> None:
    for n, (origin, adopter, practice) in enumerate(pairs):
        services.transfer_create(
            created_by=w.facilitator,
            alliance=None,
            practice=practice,
            origin_organisation=origin,
            origin_country=origin.country,  # type: ignore[attr-defined]
            adopters=[adopter],
            transferred_on=TODAY - dt.timedelta(days=n),
            status="adopted",
            visibility=Visibility.PUBLIC,
        )


def _edge_groups(svg: str) -> list[ET.Element]:
    return [g for g in parse(svg).iter(f"{SVG}g") if g.get("class") == "edge"]


def test_transfers_between_the_same_places_share_one_labelled_arrow(ev: SimpleNamespace) -> None:
    """Two transfers from Kisumu to Nakuru were drawn as two arrows on top of each other,
    their labels overlapping."""
    _flow_between(
        ev,
        [
            (ev.county_b, ev.county_a, "Seasonal bus-park ticket with a very long name"),
            (ev.county_b, ev.county_a, "Cashless parking"),
            (ev.county_b, ev.ministry, "Revenue dashboard"),
        ],
    )
    flow = selectors.knowledge_flow(reader=None)
    assert len(flow.edges) == 3  # the table still lists each transfer
    groups = _edge_groups(flow.svg)
    assert len(groups) == 2
    labels = {g.find(f"{SVG}text").text for g in groups}  # type: ignore[union-attr]
    assert labels == {"2 transfers", "Revenue dashboard"}
    shared = next(g for g in groups if g.find(f"{SVG}text").text == "2 transfers")  # type: ignore[union-attr]
    title = shared.find(f"{SVG}title").text or ""  # type: ignore[union-attr]
    assert title.startswith("Kisumu County → Nakuru County: ")
    assert "Seasonal bus-park ticket with a very long name (Adopted)" in title
    assert "Cashless parking (Adopted)" in title


def test_arrows_both_ways_keep_their_labels_apart_and_inside(ev: SimpleNamespace) -> None:
    _flow_between(
        ev,
        [
            (ev.county_b, ev.county_a, "Seasonal bus-park ticket"),
            (ev.county_a, ev.county_b, "Cashless parking fees"),
        ],
    )
    svg = selectors.knowledge_flow(reader=None).svg
    groups = _edge_groups(svg)
    assert len(groups) == 2
    lines = [g.find(f"{SVG}line") for g in groups]
    starts = {(line.get("x1"), line.get("y1")) for line in lines}  # type: ignore[union-attr]
    ends = {(line.get("x2"), line.get("y2")) for line in lines}  # type: ignore[union-attr]
    assert not starts & ends  # side by side, not one on top of the other
    texts = [g.find(f"{SVG}text") for g in groups]
    spots = [(float(t.get("x")), float(t.get("y"))) for t in texts]  # type: ignore[arg-type, union-attr]
    (xa, ya), (xb, yb) = spots
    assert abs(ya - yb) >= 14 or abs(xa - xb) >= 100
    # No label runs off the drawing, at about 0.6 em a glyph.
    for t in parse(svg).iter(f"{SVG}text"):
        size, x = float(t.get("font-size", "12")), float(t.get("x", "0"))
        width = len(t.text or "") * size * 0.6
        left = {"start": x, "middle": x - width / 2, "end": x - width}[
            t.get("text-anchor", "start")
        ]
        assert left >= 0 and left + width <= 640, t.text
