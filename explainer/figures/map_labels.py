"""Where each place name goes on the map: beside its point, on the side that crosses no line, covers no
mark, no other name and no reserved zone (the locator inset), inside the frame.

Names keep their pixel size while the map scales with the reader's screen, so every side is tried at
the narrowest and the widest width the map is drawn at (and between): a side that is clear at all of
them is clear on any screen. Boxes follow plotly's own text offsets (drawing.textPointStyle): a name
sits ``marker radius / 0.8 + 1`` px from its point. Text widths are estimated per character, a little
generously (the reader's system font is not known)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .geo import Box, mercator_y

CHAR_PX = 6.4  # an 11 px sans-serif name, per character (DejaVu Sans measures 6.0)
LINE_PX = 13.5  # an 11 px name's box height
PAD_PX = 2.0  # clear space kept around a name
# plotly's text positions, in order of preference: beside the point first
POSITIONS = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)
FAR_PX = 6.0  # a second ring of sides, this much further off the point (a name squeezed between lines)
CANDIDATES = tuple((pos, extra) for extra in (0.0, FAR_PX) for pos in POSITIONS)
HARD = 1000.0  # a crossed line, a covered mark or name, a reserved zone, the frame's edge
SOFT = 20.0  # a line drawn lighter (a date's polygon edge): avoided when a clear side exists


BREAK = "<br>"  # plotly's line break in a text
WRAP_CHARS = 12  # on a phone, a longer name goes on two lines (at its middle space)


def text_size(text: str) -> tuple[float, float]:
    """A name's box in px (width, height), its lines split at BREAK (plotly: 1.3 em a line)."""
    lines = text.split(BREAK)
    return max(len(x) for x in lines) * CHAR_PX, LINE_PX + (len(lines) - 1) * 14.3


def wrapped(name: str) -> str:
    """A long name on two lines, broken at the space nearest its middle (a phone's map)."""
    spaces = [i for i, ch in enumerate(name) if ch == " "]
    if len(name) <= WRAP_CHARS or not spaces:
        return name
    cut = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:cut] + BREAK + name[cut + 1 :]


@dataclass(frozen=True)
class Label:
    text: str
    lon: float
    lat: float
    radius: float  # the host marker's radius in px (plotly offsets the name by radius / 0.8 + 1)


@dataclass
class Scene:
    """What names must avoid, in lon / Mercator-y degrees (lines, zones) or in px around a point (marks)."""

    frame: Box  # lon0, lat0, lon1, lat1
    widths: tuple[float, ...]  # the frame's widths in px the map is drawn at
    weights: tuple[float, ...]  # how much a clash at each width counts (the live map's widths most)
    lines: list[Any]  # shapely geometries in (lon, mercator y): must not be crossed
    soft: list[Any]  # lighter lines: better not crossed
    marks: list[tuple[float, float, float]]  # lon, lat, radius px: must not be covered
    zones: list[Box]  # lon/lat rectangles no name may enter (the inset)
    texts: list[tuple[float, float, float, float]]  # fixed texts: lon, lat (centre), width px, height px


def _offset(label: Label, pos: str, extra: float = 0.0) -> tuple[float, float, float, float]:
    """The name's box in px around its point (x right, y down), ``extra`` px further off than beside its mark."""
    radius = label.radius + extra
    u = radius / 0.8 + 1 if radius else 0.0
    w, h = text_size(label.text)
    v, hz = pos.split(" ")
    x0 = {"right": u, "left": -u - w, "center": -w / 2}[hz]
    y0 = {"top": -u - h, "bottom": u, "middle": -h / 2}[v]
    return x0 - PAD_PX, y0 - PAD_PX, x0 + w + PAD_PX, y0 + h + PAD_PX


def place(labels: list[Label], scene: Scene) -> list[tuple[str, float]]:
    """A text position per label (plotly's names) and the radius its text is offset by (the name's
    own invisible marker's: plotly puts a text ``radius / 0.8 + 1`` px off its point), the clearest
    at every width; "" for a name that has no room inside the frame (left off)."""
    if not labels:
        return []
    import shapely
    from shapely.geometry import box

    x0, y0, x1, y1 = scene.frame
    fy0, fy1 = mercator_y(y0), mercator_y(y1)
    hard = shapely.union_all(scene.lines) if scene.lines else None
    soft = shapely.union_all(scene.soft) if scene.soft else None
    if hard is not None:
        shapely.prepare(hard)
    if soft is not None:
        shapely.prepare(soft)
    zones = [box(a, mercator_y(b), c, mercator_y(d)) for a, b, c, d in scene.zones]
    scales = [w / (x1 - x0) for w in scene.widths]  # px per degree (lon, and Mercator y)

    def boxes(lab: Label, pos: str, extra: float) -> list[Any]:
        px, py = lab.lon, mercator_y(lab.lat)
        a, b, c, d = _offset(lab, pos, extra)
        return [box(px + a / s, py - d / s, px + c / s, py - b / s) for s in scales]

    def mark_boxes(lon: float, lat: float, r: float) -> list[Any]:
        px, py = lon, mercator_y(lat)
        return [box(px - r / s, py - r / s, px + r / s, py + r / s) for s in scales]

    marks = [mark_boxes(*m) for m in scene.marks]
    fixed = [
        [box(lon - w / 2 / s, mercator_y(lat) - h / 2 / s, lon + w / 2 / s, mercator_y(lat) + h / 2 / s) for s in scales]
        for lon, lat, w, h in scene.texts
    ]
    frame = box(x0, fy0, x1, fy1)
    options = [[boxes(lab, p, e) for p, e in CANDIDATES] for lab in labels]

    def own_mark(lab: Label, m: tuple[float, float, float]) -> bool:
        return abs(m[0] - lab.lon) < 1e-6 and abs(m[1] - lab.lat) < 1e-6

    # what a side costs whatever the other names do
    base = []
    for lab, opts in zip(labels, options):
        row = []
        for k, bs in enumerate(opts):
            cost = k * 0.5  # beside the point first, close to it first
            for bx, wt in zip(bs, scene.weights):
                if hard is not None and hard.intersects(bx):
                    cost += HARD * wt
                if soft is not None and soft.intersects(bx):
                    cost += SOFT * wt
                if not frame.contains(bx):
                    cost += HARD * wt
                if any(z.intersects(bx) for z in zones):
                    cost += HARD * wt
            for m, mb in zip(scene.marks, marks):
                if not own_mark(lab, m):
                    cost += sum(HARD * wt for bx, b2, wt in zip(bs, mb, scene.weights) if bx.intersects(b2))
            for fb in fixed:
                cost += sum(HARD * wt for bx, b2, wt in zip(bs, fb, scene.weights) if bx.intersects(b2))
            row.append(cost)
        base.append(row)

    # what two names' sides cost together (only names close enough to meet)
    n, npos = len(labels), len(CANDIDATES)
    pair: dict[tuple[int, int], list[list[float]]] = {}
    reach = [shapely.union_all([b for bs in opts for b in bs]).envelope for opts in options]
    for i in range(n):
        for j in range(i + 1, n):
            if not reach[i].intersects(reach[j]):
                continue
            pair[(i, j)] = [
                [
                    sum(HARD * wt for a, b, wt in zip(options[i][k], options[j][m], scene.weights) if a.intersects(b))
                    for m in range(npos)
                ]
                for k in range(npos)
            ]
    near = {i: [j for j in range(n) if (min(i, j), max(i, j)) in pair] for i in range(n)}

    def together(i: int, k: int, j: int, m: int) -> float:
        return pair[(i, j)][k][m] if i < j else pair[(j, i)][m][k]

    chosen: dict[int, int] = {}

    def total(i: int, k: int) -> float:
        return base[i][k] + sum(together(i, k, j, chosen[j]) for j in near[i] if j in chosen)

    # the most constrained names first, then passes moving one name, then two neighbours at once
    order = sorted(range(n), key=lambda i: sum(c < HARD * min(scene.weights) for c in base[i]))
    for i in order:
        chosen[i] = min(range(npos), key=lambda k: total(i, k))
    for _ in range(4):
        moved = False
        for i in order:
            best = min(range(npos), key=lambda k: total(i, k))
            if total(i, best) < total(i, chosen[i]) - 1e-9:
                chosen[i], moved = best, True
        for i, j in pair:
            was = (chosen[i], chosen[j])
            now = base[i][was[0]] + base[j][was[1]] + together(i, was[0], j, was[1])
            now += sum(together(i, was[0], q, chosen[q]) for q in near[i] if q != j)
            now += sum(together(j, was[1], q, chosen[q]) for q in near[j] if q != i)
            for k in range(npos):
                for m2 in range(npos):
                    c = base[i][k] + base[j][m2] + together(i, k, j, m2)
                    c += sum(together(i, k, q, chosen[q]) for q in near[i] if q != j)
                    c += sum(together(j, m2, q, chosen[q]) for q in near[j] if q != i)
                    if c < now - 1e-9:
                        now, chosen[i], chosen[j], moved = c, k, m2, True
        if not moved:
            break

    # a name with no side inside the frame at a width the map is drawn for is left off ("" for its
    # position: the caller draws no text there), never cut at the frame's edge; its dot stays
    def fits(i: int) -> bool:
        return all(frame.contains(bx) for bx, wt in zip(options[i][chosen[i]], scene.weights) if wt >= 1)

    return [(CANDIDATES[chosen[i]][0] if fits(i) else "", labels[i].radius + CANDIDATES[chosen[i]][1]) for i in range(n)]
