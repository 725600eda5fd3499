"""/casualties: casualty estimates by source, one colour per claimant and one panel per measure,
with the statements that give no figure and the data behind the chart."""

from __future__ import annotations

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer.load import Bundle
from explainer.model import CASUALTY_MEASURES
from explainer.ui import live_map
from explainer.ui import state as S
from explainer.ui.charts import chart, chart_extras, link_columns
from explainer.ui.data import view
from explainer.ui.device import phone
from explainer.ui.parts import back_link, heading, source_url
from explainer.ui.session import set_from
from explainer.ui.share import PHONE_IMAGE_WIDTH, share_panel
from explainer.ui.text import md
from explainer.ui.widgets import bound_widget

MENU = 30  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    heading(tr("casualties_heading"))
    if not state.embed:
        st.write(md(tr("casualties_intro")))
        with_numbers = list(dict.fromkeys(c.claimant for c in bundle.claims if c.measure in CASUALTY_MEASURES))
        bound_widget("w_claimants", list(state.claimants))
        st.multiselect(
            tr("filter_claimants"),
            with_numbers,
            key="w_claimants",
            placeholder=tr("choose"),
            format_func=lambda i: tr.field(bundle.claimants[i], "name"),
            on_change=set_from("w_claimants", "claimants"),
        )
        bound_widget("w_measures", list(state.measures))
        st.pills(
            tr("filter_measures"),
            list(CASUALTY_MEASURES),
            selection_mode="multi",
            key="w_measures",
            format_func=lambda m: tr(f"measure_{m}"),
            on_change=set_from("w_measures", "measures"),
        )
        if bundle.rereports:
            bound_widget("w_rereports", state.rereports)
            st.toggle(tr("filter_rereports"), key="w_rereports", on_change=set_from("w_rereports", "rereports", bool))

    def drawn(plot_width: int, fitted: bool = False) -> F.View | None:
        """The chart with this state's filters, its value labels placed for a plot ``plot_width`` px wide."""
        return view(
            bundle,
            F.build_casualties,
            locale=state.lang,
            claimants=state.claimants,
            measures=state.measures,
            selected=state.date,
            plot_width=plot_width,
            rereports=state.rereports,
            fitted=fitted,
        )

    cas = drawn(F.PHONE_WIDTH_PX if phone() else F.PLOT_WIDTH_PX)
    left, right = st.columns([3, 1]) if not state.embed else (st.container(), None)
    with left:
        if cas is not None and not state.embed and live_map.enabled():
            # drawn with the map's plotly.js (live_map.py): Streamlit's own chart would load its 4.7 MB plotly bundle;
            # its value labels placed for the width the browser finds (a set of figures, the phone's narrower)
            widths = F.fit_widths(phone())
            fits = [drawn(w, fitted=True) for w in widths]
            bounds = F.fit_bounds(widths)
            live_map.drawn_chart(
                cas, bundle.version, state.lang, key="cas_chart", fits=[(b, v) for b, v in zip(bounds, fits) if v is not None]
            )
            st.caption(md(cas.summary))
            chart_extras(cas, tr, "cas_chart")
        else:
            chart(cas, tr, key="cas_chart")
    _, unnumbered = F.casualty_claims(bundle, state.claimants, state.measures)
    if right is not None:
        with right:
            st.markdown(f"**{md(tr('no_number_heading'))}**")
            for c in unnumbered:
                who = tr.field(bundle.claimants[c.claimant], "name")
                when = F.said_when(bundle, c, tr.locale)
                translated = F.quote_translation(bundle, c, tr.locale)
                language = "" if translated else F.quote_language(c, tr.locale)
                st.caption(
                    f"{md(when[:1].upper() + when[1:])} — **{md(who)}**: {md(i18n.quoted(c.quote, tr.locale, c.quote_lang))}"
                    + (f" {md(tr('quote_language', language=language))}" if language else "")
                    + f" [{md(tr('claim_card_sources'))}]({source_url(c.source_url)})"
                )
                if translated:  # as on the story's cards
                    st.caption(tr("excerpt_translation", text=md(i18n.prose(translated, tr.locale))))
    if not state.embed and cas is not None:
        shown = F.local_dates(cas.table, tr.locale)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=link_columns(shown, tr), key="cas_sources")
        phone_cas = drawn(F.pick_width(F.fit_widths(), PHONE_IMAGE_WIDTH), fitted=True)  # the phone's picture
        share_panel("casualties", cas, state, bundle, "kursk-casualties", phone=phone_cas)
    back_link(state, bundle, "casualties", tr)


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
