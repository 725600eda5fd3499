"""The live timeline drawn in the browser: its category filter, chart, chosen event's card, event
picker and event list, with the page's one copy of plotly.js (the map's, ``live_map``).

Choosing an event (a tap or click on its point, the picker, a card's button) or a category runs no
script: ``export_assets/live_timeline.js`` draws the chosen day's line and ring, the filtered lanes
(:func:`explainer.figures.timeline.keep_lanes`, repeated in the browser), the text alternative and
the sources line of the filter (computed here for every filter, figures.timeline.filter_texts), and
writes ``?date=`` and ``?cats=`` to the URL, so the address stays a permalink. The server learns the
new state only when it needs it, as the map's date (live_map.js): when the reader heads for anything
else in the app that can be pressed; a page link pressed meanwhile waits for that run."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

import streamlit as st

from .. import colours as K
from .. import figures as F
from .. import i18n
from ..export.assets import ASSETS
from ..export.hashing import short_hash
from ..figures.cache import built_once, versioned
from ..figures.timeline import NARROWEST_PLOT_PX, filter_texts, ring, timeline_lanes
from ..load import Bundle
from ..model import CATEGORIES, Event
from . import state as S
from .charts import PLOTLY_CONFIG
from .live_map import URL, _plain, _plotly_name, json_url, loader_js, module_url
from .parts import source_url
from .session import get_state, report_date, set_state

_HTML = """<div class="kursk-live-timeline">
<div class="tl-filter" role="group"><span class="tl-filter-name"></span><div class="tl-pills"></div></div>
<div class="chart-box" id="chart-box" data-view="timeline" data-state="loading" role="img"><div class="chart"></div></div>
<div class="tl-chosen" aria-live="polite"></div>
<p class="summary"></p>
<p class="credit"></p>
<label class="tl-pick-name"></label><select class="tl-pick"></select>
<ol class="tl-list"></ol>
</div>"""


@cache
def _component() -> Any:
    return st.components.v2.component(
        "kursk_live_timeline",
        html=_HTML,
        css=(ASSETS / "live_timeline.css").read_text("utf-8"),
        js=loader_js("live_timeline.js"),
        isolate_styles=False,  # in the page's DOM: the URL, the app's links and its probes reach it
    )


def card(bundle: Bundle, e: Event, tr: i18n.Bound) -> dict[str, Any]:
    """An event's card as texts: its day, category, title, summary, source, and the words it quotes,
    each between the page's marks with our translation or, failing one, its language named (as the
    story's cards: figures.quote_translation, figures.quote_language, i18n.quoted)."""
    quotes: list[dict[str, str]] = []
    seen: set[str] = set()
    for cid in e.claims:
        c = bundle.claim_by_id.get(cid)
        if c is None or " ".join(c.quote.split()) in seen:
            continue
        seen.add(" ".join(c.quote.split()))
        claimant = bundle.claimants.get(c.claimant)
        translated = F.quote_translation(bundle, c, tr.locale)
        language = "" if translated else F.quote_language(c, tr.locale)
        quotes.append(
            {
                "text": i18n.quoted(c.quote, tr.locale, c.quote_lang),
                "lang": c.quote_lang if c.quote_lang != "other" else "",
                "who": tr.field(claimant, "name") if claimant else c.claimant,
                "language": tr("quote_language", language=language) if language else "",
                "translation": tr("excerpt_translation", text=i18n.prose(translated, tr.locale)) if translated else "",
            }
        )
    return {
        "id": e.id,
        "date": e.date.isoformat(),
        "cat": e.category,
        "when": tr.date(e.date, e.date_precision),
        "category": tr(f"cat_{e.category}"),
        "title": tr.field(e, "title"),
        "summary": tr.field(e, "summary"),
        "source": source_url(e.source_url),
        "pick": f"{tr.date(e.date)} — {tr.field(e, 'title')}",
        "quotes": quotes,
    }


_PER: dict[tuple[str, str, str], tuple[str, str]] = versioned({})


def _per_locale(bundle: Bundle, locale: str) -> tuple[str, str]:
    """What the browser needs for every filter and choice: the figure with every lane, the per-filter
    texts and the cards, as JSON text and its hash, once per data version, article and locale (the
    component fetches it once: live_map.json_url)."""

    def built() -> tuple[str, str]:
        tr = i18n.bind(locale)
        base, _, _ = _plain(timeline_lanes(bundle, locale))
        text = json.dumps(
            {"base": base, "texts": filter_texts(bundle, locale), "events": [card(bundle, e, tr) for e in bundle.events]},
            separators=(",", ":"),
        )
        return text, short_hash(text.encode())

    return built_once(_PER, (bundle.version, bundle.article_id, locale), built)


def live_timeline(bundle: Bundle, state: S.State, view: F.View, key: str, phone: bool) -> None:
    """The timeline for ``state`` (``view``: its figure for the state's filter and date, built by the
    server), with everything the browser needs to filter and choose without a script run."""
    tr = i18n.bind(state.lang)
    module_url("live_timeline.js")  # on disk (the component imports it)
    data = {
        "kind": "chart",
        "key": f"{tr.locale}-{bundle.version}",
        "plotly": f"{URL}/assets/{_plotly_name()}",
        "config": PLOTLY_CONFIG,
        "parts": json_url(bundle.version, *_per_locale(bundle, tr.locale)),  # base, texts, events
        "alt": tr("chart_alt", title=view.title),
        "date": state.date.isoformat() if state.date else None,
        "cats": list(state.cats),
        "categories": [{"id": c, "label": tr(f"cat_{c}")} for c in CATEGORIES],
        "phone": phone,
        "narrowest": NARROWEST_PLOT_PX,
        "text": {
            "filter": tr("filter_categories"),
            "pick": tr("timeline_pick"),
            "choose": tr("choose"),
            "source": tr("claim_card_sources"),
            "sources_line": tr("sources_line") + (" :" if tr.lang == "fr" else ":"),
            "selected": tr("selected_date_label", date="\0").split("\0"),
            "ring": tr("selected_event"),
            "chosen": tr("timeline_chosen"),
            "all": tr("timeline_events"),
        },
        "short": {e.date.isoformat(): tr.date(e.date, short=True) for e in bundle.events},
        "style": {"selected": K.SELECTED_LINE, "article": K.ARTICLE_LINE, "ring": ring([], tr.locale)},
    }

    def reported() -> None:
        _apply(st.session_state.get(key))

    result = _component()(key=key, data=data, height="content", on_state_change=reported)
    if _apply(result):  # a new server session (after a restart): the callback was not registered yet
        st.rerun()


def _apply(value: Any) -> bool:
    """The date and filter the browser reported, into the shared state (and the URL), if new."""
    got = getattr(value, "state", None) if value is not None else None
    if not isinstance(got, dict):
        return False
    now = get_state()
    cats = tuple(c for c in CATEGORIES if c in (got.get("cats") or ()))
    day: dt.date | None
    try:
        day = dt.date.fromisoformat(str(got.get("date")))
    except ValueError:
        day = now.date
    changed = False
    if cats != now.cats:
        set_state(cats=cats)
        changed = True
    if day is not None and day != now.date:
        report_date(day)
        changed = True
    return changed
