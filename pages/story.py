"""/story (also the home page): the finding first. The editors' headline and intro, the lead graphic
(the article's figures against what was known that day), the article, the story steps beside the
map and the casualty chart, and the article's claims as cards with their verdicts."""

from __future__ import annotations

from typing import Any, Literal

import streamlit as st

from explainer import figures as F
from explainer import i18n
from explainer import queries as Q
from explainer.i18n import Bound
from explainer.load import Bundle
from explainer.ui import state as S
from explainer.ui.charts import MAP_HEIGHT, chart
from explainer.ui.data import view
from explainer.ui.device import phone
from explainer.ui.parts import is_article, snapshot_line, source_url
from explainer.ui.session import set_state
from explainer.ui.text import html_text, md
from explainer.ui.widgets import action_button

MENU = 10  # place in the navigation, in steps of ten so a view can go between two (explainer.ui.registry)


def render(bundle: Bundle, state: S.State) -> None:
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
                st.caption(f"{md(tr.field(e, 'title'))} — [{md(tr('claim_card_sources'))}]({source_url(e.source_url)})")
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
        snapshot_line(bundle, story_map, tr)
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
        st.caption(tr("excerpt_translation", text=md(i18n.prose(text, tr.locale))))


def _known_now(bundle: Bundle, claims: list[Any], tr: Bound) -> None:
    """Under the article's figure, what is known now: each source's latest figure for the same measure
    and scope, and the sources that revised themselves (figures.known_now_lines). Claims without a
    number (statements) have none."""
    numbered = [c for c in claims if c.has_number]
    if not numbered:
        return
    with st.container(key=f"known-now-{numbered[0].id}"):
        for c in numbered:
            first, *revised = F.known_now_lines(bundle, c, tr.lang)
            st.markdown(md(first))
            for line in revised:
                st.caption(md(line))


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
            quote = i18n.quoted(excerpt, lang, art.language)  # the page's marks, once
            st.markdown(f"<p class='quote' lang='{art.language}'>{html_text(quote)}</p>", unsafe_allow_html=True)
            _excerpt_translation(acs, art.language, tr)
            who = i18n.field(acs[0], "claimant_label", lang)
            when = "; ".join(dict.fromkeys(F.said_when(bundle, c, lang) for c in claims))
            line = st.container(horizontal=True, vertical_alignment="center")
            line.markdown(f"**{md(tr('claim_card_said', who=who, date=when))}**")
            for verdict in dict.fromkeys(ac.verdict for ac in acs if ac.verdict):
                line.badge(tr(f"verdict_{verdict}"), color=VERDICT_COLOUR[verdict])
            _known_now(bundle, claims, tr)
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
