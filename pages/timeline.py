"""/timeline: dated events by category; choosing one sets the shared date.

The category filter, the chart, the chosen event's card, the event picker and the list are drawn in
the browser (explainer/ui/live_timeline.py): choosing an event or a category runs no script. An
embed shows the chart alone (Streamlit's chart, no selection)."""

from __future__ import annotations

from explainer import figures as F
from explainer import i18n
from explainer.load import Bundle
from explainer.ui import state as S
from explainer.ui.charts import chart, data_table
from explainer.ui.data import view
from explainer.ui.device import phone
from explainer.ui.live_timeline import live_timeline
from explainer.ui.parts import back_link, heading
from explainer.ui.share import share_panel

MENU = 40  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    heading(tr("timeline_heading"))
    tl = view(bundle, F.build_timeline, locale=state.lang, selected=state.date, categories=state.cats)
    if state.embed or tl is None:
        chart(tl, tr, key="tl_chart")
    else:
        # the filter, the chart with its text alternative and sources line, the chosen event's card, the
        # picker and the list, drawn in the browser; the data table of every event under them
        live_timeline(bundle, state, tl, key="tl_chart", phone=phone())
        all_events = view(bundle, F.build_timeline, locale=state.lang)
        if all_events is not None:
            data_table(all_events.table, tr, "tl_chart_table")
        share_panel("timeline", tl, state, bundle, "kursk-timeline")
    back_link(state, bundle, "timeline", tr)


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
