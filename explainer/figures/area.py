"""The area held over time: the mapped series beside the area figures sources gave."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..queries import source_name
from .axes import date_range, month_ticks
from .cache import dated
from .text import claims_credit, claims_table, said_when, text_of, value_text
from .theme import base_layout, separators
from .view import View

AREA_MEASURES = K.AREA_MEASURES  # the claims it draws (colours.py styles the claimants drawn together)
AREA_HEIGHT_PX = 420  # room for the legend under the plot on a phone, one entry a row (the heading and the date line too)


def build_area(bundle: Bundle, locale: str, selected: dt.date | None = None) -> View:
    return dated(bundle, locale, ("area",), lambda: _area(bundle, locale), selected)


def _area(bundle: Bundle, locale: str) -> View:
    df = bundle.areas
    control = [lyr for lyr in bundle.manifest.layers if lyr.kind == "control"]
    src = source_name(bundle, control[0].id, locale) if control else ""
    fig = go.Figure()
    if not df.empty:
        x = pd.to_datetime(df["date"])
        days = [i18n.date(d, locale, short=True) for d in x.dt.date]

        def hover(col: str) -> list[str]:
            return [f"{d}: {i18n.num(v, locale)}\u00a0km²" for d, v in zip(days, df[col])]

        # the map's source heads its two series in the legend, said once: a series' name with it would
        # run past a phone's edge (a legend group's title would put every other entry on a row of its own)
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker=dict(size=1, color="rgba(0,0,0,0)", line=dict(width=0)),
                name=t(locale, "area_mapped", source=text_of(src)),
                hoverinfo="skip",
                meta={"legend_heading": True},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=df["ua_plus_grey_km2"],
                mode="lines",
                name=t(locale, "area_ua_plus_grey_short"),
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
                name=t(locale, "area_ua_short"),
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
                    f"<b>{name}</b><br>{said_when(bundle, c, locale)}<br>{t(locale, f'measure_{c.measure}')}: "
                    f"<b>{value_text(c, locale)}\u00a0km²</b><br>{text_of(c.outlet)}"
                    for c in cs
                ],
                hoverinfo="text",
                customdata=[c.id for c in cs],
            )
        )
    fig.update_yaxes(rangemode="tozero", gridcolor=K.GRID, title=None, ticksuffix="\u00a0km²")
    area_dates = list(pd.to_datetime(df["date"]).dt.date) if not df.empty else []
    x_range = date_range(area_dates + [c.date for c in claims] + [bundle.article.published])
    fig.update_xaxes(type="date", gridcolor=K.GRID_FAINT, range=x_range, **month_ticks(x_range, locale, most=4))
    fig.update_layout(
        separators=separators(locale),
        hovermode="closest",
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0, font=dict(size=11)),
    )
    base_layout(fig, t(locale, "view_area"), AREA_HEIGHT_PX)
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
    credits = [i18n.field(lyr, "attribution", locale) for lyr in control]
    credits.append(claims_credit(claims, locale))
    return View(fig, summary, table, credits, t(locale, "view_area"))
