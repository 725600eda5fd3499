"""The page frame: page config, data banner, navigation, language, then the view.

A top-level ``pages/`` folder puts Streamlit in its file-based multipage mode:
``app.py`` is the home page and each ``pages/<view>.py`` calls :func:`page`.
The built-in sidebar navigation is switched off (``.streamlit/config.toml``)
so that the links can be translated, carry the shared state, and disappear in
embed mode.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..i18n import t
from . import common as C
from . import state as S
from .views import RENDER

ROOT = Path(__file__).resolve().parent.parent.parent
ICON = ROOT / "static" / "icon.png"
PAGE_FILE = {"story": "app.py", **{v: f"pages/{v}.py" for v in S.VIEWS if v != "story"}}


def page(view: str | None) -> None:
    """Render one view; ``None`` (the home page) renders the view named in ``?view=``."""
    # A local file icon: an emoji or :material: icon would fetch a favicon from a CDN.
    st.set_page_config(page_title="Kursk · North Korean troops", page_icon=str(ICON), layout="wide")
    # Captions carry sources and text alternatives: darker than Streamlit's default (60 % opacity grey)
    # (about 4:1 on white) to reach WCAG AA contrast (#4a4a4a on white is 8.9:1).
    st.markdown("<style>[data-testid='stCaptionContainer']{color:#4a4a4a;opacity:1}</style>", unsafe_allow_html=True)
    bundle = C.bundle_or_stop()
    state = C.read_state(bundle)
    state = state.with_(view=view or state.view)
    st.session_state["_state"] = state
    C.sync_params(state, bundle)
    if not state.embed:
        nav(state, bundle)
    RENDER[state.view](bundle, C.get_state())


def nav(state: S.State, bundle) -> None:
    cols = st.columns([5, 2], vertical_alignment="center")
    with cols[0], st.container(horizontal=True, key="nav"):
        for v in S.VIEWS:
            params = S.encode(state.with_(view=v), bundle)
            params.pop("view", None)
            st.page_link(PAGE_FILE[v], label=t(state.lang, f"nav_{v}"), query_params=params,
                         disabled=(v == state.view))
    with cols[1]:
        C.language_picker(state)
