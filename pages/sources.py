"""/sources: every claim with its link (search, CSV), the map layers' licences and credits, the
method, the gaps in the data and the corrections log."""

from __future__ import annotations

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.csvsafe import to_csv_bytes
from explainer.datapackage import dataset_jsonld, jsonld_script
from explainer.i18n import Bound
from explainer.load import Bundle
from explainer.model import Rereport
from explainer.ui import state as S
from explainer.ui.charts import link_columns
from explainer.ui.parts import DRIFT_COLOUR, heading, source_url
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
    _rereports(bundle, tr)
    st.header(md(tr("sources_layers")), anchor=False)
    fr = tr.lang == "fr"
    for lyr in bundle.manifest.layers:  # cards rather than a wide table: readable at 375 px
        with st.container(border=True):
            risk = f" — ⚠️ {md(tr('licence_risk'))}" if lyr.licence_risk else ""
            if lyr.rights.status == "not_cleared":  # published without cleared rights (geo/README.md: rights)
                risk += f"{' ·' if risk else ' — ⚠️'} {md(tr('rights_not_cleared'))}"
            st.markdown(f"**{md(tr.field(lyr, 'title'))}**{risk}")
            colon = " :" if fr else ":"  # French typography puts a space before the colon
            link = f" — [{md(lyr.source_url)}]({source_url(lyr.source_url)})" if lyr.source_url else ""
            for label, text in (
                (tr("col_attribution"), tr.field(lyr, "attribution")),
                (tr("col_licence"), tr.field(lyr, "licence")),
                (tr("claim_card_sources"), tr.field(lyr, "source")),
                (tr("col_processing"), tr.field(lyr, "method")),  # readers' words (processing: the editors' log)
            ):
                if text:  # the processing line is optional
                    st.caption(f"{md(label)}{colon} {md(text)}" + (link if label == tr("claim_card_sources") else ""))
    st.header(md(tr("sources_method")), anchor=False)
    st.write(md(tr.field(bundle.site, "method")))
    st.header(md(tr("sources_gaps")), anchor=False)
    silent = Q.sides_without_casualty_figure(bundle)  # computed, so an update never leaves it false
    if silent:
        st.write(md(tr("gaps_no_casualty_figure", sides=", ".join(tr(f"side_{s}") for s in silent))))
    st.write(md(tr.field(bundle.site, "gaps")))
    if bundle.site.missing_layers_fr:
        st.write(md(tr.field(bundle.site, "missing_layers")))
    st.header(md(tr("sources_changelog")), anchor=False)
    for ch in bundle.changelog:
        st.markdown(f"**{md(tr.date(ch.date))}** — {md(tr.field(ch, 'change'))}")


def _rereports(bundle: Bundle, tr: Bound) -> None:
    """Each figure other outlets repeated: the claim, then each re-report (date, outlet, the figure as
    printed, its measure and scope) with a chip per drift label, oldest first."""
    chains = Q.rereport_chains(bundle)
    if not chains:
        return
    st.header(md(tr("sources_rereports")), anchor="rereports")
    st.caption(md(tr("rereports_intro")))
    for claim, reports in chains:
        with st.container(border=True, key=f"chain-{claim.id}"):
            st.markdown(
                "**"
                + md(F.rereport_origin(bundle, claim, tr))
                + f"** — [{md(tr('claim_card_sources'))}]({source_url(claim.source_url)})"
            )
            for r in reports:
                _rereport(bundle, r, tr)


def _rereport(bundle: Bundle, r: Rereport, tr: Bound) -> None:
    line = st.container(horizontal=True, vertical_alignment="center", key=f"rereport-{r.id}")
    text = tr(
        "rereport_line",
        date=tr.date(r.date),
        outlet=r.outlet,
        figure=getattr(r, f"figure_{tr.lang}", None) or r.figure,  # figure_fr on French pages
        measure=tr(f"measure_{r.measure}"),
        scope=tr(f"scope_{r.scope}"),
    )
    line.markdown(f"{md(text)} — [{md(tr('rereport_source'))}]({source_url(r.url)})")
    for label in r.drift:
        line.badge(tr(f"drift_{label}"), color=DRIFT_COLOUR[label])
    who = getattr(r, f"attributed_to_{tr.lang}", None) or r.attributed_to  # attributed_to_fr on French pages
    notes = [tr("rereport_attributed", who=who)] if who else []
    newer = Q.newer_than_reported(bundle, r) if "stale" in r.drift else None
    if newer is not None:
        notes.append(tr("rereport_newer", value=F.value_text(newer, tr.lang), date=tr.date(newer.date)))
    note = tr.field(r, "note")
    st.caption(" · ".join(md(n) for n in [*notes, note] if n))


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
