"""The knowledge-flow graph: who learned what from whom.

Nodes are organisations; an edge runs from a practice's origin to each organisation that
took it up, labelled with the practice and its status. The graph is built with networkx
from the transfers a reader may see (the caller passes them: ``selectors.knowledge_flow``)
and drawn here as SVG from networkx's layout positions, one arrow for all the transfers
between the same two organisations (labelled with the practice, or how many there are):
every node and arrow has a ``<title>`` and a visible label, so the drawing reads without
JavaScript, and the page puts a table of the same edges, one per transfer, beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

import networkx as nx
from django.utils.translation import ngettext

from peerlearn.evidence.models import KnowledgeTransfer

WIDTH = 640
HEIGHT = 420
MARGIN = 110  # half of a 30-character node label at 13 px, so none is cut
RADIUS = 9


@dataclass(frozen=True)
class Edge:
    transfer_id: int
    source_id: int
    source: str
    target_id: int
    target: str
    practice: str
    status: str


def knowledge_graph(transfers: Iterable[KnowledgeTransfer]) -> nx.MultiDiGraph:
    """A directed multigraph: one edge per (transfer, adopting organisation). Transfers
    should come with ``origin_organisation`` and ``adopters`` prefetched."""
    graph = nx.MultiDiGraph()
    for t in transfers:
        origin = t.origin_organisation
        graph.add_node(origin.id, label=origin.name)
        for adopter in t.adopters.all():
            graph.add_node(adopter.id, label=adopter.name)
            graph.add_edge(
                origin.id,
                adopter.id,
                key=t.id,
                practice=t.practice,
                status=t.get_status_display(),
            )
    return graph


def graph_edges(graph: nx.MultiDiGraph) -> list[Edge]:
    """The graph's edges, for the table beside the drawing and the API."""
    edges = [
        Edge(
            transfer_id=key,
            source_id=u,
            source=graph.nodes[u]["label"],
            target_id=v,
            target=graph.nodes[v]["label"],
            practice=data["practice"],
            status=data["status"],
        )
        for u, v, key, data in graph.edges(keys=True, data=True)
    ]
    return sorted(edges, key=lambda e: (e.source, e.target, e.transfer_id))


def _layout(graph: nx.MultiDiGraph) -> dict[int, tuple[float, float]]:
    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_nodes() <= 2:
        raw = nx.circular_layout(graph)
    else:
        raw = nx.spring_layout(nx.Graph(graph), seed=7, k=1.2)
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def place(p: tuple[float, float]) -> tuple[float, float]:
        x = MARGIN + (float(p[0]) - min(xs)) / span_x * (WIDTH - 2 * MARGIN)
        y = MARGIN / 2 + (float(p[1]) - min(ys)) / span_y * (HEIGHT - MARGIN)
        return round(x, 1), round(y, 1)

    return {node: place(pos) for node, pos in raw.items()}


def _pairs(graph: nx.MultiDiGraph) -> dict[tuple[int, int], list[dict[str, str]]]:
    """The transfers along each (origin, adopter) pair, in the order they came: the drawing
    has one arrow per pair, however many practices went that way."""
    pairs: dict[tuple[int, int], list[dict[str, str]]] = {}
    for u, v, _key, data in graph.edges(keys=True, data=True):
        pairs.setdefault((u, v), []).append(data)
    return pairs


def _text_x(x: float, text: str, size: int, anchor: str = "middle") -> float:
    """``x`` moved just enough for a label of ``text`` at ``size`` px to fit the drawing
    (an average glyph is about 0.6 em wide)."""
    width = len(text) * size * 0.6
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    if left < 4:
        x += 4 - left
    elif left + width > WIDTH - 4:
        x -= left + width - (WIDTH - 4)
    return x


def graph_svg(graph: nx.MultiDiGraph, *, title: str, description: str) -> str:
    """The graph drawn as a standalone SVG document (also valid inline in HTML). Transfers
    between the same two organisations share one arrow, labelled with the practice or, for
    several, how many (its ``<title>`` and the table name each one); arrows both ways
    between two organisations run side by side, each label on its own arrow's side."""
    pos = _layout(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" role="img" aria-labelledby="kfg-title kfg-desc" class="knowledge-graph">',
        f'<title id="kfg-title">{escape(title)}</title>',
        f'<desc id="kfg-desc">{escape(description)}</desc>',
        '<defs><marker id="kfg-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    pairs = _pairs(graph)
    for (u, v), transfers in pairs.items():
        (x1, y1), (x2, y2) = pos[u], pos[v]
        dx, dy = x2 - x1, y2 - y1
        length = max((dx * dx + dy * dy) ** 0.5, 1.0)
        ux, uy = dx / length, dy / length
        # The normal on this arrow's side: the way back (v → u) gets the opposite one.
        nx_, ny_ = -uy, ux
        both_ways = (v, u) in pairs
        off = 5.0 if both_ways else 0.0
        sx, sy = x1 + ux * RADIUS + nx_ * off, y1 + uy * RADIUS + ny_ * off
        ex, ey = x2 - ux * (RADIUS + 2) + nx_ * off, y2 - uy * (RADIUS + 2) + ny_ * off
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        if both_ways:
            # Beside the arrow, away from the one coming back.
            lx, ly = mx + nx_ * 8, my + ny_ * 8 + 4
            anchor = "start" if nx_ > 0.4 else "end" if nx_ < -0.4 else "middle"
            if anchor == "middle":
                ly += 6 if ny_ > 0 else -4
        else:
            lx, ly, anchor = mx, my - 4, "middle"
        if len(transfers) == 1:
            label = _short(transfers[0]["practice"])
        else:
            label = ngettext("%(count)s transfer", "%(count)s transfers", len(transfers)) % {
                "count": len(transfers)
            }
        lx = _text_x(lx, label, 12, anchor)
        ly = min(max(ly, 14.0), HEIGHT - 4.0)
        names = f"{graph.nodes[u]['label']} → {graph.nodes[v]['label']}"
        listed = "; ".join(f"{data['practice']} ({data['status']})" for data in transfers)
        parts.append(
            f'<g class="edge"><title>{escape(names)}: {escape(listed)}</title>'
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#555" '
            f'stroke-width="1.5" marker-end="url(#kfg-arrow)"/>'
            f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="12" text-anchor="{anchor}" '
            f'fill="#333">{escape(label)}</text></g>'
        )
    for node, (x, y) in pos.items():
        name = graph.nodes[node]["label"]
        shown = _short(name, 30)
        parts.append(
            f'<g class="node"><title>{escape(name)}</title>'
            f'<circle cx="{x}" cy="{y}" r="{RADIUS}" fill="#2a6f97"/>'
            f'<text x="{_text_x(x, shown, 13):.1f}" y="{y + RADIUS + 15}" font-size="13" '
            f'text-anchor="middle" fill="#111">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
