"""Casualty figures by source: one panel per measure (killed, wounded, killed or wounded…), never one series."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Collection
from typing import Any, NamedTuple

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..model import CASUALTY_MEASURES, Claim, Rereport
from .axes import article_line, date_range, month_ticks
from .cache import dated
from .text import claims_credit, claims_table, doubt_text, said_when, text_of, value_of, value_text, wrap_parts
from .theme import base_layout, separators
from .view import View

PANEL_BASE, PANEL_PER_POINT, PANEL_UNIT_PX = 1.2, 0.25, 80  # a panel's height: (base + per point) x unit px
PLOT_WIDTH_PX = 640  # the plot width label placement assumes: the chart column on a desktop page
PHONE_WIDTH_PX = 280  # ...and on a phone (345 px of chart, less the value axis)
LEGEND_ROW_PX = 29  # a legend row as plotly draws it (the article's ring key sets its height)
CHROME_PX = 110  # the figure's height less its plot and legend: title, month ticks, margins, the legend's gap
TITLE_LINE_PX = 17  # one line of a panel title
TITLE_LIFT_PX = 4  # a panel title stands this far over its panel (its last line clear of the date lines)
TITLE_PX_PER_CHAR = 7  # a 13 px panel title, per character (a little generous): titles wrap to the narrowest plot
RING_RADIUS = (9.0, 15.5, 19.5)  # text offset from a point: plain (11 px), the article's ring (24 px), a step's (32 px)
Y_HEADROOM, Y_FOOT = 1.1, 0.05  # a panel's value range: over its highest figure, under zero (a point at zero drawn whole)
Y_TICK_PX = 28  # at most one value tick per this many px of panel
MONTH_TICK_PX = 80  # at most one month tick per this many px of plot ("janv. 2025" is about 60)
LINE_GAP_PX = 4  # the selected date's line stops this far over and under a value label
WIDTH_SCALES = (
    (0.58, 1.0, 1.4),
    (0.8, 1.0, 1.25),
)  # plot widths a label's spot must suit, as shares of the one assumed (desktop, phone)
PHONE_MAX_PLOT_PX = 400
# A chart drawn in the browser picks, by its own width, one of a set of figures whose labels were
# placed for a plot about that wide (``fitted``): each has to suit only its share of the widths.
FIT_WIDTHS = (240, 280, 360, 460, 620, 860, 1200)  # plot px each figure of the set is placed for
FIT_SCALES = (0.84, 1.0, 1.2)  # ...and the plot widths it must suit, as shares of that
FIT_PHONE_MAX = 460  # the figures a phone (by its user agent) is sent: at most this wide; a desktop's, at least
AXIS_PX = 56  # a chart's box less its plot: the value axis' numbers and the margins
LEADER_PX = (14, 30, 48, 66, 90)  # an article figure's label with a leader line: its gap from the point, tried in turn
LEADER_DIRECTIONS = (
    (1, 1),
    (-1, 1),
    (1, -1),
    (-1, -1),
    (0, 1),
    (0, -1),
    (1, 0),
    (-1, 0),
    (0.5, 1),
    (-0.5, 1),
    (0.5, -1),
    (-0.5, -1),
    (1, 0.5),
    (-1, 0.5),
    (1, -0.5),
    (-1, -0.5),
)
LABEL_PAD_PX = 3  # between a label and what it keeps off
EDGE_PX = 40  # room for a value label between the first or last point and the plot's edge (the dates' padding)
LINE_PX = 12  # one more line of a value label (its 10 px scope)
SCOPE_WRAP_CHARS = 9  # a scope broken between words, when it fits nowhere on one line
REREPORT_SYMBOL = "hexagon-open"  # a later outlet repeating a figure: a shape no claim uses
HOVER_WRAP = 60  # characters per line of a doubt in a hover label (plotly does not wrap)
MEASURE_SYMBOL = {
    "killed": "x",
    "wounded": "triangle-up",
    "killed_or_wounded": "circle",
    "casualties_incl_missing": "square",
    "killed_acknowledged": "diamond",
}


def casualty_claims(
    bundle: Bundle, claimants: Collection[str] | None = None, measures: Collection[str] | None = None
) -> tuple[list[Claim], list[Claim]]:
    """Casualty claims kept by the filters: (with a number, without a number)."""
    keep = [
        c
        for c in bundle.claims
        if c.measure in CASUALTY_MEASURES
        and (not claimants or c.claimant in claimants)
        and (not measures or c.measure in measures)
    ]
    return [c for c in keep if c.has_number], [c for c in keep if not c.has_number]


def build_casualties(
    bundle: Bundle,
    locale: str,
    claimants: Collection[str] | None = None,
    measures: Collection[str] | None = None,
    selected: dt.date | None = None,
    highlight: tuple[str, ...] = (),
    plot_width: int = PLOT_WIDTH_PX,
    also_dates: tuple[dt.date, ...] = (),
    rereports: bool = False,
    fitted: bool = False,
) -> View:
    """``fitted``: one of a set the browser chooses from by its width (:func:`fit_widths`), its labels
    placed for plots within ``FIT_SCALES`` of ``plot_width`` only. ``rereports``: also mark each later report repeating a figure shown (data/rereports.csv), as a
    hollow hexagon in the origin claimant's colour, in the origin claim's panel, at the figure the
    outlet printed, with the outlet and what changed in its hover.
    ``also_dates``: days the x axis must cover from the start (a story's steps), so that a
    selected one never widens it after the labels were placed. ``highlight``: claim ids ringed in the event colour (a story step's claims)."""
    key = (
        "casualties",
        tuple(claimants or ()),
        tuple(measures or ()),
        tuple(highlight),
        plot_width,
        also_dates,
        rereports,
        fitted,
    )
    return dated(
        bundle,
        locale,
        key,
        lambda: _casualties(bundle, locale, claimants, measures, highlight, plot_width, also_dates, rereports, fitted),
        selected,
    )


def fit_widths(phone: bool | None = None) -> tuple[int, ...]:
    """The plot widths of the figure set a browser chooses from (see :func:`pick_width`): for a phone
    (by its user agent) the narrow ones, for a desktop the wide ones, for any reader (None) all."""
    if phone is None:
        return FIT_WIDTHS
    return tuple(w for w in FIT_WIDTHS if (w <= FIT_PHONE_MAX if phone else w >= FIT_PHONE_MAX))


def fit_bounds(widths: Collection[int]) -> list[int]:
    """For each width of a set, in order, the widest chart box (px) it is drawn in: halfway between its
    own plot width and the next one's, in ratio (the last: any width). The browser's rule (live_map.js,
    embed.js) and the export's CSS read these numbers."""
    ws = sorted(widths)
    return [round((a * b) ** 0.5) + AXIS_PX for a, b in zip(ws, ws[1:])] + [100_000]


def pick_width(widths: Collection[int], box_px: float) -> int:
    """The width of a set for a chart box ``box_px`` wide (as the browser's rule picks it)."""
    ws = sorted(widths)
    return next(w for w, most in zip(ws, fit_bounds(ws)) if box_px <= most)


def _casualties(
    bundle: Bundle,
    locale: str,
    claimants: Collection[str] | None,
    measures: Collection[str] | None,
    highlight: Collection[str] = (),
    plot_width: int = PLOT_WIDTH_PX,
    also_dates: tuple[dt.date, ...] = (),
    rereports: bool = False,
    fitted: bool = False,
) -> View:
    numbered, unnumbered = casualty_claims(bundle, claimants, measures)
    shown_ids = {c.id for c in numbered}
    repeats = [r for r in bundle.rereports if rereports and r.origin in shown_ids and r.bound != "none"]
    shown = [m for m in CASUALTY_MEASURES if any(c.measure == m for c in numbered)] or list(CASUALTY_MEASURES[:1])
    styles = K.claimant_styles(bundle)
    counts = [sum(c.measure == m for c in numbered) for m in shown]
    weights = [PANEL_BASE + min(n, 12) * PANEL_PER_POINT for n in counts]  # panel heights by content
    height = 160 + round(PANEL_UNIT_PX * sum(weights))
    scales = FIT_SCALES if fitted else WIDTH_SCALES[plot_width < PHONE_MAX_PLOT_PX]
    title_chars = int(plot_width * scales[0] / TITLE_PX_PER_CHAR)
    titles = [wrap_parts([t(locale, f"measure_{m}")], title_chars) for m in shown]
    # the gap between panels holds the next panel's title, however many lines it wraps to (the
    # panel above and its date lines end over it)
    title_lines = max(title.count("<br>") + 1 for title in titles)
    spacing = max(min(0.06, 56 / height), (TITLE_LINE_PX * title_lines + 16) / (height - 100 - CHROME_PX))  # of the plot's height
    fig = make_subplots(
        rows=len(shown),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=spacing,
        row_heights=weights,
        subplot_titles=titles,
    )
    article = {cid for ac in bundle.article.claims for cid in ac.claim_ids}
    value = value_of
    x_range = date_range(
        [c.date for c in numbered] + [r.date for r in repeats] + [bundle.article.published, *also_dates],
        pad_share=max(0.04, EDGE_PX / plot_width) if fitted else 0.04,
    )
    legend: dict[str, str] = {}  # claimant -> the symbol its points carry where it first appears
    keys_n = 2 + sum(
        (
            1,
            any(c.id in highlight for c in numbered),
            any(not c.cumulative for c in numbered),
            any(c.bound == "range" for c in numbered),
            bool(repeats),
        )
    )
    per_row = 1 if plot_width < 400 else 2 if plot_width < 560 else 4 if plot_width < 800 else 6
    legend_rows = -(-(len({c.claimant for c in numbered}) + keys_n) // per_row)
    # the plot's height once the title, the legend and the month ticks are taken out, shared by the panels
    plot_px = (height + LEGEND_ROW_PX * legend_rows - 100) - CHROME_PX - LEGEND_ROW_PX * legend_rows
    panel_pxs = [plot_px * (1 - spacing * (len(shown) - 1)) * w / sum(weights) for w in weights]
    gaps: list[list[Any]] = []  # where a value label is: the selected date's line leaves a gap there
    for row, measure in enumerate(shown, start=1):
        by_claimant: dict[str, list[Claim]] = {}
        for c in numbered:
            if c.measure == measure:
                by_claimant.setdefault(c.claimant, []).append(c)
        # value labels on the article's figures and each source's latest only (the rest on hover),
        # with the figure's scope under the value, placed where they collide with nothing
        wanted = [c for cs in by_claimant.values() for c in cs if c.id in article or c is max(cs, key=lambda c: (c.date, c.id))]
        panel_px = panel_pxs[row - 1]
        values = [v for c in numbered if c.measure == measure for v in (c.value_low, c.value_high) if v is not None]
        values += [
            v for r in repeats if bundle.claim_by_id[r.origin].measure == measure for v in (r.value_low, r.value_high) if v
        ]
        top = max(values, default=1) * Y_HEADROOM or 1
        y_range = [-top * Y_FOOT, top]
        radius = {c.id: RING_RADIUS[2 if c.id in highlight else 1 if c.id in article else 0] for c in wanted}
        placed = _place(
            wanted,
            article,
            x_range,
            panel_px,
            locale,
            plot_width,
            (bundle.article.published, *also_dates),
            radius,
            y_range,
            [c for cs in by_claimant.values() for c in cs],
            scales,
        )
        labels = {
            c.id: (
                f"{value_text(c, locale)}<br><span style='font-size:10px;color:{K.MUTED}'>" + "<br>".join(p.scope) + "</span>",
                p.pos,
            )
            for c, p in zip(wanted, placed)
            if p.pos is not None
        }
        per_px = (y_range[1] - y_range[0]) / panel_px
        for p in placed:
            if p.days and p.px:  # in days and values, with a few px over and under
                gaps.append(
                    [
                        row,
                        (p.days[0] - dt.timedelta(days=1)).isoformat(),
                        (p.days[1] + dt.timedelta(days=1)).isoformat(),
                        y_range[0] + (p.px[0] - LINE_GAP_PX) * per_px,
                        y_range[0] + (p.px[1] + LINE_GAP_PX) * per_px,
                    ]
                )
        for c, pl in zip(wanted, placed):
            if pl.pos and pl.pos.startswith("leader"):
                dx, dy = (float(v) for v in pl.pos.split()[1:])
                fig.add_annotation(
                    x=c.date,
                    y=value(c),
                    xref=f"x{'' if row == 1 else row}",
                    yref=f"y{'' if row == 1 else row}",
                    text=labels.pop(c.id)[0],
                    ax=dx,
                    ay=-dy,
                    showarrow=True,
                    arrowwidth=1,
                    arrowcolor=K.MUTED,
                    standoff=radius[c.id] - 3,
                    font=dict(size=11, color=K.INK),
                )
        outer = {
            c.id: ("story_highlight" if c.id in highlight else "in_article")
            for c in numbered
            if c.id in labels and (c.id in article or c.id in highlight)
        }
        for cid, cs in by_claimant.items():
            who = bundle.claimants[cid]
            style = styles.get(cid, K.Style(K.FALLBACK))
            name = text_of(i18n.field(who, "short", locale))
            xs, ys, texts, hovers, symbols, where = [], [], [], [], [], []
            for c in cs:
                xs.append(c.date)
                ys.append(value(c))
                text, pos = labels.get(c.id, ("", "middle right"))
                texts.append("" if c.id in outer else text)  # a ringed figure's label goes on its outer ring
                where.append(pos)
                period = "" if c.cumulative else "<br><i>" + t(locale, "period_figure") + "</i>"
                doubt = doubt_text(c, locale)
                hovers.append(
                    f"<b>{name}</b><br>{said_when(bundle, c, locale)}<br>"
                    f"{t(locale, f'measure_{measure}')}: <b>{value_text(c, locale)}</b>"
                    f"{period}<br>{t(locale, f'scope_{c.scope}')} · {text_of(c.outlet)}"
                    + (f"<br><i>{'<br>'.join(textwrap.wrap(text_of(doubt), HOVER_WRAP))}</i>" if doubt else "")
                )
                base = MEASURE_SYMBOL[measure]
                symbols.append(style.symbol(base if c.cumulative else base + "-open"))
            legend.setdefault(cid, style.symbol(MEASURE_SYMBOL[measure]))
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="markers+text",
                    text=texts,
                    textposition=where,
                    textfont=dict(size=11, color=K.INK),
                    cliponaxis=False,  # a ring at zero is drawn whole, not cut by the axis
                    marker=dict(color=style.colour, size=11, symbol=symbols, line=dict(width=1.5, color=style.line)),
                    name=name,
                    legendgroup=cid,
                    showlegend=False,
                    hovertext=hovers,
                    hoverinfo="text",
                    customdata=[c.id for c in cs],
                    meta={"claimant": cid, "colour": style.colour, "variant": style.variant},
                ),
                row=row,
                col=1,
            )
            for c in cs:  # ranges as vertical segments
                if c.bound == "range":
                    fig.add_trace(
                        go.Scatter(
                            x=[c.date, c.date],
                            y=[c.value_low, c.value_high],
                            mode="lines",
                            line=dict(color=style.colour, width=3, dash=style.dash),
                            hoverinfo="skip",
                            showlegend=False,
                            legendgroup=cid,
                        ),
                        row=row,
                        col=1,
                    )
                rings = [(c.id in article, 24, 2.5, K.ARTICLE_RING, "in_article")]
                rings.append((c.id in highlight, 32, 3, K.EVENT, "story_highlight"))
                for drawn, size, width, colour, label in rings:  # the article's figures; a story step's
                    if drawn:
                        ring = dict(size=size, color="rgba(0,0,0,0)", line=dict(width=width, color=colour))
                        text, pos = labels[c.id] if outer.get(c.id) == label else ("", "middle right")
                        fig.add_trace(
                            go.Scatter(
                                x=[c.date],
                                y=[value(c)],
                                mode="markers+text" if text else "markers",
                                marker=ring,
                                text=[text],
                                textposition=pos,  # offset by the ring's size: the label clears the ring
                                textfont=dict(size=11, color=K.INK),
                                cliponaxis=False,
                                customdata=[c.id],
                                hoverinfo="skip",
                                showlegend=False,
                                name=t(locale, label),
                            ),
                            row=row,
                            col=1,
                        )
        _rereport_marks(bundle, locale, fig, row, [r for r in repeats if bundle.claim_by_id[r.origin].measure == measure], styles)
        fig.update_yaxes(
            range=y_range,
            gridcolor=K.GRID,
            tickformat=",d",
            row=row,
            col=1,
            separatethousands=True,
            nticks=max(2, int(panel_px // Y_TICK_PX)),
        )
    # One legend entry per claimant, drawn with the colour and symbol its points carry, then the keys.
    for cid, symbol in legend.items():
        style = styles.get(cid, K.Style(K.FALLBACK))
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=text_of(i18n.field(bundle.claimants[cid], "short", locale)),
                legendgroup=cid,
                marker=dict(color=style.colour, size=11, symbol=symbol, line=dict(width=1.5, color=style.line)),
                hoverinfo="skip",
                meta={"claimant": cid, "legend": True},
            )
        )
    # open symbols are drawn in marker.color (their stroke): the keys look like the rings on the chart
    keys: list[tuple[str, dict[str, Any] | None]] = [
        ("key_article", dict(size=16, color=K.ARTICLE_RING, symbol="circle-open", line=dict(width=2.5)))
    ]
    if any(c.id in highlight for c in numbered):
        keys.append(("story_highlight", dict(size=16, color=K.EVENT, symbol="circle-open", line=dict(width=3))))
    if any(not c.cumulative for c in numbered):
        keys.append(("key_period", dict(size=11, color=K.MUTED, symbol="circle-open", line=dict(width=1.5, color=K.MUTED))))
    if any(c.bound == "range" for c in numbered):
        keys.append(("key_range", None))
    if repeats:
        keys.append(("key_rereport", dict(size=10, color=K.MUTED, symbol=REREPORT_SYMBOL, line=dict(width=1.5, color=K.MUTED))))
    for key, marker in keys:
        if marker is None:
            fig.add_trace(
                go.Scatter(
                    x=[None], y=[None], mode="lines", line=dict(color=K.MUTED, width=3), name=t(locale, key), hoverinfo="skip"
                )
            )
        else:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", marker=marker, name=t(locale, key), hoverinfo="skip"))
    article_line(fig, bundle, locale)
    fig.update_xaxes(
        range=x_range, gridcolor=K.GRID_FAINT, **month_ticks(x_range, locale, most=max(3, plot_width // MONTH_TICK_PX))
    )
    fig.update_layout(
        separators=separators(locale),
        showlegend=True,
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, font=dict(size=11)),
    )
    # the legend sits under the plot and takes its height out of the figure's: one entry a row on a
    # phone, about four a row on a desktop page (plotly wraps a horizontal legend to the width)
    height += LEGEND_ROW_PX * legend_rows - 100
    base_layout(fig, t(locale, "view_casualties"), height)
    fig.update_layout(margin=dict(l=8, r=8, t=30, b=8))
    fig.layout.meta = {**fig.layout.meta, "line_gaps": gaps}
    for ann in fig.layout.annotations:  # panel titles: left-aligned over their panel, clear of the date lines
        if ann.xref == "paper":
            ann.update(x=0, xanchor="left", align="left", yshift=TITLE_LIFT_PX, font=dict(size=13, color=K.INK))

    lines = []
    for measure in shown:
        cs = [c for c in numbered if c.measure == measure]
        if cs:
            latest = max(cs, key=lambda c: (c.date, c.value_low or c.value_high or 0))
            hi = max(cs, key=lambda c: c.value_low or c.value_high or 0)
            lines.append(
                t(
                    locale,
                    "cas_summary_measure",
                    measure=t(locale, f"measure_{measure}"),
                    figures=i18n.count(locale, "count_figures", len(cs)),
                    latest=value_text(latest, locale),
                    latest_who=i18n.field(bundle.claimants[latest.claimant], "name", locale),
                    latest_date=i18n.date(latest.date, locale),
                    high=value_text(hi, locale),
                    high_who=i18n.field(bundle.claimants[hi.claimant], "name", locale),
                )
            )
    summary = (
        t(
            locale,
            "cas_summary_intro",
            figures=i18n.count(locale, "count_dated_figures", len(numbered)),
            sources=i18n.count(locale, "count_sources", len({c.claimant for c in numbered})),
            statements=i18n.count(locale, "count_statements", len(unnumbered)),
        )
        + " "
        + " ".join(lines)
    )
    credits = [claims_credit(numbered, locale)]  # what is drawn
    return View(fig, summary, claims_table(bundle, numbered + unnumbered, locale), credits, t(locale, "view_casualties"))


# Where a value label may go, tried in this order: (plotly textposition, box offset from the marker
# in px as x0, x1 given the label width w, its height h and the marker's radius r (plotly offsets
# text by the marker's size); y up).
_SPOTS: list[tuple[str, Callable[[float, float, float], tuple[float, float, float, float]]]] = [
    ("middle right", lambda w, h, r: (r, r + w, -h / 2, h / 2)),
    ("top center", lambda w, h, r: (-w / 2, w / 2, r, r + h)),
    ("bottom center", lambda w, h, r: (-w / 2, w / 2, -r - h, -r)),
    ("middle left", lambda w, h, r: (-r - w, -r, -h / 2, h / 2)),
    ("top right", lambda w, h, r: (r * 0.7, r * 0.7 + w, r * 0.7, r * 0.7 + h)),
    ("bottom right", lambda w, h, r: (r * 0.7, r * 0.7 + w, -r * 0.7 - h, -r * 0.7)),
]
LABEL_H_PX = 28  # a value label: the value, then the scope under it


def spot_box(pos: str, w: float, h: float, r: float) -> tuple[float, float, float, float]:
    """A label's box from its marker in px (x0, x1, y0, y1; y up), for a textposition or a leader ("leader dx dy")."""
    if pos.startswith("leader"):
        dx, dy = (float(v) for v in pos.split()[1:])
        return dx - w / 2, dx + w / 2, dy - h / 2, dy + h / 2
    return dict(_SPOTS)[pos](w, h, r)


Box = tuple[float, float, float, float]


class Placed(NamedTuple):
    """A value label's spot: plotly's textposition, the scope's lines, and where the label lies
    (first and last day it covers at any plot width tried, lowest and highest px over the panel's bottom)."""

    pos: str | None
    scope: list[str]
    days: tuple[dt.date, dt.date] | None = None
    px: tuple[float, float] | None = None


def place_labels(
    claims: list[Claim],
    article: set[str],
    x_range: list[str] | None,
    panel_px: float,
    locale: str,
    width: int = PLOT_WIDTH_PX,
    lines: Collection[dt.date] = (),
) -> list[str | None]:
    """A textposition per claim so that no two value labels overlap and none covers another
    claim's marker, or ``None`` (the value stays in the tooltip). See :func:`_place`."""
    return [p.pos for p in _place(claims, article, x_range, panel_px, locale, width, lines)]


def _place(
    claims: list[Claim],
    article: set[str],
    x_range: list[str] | None,
    panel_px: float,
    locale: str,
    width: int = PLOT_WIDTH_PX,
    lines: Collection[dt.date] = (),
    radius: dict[str, float] | None = None,
    y_range: list[float] | None = None,
    others: Collection[Claim] = (),
    scales: tuple[float, ...] | None = None,
) -> list[Placed]:
    """Where each claim's value label goes. Labels keep off each other, off other claims' markers
    (a ringed one's ring: ``radius``), inside the panel (its title is above it) and off the days
    drawn as vertical lines (``lines``: the article's, a story's steps), and off the markers of
    ``others`` (the panel's unlabelled figures). Streamlit tells the script no width, and a
    column's plot may be narrower or wider than ``width``: a spot must be free at every width in
    ``WIDTH_SCALES`` (a phone's plot varies less). A label with its scope on one line is tried first,
    then with the scope broken between words. The article's figures are placed first and always get
    a spot. A small greedy rule rather than a label-placement library: a panel holds a few labels,
    and the layout test reads what the browser drew."""
    if not claims or not x_range:
        return [Placed(None, [])] * len(claims)
    radius = radius or {}
    lo, hi = dt.date.fromisoformat(x_range[0][:10]), dt.date.fromisoformat(x_range[1][:10])
    px_day = width / max((hi - lo).days, 1)
    y0, y1 = y_range or [0.0, max(value_of(c) or 0 for c in claims) * 1.1 or 1]
    everyone = {c.id: c for c in [*others, *claims]}
    at = {
        cid: ((c.date - lo).days * px_day, ((value_of(c) or 0) - y0) / ((y1 - y0) or 1) * panel_px) for cid, c in everyone.items()
    }
    ring = {cid: max(7.0, radius.get(cid, 0) - 2) for cid in everyone}
    scales = scales or WIDTH_SCALES[width < PHONE_MAX_PLOT_PX]
    walls = [(d - lo).days * px_day for d in lines]
    taken: list[tuple[float, Box]] = []  # a label: its marker's x at the assumed width, its box (x around it, y in the panel)

    def clash(x: float, y: float, box: Box, own: str, wall: int = 1, only: tuple[float, ...] | None = None, edge: int = 1) -> int:
        """How many things the label would cover, at every width; a date line counts ``wall`` times, a
        box leaving the panel ``edge`` times."""
        n = 0
        for s in only or scales:
            b = (x * s + box[0], x * s + box[1], y + box[2], y + box[3])
            others = [(tx * s + t[0], tx * s + t[1], t[2] - LABEL_PAD_PX, t[3] + LABEL_PAD_PX) for tx, t in taken]
            others += [
                (mx * s - ring[cid], mx * s + ring[cid], my - ring[cid], my + ring[cid])
                for cid, (mx, my) in at.items()
                if cid != own
            ]
            n += sum(o[0] - LABEL_PAD_PX < b[1] and b[0] < o[1] + LABEL_PAD_PX and o[2] < b[3] and b[2] < o[3] for o in others)
            n += wall * sum(w * s - 2 - LABEL_PAD_PX < b[1] and b[0] < w * s + 2 + LABEL_PAD_PX for w in walls)
            n += 0 if b[0] >= 0 and b[1] <= width * s and b[2] >= 0 and b[3] <= panel_px else edge  # under: the ticks, a title
        return n

    out: dict[str, Placed] = {}
    for c in sorted(claims, key=lambda c: (c.id not in article, c.date)):
        x, y = at[c.id]
        r = radius.get(c.id) or RING_RADIUS[0]
        scope = t(locale, f"scope_short_{c.scope}")
        tries = []
        for lines_ in ([scope], textwrap.wrap(scope, SCOPE_WRAP_CHARS) or [scope]):
            w = max(6.5 * len(value_text(c, locale)), *(5.6 * len(part) for part in lines_)) + 4
            h = LABEL_H_PX + LINE_PX * (len(lines_) - 1)
            tries += [(name, lines_, spot(w, h, r)) for name, spot in _SPOTS]
        free = [tr for tr in tries if not clash(x, y, tr[2], c.id)]
        if not free and c.id in article:  # the article's figure: further off, with a leader line to it
            w = max(6.5 * len(value_text(c, locale)), 5.6 * len(scope)) + 4
            leaders = [
                (f"leader {dx:g} {dy:g}", [scope], (dx - w / 2, dx + w / 2, dy - LABEL_H_PX / 2, dy + LABEL_H_PX / 2))
                for d in LEADER_PX
                for ux, uy in LEADER_DIRECTIONS
                for dx, dy in [(ux * (d + w / 2), uy * (d + LABEL_H_PX / 2))]
            ]
            narrowest = (min(scales), 1.0)  # a label is cut where the plot is narrower than assumed
            free = (
                [tr for tr in leaders if not clash(x, y, tr[2], c.id)]
                # free at the width assumed and the narrowest, else at the width assumed; else the spot
                # covering least, never across a date line nor out of the panel at any width
                or [tr for tr in tries + leaders if not clash(x, y, tr[2], c.id, only=narrowest)]
                or [tr for tr in tries + leaders if not clash(x, y, tr[2], c.id, only=(1.0,))]
                or [min(tries + leaders, key=lambda tr: clash(x, y, tr[2], c.id, wall=10, edge=10))]
            )
        if not free:
            out[c.id] = Placed(None, [scope])
            continue
        name, lines_, box = free[0]
        taken.append((x, (box[0], box[1], y + box[2], y + box[3])))
        days = [lo + dt.timedelta(days=(x * s + e) / (px_day * s)) for s in scales for e in box[:2]]  # at each width
        out[c.id] = Placed(name, lines_, (min(days), max(days)), (y + box[2], y + box[3]))
    return [out[c.id] for c in claims]


def _rereport_marks(
    bundle: Bundle, locale: str, fig: go.Figure, row: int, repeats: list[Rereport], styles: dict[str, K.Style]
) -> None:
    """The re-reports of one panel's claims, one trace per origin claimant (its colour), hollow."""
    by_claimant: dict[str, list[Rereport]] = {}
    for r in repeats:
        by_claimant.setdefault(bundle.claim_by_id[r.origin].claimant, []).append(r)
    for cid, rs in by_claimant.items():
        colour = styles.get(cid, K.Style(K.FALLBACK)).colour
        hovers = [
            f"<b>{text_of(r.outlet)}</b><br>{i18n.date(r.date, locale)}<br>"
            f"{t(locale, 'rereport_printed', figure=text_of(r.figure))}<br>" + ", ".join(t(locale, f"drift_{d}") for d in r.drift)
            for r in rs
        ]
        fig.add_trace(
            go.Scatter(
                x=[r.date for r in rs],
                y=[r.value_low if r.value_low is not None else r.value_high for r in rs],
                mode="markers",
                marker=dict(color=colour, size=10, symbol=REREPORT_SYMBOL, line=dict(width=1.5, color=colour)),
                showlegend=False,
                hovertext=hovers,
                hoverinfo="text",
                meta={"rereports": [r.id for r in rs], "claimant": cid},
                name=t(locale, "key_rereport"),
            ),
            row=row,
            col=1,
        )
