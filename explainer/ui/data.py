"""The data in service: the bundle with its banner, and the views built from it, shared by every
session per data version, a failing builder contained to its own panel."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from .. import i18n
from ..figures import View
from ..load import Bundle
from ..store import Snapshot, get_store
from .session import current_locale

Builder = Callable[..., View | None]


def snapshot() -> Snapshot:
    return get_store().get()


def bundle_or_stop() -> Bundle:
    """The data in service, with the data banner; stops the page when there is none.

    Readers only learn that the data is being updated and how many problems there are; the
    ``file:row:column`` list (and the notes on the files) is for editors: the server log,
    ``validate``, or this banner when the URL carries ``editor=<key>`` matching
    ``$EXPLAINER_EDITOR_KEY`` (remembered for the session, since page links drop the parameter)."""
    import hmac

    snap = snapshot()
    tr = i18n.bind(current_locale())
    key = os.environ.get("EXPLAINER_EDITOR_KEY", "")
    given = st.query_params.get("editor")
    if key and given and hmac.compare_digest(given.encode(), key.encode()):
        st.session_state["_editor"] = True
    editor = bool(key) and bool(st.session_state.get("_editor", False))
    if snap.bundle is None:
        if editor:
            st.error(tr("data_problems_fatal"))
            st.code("\n".join(p.text(tr.lang) for p in snap.problems), language=None)
        else:
            st.error(tr("data_updating_fatal"))
        st.stop()
    if snap.problems:
        with st.container(key="data-problems"):
            if editor:
                st.warning(tr("data_problems_title"), icon="⚠️")
                if snap.persisted:
                    st.caption(tr("data_problems_persisted"))
                st.code("\n".join(p.text(tr.lang) for p in snap.problems), language=None)
            else:
                st.warning(tr("data_updating", n=len(snap.problems)), icon="⚠️")
    if snap.bundle.warnings and editor:
        with st.expander(tr("data_warnings_title")):
            st.code("\n".join(w.text(tr.lang) for w in snap.bundle.warnings), language=None)
    return snap.bundle


@st.cache_resource(max_entries=512, show_spinner=False)
def _cached_view(
    _bundle: Bundle, version: str, article: str, name: str, args: tuple[tuple[str, Hashable], ...], _builder: Builder
) -> View | None:
    return _builder(_bundle, **dict(args))


_VERSION: list[str] = []  # the data version the shared views were built for


def view(bundle: Bundle, builder: Builder, /, **kwargs: Any) -> View | None:
    """``builder(bundle, **kwargs)``, shared by every session (keyed by data version, the article the
    bundle shows, the builder's qualified name and the arguments).

    Builders are pure, so a figure for the same data and state is built once per process;
    views are never mutated after this point. Views of a superseded data version are dropped.
    A builder that fails shows a readable message in the chart's place (the error goes to the
    log) and returns None: the rest of the page still works.
    """
    if _VERSION != [bundle.version]:
        _cached_view.clear()
        _VERSION[:] = [bundle.version]
    name = f"{builder.__module__}.{builder.__qualname__}"
    args = tuple(sorted((k, _hashable(v)) for k, v in kwargs.items()))
    try:
        return _cached_view(bundle, bundle.version, bundle.article_id, name, args, builder)
    except Exception:  # a figure never takes the page down (validation should have caught the cause)
        logging.getLogger("explainer").exception("figure %s failed for data version %s", name, bundle.version)
        st.warning(i18n.t(current_locale(), "figure_failed"))
        return None


def _hashable(a: Any) -> Hashable:
    return tuple(a) if isinstance(a, list) else a
