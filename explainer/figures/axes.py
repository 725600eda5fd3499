"""Time axes: month ticks in the page's language, ranges that follow the data, the date lines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle


def month_ticks(rng: list[str] | None, locale: str, most: int = 6) -> dict[str, Any]:
    """x-axis ticks on the first of a month, labelled in the page's language by Babel ('janv. 2025'):
    plotly's own month names are English unless a locale bundle is registered in its frontend."""
    if not rng:
        return {}
    lo, hi = dt.date.fromisoformat(rng[0][:10]), dt.date.fromisoformat(rng[1][:10])
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = next(s for s in (1, 2, 3, 6, 12, 24) if months / s <= most)
    ticks, d = [], dt.date(lo.year, lo.month, 1)
    while d <= hi:
        if d >= lo and (d.month - 1) % step == 0:
            ticks.append(d)
        d = dt.date(d.year + d.month // 12, d.month % 12 + 1, 1)
    from babel.dates import format_date

    loc = i18n.LOCALES.get(locale, i18n.LOCALES[i18n.DEFAULT_LOCALE])
    # the year only on the first tick and on each January, as graphics desks label time axes
    text = [
        format_date(x, "y", locale=loc)
        if step >= 12
        else format_date(x, "MMM y" if i == 0 or x.month == 1 else "MMM", locale=loc)
        for i, x in enumerate(ticks)
    ]
    return {"tickvals": [x.isoformat() for x in ticks], "ticktext": text, "tickangle": 0}


def date_range(dates: Iterable[dt.date | None], pad_days: int = 12, pad_share: float = 0.04) -> list[str] | None:
    """An x-axis range [first, last] around ``dates``, padded so no point sits on the frame."""
    known = [d for d in dates if d is not None]
    if not known:
        return None
    lo, hi = min(known), max(known)
    pad = dt.timedelta(days=max(pad_days, round((hi - lo).days * pad_share)))
    return [(lo - pad).isoformat(), (hi + pad).isoformat()]


def vline(day: dt.date, line: dict[str, Any], panel: str = "", y: tuple[float, float] | None = None) -> dict[str, Any]:
    """A date's line over one panel (``panel``: "", "2", … as in plotly's axis names), from its
    bottom to its top, or between values ``y`` of its value axis. A line per panel, not one over
    the whole figure: the panel titles between them stay clear."""
    return {
        "type": "line",
        "xref": f"x{panel}",
        "yref": f"y{panel}" if y else f"y{panel} domain",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": y[0] if y else 0,
        "y1": y[1] if y else 1,
        "line": line,
        "layer": "below",
    }


def panels(layout: dict[str, Any]) -> list[str]:
    """The panels of a figure's layout, by axis suffix ("", "2", …): one per value axis."""
    found = sorted((k[5:] for k in layout if k.startswith("yaxis")), key=lambda s: int(s or 1))
    return found or [""]


def vlines(
    layout: dict[str, Any], day: dt.date, line: dict[str, Any], gaps: list[list[Any]] | None = None
) -> list[dict[str, Any]]:
    """A date's line over every panel; where ``gaps`` (layout meta ``line_gaps``: panel row, first and
    last day, lowest and highest value of a label's box) hold the day, the line stops around them."""
    out = []
    iso = day.isoformat()
    for i, panel in enumerate(panels(layout), start=1):
        holes = sorted((g[3], g[4]) for g in gaps or () if g[0] == i and g[1] <= iso <= g[2])
        rng = (layout.get(f"yaxis{panel}") or {}).get("range")
        if not holes or not rng:
            out.append(vline(day, line, panel))
            continue
        at = float(rng[0])
        for lo, hi in holes:
            if lo > at:
                out.append(vline(day, line, panel, (at, lo)))
            at = max(at, hi)
        if at < rng[1]:
            out.append(vline(day, line, panel, (at, float(rng[1]))))
    return out


def legend_line(line: dict[str, Any], name: str) -> dict[str, Any]:
    return {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "line": line, "name": name, "hoverinfo": "skip"}


def article_line(fig: go.Figure, bundle: Bundle, locale: str, gaps: list[list[Any]] | None = None) -> None:
    """The article's date, dotted, across all panels (stopping at ``gaps``, see :func:`vlines`) and named in the legend."""
    published = bundle.article.published
    lines = vlines(fig.layout.to_plotly_json(), published, K.ARTICLE_LINE, gaps)
    fig.update_layout(shapes=[*(fig.layout.shapes or ()), *lines])
    fig.add_trace(legend_line(K.ARTICLE_LINE, t(locale, "article_date_label", date=i18n.date(published, locale, short=True))))


def with_date(layout: dict[str, Any], day: dt.date, locale: str) -> dict[str, Any]:
    """``layout`` with every x axis widened, if need be, so that ``day`` is inside the drawn range
    (its month ticks recomputed for the wider range, if it had them)."""
    out = dict(layout)
    for key, axis in layout.items():
        rng = axis.get("range") if key.startswith("xaxis") and isinstance(axis, dict) else None
        if not rng or rng[0] is None:
            continue
        lo, hi = dt.date.fromisoformat(str(rng[0])[:10]), dt.date.fromisoformat(str(rng[1])[:10])
        if lo <= day <= hi:
            continue
        pad = dt.timedelta(days=12)
        wider = [min(lo, day - pad).isoformat(), max(hi, day + pad).isoformat()]
        ticks = month_ticks(wider, locale, most=_ticks_shown(axis)) if "tickvals" in axis else {}
        out[key] = {**axis, "range": wider, **ticks}
    return out


def _ticks_shown(axis: dict[str, Any]) -> int:
    """As many month ticks as the axis was built with (at least four)."""
    return max(4, len(axis.get("tickvals") or ()))
