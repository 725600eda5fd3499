"""Widgets and plumbing shared by every page."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from urllib.parse import urlencode

import streamlit as st

from .. import figures as F
from .. import i18n
from ..csvsafe import to_csv_bytes
from ..figures import View
from ..i18n import LOCALES, t
from ..load import Bundle
from ..queries import span
from ..store import get_store
from . import state as S

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# topojsonURL: plotly's geo subplot may load a topojson for its scope even with every base layer
# hidden; it is served from ./static (relative to the page, so a base path works), never from a CDN.
# No mode bar: 5-7 extra tab stops per chart with English labels; images come from the share panel.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "scrollZoom": False,
    "responsive": True,
    "topojsonURL": "app/static/topojson/",
}


# Streamlit expands `:material/x:`, `:smile:` and `:red[...]` before markdown, ignoring backslashes;
# an invisible word joiner after the first colon keeps such text as typed.
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_/+-]+(?::|\[))")
# Markdown auto-links bare URLs ("http://…", "www.…") even when escaped; a word joiner keeps them text.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=\w)(?=@\w)", re.IGNORECASE)


def md(text: str) -> str:
    """Escape data text for st.markdown: shown as typed, never as links, images, HTML, maths or icons."""
    out = _AUTOLINK.sub("\u2060", _SHORTCODE.sub(":\u2060", str(text)))
    return _MD_SPECIAL.sub(r"\\\1", out).replace("\n", " ")


def html_text(text: str) -> str:
    """Data text for an HTML fragment (st.markdown with unsafe_allow_html): escaped, one line."""
    return html.escape(str(text), quote=True).replace("\n", " ")


def snapshot():
    return get_store().get()


@st.cache_resource(max_entries=512, show_spinner=False)
def _cached_view(_bundle: Bundle, version: str, builder: str, args: tuple) -> View:
    return getattr(F, builder)(_bundle, *args)


def _sendable(view: View):
    """The view's figure with its dict form computed once.

    st.plotly_chart calls ``figure.to_dict()`` on every rerun, which deep-copies the whole
    figure (5–8 ms for the map, measured in the bench). A cached view is
    never mutated, so one dict serves every rerun of every session. Streamlit only reads it to
    serialise it; if a later Streamlit stops calling ``to_dict`` this is merely unused. The
    figure is a separate object so that image export never sees the shared dict.
    """
    fig = view.__dict__.get("_sendable")
    if fig is None:  # two sessions may race here: both build the same thing, harmless
        import plotly.graph_objects as go

        frozen = view.spec if view.spec is not None else view.figure.to_dict()
        fig = go.Figure(frozen, _validate=False)
        object.__setattr__(fig, "to_dict", lambda: frozen)
        object.__setattr__(view, "_sendable", fig)
    return fig


_VERSION: list[str] = []  # the data version the shared views were built for


def view(bundle: Bundle, builder: str, *args) -> View | None:
    """A figure builder's result, shared by every session (keyed by data version and arguments).

    Builders are pure, so a figure for the same data and state is built once per process;
    views are never mutated after this point. Views of a superseded data version are dropped.
    A builder that fails shows a readable message in the chart's place (the error goes to the
    log) and returns None: the rest of the page still works.
    """
    if _VERSION != [bundle.version]:
        _cached_view.clear()
        _VERSION[:] = [bundle.version]
    try:
        return _cached_view(bundle, bundle.version, builder, tuple(_hashable(a) for a in args))
    except Exception:  # a figure never takes the page down (validation should have caught the cause)
        import logging

        logging.getLogger("explainer").exception("figure %s failed for data version %s", builder, bundle.version)
        st.warning(t(current_locale(), "figure_failed"))
        return None


def _hashable(a):
    return tuple(a) if isinstance(a, list) else a


def bundle_or_stop() -> Bundle:
    """The data in service, with the data banner; stops the page when there is none.

    Readers only learn that the data is being updated and how many problems there are; the
    ``file:row:column`` list (and the notes on the files) is for editors: the server log,
    ``validate``, or this banner when the URL carries ``editor=<key>`` matching
    ``$EXPLAINER_EDITOR_KEY`` (remembered for the session, since page links drop the parameter)."""
    import hmac

    snap = snapshot()
    loc = current_locale()
    key = os.environ.get("EXPLAINER_EDITOR_KEY", "")
    given = st.query_params.get("editor")
    if key and given and hmac.compare_digest(given.encode(), key.encode()):
        st.session_state["_editor"] = True
    editor = bool(key) and st.session_state.get("_editor", False)
    if snap.bundle is None:
        if editor:
            st.error(t(loc, "data_problems_fatal"))
            st.code("\n".join(map(str, snap.problems)), language=None)
        else:
            st.error(t(loc, "data_updating_fatal"))
        st.stop()
    if snap.problems:
        with st.container(key="data-problems"):
            if editor:
                st.warning(t(loc, "data_problems_title"), icon="⚠️")
                if snap.persisted:
                    st.caption(t(loc, "data_problems_persisted"))
                st.code("\n".join(map(str, snap.problems)), language=None)
            else:
                st.warning(t(loc, "data_updating", n=len(snap.problems)), icon="⚠️")
    if snap.bundle.warnings and editor:
        with st.expander(t(loc, "data_warnings_title")):
            st.code("\n".join(map(str, snap.bundle.warnings)), language=None)
    return snap.bundle


def current_locale() -> str:
    st_ = st.session_state.get("_state")
    if st_ is not None:
        return st_.lang
    lang = st.query_params.get("lang")
    return lang if lang in LOCALES else i18n.DEFAULT_LOCALE


def read_state(bundle: Bundle) -> S.State:
    """Query parameters win; a page switch that dropped them falls back to the session's copy."""
    params = st.query_params.to_dict()
    prev = st.session_state.get("_state")
    if prev is not None and not (set(params) & set(S.KEYS)):
        state = prev
    else:
        state = S.parse(params, bundle)
    # Streamlit hides its own `embed` parameter from st.query_params; it reports it here.
    state = state.with_(embed=bool(st.context.is_embedded) or state.embed)
    st.session_state["_state"] = state
    return state


def get_state() -> S.State:
    return st.session_state["_state"]


def set_state(**kw) -> S.State:
    bundle = snapshot().bundle
    state = get_state().with_(**kw)
    st.session_state["_state"] = state
    sync_params(state, bundle)
    return state


def sync_params(state: S.State, bundle: Bundle) -> None:
    wanted = S.encode(state, bundle)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def language_picker(state: S.State) -> None:
    key = "w_lang"
    if st.session_state.get(key) != state.lang:
        st.session_state[key] = state.lang
    st.segmented_control(
        t(state.lang, "language"),
        options=list(LOCALES),
        key=key,
        format_func=lambda v: t(v, f"locale_{v}"),
        label_visibility="collapsed",
        on_change=lambda: set_state(lang=st.session_state[key] or state.lang),
    )


def bound_widget(key: str, value):
    """Before a keyed widget is drawn, align its value with the shared state."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def action_button(where, label: str, key: str, action, *args, width: str = "stretch", **kw) -> None:
    """A button that runs ``action(*args)`` before the next run (an on_click callback, so what it
    changes is drawn at once), and also when the callback is missing: after a server restart the
    reconnected page's first click reaches a new session that has not registered any callback yet,
    but the button still reports the click. Then the action runs here and the page is redrawn."""
    done = f"_done_{key}"

    def run():
        action(*args)
        st.session_state[done] = True

    if where.button(label, key=key, on_click=run, width=width, **kw) and not st.session_state.pop(done, False):
        action(*args)
        st.rerun()


WEEK = 7  # days moved by the week buttons and by each frame of the animation


def date_controls(bundle: Bundle, state: S.State, key: str = "date") -> dt.date:
    """Slider over every day of the data (with or without a map snapshot), week steps, play."""
    lo, hi = span(bundle)
    if lo == hi:
        return state.date
    wkey = f"w_{key}"
    bound_widget(wkey, min(max(state.date, lo), hi))

    def moved():
        set_state(date=st.session_state[wkey])

    # One compact bar: the slider, then the buttons in a row that stays a row on a phone.
    left, right = st.columns([5, 3], vertical_alignment="bottom")
    left.slider(
        t(state.lang, "date"),
        min_value=lo,
        max_value=hi,
        step=dt.timedelta(days=1),
        key=wkey,
        format="D.M.YYYY" if i18n.lang_of(state.lang) == "fr" else "D MMM YYYY",
        on_change=moved,
    )
    bar = right.container(horizontal=True, key=f"{key}_bar")
    c1 = c2 = c3 = bar

    def shift(days):
        set_state(date=min(max(state.date + dt.timedelta(days=days), lo), hi))
        st.session_state["playing"] = False

    playing = st.session_state.get("playing", False)
    action_button(c1, t(state.lang, "step_back"), f"{key}_back", shift, -WEEK)
    action_button(
        c2, t(state.lang, "pause" if playing else "play"), f"{key}_play", lambda: st.session_state.update(playing=not playing)
    )
    action_button(c3, t(state.lang, "step_forward"), f"{key}_fwd", shift, WEEK)
    return state.date


def advance_if_playing(bundle: Bundle, state: S.State) -> None:
    """Called last on the page: one frame of the animation, then a rerun."""
    if not st.session_state.get("playing"):
        return
    _, hi = span(bundle)
    if state.date >= hi:
        st.session_state["playing"] = False
        return
    import time

    time.sleep(0.6)
    set_state(date=min(state.date + dt.timedelta(days=WEEK), hi))
    st.rerun()


def chart(view: View | None, state: S.State, key: str, on_select=None, height=None):
    """A figure with everything that must travel with it: text alternative, data, credits."""
    if view is None:  # the builder failed and said so in its place
        return None
    # alt: the chart's accessible name, pointing to the text alternative printed under it
    event = st.plotly_chart(
        _sendable(view),
        width="stretch",
        config=PLOTLY_CONFIG,
        key=key,
        on_select=on_select or "ignore",
        selection_mode="points" if on_select else None,
        alt=t(state.lang, "chart_alt", title=view.title),
    )
    st.caption(md(view.summary))
    colon = " :" if i18n.lang_of(state.lang) == "fr" else ":"
    st.caption(f"{md(t(state.lang, 'sources_line'))}{colon} {md(' · '.join(view.credits))}")
    with st.expander(t(state.lang, "data_table")):
        st.dataframe(view.table, hide_index=True, width="stretch", column_config=_link_columns(view.table, state.lang))
    return event


def _link_columns(df, locale):
    col = t(locale, "col_source")
    return {col: st.column_config.LinkColumn(col)} if col in df.columns else None


def phone() -> bool:
    """Whether the reader's browser says it is a phone ("Mobi" in the user agent, as MDN advises,
    or the client hint). Streamlit gives the script no viewport width; this only picks a shorter
    map, whose region fills a phone's width with less white space above and below."""
    try:
        headers = st.context.headers
        return "Mobi" in headers.get("User-Agent", "") or headers.get("Sec-CH-UA-Mobile") == "?1"
    except Exception:  # no request headers outside a live session (AppTest, bench)
        return False


MAP_HEIGHT = {"full": 500, "story": 460, "phone": 360}


def embed_base() -> str:
    """Where the newsroom publishes the static export (see README, 'Publishing')."""
    return os.environ.get("EXPLAINER_EMBED_BASE", "/embed").rstrip("/")


def app_base() -> str:
    url = ""
    try:
        url = st.context.url or ""
    except Exception:  # st.context.url only exists in a live session
        url = ""
    m = re.match(r"^(https?://[^/]+)", url)
    return m.group(1) if m else ""


def static_url(view_name: str, state: S.State, bundle: Bundle) -> str:
    """The static export page for this view, pinned to this data version (the newsroom rule in
    docs/publishing.md: articles embed a pinned version), absolute when the app knows its own
    address, and for the map on the current date (the static map reads ``#date=``)."""
    base = embed_base()
    if base.startswith("/"):
        base = app_base() + base
    url = f"{base}/v/{bundle.version}/{i18n.lang_of(state.lang)}/{view_name}.html"
    return url + (f"#date={state.date.isoformat()}" if view_name == "map" and state.date else "")


def share_panel(view_name: str, view: View | None, state: S.State, bundle: Bundle, filename: str) -> None:
    if state.embed or view is None:
        return
    lang = state.lang
    with st.expander(t(lang, "share")):
        params = S.encode(state.with_(view=view_name), bundle)
        params.pop("view", None)
        path = f"{app_base()}/{view_name}"
        link = f"{path}?{urlencode(params)}" if params else path
        bound_widget(f"share_link_{view_name}", link)  # follows the state: a keyed widget keeps its first value
        st.text_input(t(lang, "permalink"), key=f"share_link_{view_name}")
        live = f"{app_base()}/?{urlencode({**params, 'view': view_name, 'embed': 'true'})}"
        title = html.escape(view.title, quote=True)
        st.code(
            f'<iframe src="{html.escape(live)}" width="100%" height="640" style="border:0" '
            f'title="{title}" loading="lazy"></iframe>',
            language="html",
        )
        st.caption(t(lang, "iframe_static"))
        static = static_url(view_name, state, bundle)
        st.code(
            f'<iframe src="{html.escape(static)}" width="100%" height="640" style="border:0" title="{title}" '
            f'loading="lazy" data-explainer-embed></iframe>',
            language="html",
        )
        st.caption(t(lang, "host_snippet"))
        st.code(f'<script src="{html.escape(embed_base())}/assets/host.js" defer></script>', language="html")
        st.download_button(
            t(lang, "download_csv"),
            to_csv_bytes(view.table),
            file_name=f"{filename}.csv",
            mime="text/csv",
            key=f"csv_{view_name}",
        )
        if st.button(t(lang, "prepare_images"), key=f"img_{view_name}"):
            try:
                import plotly.io as pio

                fig = view.figure
                st.session_state[f"png_{view_name}"] = pio.to_image(fig, format="png", width=1000, scale=2)
                st.session_state[f"svg_{view_name}"] = pio.to_image(fig, format="svg", width=1000)
            except Exception as e:  # kaleido needs a local chromium; say so rather than fail
                st.error(t(lang, "image_failed", error=md(str(e))))
        for fmt in ("png", "svg"):
            data = st.session_state.get(f"{fmt}_{view_name}")
            if data:
                st.download_button(
                    t(lang, f"download_{fmt}"),
                    data,
                    file_name=f"{filename}.{fmt}",
                    mime="image/png" if fmt == "png" else "image/svg+xml",
                    key=f"dl_{fmt}_{view_name}",
                )
