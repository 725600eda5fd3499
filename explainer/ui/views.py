"""Page bodies. Each reads the shared state, calls the figure builders, renders."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import figures as F
from .. import i18n
from .. import queries as Q
from ..i18n import t
from ..model import CASUALTY_MEASURES, CATEGORIES
from . import common as C
from . import state as S


def _heading(text: str, state: S.State) -> None:
    """The view's one h1 (embeds too: an embed is a page of its own)."""
    st.title(C.md(text), anchor=False)


def _back_link(state: S.State, bundle, view: str) -> None:
    if state.embed:
        params = S.encode(state.with_(view=view, embed=False), bundle)
        from urllib.parse import urlencode

        st.markdown(f"[{C.md(t(state.lang, 'back_to_app'))}](/?{urlencode(params)})")


# --------------------------------------------------------------------------- story


def story(bundle, state: S.State) -> None:
    lang = state.lang
    art = bundle.article
    lead = art.lead
    st.caption(C.md(t(lang, "app_kicker", period=i18n.month_span(*Q.story_period(bundle), lang))))
    st.title(C.md(i18n.field(lead, "headline", lang) if lead else t(lang, "app_title")), anchor=False)
    if lead:
        st.markdown(f"<p class='lead'>{C.html_text(i18n.field(lead, 'intro', lang))}</p>", unsafe_allow_html=True)
    lead_view = C.view(bundle, "build_lead", lang)  # names above the dots: readable at any width
    if lead_view is not None:
        C.chart(lead_view, state, key="lead_chart")
    _article_box(bundle, lang)
    _story_steps(bundle, state)
    _claim_cards(bundle, lang)


def _article_box(bundle, lang: str) -> None:
    """The source article, with its own anchor: claims sourced to the article link here."""
    art = bundle.article
    st.header(C.md(t(lang, "article_section")), anchor="article")
    with st.container(border=True):
        st.subheader(C.md(i18n.field(art, "title", lang)), anchor=False)
        note = art.published_note_fr if i18n.lang_of(lang) == "fr" else art.published_note_en
        st.caption(
            C.md(t(lang, "story_published", outlet=art.outlet, date=i18n.date(art.published, lang)))
            + (f" — {C.md(note)}" if note else "")
        )
        st.write(C.md(art.lead_fr if i18n.lang_of(lang) == "fr" else art.lead_en))


def _story_steps(bundle, state: S.State) -> None:
    """Step text beside the graphic (desktop), or just above it (phone): Next never moves the
    graphic out of view. The step's places are ringed on the map, its figures on the chart."""
    lang, steps = state.lang, bundle.story
    if not steps:
        return
    st.header(C.md(t(lang, "story_mode")), anchor=False)
    i = min(state.step, len(steps))
    step = steps[i - 1]

    def go(n):
        C.set_state(step=n, date=steps[n - 1].date)

    if step.date != state.date:
        state = C.set_state(date=step.date)
    evs = [e for e in bundle.events if e.id in step.event_ids]
    places = tuple(dict.fromkeys(e.place for e in evs if e.place))
    claims = tuple(dict.fromkeys(c for e in evs for c in e.claims))
    if C.phone():  # buttons, a short scrolling text box, then the graphic: one screen together
        bar_col, text_col, graphic_col = st.container(), st.container(), st.container()
    else:
        text_col, graphic_col = st.columns([2, 3])
        bar_col = text_col
    with bar_col:
        bar = st.container(horizontal=True, key="story-bar", vertical_alignment="center")
        C.action_button(bar, t(lang, "prev"), "story_prev", go, i - 1, disabled=i <= 1, width="content")
        bar.markdown(C.md(t(lang, "story_step", i=i, n=len(steps))))
        C.action_button(bar, t(lang, "next"), "story_next", go, i + 1, disabled=i >= len(steps), width="content")
    with text_col:
        with st.container(border=True, key="story-step", height=STEP_TEXT_HEIGHT if C.phone() else "content"):
            st.markdown(f"**{C.md(i18n.date(step.date, lang))} — {C.md(i18n.field(step, 'title', lang))}**")
            st.write(C.md(i18n.field(step, "text", lang)))
            for e in evs:
                st.caption(
                    f"{C.md(i18n.field(e, 'title', lang))} — [{C.md(t(lang, 'claim_card_sources'))}]({_url(e.source_url)})"
                )
    with graphic_col, st.container(key="story-graphic"):
        view = C.view(
            bundle,
            "build_map",
            step.date,
            lang,
            state.layers,
            C.MAP_HEIGHT["phone" if C.phone() else "story"],
            None if C.phone() else STORY_ASPECT,
            places,
        )
        _snapshot_line(bundle, view, lang)
        C.chart(view, state, key="story_map")
        C.chart(C.view(bundle, "build_casualties", lang, (), (), step.date, claims), state, key="story_cas")


STORY_ASPECT = 1.55  # the map beside the step text: three fifths of the page width, 460 px high
STEP_TEXT_HEIGHT = 190  # px: on a phone the step's text scrolls in its box, so the map stays on screen
VERDICT_COLOUR = {
    "accurate": "green",
    "outdated": "orange",
    "different_scope": "violet",
    "misattributed": "red",
    "overstated": "red",
    "imprecise": "gray",
    "unverifiable": "gray",
}


def _excerpt_translation(acs, quoted_in: str, lang: str) -> None:
    """Our translation of an article excerpt, under the quote, on a page in another language than the article's."""
    page = i18n.lang_of(lang)
    text = next((getattr(ac, f"excerpt_{page}", None) for ac in acs if getattr(ac, f"excerpt_{page}", None)), None)
    if page != quoted_in and text:
        st.caption(t(lang, "excerpt_translation", text=C.md(text)))


def _claim_cards(bundle, lang: str) -> None:
    """The article's claims as cards: its words first, then who said it and when, a verdict chip,
    and the context behind a control. Claims quoting the same words share one card."""
    art = bundle.article
    st.header(C.md(t(lang, "story_heading")), anchor=False)
    st.caption(C.md(t(lang, "article_link_note")))
    by_id = bundle.claim_by_id
    groups: dict[str, list] = {}
    for ac in art.claims:
        groups.setdefault(" ".join(ac.excerpt.split()), []).append(ac)
    for excerpt, acs in groups.items():
        claims = [by_id[c] for ac in acs for c in ac.claim_ids if c in by_id]
        with st.container(border=True, key=f"card-{acs[0].id}"):
            st.markdown(f"<p class='quote' lang='{art.language}'>« {C.html_text(excerpt)} »</p>", unsafe_allow_html=True)
            _excerpt_translation(acs, art.language, lang)
            who = i18n.field(acs[0], "claimant_label", lang)
            when = ", ".join(dict.fromkeys(i18n.date(art.published if _is_article(c) else c.date, lang) for c in claims))
            line = st.container(horizontal=True, vertical_alignment="center")
            line.markdown(f"**{C.md(t(lang, 'claim_card_said', who=who, date=when))}**")
            for verdict in dict.fromkeys(ac.verdict for ac in acs if ac.verdict):
                line.badge(t(lang, f"verdict_{verdict}"), color=VERDICT_COLOUR[verdict])
            with st.expander(t(lang, "more")):
                for c in claims:
                    claimant = bundle.claimants.get(c.claimant)
                    name = i18n.field(claimant, "name", lang) if claimant else c.claimant
                    outlet = art.outlet if _is_article(c) else c.outlet
                    st.caption(
                        f"{C.md(name)} · {C.md(t(lang, f'measure_{c.measure}'))}: **{C.md(F.value_text(c, lang))}**"
                        f" · {C.md(outlet)} · [{C.md(t(lang, 'claim_card_sources'))}]({_url(c.source_url)})"
                    )
                for ac in acs:
                    st.write(C.md(i18n.field(ac, "context", lang)))


def _is_article(claim) -> bool:
    """A claim whose source is the article itself (its date is the fact's, not the article's)."""
    return claim.source_url.startswith("seed:")


def _url(u: str) -> str:
    """A source link for markdown: http(s) URLs with parentheses and spaces encoded; a claim
    sourced to the article itself links to the article's section on the story page."""
    if not (u.startswith("http://") or u.startswith("https://")):
        return "/#article"
    return u.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


# --------------------------------------------------------------------------- map


def map_view(bundle, state: S.State) -> None:
    lang = state.lang
    _heading(t(lang, "map_heading"), state)
    layers = list(state.layers) if state.layers is not None else F.default_layers(bundle)
    if not state.embed:
        C.date_controls(bundle, state, key="map_date")
        state = C.get_state()
    view = C.view(bundle, "build_map", state.date, lang, tuple(layers), C.MAP_HEIGHT["phone" if C.phone() else "full"])
    _snapshot_line(bundle, view, lang)
    C.chart(view, state, key="map_chart")
    if not state.embed:
        with st.popover(t(lang, "map_options")):  # layer choices out of the first screen
            C.bound_widget("w_layers", layers)
            st.multiselect(
                t(lang, "layers"),
                F.map_layers(bundle),
                key="w_layers",
                placeholder=t(lang, "choose"),
                format_func=lambda i: i18n.field(bundle.layer(i), "title", lang),
                on_change=lambda: C.set_state(layers=tuple(st.session_state["w_layers"])),
            )
        missing = [p for p in bundle.places.values() if p.lon is None and p.kind in ("village", "town")]
        if missing:
            st.caption(C.md(t(lang, "map_no_coords", names=", ".join(i18n.field(p, "name", lang) for p in missing))))
        if bundle.site.missing_layers_fr:
            st.caption(C.md(i18n.field(bundle.site, "missing_layers", lang)))
        C.share_panel("map", view, state, bundle, f"kursk-map-{state.date}")
        st.header(C.md(t(lang, "area_heading")), anchor=False)
        area = C.view(bundle, "build_area", lang, state.date)
        C.chart(area, state, key="area_chart")
        C.advance_if_playing(bundle, state)
    _back_link(state, bundle, "map")


def _snapshot_line(bundle, view, lang: str) -> None:
    """Which control snapshot the map shows, and plainly when the chosen day has none."""
    if view is None:
        return
    meta = view.figure.layout.meta or {}
    snap, where = meta.get("snapshot"), meta.get("coverage")
    if not snap:
        return
    ids = meta.get("control_layers") or []
    source = F.source_name(bundle, ids[0], lang) if ids else ""
    with st.container(key="snapshot-line"):
        _snapshot_text(meta, snap, where, source, lang)


def _snapshot_text(meta: dict, snap: str, where: str, source: str, lang: str) -> None:
    day = dt.date.fromisoformat(snap)
    chosen = i18n.date(dt.date.fromisoformat(meta["date"]), lang) if meta.get("date") else ""
    if where == "after":
        st.warning(C.md(t(lang, "map_snapshot_after", source=source, last=i18n.date(day, lang), date=chosen)))
    elif where == "before":
        st.warning(C.md(t(lang, "map_snapshot_before", source=source, first=i18n.date(day, lang), date=chosen)))
    elif meta.get("date") and meta["date"] != snap:  # a day without a snapshot: say which one is shown
        st.markdown(f"**{C.md(t(lang, 'map_snapshot_nearest', source=source, date=i18n.date(day, lang), day=chosen))}**")
    else:
        st.markdown(f"**{C.md(t(lang, 'map_snapshot', source=source, date=i18n.date(day, lang)))}**")


# --------------------------------------------------------------------------- casualties


def casualties(bundle, state: S.State) -> None:
    lang = state.lang
    _heading(t(lang, "casualties_heading"), state)
    if not state.embed:
        st.write(C.md(t(lang, "casualties_intro")))
        with_numbers = list(dict.fromkeys(c.claimant for c in bundle.claims if c.measure in CASUALTY_MEASURES))
        C.bound_widget("w_claimants", list(state.claimants))
        st.multiselect(
            t(lang, "filter_claimants"),
            with_numbers,
            key="w_claimants",
            placeholder=t(lang, "choose"),
            format_func=lambda i: i18n.field(bundle.claimants[i], "name", lang),
            on_change=lambda: C.set_state(claimants=tuple(st.session_state["w_claimants"])),
        )
        C.bound_widget("w_measures", list(state.measures))
        st.pills(
            t(lang, "filter_measures"),
            list(CASUALTY_MEASURES),
            selection_mode="multi",
            key="w_measures",
            format_func=lambda m: t(lang, f"measure_{m}"),
            on_change=lambda: C.set_state(measures=tuple(st.session_state["w_measures"])),
        )
    view = C.view(bundle, "build_casualties", lang, state.claimants, state.measures, state.date)
    left, right = st.columns([3, 1]) if not state.embed else (st.container(), None)
    with left:
        C.chart(view, state, key="cas_chart")
    _, unnumbered = F.casualty_claims(bundle, state.claimants, state.measures)
    if right is not None:
        with right:
            st.markdown(f"**{C.md(t(lang, 'no_number_heading'))}**")
            for c in unnumbered:
                who = i18n.field(bundle.claimants[c.claimant], "name", lang)
                st.caption(
                    f"{C.md(i18n.date(c.date, lang))} — **{C.md(who)}**: «\u202f{C.md(c.quote)}\u202f» "
                    f"[{C.md(t(lang, 'claim_card_sources'))}]({_url(c.source_url)})"
                )
    if not state.embed and view is not None:
        st.dataframe(
            view.table, hide_index=True, width="stretch", column_config=C._link_columns(view.table, lang), key="cas_sources"
        )
        C.share_panel("casualties", view, state, bundle, "kursk-casualties")
    _back_link(state, bundle, "casualties")


# --------------------------------------------------------------------------- timeline


def timeline(bundle, state: S.State) -> None:
    lang = state.lang
    _heading(t(lang, "timeline_heading"), state)
    if not state.embed:
        C.bound_widget("w_cats", list(state.cats))
        st.pills(
            t(lang, "filter_categories"),
            list(CATEGORIES),
            selection_mode="multi",
            key="w_cats",
            format_func=lambda c: t(lang, f"cat_{c}"),
            on_change=lambda: C.set_state(cats=tuple(st.session_state["w_cats"])),
        )
    view = C.view(bundle, "build_timeline", lang, state.date, state.cats)
    event = C.chart(view, state, key="tl_chart", on_select="rerun" if not state.embed else None)
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
                    f"**{C.md(i18n.date(e.date, lang, e.date_precision))}** · "
                    f"{C.md(t(lang, f'cat_{e.category}'))} — **{C.md(i18n.field(e, 'title', lang))}**"
                )
                st.caption(
                    f"{C.md(i18n.field(e, 'summary', lang))} [{C.md(t(lang, 'claim_card_sources'))}]({_url(e.source_url)})"
                )
        ids = [e.id for e in events]
        sel = next((e.id for e in events if e.date == state.date), None)
        C.bound_widget("w_event", sel)
        st.selectbox(
            t(lang, "timeline_pick"),
            ids,
            index=None,
            key="w_event",
            placeholder=t(lang, "choose"),
            format_func=lambda i: f"{i18n.date(by_id[i].date, lang)} — {i18n.field(by_id[i], 'title', lang)}",
            on_change=lambda: st.session_state["w_event"] and _go_to(bundle, by_id[st.session_state["w_event"]].date),
        )
        for e in events:
            mark = "▸ " if e.date == state.date else ""  # no emoji: Debian Chromium has no emoji font
            with st.container(border=e.date == state.date):
                st.markdown(
                    f"{mark}**{C.md(i18n.date(e.date, lang, e.date_precision))}** · "
                    f"{C.md(t(lang, f'cat_{e.category}'))} — **{C.md(i18n.field(e, 'title', lang))}**"
                )
                st.caption(
                    f"{C.md(i18n.field(e, 'summary', lang))} [{C.md(t(lang, 'claim_card_sources'))}]({_url(e.source_url)})"
                )
        C.share_panel("timeline", view, state, bundle, "kursk-timeline")
    _back_link(state, bundle, "timeline")


def _go_to(bundle, day: dt.date) -> None:
    """Choosing an event sets the shared date to the event's own day (the map shows the nearest
    snapshot and says so), so the event stays the selected one."""
    C.set_state(date=day)


# --------------------------------------------------------------------------- sources


def sources(bundle, state: S.State) -> None:
    lang = state.lang
    _heading(t(lang, "sources_heading"), state)
    st.header(C.md(t(lang, "sources_claims")), anchor=False)
    q = st.text_input(t(lang, "search"), key="w_search")
    table = F.claims_table(bundle, bundle.claims, lang)
    if q:
        mask = table.apply(lambda r: r.astype(str).str.contains(q, case=False, regex=False).any(), axis=1)
        table = table[mask]
    st.dataframe(table, hide_index=True, width="stretch", column_config=C._link_columns(table, lang), key="src_table")
    st.download_button(
        t(lang, "download_all_claims"), C.to_csv_bytes(table), file_name="kursk-claims.csv", mime="text/csv", key="dl_claims"
    )
    st.header(C.md(t(lang, "sources_layers")), anchor=False)
    fr = i18n.lang_of(lang) == "fr"
    for lyr in bundle.manifest.layers:  # cards rather than a wide table: readable at 375 px
        with st.container(border=True):
            risk = f" — ⚠️ {C.md(t(lang, 'licence_risk'))}" if lyr.licence_risk else ""
            st.markdown(f"**{C.md(i18n.field(lyr, 'title', lang))}**{risk}")
            colon = " :" if fr else ":"  # French typography puts a space before the colon
            link = f" — [{C.md(lyr.source_url)}]({_url(lyr.source_url)})" if lyr.source_url else ""
            for label, text in (
                (t(lang, "col_attribution"), i18n.field(lyr, "attribution", lang)),
                (t(lang, "col_licence"), i18n.field(lyr, "licence", lang)),
                (t(lang, "claim_card_sources"), lyr.source),
            ):
                st.caption(f"{C.md(label)}{colon} {C.md(text)}" + (link if label == t(lang, "claim_card_sources") else ""))
    st.header(C.md(t(lang, "sources_method")), anchor=False)
    st.write(C.md(i18n.field(bundle.site, "method", lang)))
    st.header(C.md(t(lang, "sources_gaps")), anchor=False)
    st.write(C.md(i18n.field(bundle.site, "gaps", lang)))
    if bundle.site.missing_layers_fr:
        st.write(C.md(i18n.field(bundle.site, "missing_layers", lang)))
    st.header(C.md(t(lang, "sources_changelog")), anchor=False)
    for ch in bundle.changelog:
        st.markdown(f"**{C.md(i18n.date(ch.date, lang))}** — {C.md(i18n.field(ch, 'change', lang))}")


# The view registry: id -> page body. A new view is a function here, its id in state.VIEWS and a
# nav_<id> key in both catalogues; the router, links, tests and bench read this table.
VIEWS = {"story": story, "map": map_view, "casualties": casualties, "timeline": timeline, "sources": sources}
