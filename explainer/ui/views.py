"""Page bodies. Each reads the shared state, calls the figure builders, renders."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import streamlit as st

from .. import figures as F
from .. import i18n
from .. import queries as Q
from ..csvsafe import to_csv_bytes
from ..figures import View
from ..i18n import Bound
from ..load import Bundle
from ..model import CASUALTY_MEASURES, CATEGORIES
from . import state as S
from .charts import MAP_HEIGHT, chart, link_columns
from .data import view
from .device import phone
from .session import get_state, set_from, set_state
from .share import share_panel
from .text import html_text, md
from .widgets import action_button, advance_if_playing, bound_widget, date_controls


def _heading(text: str) -> None:
    """The view's one h1 (embeds too: an embed is a page of its own)."""
    st.title(md(text), anchor=False)


def _back_link(state: S.State, bundle: Bundle, view_id: str, tr: Bound) -> None:
    if state.embed:
        params = S.encode(state.with_(view=view_id, embed=False), bundle)
        from urllib.parse import urlencode

        st.markdown(f"[{md(tr('back_to_app'))}](/?{urlencode(params)})")


# --------------------------------------------------------------------------- story


def story(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    lead = bundle.article.lead
    st.caption(md(tr("app_kicker", period=i18n.month_span(*Q.story_period(bundle), state.lang))))
    st.title(md(tr.field(lead, "headline") if lead else tr("app_title")), anchor=False)
    if lead:
        st.markdown(f"<p class='lead'>{html_text(tr.field(lead, 'intro'))}</p>", unsafe_allow_html=True)
    lead_view = view(bundle, F.build_lead, locale=state.lang)  # names above the dots: readable at any width
    if lead_view is not None:
        chart(lead_view, tr, key="lead_chart")
    _article_box(bundle, tr)
    _story_steps(bundle, state, tr)
    _claim_cards(bundle, state.lang)


def _article_box(bundle: Bundle, tr: Bound) -> None:
    """The source article, with its own anchor: claims sourced to the article link here."""
    art = bundle.article
    st.header(md(tr("article_section")), anchor="article")
    with st.container(border=True):
        st.subheader(md(tr.field(art, "title")), anchor=False)
        note = tr.field(art, "published_note")
        published = tr("story_published", outlet=tr.field(art, "outlet"), date=tr.date(art.published))
        st.caption(md(published) + (f" — {md(note)}" if note else ""))
        st.write(md(tr.field(art, "lead")))


def _story_steps(bundle: Bundle, state: S.State, tr: Bound) -> None:
    """Step text beside the graphic (desktop), or just above it (phone): Next never moves the
    graphic out of view. The step's places are ringed on the map, its figures on the chart."""
    steps = bundle.story
    if not steps:
        return
    st.header(md(tr("story_mode")), anchor=False)
    i = min(state.step, len(steps))
    step = steps[i - 1]

    def go(n: int) -> None:
        set_state(step=n, date=steps[n - 1].date)

    if step.date != state.date:
        state = set_state(date=step.date)
    evs = [e for e in bundle.events if e.id in step.event_ids]
    places = tuple(dict.fromkeys(e.place for e in evs if e.place))
    claims = tuple(dict.fromkeys(c for e in evs for c in e.claims))
    on_phone = phone()
    if on_phone:  # buttons, a short scrolling text box, then the graphic: one screen together
        bar_col, text_col, graphic_col = st.container(), st.container(), st.container()
    else:
        text_col, graphic_col = st.columns([2, 3])
        bar_col = text_col
    with bar_col:
        bar = st.container(horizontal=True, key="story-bar", vertical_alignment="center")
        action_button(bar, tr("prev"), "story_prev", go, i - 1, disabled=i <= 1, width="content")
        bar.markdown(md(tr("story_step", i=i, n=len(steps))))
        action_button(bar, tr("next"), "story_next", go, i + 1, disabled=i >= len(steps), width="content")
    with text_col:
        with st.container(border=True, key="story-step", height=STEP_TEXT_HEIGHT if on_phone else "content"):
            st.markdown(f"**{md(tr.date(step.date))} — {md(tr.field(step, 'title'))}**")
            st.write(md(tr.field(step, "text")))
            for e in evs:
                st.caption(f"{md(tr.field(e, 'title'))} — [{md(tr('claim_card_sources'))}]({_url(e.source_url)})")
    with graphic_col, st.container(key="story-graphic"):
        story_map = view(
            bundle,
            F.build_map,
            day=step.date,
            locale=state.lang,
            layers=state.layers,
            height=MAP_HEIGHT["phone" if on_phone else "story"],
            aspect=None if on_phone else STORY_ASPECT,
            highlight=places,
        )
        _snapshot_line(bundle, story_map, tr)
        chart(story_map, tr, key="story_map")
        width = F.PHONE_WIDTH_PX if phone() else F.PLOT_WIDTH_PX
        cas = view(
            bundle,
            F.build_casualties,
            locale=state.lang,
            claimants=(),
            measures=(),
            selected=step.date,
            highlight=claims,
            plot_width=width,
            also_dates=tuple(s.date for s in steps),
        )
        chart(cas, tr, key="story_cas")


STORY_ASPECT = 1.55  # the map beside the step text: three fifths of the page width, 460 px high
STEP_TEXT_HEIGHT = 190  # px: on a phone the step's text scrolls in its box, so the map stays on screen
BadgeColour = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
VERDICT_COLOUR: dict[str, BadgeColour] = {
    "accurate": "green",
    "outdated": "orange",
    "different_scope": "violet",
    "misattributed": "red",
    "overstated": "red",
    "imprecise": "gray",
    "unverifiable": "gray",
}


def _excerpt_translation(acs: list[Any], quoted_in: str, tr: Bound) -> None:
    """Our translation of an article excerpt, under the quote, on a page in another language than the article's."""
    text = next((getattr(ac, f"excerpt_{tr.lang}", None) for ac in acs if getattr(ac, f"excerpt_{tr.lang}", None)), None)
    if tr.lang != quoted_in and text:
        st.caption(tr("excerpt_translation", text=md(text)))


def _claim_cards(bundle: Bundle, lang: str) -> None:
    """The article's claims as cards: its words first, then who said it and when, a verdict chip,
    and the context behind a control. Claims quoting the same words share one card."""
    tr = i18n.bind(lang)
    art = bundle.article
    st.header(md(tr("story_heading")), anchor=False)
    st.caption(md(tr("article_link_note")))
    by_id = bundle.claim_by_id
    groups: dict[str, list[Any]] = {}
    for ac in art.claims:
        groups.setdefault(" ".join(ac.excerpt.split()), []).append(ac)
    for excerpt, acs in groups.items():
        claims = [by_id[c] for ac in acs for c in ac.claim_ids if c in by_id]
        with st.container(border=True, key=f"card-{acs[0].id}"):
            st.markdown(f"<p class='quote' lang='{art.language}'>« {html_text(excerpt)} »</p>", unsafe_allow_html=True)
            _excerpt_translation(acs, art.language, tr)
            who = i18n.field(acs[0], "claimant_label", lang)
            when = ", ".join(dict.fromkeys(i18n.date(art.published if _is_article(c) else c.date, lang) for c in claims))
            line = st.container(horizontal=True, vertical_alignment="center")
            line.markdown(f"**{md(tr('claim_card_said', who=who, date=when))}**")
            for verdict in dict.fromkeys(ac.verdict for ac in acs if ac.verdict):
                line.badge(tr(f"verdict_{verdict}"), color=VERDICT_COLOUR[verdict])
            with st.expander(tr("more")):
                for c in claims:
                    claimant = bundle.claimants.get(c.claimant)
                    name = i18n.field(claimant, "name", lang) if claimant else c.claimant
                    outlet = tr.field(art, "outlet") if _is_article(c) else c.outlet
                    st.caption(
                        f"{md(name)} · {md(tr(f'measure_{c.measure}'))}: **{md(F.value_text(c, lang))}**"
                        f" · {md(outlet)} · [{md(tr('claim_card_sources'))}]({_url(c.source_url)})"
                    )
                for ac in acs:
                    st.write(md(i18n.field(ac, "context", lang)))


def _is_article(claim: Any) -> bool:
    """A claim whose source is the article itself (its date is the fact's, not the article's)."""
    return str(claim.source_url).startswith("seed:")


def _url(u: str) -> str:
    """A source link for markdown: http(s) URLs with parentheses and spaces encoded; a claim
    sourced to the article itself links to the article's section on the story page."""
    if not (u.startswith("http://") or u.startswith("https://")):
        return "/#article"
    return u.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


# --------------------------------------------------------------------------- map


def map_view(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    _heading(tr("map_heading"))
    _map_panel(bundle, state, tr)
    _back_link(get_state(), bundle, "map", tr)


# Not an st.fragment: a fragment's rerun did not lower the browser's CPU per date move (measured in
# the benchmark), and after a server restart Streamlit skips a fragment it does not know ("Couldn't
# find fragment"), so the date bar stayed dead until a full rerun (test_server_restart_under_an_open_page).
def _map_panel(bundle: Bundle, state: S.State, tr: Bound) -> None:
    layers = list(state.layers) if state.layers is not None else F.default_layers(bundle)
    if not state.embed:
        date_controls(bundle, state, key="map_date")
        state = get_state()
    height = MAP_HEIGHT["phone" if phone() else "full"]
    the_map = view(bundle, F.build_map, day=state.date, locale=state.lang, layers=tuple(layers), height=height)
    _snapshot_line(bundle, the_map, tr)
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
        chart(area, tr, key="area_chart")
        advance_if_playing(bundle, state)


def _snapshot_line(bundle: Bundle, shown: View | None, tr: Bound) -> None:
    """Which control snapshot the map shows, and plainly when the chosen day has none."""
    if shown is None:
        return
    meta = shown.figure.layout.meta or {}
    snap, where = meta.get("snapshot"), meta.get("coverage")
    if not snap:
        return
    ids = meta.get("control_layers") or []
    source = F.source_name(bundle, ids[0], tr.locale) if ids else ""
    with st.container(key="snapshot-line"):
        _snapshot_text(meta, snap, where, source, tr)


def _snapshot_text(meta: dict[str, Any], snap: str, where: str | None, source: str, tr: Bound) -> None:
    day = dt.date.fromisoformat(snap)
    chosen = tr.date(dt.date.fromisoformat(meta["date"])) if meta.get("date") else ""
    if where == "after":
        st.warning(md(tr("map_snapshot_after", source=source, last=tr.date(day), date=chosen)))
    elif where == "before":
        st.warning(md(tr("map_snapshot_before", source=source, first=tr.date(day), date=chosen)))
    elif meta.get("date") and meta["date"] != snap:  # a day without a snapshot: say which one is shown
        st.markdown(f"**{md(tr('map_snapshot_nearest', source=source, date=tr.date(day), day=chosen))}**")
    else:
        st.markdown(f"**{md(tr('map_snapshot', source=source, date=tr.date(day)))}**")


# --------------------------------------------------------------------------- casualties


def casualties(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    _heading(tr("casualties_heading"))
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
    cas = view(
        bundle,
        F.build_casualties,
        locale=state.lang,
        claimants=state.claimants,
        measures=state.measures,
        selected=state.date,
        plot_width=F.PHONE_WIDTH_PX if phone() else F.PLOT_WIDTH_PX,
    )
    left, right = st.columns([3, 1]) if not state.embed else (st.container(), None)
    with left:
        chart(cas, tr, key="cas_chart")
    _, unnumbered = F.casualty_claims(bundle, state.claimants, state.measures)
    if right is not None:
        with right:
            st.markdown(f"**{md(tr('no_number_heading'))}**")
            for c in unnumbered:
                who = tr.field(bundle.claimants[c.claimant], "name")
                st.caption(
                    f"{md(tr.date(c.date))} — **{md(who)}**: «\u202f{md(c.quote)}\u202f» "
                    f"[{md(tr('claim_card_sources'))}]({_url(c.source_url)})"
                )
    if not state.embed and cas is not None:
        shown = F.local_dates(cas.table, tr.locale)
        st.dataframe(shown, hide_index=True, width="stretch", column_config=link_columns(shown, tr), key="cas_sources")
        share_panel("casualties", cas, state, bundle, "kursk-casualties")
    _back_link(state, bundle, "casualties", tr)


# --------------------------------------------------------------------------- timeline


def timeline(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    _heading(tr("timeline_heading"))
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
                st.caption(f"{md(tr.field(e, 'summary'))} [{md(tr('claim_card_sources'))}]({_url(e.source_url)})")
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
                st.caption(f"{md(tr.field(e, 'summary'))} [{md(tr('claim_card_sources'))}]({_url(e.source_url)})")
        share_panel("timeline", tl, state, bundle, "kursk-timeline")
    _back_link(state, bundle, "timeline", tr)


def _go_to(bundle: Bundle, day: dt.date) -> None:
    """Choosing an event sets the shared date to the event's own day (the map shows the nearest
    snapshot and says so), so the event stays the selected one."""
    set_state(date=day)


# --------------------------------------------------------------------------- sources


def sources(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    _heading(tr("sources_heading"))
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
            link = f" — [{md(lyr.source_url)}]({_url(lyr.source_url)})" if lyr.source_url else ""
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


# The view registry: id -> page body. A new view is a function here, its id in state.VIEWS and a
# nav_<id> key in both catalogues; the router, links, tests and bench read this table.
VIEWS = {"story": story, "map": map_view, "casualties": casualties, "timeline": timeline, "sources": sources}
