"""Data -> plotly Figure, one builder per view.

The same builders serve the live app, the embeds and the static export. Each
returns a :class:`View`: the figure, a text alternative, the data table behind
it and the credit lines, so no caller can show a chart without its sources.
Pure functions: no Streamlit, no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import colours as K
from . import i18n
from .i18n import t
from .load import Bundle
from .model import CASUALTY_MEASURES, CATEGORIES
from .queries import nearest_date

MEASURE_SYMBOL = {"killed": "x", "wounded": "triangle-up", "killed_or_wounded": "circle", "casualties_incl_missing": "square"}
FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13, color=K.INK)
AREA_MEASURES = ("area_held_km2", "area_held_peak_km2")


@dataclass
class View:
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    credits: list[str] = field(default_factory=list)
    title: str = ""
    spec: dict | None = field(default=None, repr=False, compare=False)
    """The figure as a plain dict when the builder already has it (dated charts): what the figure's
    ``to_dict()`` would return, without its deep copy. Read-only, like the figure."""


def _base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title=None,
        font=FONT,
        height=height,
        margin=dict(l=8, r=8, t=8, b=8),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel=dict(font=dict(family=FONT["family"], size=13)),
        meta={"title": title},
    )
    return fig


claimant_colours = K.claimant_colours


def month_ticks(rng: list[str] | None, locale: str) -> dict:
    """x-axis ticks on the first of a month, labelled in the page's language by Babel ('janv. 2025'):
    plotly's own month names are English unless a locale bundle is registered in its frontend."""
    if not rng:
        return {}
    lo, hi = dt.date.fromisoformat(rng[0][:10]), dt.date.fromisoformat(rng[1][:10])
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    step = next(s for s in (1, 2, 3, 6, 12, 24) if months / s <= 6)
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


def date_range(dates, pad_days: int = 12, pad_share: float = 0.04) -> list[str] | None:
    """An x-axis range [first, last] around ``dates``, padded so no point sits on the frame."""
    dates = [d for d in dates if d is not None]
    if not dates:
        return None
    lo, hi = min(dates), max(dates)
    pad = dt.timedelta(days=max(pad_days, round((hi - lo).days * pad_share)))
    return [(lo - pad).isoformat(), (hi + pad).isoformat()]


def value_text(c, locale: str) -> str:
    """'≥3'000', '~1'100', '15'000–18'000', 'no figure' — the claim as said."""
    f = lambda v: i18n.num(v, locale)
    return {
        "exact": lambda: f(c.value_low),
        "approx": lambda: "~" + f(c.value_low),
        "at_least": lambda: "≥" + f(c.value_low),
        "at_most": lambda: "≤" + f(c.value_high),
        "range": lambda: f"{f(c.value_low)}–{f(c.value_high)}",
        "none": lambda: t(locale, "no_figure"),
    }[c.bound]()


def claims_table(bundle: Bundle, claims, locale: str) -> pd.DataFrame:
    lang = i18n.lang_of(locale)
    rows = []
    for c in claims:
        who = bundle.claimants.get(c.claimant)
        rows.append(
            {
                t(locale, "col_date"): c.date.isoformat(),
                t(locale, "col_claimant"): i18n.field(who, "name", locale) if who else c.claimant,
                t(locale, "col_measure"): t(locale, f"measure_{c.measure}"),
                t(locale, "col_value"): value_text(c, locale),
                t(locale, "col_scope"): t(locale, f"scope_{c.scope}"),
                t(locale, "col_quote"): c.quote,
                t(locale, "col_outlet"): c.outlet,
                t(locale, "col_source"): c.source_url,
                t(locale, "col_note"): getattr(c, f"note_{lang}") or "",
                "id": c.id,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- casualties


def casualty_claims(bundle: Bundle, claimants=None, measures=None):
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
    bundle: Bundle, locale: str, claimants=None, measures=None, selected: dt.date | None = None, highlight: tuple[str, ...] = ()
) -> View:
    """``highlight``: claim ids ringed in the event colour (a story step's claims)."""
    key = ("casualties", tuple(claimants or ()), tuple(measures or ()), tuple(highlight))
    return _dated(bundle, locale, key, lambda: _casualties(bundle, locale, claimants, measures, highlight), selected)


def _casualties(bundle: Bundle, locale: str, claimants, measures, highlight=()) -> View:
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
    value = lambda c: c.value_low if c.value_low is not None else c.value_high
    legend: dict[str, str] = {}  # claimant -> the symbol its points carry where it first appears
    for row, measure in enumerate(shown, start=1):
        by_claimant: dict[str, list] = {}
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
    keys = [("key_article", dict(size=16, color=K.ARTICLE_RING, symbol="circle-open", line=dict(width=2.5)))]
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
    _article_line(fig, bundle, locale)
    x_range = date_range([c.date for c in numbered] + [bundle.article.published])
    fig.update_xaxes(range=x_range, gridcolor=K.GRID_FAINT, **month_ticks(x_range, locale))
    fig.update_layout(
        separators=_separators(locale),
        showlegend=True,
        legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, font=dict(size=11)),
    )
    _base_layout(fig, t(locale, "view_casualties"), 220 * len(shown) + 160)
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


_BASES: dict[tuple, tuple[View, dict]] = {}


def forget_other_versions(version: str) -> None:
    """Drop what was built for superseded data versions: after an edit (or a huge file reverted)
    the old figures would otherwise stay in memory until the size caps evict them."""
    for cache in (_BASES, _ORIENTED):
        for k in [k for k in cache if k[0] != version]:
            del cache[k]
    for k in [k for k in _EXTENTS if k != version]:
        del _EXTENTS[k]


def _vline(day: dt.date, line: dict) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "y0": 0,
        "y1": 1,
        "line": line,
        "layer": "below",
    }


def _legend_line(line: dict, name: str) -> dict:
    return {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "line": line, "name": name, "hoverinfo": "skip"}


def _article_line(fig: go.Figure, bundle: Bundle, locale: str) -> None:
    """The article's date, dotted, across all panels and named in the legend."""
    published = bundle.article.published
    fig.update_layout(shapes=[*(fig.layout.shapes or ()), _vline(published, K.ARTICLE_LINE)])
    fig.add_trace(_legend_line(K.ARTICLE_LINE, t(locale, "article_date_label", date=i18n.date(published, locale, short=True))))


def _with_date(layout: dict, day: dt.date) -> dict:
    """``layout`` with every x axis widened, if need be, so that ``day`` is inside the drawn range."""
    out = dict(layout)
    for key, axis in layout.items():
        rng = axis.get("range") if key.startswith("xaxis") and isinstance(axis, dict) else None
        if not rng or rng[0] is None:
            continue
        lo, hi = dt.date.fromisoformat(str(rng[0])[:10]), dt.date.fromisoformat(str(rng[1])[:10])
        if lo <= day <= hi:
            continue
        pad = dt.timedelta(days=12)
        out[key] = {**axis, "range": [min(lo, day - pad).isoformat(), max(hi, day + pad).isoformat()]}
    return out


def _dated(bundle: Bundle, locale: str, key: tuple, build, selected: dt.date | None) -> View:
    """A chart with the reader's selected date as a solid line.

    Everything but the line is built once per data version, locale and ``key``; each date then
    costs a few shallow dict copies and one unvalidated Figure (~3 ms) instead of a rebuild
    (~60 ms). The base was validated when it was built. The x axis follows the data; a selected
    date outside it widens the axis, so the line is always drawn where the legend says it is.
    """
    base, spec = _base(bundle, locale, key, build)
    if selected is None:
        return base
    # Shallow copies: the base's parts are shared, never mutated.
    layout = _with_date(spec["layout"], selected)
    layout["shapes"] = [*spec["layout"].get("shapes", []), _vline(selected, K.SELECTED_LINE)]
    label = t(locale, "selected_date_label", date=i18n.date(selected, locale, short=True))
    spec = {"data": [*spec["data"], _legend_line(K.SELECTED_LINE, label)], "layout": layout}
    return View(go.Figure(spec, _validate=False), base.summary, base.table, base.credits, base.title, spec=spec)


def _base(bundle: Bundle, locale: str, key: tuple, build) -> tuple[View, dict]:
    """A chart's date-independent part, built and validated once per data version, locale and key."""
    k = (bundle.version, locale, key)
    if k not in _BASES:
        forget_other_versions(bundle.version)
        if len(_BASES) > 256:
            _BASES.clear()
        base = build()
        _BASES[k] = (base, base.figure.to_dict())
    return _BASES[k]


def _separators(locale: str) -> str:
    """plotly's ``separators`` (decimal, then thousands) matching :func:`i18n.num`."""
    return {"fr-CH": ".'", "fr-FR": ",\u202f", "en": ".,"}.get(locale, ".'")


# --------------------------------------------------------------------------- map


def map_layers(bundle: Bundle) -> list[str]:
    return [lyr.id for lyr in bundle.manifest.layers]


def default_layers(bundle: Bundle) -> list[str]:
    return [lyr.id for lyr in bundle.manifest.layers if lyr.default_visible]


EVENT_WINDOW_DAYS = 10  # the map pins events this many days either side of its date


def source_name(bundle: Bundle, layer_id: str, locale: str) -> str:
    """How captions name a layer's source: its manifest ``source_name``, else its title."""
    lyr = bundle.layer(layer_id)
    return lyr.source_name or i18n.field(lyr, "title", locale)


def coverage(bundle: Bundle, day: dt.date) -> tuple[dt.date | None, str]:
    """The control snapshot the map shows for ``day`` and whether ``day`` is 'inside' the
    snapshots, 'after' the last or 'before' the first (the map then shows that end)."""
    ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    dates = bundle.dates(ids[0]) if ids else []
    if not dates:
        return None, "none"
    if day > dates[-1]:
        return dates[-1], "after"
    if day < dates[0]:
        return dates[0], "before"
    return nearest_date(dates, day), "inside"


def events_near(bundle: Bundle, day: dt.date, days: int = EVENT_WINDOW_DAYS):
    """Events within ``days`` of ``day`` whose place has a sourced coordinate."""
    out = []
    for e in bundle.events:
        p = bundle.places.get(e.place) if e.place else None
        if p and p.lon is not None and abs((e.date - day).days) <= days:
            out.append((e, p))
    return out


def build_map(
    bundle: Bundle,
    day: dt.date,
    locale: str,
    layers: list[str] | None = None,
    height: int = 500,
    aspect: float | None = None,
    highlight: tuple[str, ...] = (),
) -> View:
    """The map for one date: the layers and places (built once), then that date's control
    polygons and the events within 10 days, both drawn under the places and their names.

    Drawn as a plotly ``geo`` subplot (SVG), not a MapLibre ``map`` (WebGL): for a dozen polygons
    SVG costs a fraction of the CPU, works without WebGL and from ``file://``, and can show the
    place names as text without glyph fonts from a CDN. No basemap: every shape is our own layer.
    """
    layers = tuple(default_layers(bundle) if layers is None else layers)
    aspect = aspect or (PHONE_ASPECT if height < 400 else WIDE_ASPECT)
    base, spec = _base(bundle, locale, ("map", layers, height, aspect), lambda: _map_base(bundle, locale, layers, height, aspect))
    control_ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    snap = None
    below: list[dict] = []
    table_rows = []
    for lyr in bundle.manifest.layers:
        if lyr.id not in layers or lyr.kind not in ("control", "advances"):
            continue
        dates = bundle.dates(lyr.id)
        if not dates:
            continue
        d = nearest_date(dates, day)
        if lyr.kind == "advances" and d > day:  # nothing assessed yet on that date
            continue
        if lyr.kind == "control":
            snap = d
        for feat in _oriented(bundle, lyr.id, d)["features"]:
            kind = feat["properties"].get("kind", lyr.kind)
            colour, opacity = K.CONTROL.get(kind, K.ADVANCES)
            area = feat["properties"].get("area_km2")
            label = f"{t(locale, f'control_{kind}')} ({text_of(source_name(bundle, lyr.id, locale))})"
            fill = _rgba(colour, opacity)  # in the colour itself, so the legend swatch is the drawn fill
            below.append(
                go.Choropleth(
                    geojson={"type": "FeatureCollection", "features": [feat]},
                    locations=[feat["id"]],
                    z=[1],
                    colorscale=[[0, fill], [1, fill]],
                    showscale=False,
                    marker=dict(opacity=1, line=dict(width=1 if lyr.kind == "control" else 1.5, color=colour)),
                    name=label,
                    showlegend=True,
                    hovertemplate=f"<b>{label}</b><br>{i18n.date(d, locale)}<br>"
                    f"{i18n.num(area or 0, locale)}\u00a0km²<extra></extra>",
                ).to_plotly_json()
            )
            table_rows.append(
                {t(locale, "col_layer"): label, t(locale, "col_date"): d.isoformat(), t(locale, "col_area_km2"): area}
            )
    above: list[dict] = []
    f0, f1, f2, f3 = spec["layout"]["meta"].get("frame") or (-180, -90, 180, 90)
    near = [(e, p) for e, p in events_near(bundle, day) if f0 <= p.lon <= f2 and f1 <= p.lat <= f3]  # pinned = visible
    if near:
        above.append(
            go.Scattergeo(
                lon=[p.lon for _, p in near],
                lat=[p.lat for _, p in near],
                mode="markers",
                name=t(locale, "legend_events", days=EVENT_WINDOW_DAYS),
                marker=dict(size=16, color=K.EVENT, opacity=0.9, symbol="diamond", line=dict(width=1, color=K.HALO)),
                hovertext=[f"<b>{i18n.date(e.date, locale)}</b><br>{text_of(i18n.field(e, 'title', locale))}" for e, _ in near],
                hoverinfo="text",
            ).to_plotly_json()
        )
    ringed = [
        bundle.places[p]
        for p in highlight
        if p in bundle.places
        and bundle.places[p].lon is not None
        and f0 <= bundle.places[p].lon <= f2
        and f1 <= bundle.places[p].lat <= f3
    ]
    if ringed:  # a story step's places
        above.append(
            go.Scattergeo(
                lon=[p.lon for p in ringed],
                lat=[p.lat for p in ringed],
                mode="markers",
                name=t(locale, "story_places"),
                marker=dict(size=26, color="rgba(0,0,0,0)", line=dict(width=3, color=K.EVENT)),
                hovertext=[text_of(i18n.field(p, "name", locale)) for p in ringed],
                hoverinfo="text",
            ).to_plotly_json()
        )
    if snap is not None:
        area_of = lambda kind: (
            next(
                (
                    r[t(locale, "col_area_km2")]
                    for r in table_rows
                    if r[t(locale, "col_layer")].startswith(t(locale, f"control_{kind}"))
                ),
                0,
            )
            or 0
        )
        summary = t(
            locale,
            "map_summary",
            date=i18n.date(snap, locale),
            ua=i18n.num(area_of("ua_controlled"), locale),
            grey=i18n.num(area_of("grey_zone"), locale),
            n=len(near),
            days=EVENT_WINDOW_DAYS,
            source=source_name(bundle, control_ids[0], locale),
        )
    else:
        summary = t(locale, "map_summary_nocontrol", date=i18n.date(day, locale))
    if near:
        summary += " — " + "; ".join(f"{i18n.date(e.date, locale)}, {i18n.field(e, 'title', locale)}" for e, _ in near)
    _, where = coverage(bundle, day)
    meta = {
        "title": t(locale, "view_map"),
        "snapshot": snap.isoformat() if snap else None,
        "date": day.isoformat(),
        "coverage": where,
        "control_layers": control_ids,
        "frame": spec["layout"]["meta"].get("frame"),
        "dated": [spec["layout"]["meta"]["n_background"], len(below) + len(above)],
    }
    n = spec["layout"]["meta"]["n_background"]
    background, places = spec["data"][:n], spec["data"][n:]
    # events under the places: a diamond on a town never hides the town's name
    spec = {"data": [*background, *below, *above, *places], "layout": {**spec["layout"], "meta": meta}}
    return View(go.Figure(spec, _validate=False), summary, pd.DataFrame(table_rows), base.credits, base.title, spec=spec)


_ORIENTED: dict[tuple, dict] = {}


def _oriented(bundle: Bundle, layer_id: str, d: dt.date | None = None) -> dict:
    """A layer (or one date of a dated layer) with outer rings clockwise, as d3-geo (plotly ``geo``)
    expects; GDAL writes them counter-clockwise, and a ring the wrong way round fills the whole globe.
    Each feature gets an ``id`` for plotly's ``locations``. Computed once per data version."""
    k = (bundle.version, layer_id, d)
    if k not in _ORIENTED:
        import shapely
        from shapely.geometry import mapping, shape

        if len(_ORIENTED) > 2048:
            _ORIENTED.clear()
        fc = bundle.control[layer_id][d] if d is not None else bundle.layers[layer_id]
        feats = []
        for i, f in enumerate(fc["features"]):
            geom = f["geometry"]
            if geom and geom["type"] in ("Polygon", "MultiPolygon"):
                geom = mapping(shapely.orient_polygons(shape(geom), exterior_cw=True))
            kind = f["properties"].get("kind", "")
            feats.append({"type": "Feature", "id": f"{layer_id}-{kind}-{i}", "properties": f["properties"], "geometry": geom})
        _ORIENTED[k] = {"type": "FeatureCollection", "features": feats}
    return _ORIENTED[k]


def _label_sides(lon: list[float], lat: list[float], box=None) -> list[str]:
    """Put each place name on the side away from its nearest neighbour, and inward near the
    frame's edges: a small rule rather than a label-placement library, enough for a dozen places
    (checked in the 375 px screenshots; a browser test checks no two names overlap)."""
    import math

    if box is not None:
        out = _label_sides(lon, lat)
        x0, y0, x1, y1 = box
        for i, (x, y) in enumerate(zip(lon, lat)):
            if x > x1 - (x1 - x0) * 0.18:
                out[i] = "middle left"
            elif x < x0 + (x1 - x0) * 0.18:
                out[i] = "middle right"
            elif y > y1 - (y1 - y0) * 0.08:
                out[i] = "bottom center"
            elif y < y0 + (y1 - y0) * 0.08:
                out[i] = "top center"
        return out

    k = math.cos(math.radians(sum(lat) / len(lat)))  # degrees of longitude are shorter up here
    out = []
    for i, (x, y) in enumerate(zip(lon, lat)):
        others = [((lon[j] - x) * k, lat[j] - y) for j in range(len(lon)) if j != i]
        if not others:
            out.append("middle right")
            continue
        dx, dy = min(others, key=lambda d: d[0] ** 2 + d[1] ** 2)
        if abs(dx) >= abs(dy):
            out.append("middle left" if dx > 0 else "middle right")
        else:
            out.append("bottom center" if dy > 0 else "top center")
    return out


WIDE_ASPECT = 2.6  # width / height of the map's plot area on a desktop page (about 1,150 × 440 px)
PHONE_ASPECT = 1.35  # on a phone (about 345 × 255 px once the legend is below)
INSET_SHARE = {True: 0.17, False: 0.3}  # the locator's share of the map's width (wide, phone)
FRAME_MARGIN = 0.12  # share of the held area's extent added on each side


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def _mercator_y(lat: float) -> float:
    import math

    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _control_geoms(bundle: Bundle, kind: str = "ua_controlled", day: dt.date | None = None) -> list:
    from shapely.geometry import shape

    out = []
    for lyr in bundle.manifest.layers:
        if lyr.kind != "control":
            continue
        by_date = bundle.control.get(lyr.id, {})
        for d, fc in by_date.items():
            if day is not None and d != day:
                continue
            out += [
                shape(f["geometry"])
                for f in fc["features"]
                if f.get("geometry") and (f.get("properties") or {}).get("kind") == kind
            ]
    return out


_EXTENTS: dict[str, tuple | None] = {}


def _held_extent(bundle: Bundle) -> tuple[float, float, float, float] | None:
    """Bounds of every Ukrainian-held polygon at any date, read off the coordinates (no shapely
    parse of ~500 polygons); once per data version."""
    if bundle.version not in _EXTENTS:
        import numpy as np

        pts = []

        def walk(c):
            if c and isinstance(c[0], (int, float)):
                pts.append(c[:2])
            else:
                for x in c:
                    walk(x)

        for lyr in bundle.manifest.layers:
            if lyr.kind == "control":
                for fc in bundle.control.get(lyr.id, {}).values():
                    for f in fc["features"]:
                        if (f.get("properties") or {}).get("kind") == "ua_controlled" and f.get("geometry"):
                            walk(f["geometry"]["coordinates"])
        a = np.asarray(pts, dtype=float)
        _EXTENTS.clear()
        _EXTENTS[bundle.version] = (a[:, 0].min(), a[:, 1].min(), a[:, 0].max(), a[:, 1].max()) if len(a) else None
    return _EXTENTS[bundle.version]


def _peak_day(bundle: Bundle) -> dt.date | None:
    df = bundle.areas
    return None if df.empty else df.loc[df["ua_controlled_km2"].idxmax(), "date"]


def _view_box(bundle: Bundle, aspect: float = WIDE_ASPECT) -> tuple[float, float, float, float]:
    """The map frame: the area Ukraine held at any date, with a margin, widened to the map's
    aspect ratio (in Mercator units) so that plotly fills the frame instead of adding space.
    Without control polygons: the oblast and the places. Always inside the manifest's region."""
    import shapely
    from shapely.geometry import shape

    r0, r1, r2, r3 = bundle.manifest.region.bbox
    extent = _held_extent(bundle)
    if extent is None:
        geoms = [
            shape(f["geometry"])
            for lyr in bundle.manifest.layers
            if lyr.kind in ("oblast", "settlements")
            for f in bundle.layers.get(lyr.id, {}).get("features", [])
            if f.get("geometry")
        ]
        if not geoms:
            return r0, r1, r2, r3
        extent = tuple(shapely.total_bounds(geoms))
    x0, y0, x1, y1 = extent
    mx, my = max((x1 - x0) * FRAME_MARGIN, 0.08), max((y1 - y0) * FRAME_MARGIN, 0.05)
    x0, x1, y0, y1 = x0 - mx, x1 + mx, y0 - my, y1 + my
    # widen the narrower side to the aspect ratio, in projected units
    w, h = x1 - x0, _mercator_y(y1) - _mercator_y(y0)
    if w / h < aspect:
        grow = (aspect * h - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        import math

        want = w / aspect
        mid = (_mercator_y(y0) + _mercator_y(y1)) / 2
        inv = lambda y: math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)
        y0, y1 = inv(mid - want / 2), inv(mid + want / 2)
    return max(x0, r0), max(y0, r1), min(x1, r2), min(y1, r3)


def _nice_km(width_km: float) -> int:
    """A round scale-bar length, about a fifth of the frame's width."""
    target = width_km / 5
    return max((n for n in (1, 2, 5, 10, 20, 25, 50, 100) if n <= target), default=1)


def _scale_bar(box: tuple[float, float, float, float], locale: str) -> go.Scattergeo:
    import math

    x0, y0, x1, y1 = box
    lat = y0 + (y1 - y0) * 0.07
    km_per_deg = 111.32 * math.cos(math.radians(lat))  # along a parallel, on the WGS84 mean sphere
    km = _nice_km((x1 - x0) * km_per_deg)
    lon0 = x0 + (x1 - x0) * 0.03
    lon1 = lon0 + km / km_per_deg
    return go.Scattergeo(
        lon=[lon0, lon1],
        lat=[lat, lat],
        mode="lines+text",
        line=dict(width=3, color=K.INK),
        text=["", f"{i18n.num(km, locale)}\u00a0km"],
        textposition="middle right",
        textfont=dict(size=11, color=K.INK),
        hoverinfo="skip",
        showlegend=False,
        name="scale",
        geo="geo",
    )


def _inset_corner(bundle: Bundle, box, aspect: float) -> dict:
    """The locator's domain: the top corner (left or right) that the held area leaves free."""
    import math

    wide = aspect >= 1.8
    w = INSET_SHARE[wide]
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    # the inset keeps the region's own proportions (Mercator)
    h = w * aspect * ((_mercator_y(r3) - _mercator_y(r1)) / (r2 - r0))
    h = min(h, 0.45)
    extent = _held_extent(bundle)
    x0, _, x1, _ = box
    mid = (extent[0] + extent[2]) / 2 if extent else (x0 + x1) / 2
    right = mid < (x0 + x1) / 2 or not math.isfinite(mid)
    return {"x": [1 - w, 1] if right else [0, w], "y": [1 - h, 1]}


def _domain_box(box, domain: dict) -> tuple[float, float, float, float]:
    """The lon/lat rectangle of the main map that a paper-coordinate domain covers (roughly)."""
    x0, y0, x1, y1 = box
    (a, b), (c, d) = domain["x"], domain["y"]
    return x0 + (x1 - x0) * a, y0 + (y1 - y0) * c, x0 + (x1 - x0) * b, y0 + (y1 - y0) * d


def _country_labels(bundle: Bundle, box, locale: str, avoid=None) -> go.Scattergeo | None:
    """RUSSIE / UKRAINE, each at the pole of inaccessibility of its part of the frame away from
    the held area, named by CLDR (Babel) from the layer's ISO code."""
    from babel import Locale
    from shapely.geometry import box as make_box
    from shapely.geometry import shape
    from shapely.ops import polylabel, unary_union

    frame = make_box(*box)
    peak = _peak_day(bundle)
    geoms = _control_geoms(bundle, day=peak) if peak else []
    held = unary_union(geoms).buffer(0.05) if geoms else None  # the held area at its largest
    names = Locale.parse(i18n.LOCALES.get(locale, "fr_CH")).territories
    lon, lat, text = [], [], []
    for lyr in bundle.manifest.layers:
        if lyr.kind != "countries":
            continue
        for f in bundle.layers.get(lyr.id, {}).get("features", []):
            iso = (f.get("properties") or {}).get("iso")
            if not iso or not f.get("geometry"):
                continue
            part = shape(f["geometry"]).intersection(frame)
            if held is not None:
                part = part.difference(held)
            if avoid is not None:
                part = part.difference(make_box(*avoid).buffer(0.03))
            if part.is_empty:
                continue
            biggest = max(getattr(part, "geoms", [part]), key=lambda g: g.area)
            if biggest.area < frame.area * 0.03:
                continue
            p = polylabel(biggest, tolerance=0.005)
            lon.append(p.x)
            lat.append(p.y)
            text.append(names.get(iso, (f.get("properties") or {}).get("name_en", iso)).upper())
    if not text:
        return None
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="text",
        text=text,
        hoverinfo="skip",
        showlegend=False,
        textfont=dict(size=15, color=K.MUTED, family=FONT["family"]),
        name="countries",
        geo="geo",
    )


def _peak_outline(bundle: Bundle, locale: str) -> go.Scattergeo | None:
    """A faint outline of the held area on the day it was largest, so change shows at a glance."""
    peak = _peak_day(bundle)
    geoms = _control_geoms(bundle, day=peak) if peak else []
    if not geoms:
        return None
    from shapely.geometry import mapping

    lon, lat = _lines({"features": [{"geometry": mapping(g)} for g in geoms]})
    return go.Scattergeo(
        lon=lon,
        lat=lat,
        mode="lines",
        line=dict(width=1.2, color=K.AREA_LINE, dash="dot"),
        name=t(locale, "legend_peak", date=i18n.date(peak, locale, short=True)),
        hoverinfo="skip",
        showlegend=True,
        geo="geo",
    )


def _lines(fc: dict) -> tuple[list, list]:
    """LineString/MultiLineString/polygon rings as lon/lat lists with ``None`` between parts."""
    lon: list = []
    lat: list = []
    for f in fc["features"]:
        g = f["geometry"] or {}
        parts = {
            "LineString": lambda c: [c],
            "MultiLineString": lambda c: c,
            "Polygon": lambda c: c,
            "MultiPolygon": lambda c: [ring for poly in c for ring in poly],
        }.get(g.get("type"), lambda c: [])
        for part in parts(g.get("coordinates")):
            lon += [p[0] for p in part] + [None]
            lat += [p[1] for p in part] + [None]
    return lon, lat


def _map_base(bundle: Bundle, locale: str, layers: tuple[str, ...], height: int, aspect: float = WIDE_ASPECT) -> View:
    """Everything on the map that does not depend on the date: background layers and the peak
    outline (under the date's polygons), then places, country names, scale bar and a locator
    inset (over them). ``meta.n_background`` is where a date's traces go."""
    # plotly.js (3.8 in Streamlit, 4.1 in kaleido and the export) fetches its world topojson from
    # a CDN when the geo subplot's *first* trace has ``locationmode`` (every choropleth has), even
    # with all base layers hidden. An empty scattergeo first keeps it from asking; the app and the
    # export also point ``topojsonURL`` at a local copy in case a later plotly.js asks anyway.
    fig = go.Figure(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False, name="frame"))
    credits: list[str] = []
    inset: list = []
    for lyr in bundle.manifest.layers:
        if lyr.id not in layers:
            continue
        credits.append(lyr.attribution_fr if i18n.lang_of(locale) == "fr" else lyr.attribution)
        if lyr.kind in ("countries", "admin1", "oblast"):
            fc = _oriented(bundle, lyr.id)
            fill, line, width = {
                "countries": (K.LAND, K.LAND, 0.5),
                "admin1": ("rgba(0,0,0,0)", K.ADMIN1_LINE, 0.8),
                "oblast": (K.OBLAST_FILL, K.OBLAST_LINE, 1.2),
            }[lyr.kind]
            trace = dict(
                geojson=fc,
                locations=[f["id"] for f in fc["features"]],
                z=[1] * len(fc["features"]),
                colorscale=[[0, fill], [1, fill]],
                showscale=False,
                hoverinfo="skip",
                showlegend=False,
                name=text_of(i18n.field(lyr, "title", locale)),
            )
            fig.add_trace(go.Choropleth(**trace, marker=dict(line=dict(width=width, color=line))))
            if lyr.kind in ("countries", "oblast"):
                inset.append(go.Choropleth(**trace, marker=dict(line=dict(width=0.6, color=line)), geo="geo2"))
        elif lyr.kind == "border":
            lon, lat = _lines(_merged(bundle.layers[lyr.id]))
            fig.add_trace(
                go.Scattergeo(
                    lon=lon,
                    lat=lat,
                    mode="lines",
                    line=dict(width=2.2, color=K.BORDER),
                    hoverinfo="skip",
                    showlegend=False,
                    name=text_of(i18n.field(lyr, "title", locale)),
                )
            )
    if any(lyr.kind == "control" and lyr.id in layers for lyr in bundle.manifest.layers):
        peak = _peak_outline(bundle, locale)
        if peak is not None:
            fig.add_trace(peak)
    n_background = len(fig.data)
    lang = i18n.lang_of(locale)
    box = _view_box(bundle, aspect)
    inside = lambda lon, lat: box[0] <= lon <= box[2] and box[1] <= lat <= box[3]
    for lyr in bundle.manifest.layers:
        if lyr.kind != "settlements" or lyr.id not in layers:
            continue
        feats = [f for f in bundle.layers[lyr.id]["features"] if inside(*f["geometry"]["coordinates"][:2])]
        for is_npp in (False, True):
            group = (
                [f for f in feats if (f.get("properties") or {}).get("kind") == "facility"]
                if is_npp
                else [f for f in feats if (f.get("properties") or {}).get("kind") != "facility"]
            )
            if not group:
                continue
            lon = [f["geometry"]["coordinates"][0] for f in group]
            lat = [f["geometry"]["coordinates"][1] for f in group]
            fig.add_trace(
                go.Scattergeo(
                    lon=lon,
                    lat=lat,
                    mode="markers" if is_npp else "markers+text",  # the plant: legend + hover
                    name=t(locale, "legend_npp" if is_npp else "legend_settlements"),
                    marker=dict(
                        size=12 if is_npp else 7,
                        color=K.NPP if is_npp else K.INK,
                        symbol="star" if is_npp else "circle",
                        line=dict(width=1, color=K.HALO),
                    ),
                    text=None
                    if is_npp
                    else [text_of(f["properties"].get(f"name_{lang}") or f["properties"].get("name_en") or "") for f in group],
                    textposition=None if is_npp else _label_sides(lon, lat, box),
                    textfont=dict(size=11, color=K.INK),
                    hovertext=[_place_label(f["properties"], lang) for f in group],
                    hoverinfo="text",
                )
            )
    corner = _inset_corner(bundle, box, aspect)
    labels = _country_labels(bundle, box, locale, avoid=_domain_box(box, corner))
    if labels is not None:
        fig.add_trace(labels)
    fig.add_trace(_scale_bar(box, locale))
    b0, b1, b2, b3 = box
    r0, r1, r2, r3 = bundle.manifest.region.bbox
    if inset:  # an empty trace first, as on the main map: no topojson request for geo2 either
        fig.add_trace(go.Scattergeo(lon=[], lat=[], mode="markers", hoverinfo="skip", showlegend=False, name="inset", geo="geo2"))
        for tr in inset:
            fig.add_trace(tr)
        fig.add_trace(
            go.Scattergeo(
                lon=[b0, b2, b2, b0, b0],
                lat=[b1, b1, b3, b3, b1],
                mode="lines",
                line=dict(width=1.5, color=K.EVENT),
                hoverinfo="skip",
                showlegend=False,
                name="frame-in-region",
                geo="geo2",
            )
        )
    off = dict(
        showland=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showcountries=False,
        showcoastlines=False,
        showsubunits=False,
        showframe=False,
    )
    fig.update_layout(
        geo=dict(
            scope="europe",
            resolution=110,
            projection=dict(type="mercator"),
            lonaxis=dict(range=[b0, b2]),
            lataxis=dict(range=[b1, b3]),
            bgcolor="white",
            domain=dict(x=[0, 1], y=[0, 1]),
            **off,
        ),
        legend=dict(orientation="h", yanchor="top", y=-0.01, x=0, font=dict(size=11), bgcolor="rgba(255,255,255,0.8)"),
        separators=_separators(locale),
        dragmode=False,
    )
    if inset:
        fig.update_layout(
            geo2=dict(
                scope="europe",
                resolution=110,
                projection=dict(type="mercator"),
                lonaxis=dict(range=[r0, r2]),
                lataxis=dict(range=[r1, r3]),
                bgcolor="white",
                domain=corner,
                showframe=True,
                framecolor=K.MUTED,
                framewidth=1,
                **{k: v for k, v in off.items() if k != "showframe"},
            )
        )
    _base_layout(fig, t(locale, "view_map"), height)
    fig.update_layout(margin=dict(l=0, r=0, t=0, b=40))
    fig.layout.meta = {**fig.layout.meta, "n_background": n_background, "frame": list(box)}
    return View(fig, "", pd.DataFrame(), _dedupe(credits), t(locale, "view_map"))


def _merged(fc: dict) -> dict:
    """A line layer with touching parts joined (shapely.line_merge): the border is drawn as one
    continuous line, not 61 dashed pieces that restart their dash pattern."""
    import shapely
    from shapely.geometry import mapping, shape

    geoms = [shape(f["geometry"]) for f in fc["features"] if f.get("geometry")]
    if not geoms:
        return fc
    merged = shapely.line_merge(shapely.union_all(geoms))
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": mapping(merged)}]}


def text_of(value) -> str:
    """Data text for plotly: shown as typed. plotly renders a subset of HTML in text, names and
    hover labels (<a>, <span style>, <br>…), so editors' text is escaped before it goes in."""
    import html

    return html.escape(str(value), quote=False)


def _place_label(props: dict, lang: str) -> str:
    name = text_of(props.get(f"name_{lang}") or props.get("name_en") or "")
    local = text_of(props.get("name_local") or "")
    return f"<b>{name}</b>" + (f" ({local})" if local and local != name else "")


def _dedupe(lines: list[str]) -> list[str]:
    """Credit lines once each; several layers share a source (e.g. geoBoundaries)."""
    out: list[str] = []
    for line in lines:
        for part in line.split(" · "):
            if part not in out:
                out.append(part)
    return out


# --------------------------------------------------------------------------- area over time


def build_area(bundle: Bundle, locale: str, selected: dt.date | None = None) -> View:
    return _dated(bundle, locale, ("area",), lambda: _area(bundle, locale), selected)


def _area(bundle: Bundle, locale: str) -> View:
    df = bundle.areas
    control = [lyr for lyr in bundle.manifest.layers if lyr.kind == "control"]
    src = source_name(bundle, control[0].id, locale) if control else ""
    fig = go.Figure()
    if not df.empty:
        x = pd.to_datetime(df["date"])
        days = [i18n.date(d, locale, short=True) for d in x.dt.date]
        hover = lambda col: [f"{d}: {i18n.num(v, locale)}\u00a0km²" for d, v in zip(days, df[col])]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=df["ua_plus_grey_km2"],
                mode="lines",
                name=t(locale, "area_ua_plus_grey", source=text_of(src)),
                line=dict(color=K.AREA_GREY, width=1.5, dash="dot"),
                hovertext=hover("ua_plus_grey_km2"),
                hoverinfo="text",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=df["ua_controlled_km2"],
                mode="lines",
                name=t(locale, "area_ua", source=text_of(src)),
                line=dict(color=K.AREA_LINE, width=2.5),
                fill="tozeroy",
                fillcolor=K.AREA_FILL,
                hovertext=hover("ua_controlled_km2"),
                hoverinfo="text",
            )
        )
    styles = K.claimant_styles(bundle)
    claims = [c for c in bundle.claims if c.measure in AREA_MEASURES and c.has_number]
    for cid in dict.fromkeys(c.claimant for c in claims):
        cs = [c for c in claims if c.claimant == cid]
        name = text_of(i18n.field(bundle.claimants[cid], "short", locale))
        fig.add_trace(
            go.Scatter(
                x=[c.date for c in cs],
                y=[c.value_low if c.value_low is not None else c.value_high for c in cs],
                mode="markers",
                name=name,
                marker=dict(
                    size=11,
                    color=styles[cid].colour,
                    symbol=[styles[cid].symbol("star" if c.measure == "area_held_peak_km2" else "diamond") for c in cs],
                    line=dict(width=1, color=K.HALO),
                ),
                hovertext=[
                    f"<b>{name}</b><br>{i18n.date(c.date, locale)}<br>{t(locale, f'measure_{c.measure}')}: "
                    f"<b>{value_text(c, locale)}\u00a0km²</b><br>{text_of(c.outlet)}"
                    for c in cs
                ],
                hoverinfo="text",
                customdata=[c.id for c in cs],
            )
        )
    fig.update_yaxes(rangemode="tozero", gridcolor=K.GRID, title=None, ticksuffix=" km²")
    area_dates = list(pd.to_datetime(df["date"]).dt.date) if not df.empty else []
    x_range = date_range(area_dates + [c.date for c in claims] + [bundle.article.published])
    fig.update_xaxes(gridcolor=K.GRID_FAINT, range=x_range, **month_ticks(x_range, locale))
    fig.update_layout(
        separators=_separators(locale),
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, font=dict(size=11)),
    )
    _base_layout(fig, t(locale, "view_area"), 380)
    summary = t(locale, "area_summary_nodata")
    if not df.empty:
        peak = df.loc[df["ua_controlled_km2"].idxmax()]
        last = df.iloc[-1]
        summary = t(
            locale,
            "area_summary",
            source=src,
            peak=i18n.num(peak["ua_controlled_km2"], locale),
            peak_date=i18n.date(peak["date"], locale),
            last=i18n.num(last["ua_controlled_km2"], locale),
            last_date=i18n.date(last["date"], locale),
            figures=i18n.count(locale, "count_area_figures", len(claims)),
        )
    table = claims_table(bundle, claims, locale)
    credits = [(lyr.attribution_fr if i18n.lang_of(locale) == "fr" else lyr.attribution) for lyr in control]
    credits.append(t(locale, "credit_claims"))
    return View(fig, summary, table, credits, t(locale, "view_area"))


# --------------------------------------------------------------------------- timeline


def build_timeline(bundle: Bundle, locale: str, selected: dt.date | None = None, categories=None) -> View:
    """``selected``: the reader's date, drawn as a line; events on that day are ringed."""
    key = ("timeline", tuple(categories or ()))
    view = _dated(bundle, locale, key, lambda: _timeline(bundle, locale, categories), selected)
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


def _timeline(bundle: Bundle, locale: str, categories) -> View:
    fig = go.Figure()
    events = [e for e in bundle.events if not categories or e.category in categories]
    cats = [c for c in CATEGORIES if any(e.category == c for e in events)]
    for cat in cats:
        es = [e for e in events if e.category == cat]
        fig.add_trace(
            go.Scatter(
                x=[e.date for e in es],
                y=[t(locale, f"cat_{cat}")] * len(es),
                mode="markers",
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
    _article_line(fig, bundle, locale)
    fig.update_yaxes(
        categoryorder="array", categoryarray=[t(locale, f"cat_{c}") for c in reversed(cats)], gridcolor=K.GRID, automargin=True
    )
    x_range = date_range([e.date for e in events] + [bundle.article.published])
    fig.update_xaxes(gridcolor=K.GRID_FAINT, range=x_range, **month_ticks(x_range, locale))
    fig.update_layout(showlegend=False, hovermode="closest", clickmode="event+select", dragmode=False)
    _base_layout(fig, t(locale, "view_timeline"), 60 * len(cats) + 90)
    summary = t(
        locale,
        "timeline_summary",
        events=i18n.count(locale, "count_events", len(events)),
        first=i18n.date(events[0].date, locale) if events else "",
        last=i18n.date(events[-1].date, locale) if events else "",
        in_article=i18n.count(locale, "count_in_article_events", sum(e.in_article for e in events)),
    )
    lang = i18n.lang_of(locale)
    table = pd.DataFrame(
        [
            {
                t(locale, "col_date"): e.date.isoformat(),
                t(locale, "col_category"): t(locale, f"cat_{e.category}"),
                t(locale, "col_title"): getattr(e, f"title_{lang}"),
                t(locale, "col_summary"): getattr(e, f"summary_{lang}"),
                t(locale, "col_source"): e.source_url,
                "id": e.id,
            }
            for e in events
        ]
    )
    return View(fig, summary, table, [t(locale, "credit_events")], t(locale, "view_timeline"))


# --------------------------------------------------------------------------- the lead graphic


def build_lead(bundle: Bundle, locale: str, compact: bool = True) -> View | None:
    """The article's key figures against what was known on its day (article.yaml ``lead.compare``).

    One panel per compared figure, one line per claim: the article's figure first (ringed), then
    the others, each labelled with its value, date and scope. A panel holds one measure only.
    """
    lead = bundle.article.lead
    by_id = bundle.claim_by_id
    rows = [
        (by_id[c.claim], [by_id[k] for k in c.known if k in by_id]) for c in (lead.compare if lead else ()) if c.claim in by_id
    ]
    if not rows:
        return None
    return _base(bundle, locale, ("lead", compact), lambda: _lead(bundle, locale, rows, compact))[0]


def _lead(bundle: Bundle, locale: str, rows, compact: bool = False) -> View:
    """``compact`` (the default): each line's name goes above its dot, so the chart reads at any
    width (Streamlit gives the script no viewport width); otherwise in a left margin."""
    styles = K.claimant_styles(bundle)
    sizes = [1 + len(known) for _, known in rows]
    titles = [
        f"{t(locale, f'measure_{quoted.measure}')} — {t(locale, 'lead_panel', who=_article_who(bundle, quoted, locale))}"
        for quoted, _ in rows
    ]
    line = 52 if compact else 34
    height = 80 * len(rows) + line * sum(sizes)
    fig = make_subplots(rows=len(rows), cols=1, row_heights=sizes, vertical_spacing=66 / height, subplot_titles=titles)
    value = lambda c: c.value_low if c.value_low is not None else c.value_high
    lines, table = [], []
    for r, (quoted, known) in enumerate(rows, start=1):
        claims = [quoted, *sorted(known, key=lambda c: c.date)]
        labels = [t(locale, "lead_article_line")] + [
            text_of(i18n.field(bundle.claimants[c.claimant], "short", locale)) for c in claims[1:]
        ]
        # distinct y labels even when one claimant speaks twice: add the date
        ys = [f"{lab} · {i18n.date(c.date, locale, short=True)}" for lab, c in zip(labels, claims)]
        for i, c in enumerate(claims):
            style = styles.get(c.claimant, K.Style(K.FALLBACK))
            text = f"  <b>{value_text(c, locale)}</b>" + ("" if compact else f" · {t(locale, f'scope_short_{c.scope}')}")
            if i == 0:
                fig.add_trace(
                    go.Scatter(
                        x=[value(c)],
                        y=[ys[i]],
                        mode="markers",
                        hoverinfo="skip",
                        showlegend=False,
                        marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(width=2.5, color=K.ARTICLE_RING)),
                    ),
                    row=r,
                    col=1,
                )
            fig.add_trace(
                go.Scatter(
                    x=[value(c)],
                    y=[ys[i]],
                    mode="markers+text",
                    text=[text],
                    textposition="middle right",
                    textfont=dict(size=12, color=K.INK),
                    showlegend=False,
                    customdata=[c.id],
                    marker=dict(size=12, color=style.colour, symbol=style.symbol("circle")),
                    hovertext=[
                        f"<b>{text_of(i18n.field(bundle.claimants[c.claimant], 'name', locale))}</b><br>"
                        f"{i18n.date(c.date, locale)}<br>{value_text(c, locale)} · {t(locale, f'scope_short_{c.scope}')}"
                        f"<br>{text_of(c.outlet)}"
                    ],
                    hoverinfo="text",
                ),
                row=r,
                col=1,
            )
            if c.bound == "range":
                fig.add_trace(
                    go.Scatter(
                        x=[c.value_low, c.value_high],
                        y=[ys[i], ys[i]],
                        mode="lines",
                        line=dict(color=style.colour, width=3),
                        hoverinfo="skip",
                        showlegend=False,
                    ),
                    row=r,
                    col=1,
                )
        top = max(value(c) or 0 for c in claims)
        fig.update_xaxes(
            range=[0, top * (1.7 if compact else 1.45)],
            gridcolor=K.GRID,
            tickformat=",d",
            row=r,
            col=1,
            nticks=4 if compact else None,
        )
        fig.update_yaxes(
            categoryorder="array",
            categoryarray=list(reversed(ys)),
            automargin=True,
            row=r,
            col=1,
            tickfont=dict(size=12),
            showticklabels=not compact,
        )
        if compact:
            suffix = "" if r == 1 else str(r)
            for y, c in zip(ys, claims):
                fig.add_annotation(
                    text=f"{y} · {t(locale, f'scope_short_{c.scope}')}",
                    x=0,
                    xref=f"x{suffix} domain",
                    y=y,
                    yref=f"y{suffix}",
                    yshift=15,
                    xanchor="left",
                    showarrow=False,
                    font=dict(size=11, color=K.MUTED),
                )
        later = [c for c in known if value(c) is not None and value(quoted) is not None]
        hi = max(later, key=value, default=None)
        lines.append(
            t(
                locale,
                "lead_summary_row",
                measure=t(locale, f"measure_{quoted.measure}"),
                value=value_text(quoted, locale),
                who=_article_who(bundle, quoted, locale),
                date=i18n.date(quoted.date, locale),
                scope=t(locale, f"scope_{quoted.scope}"),
                n=len(known),
                high=value_text(hi, locale) if hi else "–",
                high_who=i18n.field(bundle.claimants[hi.claimant], "name", locale) if hi else "–",
            )
        )
        table.extend(claims)
    fig.update_layout(separators=_separators(locale), showlegend=False, hovermode="closest", dragmode=False)
    _base_layout(fig, t(locale, "view_lead"), height)
    fig.update_layout(margin=dict(l=8, r=8, t=28, b=8))
    for ann in fig.layout.annotations:  # subplot titles: left-aligned, like a graphics desk's panel heads
        ann.update(x=0, xanchor="left", font=dict(size=13, color=K.INK))
    return View(fig, " ".join(lines), claims_table(bundle, table, locale), [t(locale, "credit_claims")], t(locale, "view_lead"))


def _article_who(bundle: Bundle, claim, locale: str) -> str:
    """How the article named the source of one of its figures (article.yaml claimant_label)."""
    for ac in bundle.article.claims:
        if claim.id in ac.claim_ids:
            return text_of(i18n.field(ac, "claimant_label", locale))
    return text_of(i18n.field(bundle.claimants[claim.claimant], "short", locale))


# --------------------------------------------------------------------------- static export: per-date map parts


def map_dated_traces(
    bundle: Bundle, day: dt.date, locale: str, layers: list[str] | None = None, height: int = 500
) -> tuple[View, int, list[dict]]:
    """The map for ``day`` and the part of it that depends on the date.

    Returns ``(view, start, traces)``: the view :func:`build_map` returns, and its traces that are
    not in the date-independent base (that date's control polygons and events), which start at
    index ``start`` of ``view.spec["data"]`` (``meta.dated``, set by :func:`build_map`). The static
    export writes ``traces`` as one small file per date, and its page swaps them in place of the
    drawn date's. One builder, many outputs.
    """
    view = build_map(bundle, day, locale, layers, height)
    start, count = view.spec["layout"]["meta"]["dated"]
    return view, start, view.spec["data"][start : start + count]
