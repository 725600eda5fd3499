"""Events by category on one time axis; the chosen day's events ringed.

The figure is built once with every lane (:func:`timeline_lanes`); a category filter keeps some of
them with :func:`keep_lanes`, which the live page's script (``export_assets/live_timeline.js``)
repeats in the browser from the same ``layout.meta``: the lanes' traces and annotations, and where
each lane's numbers and name lie (a date line stops there). The article's events keep their
number whatever the filter, and the time axis keeps its range, so a filter never renumbers or
moves anything."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from itertools import combinations
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..model import CATEGORIES, Event
from .axes import date_range, legend_line, month_ticks, vlines
from .cache import dated
from .text import events_credit, text_of, wrap_parts
from .theme import base_layout
from .view import Spec, View


def build_timeline(
    bundle: Bundle, locale: str, selected: dt.date | None = None, categories: Collection[str] | None = None
) -> View:
    """``selected``: the reader's date, drawn as a line; events on that day are ringed."""
    key = ("timeline", tuple(c for c in CATEGORIES if c in (categories or ())))
    view = dated(bundle, locale, key, lambda: _filtered(bundle, locale, categories), selected)
    on_day = [e for e in bundle.events if e.date == selected and (not categories or e.category in categories)]
    if not on_day or view.spec is None:
        return view
    spec = {"data": [*view.spec["data"], ring(on_day, locale)], "layout": view.spec["layout"]}
    return View(go.Figure(spec, _validate=False), view.summary, view.table, view.credits, view.title, spec=spec)


def ring(events: list[Event], locale: str) -> dict[str, Any]:
    """The chosen day's events, ringed (the live page's script draws the same ring)."""
    trace: dict[str, Any] = go.Scatter(
        x=[e.date for e in events],
        y=[t(locale, f"cat_{e.category}") for e in events],
        mode="markers",
        marker=dict(size=RING_PX, color=K.SELECTED_LINE["color"], symbol="circle-open", line=dict(width=2.5)),
        hoverinfo="skip",
        showlegend=False,
        name=t(locale, "selected_event"),
    ).to_plotly_json()
    return trace


LANE_NAME_PX_PER_CHAR = 7.5  # the lane names' bold 12 px type, per character (a little generous)
NARROWEST_PLOT_PX = 260  # the timeline's plot on a 320 px phone (live page and static page)
LANE_PX = 66  # a lane's height
LANE_NAME_SHIFT = 26  # px: a lane's name above its lane's points
NUMBER_PX_PER_CHAR = 7  # an event number's 11 px type, per character (a little generous)
NUMBER_SHIFT = 22  # px: an event's number above its point (below it, when its lane's name is there)
RING_PX = 26  # the chosen event's ring: inside the numbers' reach (NUMBER_SHIFT - 7 px of type)
LEGEND_PX = 40  # the key to the date lines, above the plot (two rows on a phone)
NAME_ROW_PX = 100_000  # a lane name's row, across the whole plot
HOVER_CHARS = 30  # a tooltip's line: it fits a phone's screen beside its point


def _under_lane_name(name: str, x_range: list[str] | None) -> dt.date | None:
    """The last day whose point lies under the lane's name (left-aligned above the lane) on the
    narrowest screen: a number there goes under its point, not into the name."""
    if not x_range:
        return None
    lo, hi = (dt.date.fromisoformat(x) for x in x_range)
    share = (len(name) * LANE_NAME_PX_PER_CHAR + 8) / NARROWEST_PLOT_PX
    return lo + dt.timedelta(days=(hi - lo).days * share)


def _filtered(bundle: Bundle, locale: str, categories: Collection[str] | None) -> View:
    full = timeline_lanes(bundle, locale)
    cats = [c for c in CATEGORIES if c in (categories or ())]
    if not cats:
        return full
    spec = keep_lanes(full.figure.to_dict(), cats)
    events = [e for e in bundle.events if e.category in cats]
    return View(
        go.Figure(spec),
        timeline_summary(bundle, locale, cats),
        _table(events, locale),
        [events_credit(events, locale)],
        full.title,
    )


def numbers(bundle: Bundle) -> dict[str, str]:
    """The article's events numbered in date order (whatever the filter): event id -> number."""
    return {e.id: str(i) for i, e in enumerate((e for e in bundle.events if e.in_article), start=1)}


def timeline_lanes(bundle: Bundle, locale: str) -> View:
    """Every lane, no date chosen: the base the filters and the chosen date are drawn on (cached)."""
    return dated(bundle, locale, ("timeline-lanes",), lambda: _timeline(bundle, locale), None)


def _timeline(bundle: Bundle, locale: str) -> View:
    fig = go.Figure()
    events = list(bundle.events)
    cats = [c for c in CATEGORIES if any(e.category == c for e in events)]
    # the article's events are numbered on the chart, in date order, and listed in the text under it
    number = numbers(bundle)
    x_range = date_range([e.date for e in events] + [bundle.article.published])
    lanes: list[dict[str, Any]] = []
    for cat in cats:
        name = t(locale, f"cat_{cat}")
        es = [e for e in events if e.category == cat]
        lane: dict[str, Any] = {"cat": cat, "name": name, "trace": len(fig.data), "annotations": [], "gaps": []}
        fig.add_trace(
            go.Scatter(
                x=[e.date for e in es],
                y=[name] * len(es),
                mode="markers",
                name=name,
                marker=dict(
                    size=[16 if e.in_article else 11 for e in es],
                    color=K.CATEGORY.get(cat, K.FALLBACK),
                    symbol=["diamond" if e.in_article else "circle" for e in es],
                    line=dict(width=[2 if e.in_article else 0.5 for e in es], color=K.ARTICLE_RING),
                ),
                hovertext=[_hover(e, locale) for e in es],
                hoverinfo="text",
                customdata=[e.id for e in es],
                showlegend=False,
            )
        )
        # the lane's name above its lane, left-aligned, instead of tick labels that take a third of a phone's width
        lane["annotations"].append(len(fig.layout.annotations))
        fig.add_annotation(
            text=f"<b>{name}</b>",
            x=0,
            xref="paper",
            xanchor="left",
            y=name,
            yref="y",
            yshift=LANE_NAME_SHIFT,
            showarrow=False,
            font=dict(size=12, color=K.MUTED),
        )
        if x_range:  # a date's line stops at every lane's name row, the same on every screen (never through a name)
            lane["gaps"].append(_gap(x_range[0], 0, NAME_ROW_PX, LANE_NAME_SHIFT, 9))
        under = _under_lane_name(name, x_range)
        for e, text in zip(es, _cluster_labels(es, number)):
            if not text:
                continue
            shift = -NUMBER_SHIFT if under and e.date <= under else NUMBER_SHIFT
            lane["annotations"].append(len(fig.layout.annotations))
            fig.add_annotation(
                text=text, x=e.date, y=name, yref="y", yshift=shift, showarrow=False, font=dict(size=11, color=K.INK)
            )
            half = (NUMBER_PX_PER_CHAR * len(text) + 6) / 2
            lane["gaps"].append(_gap(e.date.isoformat(), -half, half, shift, 8))
        lanes.append(lane)
    fig.update_yaxes(gridcolor=K.GRID, showticklabels=False)
    fig.update_xaxes(gridcolor=K.GRID_FAINT, range=x_range, **month_ticks(x_range, locale, most=4))
    # the key to the two date lines, above the plot: what each vertical line means, without a tooltip
    fig.update_layout(
        showlegend=True,
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            y=1,
            yanchor="bottom",
            font=dict(size=12),
            itemclick=False,
            itemdoubleclick=False,
        ),
        hovermode="closest",
        hoverlabel=dict(font=dict(size=12)),
        clickmode="event+select",
        dragmode=False,
    )
    base_layout(fig, t(locale, "view_timeline"), LANE_PX * len(cats) + 80 + LEGEND_PX)
    fig.layout.meta = {
        **fig.layout.meta,
        "lanes": lanes,
        "lane_px": LANE_PX,
        "extra_px": 80 + LEGEND_PX,
        "name_row_px": NAME_ROW_PX,
    }
    fig.add_trace(
        legend_line(K.ARTICLE_LINE, t(locale, "article_date_label", date=i18n.date(bundle.article.published, locale, short=True)))
    )
    fig.layout.meta = {**fig.layout.meta, "article": bundle.article.published.isoformat()}
    spec = keep_lanes(fig.to_dict(), cats)
    return View(
        go.Figure(spec),
        timeline_summary(bundle, locale, ()),
        _table(events, locale),
        [events_credit(events, locale)],
        t(locale, "view_timeline"),
    )


def _days(x_range: list[str] | None) -> int:
    if not x_range:
        return 1
    lo, hi = (dt.date.fromisoformat(x) for x in x_range)
    return (hi - lo).days


def _gap(at: str, left_px: float, right_px: float, shift: float, half_px: float) -> list[Any]:
    """Where a date line stops around a label: the day it is placed at, how far it reaches left and
    right of it in pixels (days on a given plot's width: :func:`gap_days`), and its lowest and highest
    point in lane units from the lane's middle."""
    return [at, left_px, right_px, (shift - half_px) / LANE_PX, (shift + half_px) / LANE_PX]


def gap_days(gap: list[Any], plot_px: float, x_range: list[str]) -> tuple[str, str]:
    """A label's first and last day on a plot ``plot_px`` wide (live_timeline.js: gapDays, the same)."""
    lo, hi = (dt.date.fromisoformat(str(x)[:10]) for x in x_range)
    day_px = plot_px / max((hi - lo).days, 1)
    at = dt.date.fromisoformat(gap[0])
    return (
        (at + dt.timedelta(days=math.floor(gap[1] / day_px))).isoformat(),
        (at + dt.timedelta(days=math.ceil(gap[2] / day_px))).isoformat(),
    )


def keep_lanes(spec: Spec, cats: Collection[str]) -> Spec:
    """The timeline with only the lanes of ``cats`` (in their own order), top to bottom, its height,
    y range and article line for them (``line_gaps``, for the chosen date's line: figures.cache).
    The live page's script does the same in the browser (live_timeline.js: keepLanes)."""
    layout = dict(spec["layout"])
    meta = dict(layout.get("meta") or {})
    lanes = [lane for lane in meta.get("lanes", []) if lane["cat"] in cats]
    kept_traces = {lane["trace"] for lane in lanes}
    lane_traces = {lane["trace"] for lane in meta.get("lanes", [])}
    kept_notes = {i for lane in lanes for i in lane["annotations"]}
    notes = list(layout.get("annotations") or [])
    layout["annotations"] = [a for i, a in enumerate(notes) if i in kept_notes]
    n = len(lanes)
    layout["yaxis"] = {
        **(layout.get("yaxis") or {}),
        "categoryorder": "array",
        "categoryarray": [lane["name"] for lane in reversed(lanes)],
        "range": [-0.6, n - 0.2],
        "type": "category",
    }
    layout["height"] = meta["lane_px"] * n + meta["extra_px"]
    # on the narrowest screen, where a label reaches furthest (the live page's script uses the plot's own width)
    x_range = (layout.get("xaxis") or {}).get("range")
    # the top lane's name row reaches the plot's top: no stub of line above it
    gaps = [
        [
            1,
            *gap_days(g, NARROWEST_PLOT_PX, x_range),
            (n - 1 - i) + g[3],
            (n - 1 - i) + (1 if i == 0 and g[2] >= NAME_ROW_PX else g[4]),
        ]
        for i, lane in enumerate(lanes)
        for g in lane["gaps"]
        if x_range
    ]
    meta["line_gaps"] = gaps
    layout["meta"] = meta
    article = meta.get("article")
    layout["shapes"] = vlines(layout, dt.date.fromisoformat(article), K.ARTICLE_LINE, gaps) if article else []
    data = [tr for i, tr in enumerate(spec["data"]) if i in kept_traces or i not in lane_traces]
    return {"data": data, "layout": layout}


def _hover(e: Event, locale: str) -> str:
    """A tooltip on short lines, so that it stays on a phone's screen beside its point."""
    title = wrap_parts([text_of(i18n.field(e, "title", locale))], HOVER_CHARS)
    return f"<b>{i18n.date(e.date, locale, e.date_precision)}</b><br>{title}"


def timeline_summary(bundle: Bundle, locale: str, categories: Collection[str]) -> str:
    """The text alternative of the timeline with these lanes (all when empty)."""
    events = [e for e in bundle.events if not categories or e.category in categories]
    number = numbers(bundle)
    summary = t(
        locale,
        "timeline_summary",
        events=i18n.count(locale, "count_events", len(events)),
        first=i18n.date(events[0].date, locale) if events else "",
        last=i18n.date(events[-1].date, locale) if events else "",
        in_article=i18n.count(locale, "count_in_article_events", sum(e.in_article for e in events)),
    )
    quoted = [e for e in events if e.id in number]
    if quoted:
        items = "; ".join(
            f"{number[e.id]}\u00a0— {i18n.date(e.date, locale, e.date_precision)}, {i18n.field(e, 'title', locale)}"
            for e in quoted
        )
        summary += " " + t(locale, "timeline_numbered", items=items)
    return summary


def filter_texts(bundle: Bundle, locale: str) -> dict[str, dict[str, str]]:
    """The text alternative and the sources line of every category filter, keyed by its categories
    joined with commas in their own order ("" for none): the live page's script shows them as the
    reader filters, without asking the server."""
    out: dict[str, dict[str, str]] = {}
    for n in range(len(CATEGORIES) + 1):
        for cats in combinations(CATEGORIES, n):
            events = [e for e in bundle.events if not cats or e.category in cats]
            out[",".join(cats)] = {
                "summary": timeline_summary(bundle, locale, cats),
                "credit": events_credit(events, locale),
            }
    return out


def _table(events: list[Event], locale: str) -> pd.DataFrame:
    lang = i18n.lang_of(locale)
    return pd.DataFrame(
        [
            {
                t(locale, "col_date"): e.date,
                t(locale, "col_category"): t(locale, f"cat_{e.category}"),
                t(locale, "col_title"): getattr(e, f"title_{lang}"),
                t(locale, "col_summary"): getattr(e, f"summary_{lang}"),
                t(locale, "col_source"): e.source_url,
                "id": e.id,
            }
            for e in events
        ]
    )


CLUSTER_DAYS = 12  # numbered events of one lane closer than this share one label ("6–8")


def _cluster_labels(events: list[Event], number: dict[str, str]) -> list[str]:
    """One label per cluster of numbered events in a lane, on the cluster's middle event, so that
    numbers of events a few days apart do not print over each other."""
    labels = [""] * len(events)
    idx = sorted((i for i, e in enumerate(events) if e.id in number), key=lambda i: events[i].date)
    clusters: list[list[int]] = []
    for i in idx:
        if clusters and (events[i].date - events[clusters[-1][-1]].date).days <= CLUSTER_DAYS:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    for group in clusters:
        nums = [int(number[events[i].id]) for i in group]
        run = len(nums) >= 3 and nums == list(range(nums[0], nums[0] + len(nums)))
        labels[group[len(group) // 2]] = f"{nums[0]}–{nums[-1]}" if run else ", ".join(map(str, nums))
    return labels
