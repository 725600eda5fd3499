"""Events by category on one time axis; the chosen day's events ringed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..model import CATEGORIES, Event
from .axes import article_line, date_range, month_ticks
from .cache import dated
from .text import events_credit, text_of
from .theme import base_layout
from .view import View


def build_timeline(
    bundle: Bundle, locale: str, selected: dt.date | None = None, categories: Collection[str] | None = None
) -> View:
    """``selected``: the reader's date, drawn as a line; events on that day are ringed."""
    key = ("timeline", tuple(categories or ()))
    view = dated(bundle, locale, key, lambda: _timeline(bundle, locale, categories), selected)
    on_day = [e for e in bundle.events if e.date == selected and (not categories or e.category in categories)]
    if not on_day or view.spec is None:
        return view
    ring = go.Scatter(
        x=[e.date for e in on_day],
        y=[t(locale, f"cat_{e.category}") for e in on_day],
        mode="markers",
        marker=dict(size=30, color=K.SELECTED_LINE["color"], symbol="circle-open", line=dict(width=3)),
        hoverinfo="skip",
        showlegend=False,
        name=t(locale, "selected_event"),
    ).to_plotly_json()
    spec = {"data": [*view.spec["data"], ring], "layout": view.spec["layout"]}
    return View(go.Figure(spec, _validate=False), view.summary, view.table, view.credits, view.title, spec=spec)


LANE_NAME_PX_PER_CHAR = 7.5  # the lane names' bold 12 px type, per character (a little generous)
NARROWEST_PLOT_PX = 330  # the timeline's plot on a 375 px phone
LANE_PX = 66  # a lane's height
NUMBER_PX_PER_CHAR = 7  # an event number's 11 px type, per character (a little generous)


def _under_lane_name(name: str, x_range: list[str] | None) -> dt.date | None:
    """The last day whose point lies under the lane's name (left-aligned above the lane) on the
    narrowest screen: a number there goes beside its point, not into the name."""
    if not x_range:
        return None
    lo, hi = (dt.date.fromisoformat(x) for x in x_range)
    share = (len(name) * LANE_NAME_PX_PER_CHAR + 8) / NARROWEST_PLOT_PX
    return lo + dt.timedelta(days=(hi - lo).days * share)


def _timeline(bundle: Bundle, locale: str, categories: Collection[str] | None) -> View:
    fig = go.Figure()
    events = [e for e in bundle.events if not categories or e.category in categories]
    cats = [c for c in CATEGORIES if any(e.category == c for e in events)]
    # the article's events are numbered on the chart, in date order, and listed in the text under it
    quoted = [e for e in events if e.in_article]
    number = {e.id: str(i) for i, e in enumerate(quoted, start=1)}
    x_range = date_range([e.date for e in events] + [bundle.article.published])
    for cat in cats:
        es = [e for e in events if e.category == cat]
        labels = _cluster_labels(es, number)
        under = _under_lane_name(t(locale, f"cat_{cat}"), x_range)
        fig.add_trace(
            go.Scatter(
                x=[e.date for e in es],
                y=[t(locale, f"cat_{cat}")] * len(es),
                mode="markers+text",
                text=labels,
                textposition=["middle right" if under and e.date <= under else "top center" for e in es],
                textfont=dict(size=11, color=K.INK),
                name=t(locale, f"cat_{cat}"),
                marker=dict(
                    size=[16 if e.in_article else 11 for e in es],
                    color=K.CATEGORY.get(cat, K.FALLBACK),
                    symbol=["diamond" if e.in_article else "circle" for e in es],
                    line=dict(width=[2 if e.in_article else 0.5 for e in es], color=K.ARTICLE_RING),
                ),
                hovertext=[
                    f"<b>{i18n.date(e.date, locale, e.date_precision)}</b><br>{text_of(i18n.field(e, 'title', locale))}"
                    for e in es
                ],
                hoverinfo="text",
                customdata=[e.id for e in es],
            )
        )
    # lane names above their lane, left-aligned, instead of tick labels that take a third of a phone's width
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[t(locale, f"cat_{c}") for c in reversed(cats)],
        gridcolor=K.GRID,
        showticklabels=False,
        range=[-0.6, len(cats) - 0.2],
    )
    # where the numbers are: a date's line stops there (in lane units: a lane is LANE_PX high)
    gaps: list[list[Any]] = []
    if x_range:
        lo, hi = (dt.date.fromisoformat(x) for x in x_range)
        day_px = NARROWEST_PLOT_PX / max((hi - lo).days, 1)
        for i, cat in enumerate(reversed(cats)):
            for tr in fig.data:
                if tr.name != t(locale, f"cat_{cat}"):
                    continue
                for x, text, pos in zip(tr.x, tr.text, tr.textposition):
                    if not text:
                        continue
                    w = NUMBER_PX_PER_CHAR * len(text) + 6
                    a, b = (8, 8 + w) if pos == "middle right" else (-w / 2, w / 2)
                    y0, y1 = (-8 / LANE_PX, 8 / LANE_PX) if pos == "middle right" else (6 / LANE_PX, 24 / LANE_PX)
                    gaps.append(
                        [
                            1,
                            (x + dt.timedelta(days=a / day_px)).isoformat(),
                            (x + dt.timedelta(days=b / day_px)).isoformat(),
                            i + y0,
                            i + y1,
                        ]
                    )
    article_line(fig, bundle, locale, gaps)
    for cat in cats:
        fig.add_annotation(
            text=f"<b>{t(locale, f'cat_{cat}')}</b>",
            x=0,
            xref="paper",
            xanchor="left",
            y=t(locale, f"cat_{cat}"),
            yref="y",
            yshift=26,
            showarrow=False,
            font=dict(size=12, color=K.MUTED),
        )
    fig.update_xaxes(gridcolor=K.GRID_FAINT, range=x_range, **month_ticks(x_range, locale, most=4))
    fig.update_layout(showlegend=False, hovermode="closest", clickmode="event+select", dragmode=False)
    base_layout(fig, t(locale, "view_timeline"), LANE_PX * len(cats) + 80)
    fig.layout.meta = {**fig.layout.meta, "line_gaps": gaps}
    summary = t(
        locale,
        "timeline_summary",
        events=i18n.count(locale, "count_events", len(events)),
        first=i18n.date(events[0].date, locale) if events else "",
        last=i18n.date(events[-1].date, locale) if events else "",
        in_article=i18n.count(locale, "count_in_article_events", sum(e.in_article for e in events)),
    )
    if quoted:
        items = "; ".join(
            f"{number[e.id]}\u00a0— {i18n.date(e.date, locale, e.date_precision)}, {i18n.field(e, 'title', locale)}"
            for e in quoted
        )
        summary += " " + t(locale, "timeline_numbered", items=items)
    lang = i18n.lang_of(locale)
    table = pd.DataFrame(
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
    return View(fig, summary, table, [events_credit(events, locale)], t(locale, "view_timeline"))


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
