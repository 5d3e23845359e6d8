"""Positions computed in Python, so the browser draws at once with physics off.

Pure Python, linear-ish in the number of nodes (no numpy): a cell grid where each node takes
the free cell nearest to where it belongs (next to the neighbours already placed), and a radial
layout for neighbourhoods.

>>> grid = CellGrid(100, 100)
>>> grid.fix("a", 0, 0)
(0, 0)
>>> grid.near("b", 0, 0)  # the cell is taken: the nearest free one
(-100, 0)
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterable, Sequence


class CellGrid:
    """Nodes on a grid of ``cw`` × ``ch`` pixel cells, at most one node per cell."""

    def __init__(self, cw: float = 170, ch: float = 80) -> None:
        self.cw, self.ch = cw, ch
        self.taken: set[tuple[int, int]] = set()
        self.pos: dict[str, tuple[float, float]] = {}
        # For a target cell: rings nearer than this are known to be full.
        self._full_below: dict[tuple[int, int], int] = {}

    def cell(self, x: float, y: float) -> tuple[int, int]:
        return round(x / self.cw), round(y / self.ch)

    def fix(self, node: str, x: float, y: float) -> tuple[float, float]:
        """Put ``node`` exactly at (x, y) and mark its cell taken."""
        self.taken.add(self.cell(x, y))
        self.pos[node] = (x, y)
        return x, y

    def near(self, node: str, x: float, y: float) -> tuple[float, float]:
        """Put ``node`` in the free cell nearest to (x, y)."""
        cx, cy = self.cell(x, y)
        r = self._full_below.get((cx, cy), 0)
        while True:
            best = None
            best_d = math.inf
            for i, j in _ring(cx, cy, r):
                if (i, j) in self.taken:
                    continue
                d = ((i * self.cw - x) ** 2) + ((j * self.ch - y) ** 2) * 2.0  # prefer same row: labels are wide
                if d < best_d:
                    best, best_d = (i, j), d
            if best is not None:
                self._full_below[(cx, cy)] = r
                self.taken.add(best)
                self.pos[node] = (best[0] * self.cw, best[1] * self.ch)
                return self.pos[node]
            r += 1


def _ring(cx: int, cy: int, r: int) -> Iterable[tuple[int, int]]:
    if r == 0:
        yield cx, cy
        return
    for i in range(cx - r, cx + r + 1):
        yield i, cy - r
        yield i, cy + r
    for j in range(cy - r + 1, cy + r):
        yield cx - r, j
        yield cx + r, j


def grow(
    grid: CellGrid,
    nodes: Sequence[str],
    neighbours: Callable[[str], Iterable[str]],
    *,
    hub_degree: int = 40,
) -> None:
    """Place every node of ``nodes`` not yet in ``grid``: breadth-first from the placed ones,
    each next to the centre of its placed neighbours (hubs ignored when others exist); the
    components with nothing placed start in fresh space below.

    >>> g = CellGrid(10, 10)
    >>> _ = g.fix("a", 0, 0)
    >>> adj = {"a": ["b"], "b": ["a", "c"], "c": ["b"], "d": []}
    >>> grow(g, ["a", "b", "c", "d"], adj.__getitem__)
    >>> sorted(g.pos) == ["a", "b", "c", "d"]
    True
    """
    wanted = set(nodes)
    degree = {n: sum(1 for _ in neighbours(n)) for n in nodes}
    queue = deque(n for n in nodes if n in grid.pos)

    def place(v: str) -> None:
        placed = [grid.pos[u] for u in neighbours(v) if u in grid.pos]
        light = [grid.pos[u] for u in neighbours(v) if u in grid.pos and degree.get(u, 0) < hub_degree]
        pts = light or placed
        x = sum(p[0] for p in pts) / len(pts)
        y = sum(p[1] for p in pts) / len(pts)
        grid.near(v, x, y)

    def flood() -> None:
        while queue:
            u = queue.popleft()
            for v in neighbours(u):
                if v in wanted and v not in grid.pos:
                    place(v)
                    queue.append(v)

    flood()
    rest = [n for n in nodes if n not in grid.pos]
    if not rest:
        return
    bottom = max((p[1] for p in grid.pos.values()), default=-grid.ch) + 3 * grid.ch
    left = min((p[0] for p in grid.pos.values()), default=0.0)
    width = max((p[0] for p in grid.pos.values()), default=0.0) - left
    cursor_x = left
    isolated = []
    for n in sorted(rest, key=lambda n: -degree[n]):
        if n in grid.pos:
            continue
        if degree[n] == 0:
            isolated.append(n)
            continue
        # a new component: start it at the cursor, then flood it
        span = max(3, int(math.sqrt(_component_size(n, neighbours, wanted))) + 2)
        grid.near(n, cursor_x + span * grid.cw / 2, bottom + span * grid.ch / 2)
        queue.append(n)
        flood()
        cursor_x += span * grid.cw
        if width > 0 and cursor_x > left + width:
            cursor_x = left
            bottom = max(p[1] for p in grid.pos.values()) + 3 * grid.ch
    if isolated:
        bottom = max((p[1] for p in grid.pos.values()), default=0.0) + 2 * grid.ch
        cols = max(8, int(math.sqrt(len(isolated)) * 2))
        for k, n in enumerate(isolated):
            grid.near(n, left + (k % cols) * grid.cw, bottom + (k // cols) * grid.ch)


def _component_size(start: str, neighbours: Callable[[str], Iterable[str]], wanted: set[str]) -> int:
    seen = {start}
    stack = [start]
    while stack:
        u = stack.pop()
        for v in neighbours(u):
            if v in wanted and v not in seen:
                seen.add(v)
                stack.append(v)
    return len(seen)


def radial(
    centre: str,
    rings: Sequence[Sequence[str]],
    parent: dict[str, str],
    *,
    spacing: float = 120,
    ring_gap: float = 260,
) -> dict[str, tuple[float, float]]:
    """Positions for a neighbourhood: the centre at (0, 0), hop k on circle k, each node near
    the angle of the node it was reached from.

    >>> pos = radial("c", [["a", "b"]], {"a": "c", "b": "c"})
    >>> pos["c"], round(math.dist(pos["a"], (0, 0)))
    ((0.0, 0.0), 260)
    """
    pos: dict[str, tuple[float, float]] = {centre: (0.0, 0.0)}
    angle: dict[str, float] = {centre: 0.0}
    radius = 0.0
    for ring in rings:
        if not ring:
            continue
        radius = max(radius + ring_gap, len(ring) * spacing / (2 * math.pi))
        ordered = sorted(ring, key=lambda n: angle.get(parent.get(n, ""), 0.0))  # stable: keeps the caller's order
        step = 2 * math.pi / len(ordered)
        for k, n in enumerate(ordered):
            a = k * step - math.pi / 2
            angle[n] = a
            pos[n] = (radius * math.cos(a), radius * math.sin(a))
    return pos
