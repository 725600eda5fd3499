"""Data -> plotly Figure, one builder per view.

The same builders serve the live app, the embeds and the static export. Each returns a
:class:`View`: the figure, a text alternative, the data table behind it and the credit lines, so
no caller can show a chart without its sources. Pure functions: no Streamlit, no I/O.

One module per chart (``casualties``, ``map``, ``area``, ``timeline``, ``lead``); the house style
in ``theme`` (a registered plotly template); time axes in ``axes``; what is kept between reruns
in ``cache``; the map's geometry in ``geo``. Questions about the data (dates, layers, events near
a day) are in :mod:`explainer.queries`, beside the ``Bundle``.
"""

from __future__ import annotations

from ..queries import coverage, default_layers, events_near, map_layers, nearest_date, snapshot_source, source_name
from .area import build_area
from .axes import date_range, month_ticks
from .cache import forget_other_versions
from .casualties import (
    MEASURE_SYMBOL,
    PHONE_WIDTH_PX,
    PLOT_WIDTH_PX,
    build_casualties,
    casualty_claims,
    fit_bounds,
    fit_widths,
    pick_width,
)
from .geo import PHONE_ASPECT, WIDE_ASPECT
from .lead import build_lead
from .map import build_map, map_dated_traces
from .text import (
    claims_table,
    from_article,
    known_now_lines,
    local_dates,
    newer_figure_item,
    quote_language,
    quote_translation,
    rereport_origin,
    said_when,
    text_of,
    value_text,
)
from .timeline import build_timeline
from .view import View

__all__ = [
    "MEASURE_SYMBOL",
    "PHONE_ASPECT",
    "PHONE_WIDTH_PX",
    "PLOT_WIDTH_PX",
    "WIDE_ASPECT",
    "View",
    "build_area",
    "build_casualties",
    "fit_bounds",
    "fit_widths",
    "pick_width",
    "build_lead",
    "build_map",
    "build_timeline",
    "casualty_claims",
    "claims_table",
    "coverage",
    "date_range",
    "default_layers",
    "events_near",
    "forget_other_versions",
    "from_article",
    "local_dates",
    "map_dated_traces",
    "map_layers",
    "month_ticks",
    "nearest_date",
    "quote_language",
    "quote_translation",
    "said_when",
    "snapshot_source",
    "source_name",
    "text_of",
    "rereport_origin",
    "value_text",
    "known_now_lines",
    "newer_figure_item",
]
