"""/map: control of territory for any day (the date bar, the map, its snapshot line, layer options,
the share panel) and the area over time."""

from __future__ import annotations

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer.i18n import Bound
from explainer.load import Bundle
from explainer.ui import live_map
from explainer.ui import state as S
from explainer.ui.charts import MAP_HEIGHT, chart, chart_extras
from explainer.ui.data import view
from explainer.ui.device import phone
from explainer.ui.parts import back_link, heading, snapshot_line, snapshot_text
from explainer.ui.session import get_state, set_from
from explainer.ui.share import share_panel
from explainer.ui.text import md
from explainer.ui.widgets import advance_if_playing, bound_widget, date_controls

MENU = 20  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    heading(tr("map_heading"))
    _map_panel(bundle, state, tr)
    back_link(get_state(), bundle, "map", tr)


# Not an st.fragment: a fragment's rerun did not lower the browser's CPU per date move (measured in
# the benchmark), and after a server restart Streamlit skips a fragment it does not know ("Couldn't
# find fragment"), so the date bar stayed dead until a full rerun (test_server_restart_under_an_open_page).
def _map_panel(bundle: Bundle, state: S.State, tr: Bound) -> None:
    layers = list(state.layers) if state.layers is not None else F.default_layers(bundle)
    client = live_map.enabled()
    if not state.embed and not client:
        date_controls(bundle, state, key="map_date")
        state = get_state()
    height = MAP_HEIGHT["phone" if phone() else "full"]
    the_map = view(bundle, F.build_map, day=state.date, locale=state.lang, layers=tuple(layers), height=height)
    # the date bar, the map, its snapshot line and text alternative, drawn in the browser (live_map.py)
    said = snapshot_text(bundle, the_map, tr) or ("", False)
    if client and the_map is not None and live_map.map_explorer(bundle, state, the_map, tuple(layers), height, said):
        chart_extras(the_map, tr, "map_chart")
        state = get_state()  # the date the explorer reported in this run: the share panel and area chart follow it
    else:  # the server-side date bar (EXPLAINER_LIVE_MAP=server), or a map without dates
        snapshot_line(bundle, the_map, tr)
        chart(the_map, tr, key="map_chart")
    if not state.embed:
        with st.popover(tr("map_options")):  # layer choices out of the first screen
            bound_widget("w_layers", layers)
            st.multiselect(
                tr("layers"),
                F.map_layers(bundle),
                key="w_layers",
                placeholder=tr("choose"),
                format_func=lambda i: tr.field(bundle.layer(i), "title"),
                on_change=set_from("w_layers", "layers"),
            )
        missing = [p for p in bundle.places.values() if p.lon is None and p.kind in ("village", "town")]
        if missing:
            st.caption(md(tr("map_no_coords", names=", ".join(tr.field(p, "name") for p in missing))))
        if bundle.site.missing_layers_fr:
            st.caption(md(tr.field(bundle.site, "missing_layers")))
        share_panel("map", the_map, state, bundle, f"kursk-map-{state.date}")
        st.header(md(tr("area_heading")), anchor=False)
        area = view(bundle, F.build_area, locale=state.lang, selected=state.date)
        # with the map explorer: drawn by the map's plotly.js (one copy per page), its date line following the map's date
        if client and area is not None and live_map.area_chart(bundle, state, area, key="area_chart"):
            st.caption(md(area.summary))
            chart_extras(area, tr, "area_chart")
        else:
            chart(area, tr, key="area_chart")
        if not client:
            advance_if_playing(bundle, state)


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
