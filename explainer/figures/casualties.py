"""Casualty figures by source: one panel per measure (killed, wounded, killed or wounded…), never one series."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Collection
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..model import CASUALTY_MEASURES, Claim, Rereport
from .axes import article_line, date_range, month_ticks
from .cache import dated
from .text import claims_credit, claims_table, doubt_text, said_when, text_of, value_of, value_text
from .theme import base_layout, separators
from .view import View

PANEL_BASE, PANEL_PER_POINT, PANEL_UNIT_PX = 1.2, 0.25, 80  # a panel's height: (base + per point) x unit px
PLOT_WIDTH_PX = 640  # the plot width label placement assumes: the chart column on a desktop page
PHONE_WIDTH_PX = 280  # ...and on a phone (345 px of chart, less the value axis)
LEGEND_ROW_PX = 24
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
) -> View:
    """``rereports``: also mark each later report repeating a figure shown (data/rereports.csv), as a
    hollow hexagon in the origin claimant's colour, in the origin claim's panel, at the figure the
    outlet printed, with the outlet and what changed in its hover.
    ``also_dates``: days the x axis must cover from the start (a story's steps), so that a
    selected one never widens it after the labels were placed. ``highlight``: claim ids ringed in the event colour (a story step's claims)."""
    key = ("casualties", tuple(claimants or ()), tuple(measures or ()), tuple(highlight), plot_width, also_dates, rereports)
    return dated(
        bundle,
        locale,
        key,
        lambda: _casualties(bundle, locale, claimants, measures, highlight, plot_width, also_dates, rereports),
        selected,
    )


def _casualties(
    bundle: Bundle,
    locale: str,
    claimants: Collection[str] | None,
    measures: Collection[str] | None,
    highlight: Collection[str] = (),
    plot_width: int = PLOT_WIDTH_PX,
    also_dates: tuple[dt.date, ...] = (),
    rereports: bool = False,
) -> View:
    numbered, unnumbered = casualty_claims(bundle, claimants, measures)
    shown_ids = {c.id for c in numbered}
    repeats = [r for r in bundle.rereports if rereports and r.origin in shown_ids and r.bound != "none"]
    shown = [m for m in CASUALTY_MEASURES if any(c.measure == m for c in numbered)] or list(CASUALTY_MEASURES[:1])
    styles = K.claimant_styles(bundle)
    counts = [sum(c.measure == m for c in numbered) for m in shown]
    weights = [PANEL_BASE + min(n, 12) * PANEL_PER_POINT for n in counts]  # panel heights by content
    height = 160 + round(PANEL_UNIT_PX * sum(weights))
    fig = make_subplots(
        rows=len(shown),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=min(0.06, 56 / height),
        row_heights=weights,
        subplot_titles=[t(locale, f"measure_{m}") for m in shown],
    )
    article = {cid for ac in bundle.article.claims for cid in ac.claim_ids}
    value = value_of
    x_range = date_range([c.date for c in numbered] + [r.date for r in repeats] + [bundle.article.published, *also_dates])
    legend: dict[str, str] = {}  # claimant -> the symbol its points carry where it first appears
    for row, measure in enumerate(shown, start=1):
        by_claimant: dict[str, list[Claim]] = {}
        for c in numbered:
            if c.measure == measure:
                by_claimant.setdefault(c.claimant, []).append(c)
        # value labels on the article's figures and each source's latest only (the rest on hover),
        # with the figure's scope under the value, placed where they collide with nothing
        wanted = [c for cs in by_claimant.values() for c in cs if c.id in article or c is max(cs, key=lambda c: (c.date, c.id))]
        panel_px = PANEL_UNIT_PX * weights[row - 1] - 40
        labels = {
            c.id: (
                f"{_pad(pos, c.id in article)}{value_text(c, locale)}<br><span style='font-size:10px;color:{K.MUTED}'>"
                f"{t(locale, f'scope_short_{c.scope}')}</span>",
                pos,
            )
            for c, pos in zip(
                wanted,
                place_labels(wanted, article, x_range, panel_px, locale, plot_width, (bundle.article.published, *also_dates)),
            )
            if pos is not None
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
                texts.append(text)
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
                        fig.add_trace(
                            go.Scatter(
                                x=[c.date],
                                y=[value(c)],
                                mode="markers",
                                marker=ring,
                                hoverinfo="skip",
                                showlegend=False,
                                name=t(locale, label),
                            ),
                            row=row,
                            col=1,
                        )
        _rereport_marks(bundle, locale, fig, row, [r for r in repeats if bundle.claim_by_id[r.origin].measure == measure], styles)
        fig.update_yaxes(rangemode="tozero", gridcolor=K.GRID, tickformat=",d", row=row, col=1, separatethousands=True)
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
    fig.update_xaxes(range=x_range, gridcolor=K.GRID_FAINT, **month_ticks(x_range, locale))
    fig.update_layout(
        separators=separators(locale),
        showlegend=True,
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, font=dict(size=11)),
    )
    # the legend sits under the plot and takes its height out of the figure's: one entry a row on a
    # phone, about four a row on a desktop page (plotly wraps a horizontal legend to the width)
    entries = len(legend) + len(keys) + 2  # + the article's and the selected date's lines
    per_row = 1 if plot_width < 400 else 4
    height += LEGEND_ROW_PX * -(-entries // per_row) - 100
    base_layout(fig, t(locale, "view_casualties"), height)
    fig.update_layout(margin=dict(l=8, r=8, t=30, b=8))

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
# in px as x0, x1 given the label width w, and y0, y1 given its height h; y up).
_SPOTS: list[tuple[str, Callable[[float, float], tuple[float, float, float, float]]]] = [
    ("middle right", lambda w, h: (9, 9 + w, -h / 2, h / 2)),
    ("top center", lambda w, h: (-w / 2, w / 2, 9, 9 + h)),
    ("bottom center", lambda w, h: (-w / 2, w / 2, -9 - h, -9)),
    ("middle left", lambda w, h: (-9 - w, -9, -h / 2, h / 2)),
    ("top right", lambda w, h: (6, 6 + w, 6, 6 + h)),
    ("bottom right", lambda w, h: (6, 6 + w, -6 - h, -6)),
]


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
    claim's marker, or ``None`` (the value stays in the tooltip). The article's figures are placed
    first and always get a spot. A small greedy rule rather than a label-placement library: a
    panel holds a few labels (checked in the screenshots at 1280 and 375 px). ``lines``: days drawn as
    vertical lines (the article's, a story's steps), which no label crosses either."""
    if not claims or not x_range:
        return [None] * len(claims)
    lo, hi = dt.date.fromisoformat(x_range[0][:10]), dt.date.fromisoformat(x_range[1][:10])
    px_day = width / max((hi - lo).days, 1)
    top = max(value_of(c) or 0 for c in claims) * 1.1 or 1
    at = {c.id: ((c.date - lo).days * px_day, (value_of(c) or 0) / top * panel_px) for c in claims}
    markers = [(x - 7, x + 7, y - 7, y + 7) for x, y in at.values()]
    taken: list[tuple[float, float, float, float]] = []
    markers += [((d - lo).days * px_day - 2, (d - lo).days * px_day + 2, -1e6, 1e6) for d in lines]

    def clash(box: tuple[float, float, float, float], own: tuple[float, float]) -> int:
        boxes = taken + [m for m in markers if (m[0] + 7, m[2] + 7) != own]
        inside = box[0] >= -8 and box[1] <= width and box[2] >= -8 and box[3] <= panel_px + 8
        return sum(b[0] < box[1] and box[0] < b[1] and b[2] < box[3] and box[2] < b[3] for b in boxes) + (0 if inside else 1)

    out: dict[str, str | None] = {}
    for c in sorted(claims, key=lambda c: (c.id not in article, c.date)):
        x, y = at[c.id]
        w = max(6.5 * len(value_text(c, locale)), 5.6 * len(t(locale, f"scope_short_{c.scope}"))) + 4
        tries = [(name, (x + a, x + b, y + d, y + e)) for name, spot in _SPOTS for a, b, d, e in [spot(w, 28)]]
        free = [(name, box) for name, box in tries if not clash(box, (x, y))]
        if not free and c.id in article:
            free = [min(tries, key=lambda nb: clash(nb[1], (x, y)))]
        out[c.id] = free[0][0] if free else None
        if free:
            taken.append(free[0][1])
    return [out[c.id] for c in claims]


def _pad(pos: str, ringed: bool) -> str:
    """A label beside a ringed figure starts clear of the ring (plotly offsets text by the marker's
    own size, not the ring's)."""
    return "\u00a0\u00a0" if ringed and pos.endswith("right") else ""


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
