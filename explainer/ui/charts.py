"""A view on the page: its figure (serialised once), with the text alternative, credits and data
table that must travel with it."""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..figures import View, local_dates
from ..i18n import Bound
from .text import md

# topojsonURL: plotly's geo subplot may load a topojson for its scope even with every base layer
# hidden; it is served from ./static (relative to the page, so a base path works), never from a CDN.
# No mode bar: 5-7 extra tab stops per chart with English labels; images come from the share panel.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "scrollZoom": False,
    "responsive": True,
    "topojsonURL": "app/static/topojson/",
}
MAP_HEIGHT = {"full": 500, "story": 460, "phone": 360}


def sendable(view: View) -> go.Figure:
    """The view's figure with its dict form computed once.

    st.plotly_chart calls ``figure.to_dict()`` on every rerun, which deep-copies the whole
    figure (5–8 ms for the map, measured in the bench). A cached view is
    never mutated, so one dict serves every rerun of every session. Streamlit only reads it to
    serialise it; if a later Streamlit stops calling ``to_dict`` this is merely unused. The
    figure is a separate object so that image export never sees the shared dict.
    """
    fig: go.Figure | None = view.__dict__.get("_sendable")
    if fig is None:  # two sessions may race here: both build the same thing, harmless
        frozen = view.spec if view.spec is not None else view.figure.to_dict()
        fig = go.Figure(frozen, _validate=False)
        object.__setattr__(fig, "to_dict", lambda: frozen)
        object.__setattr__(view, "_sendable", fig)
    return fig


def chart(view: View | None, tr: Bound, key: str, on_select: Literal["rerun"] | None = None) -> Any:
    """A figure with everything that must travel with it: text alternative, data, credits.
    Returns the chart's selection event (``on_select="rerun"``), else None."""
    if view is None:  # the builder failed and said so in its place
        return None
    # alt: the chart's accessible name, pointing to the text alternative printed under it
    alt = tr("chart_alt", title=view.title)
    # theme=None: the house template (figures/theme.py) styles the chart, as in the embeds and the export
    common: dict[str, Any] = dict(width="stretch", config=PLOTLY_CONFIG, key=key, alt=alt, theme=None)
    if on_select:
        event: Any = st.plotly_chart(sendable(view), on_select=on_select, selection_mode="points", **common)
    else:
        event = st.plotly_chart(sendable(view), on_select="ignore", **common)
    st.caption(md(view.summary))
    chart_extras(view, tr, key)
    return event


def chart_extras(view: View, tr: Bound, key: str) -> None:
    """What travels with a chart under its text alternative: the sources line and the data table
    (``key``: the chart's; the table's expander is ``<key>_table``)."""
    colon = " :" if tr.lang == "fr" else ":"
    st.caption(f"{md(tr('sources_line'))}{colon} {md(' · '.join(view.credits))}")
    data_table(view.table, tr, f"{key}_table")


def data_table(table: pd.DataFrame, tr: Bound, key: str) -> None:
    """A data table under its expander, sent only once a reader opens it (Streamlit's lazy expander,
    ``on_change="rerun"``): a closed table costs no Arrow serialisation on each run, and a page whose
    tables are all closed loads no data grid (about 1.2 MB of script, compressed, on a first visit to
    the map). Opening one is a run of the page; its state lives in ``st.session_state[key]``."""
    with st.expander(tr("data_table"), key=key, on_change="rerun") as box:
        if box.open:
            shown = local_dates(table, tr.locale)  # dates as the reader writes them; the CSV keeps ISO
            st.dataframe(shown, hide_index=True, width="stretch", column_config=link_columns(shown, tr))


def link_columns(df: pd.DataFrame, tr: Bound) -> dict[str, Any] | None:
    """The table's source column as links (when it has one)."""
    col = tr("col_source")
    return {col: st.column_config.LinkColumn(col)} if col in df.columns else None
