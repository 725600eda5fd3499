"""/story (also the home page): the finding first. The editors' headline and intro, the lead graphic
(the article's figures against what was known that day), the article, the story steps each beside
the graphic it names (the map or the casualty chart), and the article's claims as cards with their verdicts."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.i18n import Bound
from explainer.load import Bundle
from explainer.model import StoryStep
from explainer.ui import live_map
from explainer.ui import state as S
from explainer.ui import story as SY
from explainer.ui.charts import MAP_HEIGHT, chart, chart_extras
from explainer.ui.data import view
from explainer.ui.device import phone
from explainer.ui.parts import DRIFT_COLOUR, BadgeColour, is_article, snapshot_line, source_url
from explainer.ui.session import set_state
from explainer.ui.text import html_text, md
from explainer.ui.widgets import action_button

MENU = 10  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
    tr = i18n.bind(state.lang)
    bundle = bundle.with_article(state.article)  # ?article=<id>: one of data/articles/ (none: data/article.yaml)
    lead = bundle.article.lead
    st.caption(md(tr("app_kicker", period=i18n.month_span(*Q.story_period(bundle), state.lang))))
    st.title(md(tr.field(lead, "headline") if lead else tr("app_title")), anchor=False)
    if lead:
        st.markdown(f"<p class='lead'>{html_text(tr.field(lead, 'intro'))}</p>", unsafe_allow_html=True)
    known = _known_on(bundle, state, tr)
    # names above the dots: readable at any width
    lead_view = view(bundle, F.build_lead, locale=state.lang, known_on=known)
    if lead_view is not None:
        _chart(bundle, state, lead_view, tr, "lead_chart")
    _article_box(bundle, tr)
    _other_articles(bundle, state, tr)
    if lead_view is None:  # no opening graphic: the cards are the finding, before the story's steps
        _claim_cards(bundle, state.lang, known)
    _story_steps(bundle, state, tr)
    if lead_view is not None:
        _claim_cards(bundle, state.lang, known)


def _known_on(bundle: Bundle, state: S.State, tr: Bound) -> dt.date | None:
    """The reader's "known on" day (?known=): the story's steps, the article's day, or now (the data's
    latest date, the default). The lead graphic and the cards' figures follow it. Returns None for now."""
    now = Q.now(bundle)
    days = Q.known_on_dates(bundle)
    chosen = state.known if state.known is not None and state.known < now else now
    if chosen not in days:  # a day from the URL that is not one of the marks: offered too
        days = sorted({*days, chosen})
    steps = {s.date: s.step for s in bundle.story}

    def label(day: dt.date) -> str:
        if day == now:
            return tr("known_on_now", date=tr.date(day))
        if day == bundle.article.published:
            return tr("known_on_article", date=tr.date(day))
        if day in steps:
            return tr("known_on_step", date=tr.date(day), i=steps[day])
        return tr.date(day)

    def moved() -> None:
        day = st.session_state["known_on"]
        set_state(known=None if day >= now else day)

    st.session_state["known_on"] = chosen  # the URL's day wins over the widget's last value
    st.selectbox(
        tr("known_on_label"),
        days,
        format_func=label,
        key="known_on",
        on_change=moved,
        help=tr("known_on_help"),
        width=KNOWN_ON_WIDTH,
    )
    return None if chosen == now else chosen


KNOWN_ON_WIDTH = 340  # px: the longest label ("27 décembre 2025, étape 10 du récit") with its arrow


def _article_box(bundle: Bundle, tr: Bound) -> None:
    """The source article, with its own anchor: claims sourced to the article link here."""
    art = bundle.article
    st.header(md(tr("article_section")), anchor="article")
    with st.container(border=True, key="article-box"):
        title = tr.field(art, "title")
        named = tr("article_item", outlet=tr.field(art, "outlet"), date=tr.date(art.published))
        st.subheader(md(title or named), anchor=False)  # untitled (the sources do not give it): outlet and day
        note = tr.field(art, "published_note")
        published = tr("story_published", outlet=tr.field(art, "outlet"), date=tr.date(art.published))
        parts = [md(published)] if title else []
        parts += [md(note)] if note else []
        parts += [] if art.source.startswith("seed:") else [f"[{md(tr('article_link'))}]({source_url(art.source)})"]
        st.caption(" — ".join(parts))
        if tr.field(art, "lead"):
            st.write(md(tr.field(art, "lead")))


def _other_articles(bundle: Bundle, state: S.State, tr: Bound) -> None:
    """Links to the other articles checked against the same data (each opens this view on it)."""
    others = [(aid, a) for aid, a in Q.article_list(bundle) if aid != bundle.article_id]
    if not others:
        return
    default = next(iter(bundle.articles))
    with st.container(key="other-articles"):
        st.markdown(f"**{md(tr('articles_heading'))}**")
        for aid, a in others:
            params = S.encode(state.with_(article="" if aid == default else aid, known=None, step=1), bundle)
            named = tr("article_item", outlet=tr.field(a, "outlet"), date=tr.date(a.published))
            title = tr.field(a, "title")
            text = (
                tr("article_item_titled", title=title, outlet=tr.field(a, "outlet"), date=tr.date(a.published))
                if title
                else named
            )
            st.markdown(f"- [{md(text)}](?{urlencode(params)})")


def _story_steps(bundle: Bundle, state: S.State, tr: Bound) -> None:
    """The story as a frame that keeps its size: Prev, Next and the step's text, and beside them
    (desktop) or under them (phone) the one graphic the step names (ui/story.py: step_graphic), its
    top on screen with the text. The step's places are ringed on the map, its figures on the chart."""
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
    on_phone = phone()
    # the frame as tall as the tallest step graphic: a map's height is known, a casualty chart's is drawn
    tallest = max(_graphic_px(bundle, state, s, on_phone) for s in steps)
    st.html(SY.frame_css(tallest, on_phone))
    st.html(SY.FRAME_JS, unsafe_allow_javascript=True, width="content")
    if on_phone:  # the buttons, the step's text whole, then its graphic
        bar_col, text_col, graphic_col = st.container(), st.container(), st.container()
    else:
        text_col, graphic_col = st.columns([2, 3])
        bar_col = text_col
    with bar_col:
        bar = st.container(horizontal=True, key="story-bar", vertical_alignment="center")
        action_button(bar, tr("prev"), "story_prev", go, i - 1, disabled=i <= 1, width="content")
        # as wide as the widest count, so Next stays where it was from step to step
        widest = len(tr("story_step", i=len(steps), n=len(steps)))
        count = html_text(tr("story_step", i=i, n=len(steps)))
        bar.markdown(f"<span class='story-count' style='min-width:{widest}ch'>{count}</span>", unsafe_allow_html=True)
        action_button(bar, tr("next"), "story_next", go, i + 1, disabled=i >= len(steps), width="content")
    with text_col:
        cards = [
            SY.card_html(
                s,
                tr,
                [(tr.field(e, "title"), source_url(e.source_url)) for e in SY.step_events(bundle, s)],
                folded=on_phone,
            )
            for s in steps
        ]
        with st.container(border=True, key="story-step"):
            st.markdown(SY.stack_html(cards, i - 1), unsafe_allow_html=True)
    kind, shown = _step_graphic(bundle, state, step, on_phone)
    with graphic_col, st.container(key="story-graphic"):
        if kind == SY.MAP:
            snapshot_line(bundle, shown, tr)
            if shown is not None:
                _chart(bundle, state, shown, tr, "story_map")
        else:  # the chart's name where the map has its snapshot line (a phone's screen is the chart's)
            if shown is not None and not on_phone:
                st.markdown(f"**{md(shown.title)}**")
            if shown is not None and live_map.enabled():
                # as /casualties draws it: value labels placed for the width the browser finds (from 320 to
                # 430 px, a phone's column is not one width)
                fits = [_step_casualties(bundle, state, step, on_phone, plot_width=w) for w in F.fit_widths(on_phone)]
                bounds = F.fit_bounds(F.fit_widths(on_phone))
                live_map.drawn_chart(
                    shown,
                    bundle.version,
                    state.lang,
                    key="story_cas",
                    fits=[(b, v) for b, v in zip(bounds, fits) if v is not None],
                )
                st.caption(md(shown.summary))
                chart_extras(shown, tr, "story_cas")
            else:
                chart(shown, tr, key="story_cas")


def _chart(bundle: Bundle, state: S.State, shown: F.View, tr: Bound, key: str) -> None:
    """The story's lead chart and map steps: drawn with the page's one plotly.js where the app draws in
    the browser (live_map.page_chart), else Streamlit's chart."""
    if live_map.enabled() and not state.embed:
        live_map.page_chart(shown, bundle.version, state.lang, key)
    else:
        chart(shown, tr, key=key)


def _step_graphic(bundle: Bundle, state: S.State, step: StoryStep, on_phone: bool) -> tuple[str, F.View | None]:
    """The graphic a step names, drawn for the frame: the map of its day with its places ringed, or the
    casualty chart of its own measures and sources with its figures marked at its day."""
    kind = SY.step_graphic(bundle, step)
    if kind == SY.MAP:
        return kind, view(
            bundle,
            F.build_map,
            day=step.date,
            locale=state.lang,
            layers=state.layers,
            height=MAP_HEIGHT["phone" if on_phone else "story"],
            aspect=None if on_phone else STORY_ASPECT,
            highlight=SY.step_places(bundle, step),
        )
    return kind, _step_casualties(bundle, state, step, on_phone)


def _step_casualties(
    bundle: Bundle, state: S.State, step: StoryStep, on_phone: bool, plot_width: int | None = None
) -> F.View | None:
    """A step's casualty chart: its own measures and sources, its figures marked at its day; with
    ``plot_width``, one of the set whose labels are placed for that width (the browser picks one)."""
    claimants, measures = SY.casualty_focus(bundle, step)
    return view(
        bundle,
        F.build_casualties,
        locale=state.lang,
        claimants=claimants,
        measures=measures,
        selected=step.date,
        highlight=SY.step_claims(bundle, step),
        plot_width=plot_width or (F.PHONE_WIDTH_PX if on_phone else F.PLOT_WIDTH_PX),
        also_dates=tuple(s.date for s in bundle.story),
        fitted=plot_width is not None,
    )


def _graphic_px(bundle: Bundle, state: S.State, step: StoryStep, on_phone: bool) -> int:
    """The height a step's graphic takes in the frame: its figure, the map's snapshot line, and what
    travels under it (text alternative, sources line, data table)."""
    if SY.step_graphic(bundle, step) == SY.MAP:
        return MAP_HEIGHT["phone" if on_phone else "story"] + SNAPSHOT_PX + EXTRAS_PX
    shown = _step_graphic(bundle, state, step, on_phone)[1]
    return (int(shown.figure.layout.height or 0) if shown is not None else 0) + (0 if on_phone else SNAPSHOT_PX) + EXTRAS_PX


STORY_ASPECT = 1.55  # the map beside the step text: three fifths of the page width, 460 px high
SNAPSHOT_PX = 48  # the line over a graphic: the map's snapshot, the chart's name (two lines on a phone)
EXTRAS_PX = 150  # under a graphic: its text alternative, sources line and data table's toggle
VERDICT_COLOUR: dict[str, BadgeColour] = {
    "accurate": "green",
    "outdated": "orange",
    "different_scope": "violet",
    "misattributed": "red",
    "overstated": "red",
    "imprecise": "gray",
    "unverifiable": "gray",
    "different_measure": "red",
}


def _excerpt_translation(acs: list[Any], quoted_in: str, tr: Bound) -> None:
    """Our translation of an article excerpt, under the quote, on a page in another language than the article's."""
    text = next((getattr(ac, f"excerpt_{tr.lang}", None) for ac in acs if getattr(ac, f"excerpt_{tr.lang}", None)), None)
    if tr.lang != quoted_in and text:
        st.caption(tr("excerpt_translation", text=md(i18n.prose(text, tr.locale))))


def _known_now(bundle: Bundle, claims: list[Any], tr: Bound, known: dt.date | None = None) -> None:
    """Under the article's figure, what is known now: each source's latest figure for the same measure
    and scope, and the sources that revised themselves (figures.known_now_lines). Claims without a
    number (statements) have none."""
    numbered = [c for c in claims if c.has_number]
    if not numbered:
        return
    with st.container(key=f"known-now-{numbered[0].id}"):
        for c in numbered:
            first, *revised = F.known_now_lines(bundle, c, tr.lang, known)
            st.markdown(md(first))
            for line in revised:
                st.caption(md(line))


def _printed(bundle: Bundle, acs: list[Any], tr: Bound) -> None:
    """The article's figure as it printed it (article.yaml ``rereport_ids``), with a chip per drift label,
    and the figure it goes back to."""
    lang = tr.lang
    by_id = {r.id: r for r in bundle.rereports}
    for r in (by_id[rid] for ac in acs for rid in ac.rereport_ids if rid in by_id):
        line = st.container(horizontal=True, vertical_alignment="center", key=f"printed-{r.id}")
        scope = tr(f"scope_{r.scope}")
        measure = tr(f"measure_{r.measure}")
        measure = measure[:1].lower() + measure[1:]  # a chart's title case, in a sentence
        figure = getattr(r, f"figure_{lang}", None) or r.figure  # figure_fr on French pages
        line.markdown(md(tr("article_printed", figure=figure, measure=measure, scope=scope)))
        for label in r.drift:
            line.badge(tr(f"drift_{label}"), color=DRIFT_COLOUR[label])
        origin = bundle.claim_by_id.get(r.origin)
        if origin is not None:  # where the figure comes from: its source, measure, scope and day
            found = bundle.claimants.get(origin.claimant)
            what = tr(f"measure_{origin.measure}")
            st.caption(
                md(
                    tr(
                        "printed_origin",
                        who=i18n.field(found, "name", lang) if found else origin.claimant,
                        value=F.value_text(origin, lang),
                        measure=what[:1].lower() + what[1:],
                        scope=tr(f"scope_{origin.scope}"),
                        date=F.said_when(bundle, origin, lang),
                    )
                )
            )


def _claim_cards(bundle: Bundle, lang: str, known: dt.date | None = None) -> None:
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
            quote = i18n.quoted(excerpt, lang, art.language)  # the page's marks, once
            st.markdown(f"<p class='quote' lang='{art.language}'>{html_text(quote)}</p>", unsafe_allow_html=True)
            _excerpt_translation(acs, art.language, tr)
            who = i18n.field(acs[0], "claimant_label", lang)
            when = "; ".join(dict.fromkeys(F.said_when(bundle, c, lang) for c in claims))
            if any(ac.rereport_ids for ac in acs):  # the article's own wording: credited as it printed it, on its day
                when = tr("printed_on", date=tr.date(art.published))
            line = st.container(horizontal=True, vertical_alignment="center")
            line.markdown(f"**{md(tr('claim_card_said', who=who, date=when))}**")
            for verdict in dict.fromkeys(ac.verdict for ac in acs if ac.verdict):
                line.badge(tr(f"verdict_{verdict}"), color=VERDICT_COLOUR[verdict])
            _printed(bundle, acs, tr)
            _known_now(bundle, claims, tr, known)
            with st.expander(tr("more")):
                for c in claims:
                    claimant = bundle.claimants.get(c.claimant)
                    name = i18n.field(claimant, "name", lang) if claimant else c.claimant
                    outlet = tr.field(art, "outlet") if is_article(c) else c.outlet
                    st.caption(
                        f"{md(name)} · {md(tr(f'measure_{c.measure}'))}: **{md(F.value_text(c, lang))}**"
                        f" · {md(outlet)} · [{md(tr('claim_card_sources'))}]({source_url(c.source_url)})"
                    )
                for ac in acs:
                    st.write(md(i18n.field(ac, "context", lang)))


if __name__ == "__main__":  # Streamlit ran this file itself (its pages/ folder convention): hand over to the router
    from explainer.ui.shell import main

    main()
