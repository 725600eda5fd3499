"""The reader's state for this session, kept in step with the URL's query parameters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from .. import i18n
from ..i18n import LOCALES
from ..load import Bundle
from ..store import get_store
from . import state as S


def current_locale() -> str:
    """The session's locale, or the URL's before the state is read, or the default."""
    st_ = st.session_state.get("_state")
    if isinstance(st_, S.State):
        return st_.lang
    lang = st.query_params.get("lang")
    return lang if lang in LOCALES else i18n.DEFAULT_LOCALE


def read_state(bundle: Bundle) -> S.State:
    """Query parameters win; a page switch that dropped them falls back to the session's copy."""
    params = st.query_params.to_dict()
    prev = st.session_state.get("_state")
    if isinstance(prev, S.State) and not (set(params) & set(S.KEYS)):
        state = prev
    else:
        state = S.parse(params, bundle)
    # Streamlit hides its own `embed` parameter from st.query_params; it reports it here.
    state = state.with_(embed=bool(st.context.is_embedded) or state.embed)
    state = _reported_date(state)
    st.session_state["_state"] = state
    return state


REPORTED = "_date_reported"  # (the date the URL had, the date the map explorer reported instead)


def report_date(day: dt.date) -> None:
    """The map explorer moved the date in the browser and reports it (explainer/ui/live_map.py)."""
    before = get_state().date
    if before != day:
        st.session_state[REPORTED] = (before, day)
        set_state(date=day)


def _reported_date(state: S.State) -> S.State:
    """The date a press's own run may still carry is the one the map explorer replaced: the browser
    sends the query string Streamlit last wrote, and a page link its own, both older than the date the
    explorer reported as that press began. Such a run gets the reported date; any other date in the
    URL ends the substitution."""
    rep = st.session_state.get(REPORTED)
    if not rep:
        return state
    old, new = rep
    if state.date == old:
        return state.with_(date=new)
    del st.session_state[REPORTED]
    return state


def get_state() -> S.State:
    state: S.State = st.session_state["_state"]
    return state


def set_state(**kw: Any) -> S.State:
    """Change the shared state and write it to the URL (so the URL stays a permalink)."""
    state = get_state().with_(**kw)
    st.session_state["_state"] = state
    bundle = get_store().get().bundle
    if bundle is not None:
        sync_params(state, bundle)
    return state


def set_from(key: str, name: str, convert: Callable[[Any], Any] = tuple) -> Callable[[], None]:
    """An ``on_change`` callback: the value of the widget ``key`` becomes the state's ``name``."""

    def changed() -> None:
        set_state(**{name: convert(st.session_state[key])})

    return changed


def sync_params(state: S.State, bundle: Bundle) -> None:
    wanted = S.encode(state, bundle)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
