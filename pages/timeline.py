"""/timeline: dated events by category; choosing one sets the shared date."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer.load import Bundle
from explainer.model import CATEGORIES
from explainer.ui import state as S
from explainer.ui.charts import chart
from explainer.ui.data import view
from explainer.ui.parts import back_link, heading, source_url
from explainer.ui.session import set_from, set_state
from explainer.ui.share import share_panel
from explainer.ui.text import md
from explainer.ui.widgets import bound_widget

MENU = 40  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    heading(tr("timeline_heading"))
    if not state.embed:
        bound_widget("w_cats", list(state.cats))
        st.pills(
            tr("filter_categories"),
            list(CATEGORIES),
            selection_mode="multi",
            key="w_cats",
            format_func=lambda c: tr(f"cat_{c}"),
            on_change=set_from("w_cats", "cats"),
        )
    tl = view(bundle, F.build_timeline, locale=state.lang, selected=state.date, categories=state.cats)
    event = chart(tl, tr, key="tl_chart", on_select="rerun" if not state.embed else None)
    events = [e for e in bundle.events if not state.cats or e.category in state.cats]
    by_id = {e.id: e for e in events}
    picked = None
    if not state.embed:  # with on_select="rerun" the chart returns its selection
        pts = event.selection.points if event and event.selection else []
        if pts:
            picked = by_id.get(pts[0].get("customdata"))
    if picked is not None and picked.date != state.date:
        _go_to(bundle, picked.date)
        st.rerun()
    if not state.embed:
        for e in [e for e in events if e.date == state.date]:  # the chosen event's card, right under the chart
            with st.container(border=True, key=f"selected-event-{e.id}"):
                st.markdown(
                    f"**{md(tr.date(e.date, e.date_precision))}** · "
                    f"{md(tr(f'cat_{e.category}'))} — **{md(tr.field(e, 'title'))}**"
                )
                st.caption(f"{md(tr.field(e, 'summary'))} [{md(tr('claim_card_sources'))}]({source_url(e.source_url)})")
        ids = [e.id for e in events]
        sel = next((e.id for e in events if e.date == state.date), None)
        bound_widget("w_event", sel)
        st.selectbox(
            tr("timeline_pick"),
            ids,
            index=None,
            key="w_event",
            placeholder=tr("choose"),
            format_func=lambda i: f"{tr.date(by_id[i].date)} — {tr.field(by_id[i], 'title')}",
            on_change=lambda: _go_to(bundle, by_id[st.session_state["w_event"]].date) if st.session_state["w_event"] else None,
        )
        for e in events:
            mark = "▸ " if e.date == state.date else ""  # no emoji: Debian Chromium has no emoji font
            with st.container(border=e.date == state.date):
                st.markdown(
                    f"{mark}**{md(tr.date(e.date, e.date_precision))}** · "
                    f"{md(tr(f'cat_{e.category}'))} — **{md(tr.field(e, 'title'))}**"
                )
                st.caption(f"{md(tr.field(e, 'summary'))} [{md(tr('claim_card_sources'))}]({source_url(e.source_url)})")
        share_panel("timeline", tl, state, bundle, "kursk-timeline")
    back_link(state, bundle, "timeline", tr)


def _go_to(bundle: Bundle, day: dt.date) -> None:
    """Choosing an event sets the shared date to the event's own day (the map shows the nearest
    snapshot and says so), so the event stays the selected one."""
    set_state(date=day)


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
