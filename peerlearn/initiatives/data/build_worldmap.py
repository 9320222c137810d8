"""Build ``worldmap.json`` (country code → simplified SVG path) from pygal's world map.

The source is ``worldmap.svg`` of the ``pygal_maps_world`` package (LGPL-3.0-or-later,
https://github.com/Kozea/pygal_maps_world), whose country shapes are keyed by ISO 3166-1
alpha-2 code. Curves are reduced to their end points, rings simplified with
Ramer–Douglas–Peucker and coordinates rounded to whole units of a 1238 × 694 view box, so
the whole map weighs tens of kilobytes instead of 780 KB. Run once when the source changes:

    python peerlearn/initiatives/data/build_worldmap.py path/to/worldmap.svg
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

SCALE = 0.5  # the source's 2475 × 1388 view box, halved
EPSILON = 1.8  # simplification tolerance, in source units
MIN_AREA = 6.0  # rings smaller than this (source units²) are dropped: specks of islands

TOKEN = re.compile(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path made of relative m, l, h, v, c and s commands (end points only)."""
    out: list[list[tuple[float, float]]] = []
    x = y = 0.0
    cmd = ""
    tokens = TOKEN.findall(d)
    i = 0
    ring: list[tuple[float, float]] = []

    def nums(n: int) -> list[float]:
        nonlocal i
        vals = [float(t) for t in tokens[i : i + n]]
        i += n
        return vals

    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "zZ":
                continue
        if cmd in "mM":
            dx, dy = nums(2)
            if ring:
                out.append(ring)
            x, y = (x + dx, y + dy) if cmd == "m" else (dx, dy)
            ring = [(x, y)]
            cmd = "l" if cmd == "m" else "L"
        elif cmd in "lL":
            dx, dy = nums(2)
            x, y = (x + dx, y + dy) if cmd == "l" else (dx, dy)
            ring.append((x, y))
        elif cmd in "hH":
            (dx,) = nums(1)
            x = x + dx if cmd == "h" else dx
            ring.append((x, y))
        elif cmd in "vV":
            (dy,) = nums(1)
            y = y + dy if cmd == "v" else dy
            ring.append((x, y))
        elif cmd in "cC":
            v = nums(6)
            x, y = (x + v[4], y + v[5]) if cmd == "c" else (v[4], v[5])
            ring.append((x, y))
        elif cmd in "sS":
            v = nums(4)
            x, y = (x + v[2], y + v[3]) if cmd == "s" else (v[2], v[3])
            ring.append((x, y))
        else:
            raise ValueError(f"unsupported path command {cmd!r}")
    if ring:
        out.append(ring)
    return out


def simplify(points: list[tuple[float, float]], epsilon: float) -> list[tuple[float, float]]:
    """Ramer–Douglas–Peucker."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1)
    best, index = -1.0, 0
    for k, (px, py) in enumerate(points[1:-1], start=1):
        if length == 0:
            dist = math.hypot(px - x1, py - y1)
        else:
            dist = abs((x2 - x1) * (y1 - py) - (x1 - px) * (y2 - y1)) / length
        if dist > best:
            best, index = dist, k
    if best <= epsilon:
        return [points[0], points[-1]]
    left = simplify(points[: index + 1], epsilon)
    return left[:-1] + simplify(points[index:], epsilon)


def area(points: list[tuple[float, float]]) -> float:
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def _scaled(points: list[tuple[float, float]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for px, py in points:
        p = (round(px * SCALE), round(py * SCALE))
        if not out or p != out[-1]:
            out.append(p)
    return out


def path_for(ds: list[str]) -> str:
    parts = []
    all_rings = [ring for d in ds for ring in rings(d)]
    largest = max(all_rings, key=area)
    for ring in all_rings:
        keep = ring is largest  # a small island state stays on the map, however small
        if area(ring) < MIN_AREA and not keep:
            continue
        scaled = _scaled(simplify(ring, EPSILON))
        if len(scaled) < 3 and keep:
            scaled = _scaled(ring)
        if len(set(scaled)) < 3:
            if not keep:
                continue
            x, y = scaled[0]  # too small to draw: a 2-unit square marks it
            scaled = [(x - 1, y - 1), (x + 1, y - 1), (x + 1, y + 1), (x - 1, y + 1)]
        head, *rest = scaled
        parts.append(f"M{head[0]} {head[1]}" + "".join(f"L{a} {b}" for a, b in rest) + "Z")
    return "".join(parts)


def main(source: str) -> None:
    svg = Path(source).read_text()
    shapes: dict[str, str] = {}
    for code, body in re.findall(r'<g class="([a-z]{2}) country[^"]*">(.*?)</g>', svg, re.S):
        if code == "aq":
            continue  # Antarctica: no peers there, and a fifth of the map's height
        path = path_for(re.findall(r' d="([^"]+)"', body))
        if path:
            shapes[code.upper()] = path
    out = Path(__file__).with_name("worldmap.json")
    ys = [int(v) for path in shapes.values() for v in re.findall(r"[ML]-?\d+ (-?\d+)", path)]
    doc = {
        "source": "pygal_maps_world 1.0.2 worldmap.svg (LGPL-3.0-or-later), simplified",
        "viewBox": [0, min(ys) - 2, round(2475 * SCALE), max(ys) - min(ys) + 4],
        "countries": dict(sorted(shapes.items())),
    }
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"{len(shapes)} countries, {out.stat().st_size / 1024:.0f} KB → {out}")


if __name__ == "__main__":
    main(sys.argv[1])
