"""/sources: every claim with its link (search, CSV), the map layers' licences and credits, the
method, the gaps in the data and the corrections log."""

from __future__ import annotations

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer.csvsafe import to_csv_bytes
from explainer.datapackage import dataset_jsonld, jsonld_script
from explainer.load import Bundle
from explainer.ui import state as S
from explainer.ui.charts import link_columns
from explainer.ui.parts import heading, source_url
from explainer.ui.share import data_downloads
from explainer.ui.text import md

MENU = 50  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    heading(tr("sources_heading"))
    # the page's data for search engines and data desks: schema.org Dataset (inert JSON, no data text can close the tag)
    st.html(jsonld_script(dataset_jsonld(bundle, tr.lang, data_downloads())), unsafe_allow_javascript=True)
    st.header(md(tr("sources_claims")), anchor=False)
    q = st.text_input(tr("search"), key="w_search")
    table = F.claims_table(bundle, bundle.claims, state.lang)
    shown = F.local_dates(table, state.lang)  # searched and shown as the reader writes dates; the CSV keeps ISO
    if q:
        mask = shown.apply(lambda r: r.astype(str).str.contains(q, case=False, regex=False).any(), axis=1)
        table, shown = table[mask], shown[mask]
    st.dataframe(shown, hide_index=True, width="stretch", column_config=link_columns(shown, tr), key="src_table")
    st.download_button(
        tr("download_all_claims"), to_csv_bytes(table), file_name="kursk-claims.csv", mime="text/csv", key="dl_claims"
    )
    st.header(md(tr("sources_layers")), anchor=False)
    fr = tr.lang == "fr"
    for lyr in bundle.manifest.layers:  # cards rather than a wide table: readable at 375 px
        with st.container(border=True):
            risk = f" — ⚠️ {md(tr('licence_risk'))}" if lyr.licence_risk else ""
            st.markdown(f"**{md(tr.field(lyr, 'title'))}**{risk}")
            colon = " :" if fr else ":"  # French typography puts a space before the colon
            link = f" — [{md(lyr.source_url)}]({source_url(lyr.source_url)})" if lyr.source_url else ""
            for label, text in (
                (tr("col_attribution"), tr.field(lyr, "attribution")),
                (tr("col_licence"), tr.field(lyr, "licence")),
                (tr("claim_card_sources"), tr.field(lyr, "source")),
                (tr("col_processing"), tr.field(lyr, "processing")),
            ):
                if text:  # the processing line is optional
                    st.caption(f"{md(label)}{colon} {md(text)}" + (link if label == tr("claim_card_sources") else ""))
    st.header(md(tr("sources_method")), anchor=False)
    st.write(md(tr.field(bundle.site, "method")))
    st.header(md(tr("sources_gaps")), anchor=False)
    st.write(md(tr.field(bundle.site, "gaps")))
    if bundle.site.missing_layers_fr:
        st.write(md(tr.field(bundle.site, "missing_layers")))
    st.header(md(tr("sources_changelog")), anchor=False)
    for ch in bundle.changelog:
        st.markdown(f"**{md(tr.date(ch.date))}** — {md(tr.field(ch, 'change'))}")


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
