"""Casualty figures by source: one panel per measure (killed, wounded, killed or wounded…), never one series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..model import CASUALTY_MEASURES, Claim
from .axes import article_line, date_range, month_ticks
from .cache import dated
from .text import claims_table, text_of, value_of, value_text
from .theme import base_layout, separators
from .view import View

MEASURE_SYMBOL = {"killed": "x", "wounded": "triangle-up", "killed_or_wounded": "circle", "casualties_incl_missing": "square"}


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
) -> View:
    """``highlight``: claim ids ringed in the event colour (a story step's claims)."""
    key = ("casualties", tuple(claimants or ()), tuple(measures or ()), tuple(highlight))
    return dated(bundle, locale, key, lambda: _casualties(bundle, locale, claimants, measures, highlight), selected)


def _casualties(
    bundle: Bundle,
    locale: str,
    claimants: Collection[str] | None,
    measures: Collection[str] | None,
    highlight: Collection[str] = (),
) -> View:
    numbered, unnumbered = casualty_claims(bundle, claimants, measures)
    shown = [m for m in CASUALTY_MEASURES if any(c.measure == m for c in numbered)] or list(CASUALTY_MEASURES[:1])
    styles = K.claimant_styles(bundle)
    fig = make_subplots(
        rows=len(shown),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        subplot_titles=[t(locale, f"measure_{m}") for m in shown],
    )
    article = {cid for ac in bundle.article.claims for cid in ac.claim_ids}
    value = value_of
    legend: dict[str, str] = {}  # claimant -> the symbol its points carry where it first appears
    for row, measure in enumerate(shown, start=1):
        by_claimant: dict[str, list[Claim]] = {}
        for c in numbered:
            if c.measure == measure:
                by_claimant.setdefault(c.claimant, []).append(c)
        for cid, cs in by_claimant.items():
            who = bundle.claimants[cid]
            style = styles.get(cid, K.Style(K.FALLBACK))
            name = text_of(i18n.field(who, "short", locale))
            latest = max(cs, key=lambda c: (c.date, c.id))
            xs, ys, texts, hovers, symbols = [], [], [], [], []
            for c in cs:
                xs.append(c.date)
                ys.append(value(c))
                # value labels on the article's figures and each source's latest only; the rest on hover
                texts.append(value_text(c, locale) if c.id in article or c is latest else "")
                period = "" if c.cumulative else "<br><i>" + t(locale, "period_figure") + "</i>"
                hovers.append(
                    f"<b>{name}</b><br>{i18n.date(c.date, locale)}<br>"
                    f"{t(locale, f'measure_{measure}')}: <b>{value_text(c, locale)}</b>"
                    f"{period}<br>{t(locale, f'scope_{c.scope}')} · {text_of(c.outlet)}"
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
                    textposition="middle right",
                    textfont=dict(size=11, color=K.INK),
                    marker=dict(color=style.colour, size=11, symbol=symbols, line=dict(width=1.5, color=style.colour)),
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
                            line=dict(color=style.colour, width=3),
                            hoverinfo="skip",
                            showlegend=False,
                            legendgroup=cid,
                        ),
                        row=row,
                        col=1,
                    )
                if c.id in article:
                    fig.add_trace(
                        go.Scatter(
                            x=[c.date],
                            y=[value(c)],
                            mode="markers",
                            marker=dict(size=24, color="rgba(0,0,0,0)", line=dict(width=2.5, color=K.ARTICLE_RING)),
                            hoverinfo="skip",
                            showlegend=False,
                            name=t(locale, "in_article"),
                        ),
                        row=row,
                        col=1,
                    )
                if c.id in highlight:
                    fig.add_trace(
                        go.Scatter(
                            x=[c.date],
                            y=[value(c)],
                            mode="markers",
                            marker=dict(size=32, color="rgba(0,0,0,0)", line=dict(width=3, color=K.EVENT)),
                            hoverinfo="skip",
                            showlegend=False,
                            name=t(locale, "story_highlight"),
                        ),
                        row=row,
                        col=1,
                    )
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
                marker=dict(color=style.colour, size=11, symbol=symbol, line=dict(width=1.5, color=style.colour)),
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
    x_range = date_range([c.date for c in numbered] + [bundle.article.published])
    fig.update_xaxes(range=x_range, gridcolor=K.GRID_FAINT, **month_ticks(x_range, locale))
    fig.update_layout(
        separators=separators(locale),
        showlegend=True,
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, font=dict(size=11)),
    )
    base_layout(fig, t(locale, "view_casualties"), 220 * len(shown) + 160)
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
    credits = [t(locale, "credit_claims")]
    return View(fig, summary, claims_table(bundle, numbered + unnumbered, locale), credits, t(locale, "view_casualties"))
