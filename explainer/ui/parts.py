"""Pieces more than one page draws: the view's heading, the embed's way back, source links and the
map's snapshot line."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from urllib.parse import urlencode

import streamlit as st

from .. import figures as F
from ..figures import View
from ..i18n import Bound
from ..load import Bundle
from . import state as S
from .text import md

BadgeColour = Literal["red", "orange", "yellow", "blue", "green", "violet", "gray", "grey", "primary"]
# a chip per drift label (data/rereports.csv ``drift``): /sources and the story's cards
DRIFT_COLOUR: dict[str, BadgeColour] = {
    "none": "green",
    "measure_changed": "red",
    "scope_changed": "violet",
    "rounded": "gray",
    "stale": "orange",
    "misattributed": "red",
    "compressed": "orange",
}


def heading(text: str) -> None:
    """The view's one h1 (embeds too: an embed is a page of its own)."""
    st.title(md(text), anchor=False)


def back_link(state: S.State, bundle: Bundle, view_id: str, tr: Bound) -> None:
    """In an embed, a link to the same view in the full app."""
    if state.embed:
        params = S.encode(state.with_(view=view_id, embed=False), bundle)
        st.markdown(f"[{md(tr('back_to_app'))}](/?{urlencode(params)})")


def is_article(claim: Any) -> bool:
    """A claim whose source is the article itself (its date is the fact's, not the article's)."""
    return F.from_article(claim)


def source_url(u: str) -> str:
    """A source link for markdown: http(s) URLs with parentheses and spaces encoded; a claim
    sourced to the article itself links to the article's section on the story page."""
    if not (u.startswith("http://") or u.startswith("https://")):
        return "/#article"
    return u.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def snapshot_line(bundle: Bundle, shown: View | None, tr: Bound) -> None:
    """Which control snapshot the map shows, and plainly when the chosen day has none."""
    said = snapshot_text(bundle, shown, tr)
    if said is None:
        return
    text, warn = said
    with st.container(key="snapshot-line"):
        if warn:
            st.warning(md(text))
        else:
            st.markdown(f"**{md(text)}**")


def snapshot_text(bundle: Bundle, shown: View | None, tr: Bound) -> tuple[str, bool] | None:
    """The snapshot line as plain text, and whether it is a warning (no snapshot covers the day)."""
    if shown is None:
        return None
    meta = shown.figure.layout.meta or {}
    snap, where = meta.get("snapshot"), meta.get("coverage")
    if not snap:
        return None
    ids = meta.get("control_layers") or []
    source = meta.get("source") or (F.source_name(bundle, ids[0], tr.locale) if ids else "")  # the snapshot's own
    day = dt.date.fromisoformat(snap)
    chosen = tr.date(dt.date.fromisoformat(meta["date"])) if meta.get("date") else ""
    if where == "after":
        return tr("map_snapshot_after", source=source, last=tr.date(day), date=chosen), True
    if where == "before":
        return tr("map_snapshot_before", source=source, first=tr.date(day), date=chosen), True
    if meta.get("date") and meta["date"] != snap:  # a day without a snapshot: say which one is shown
        return tr("map_snapshot_nearest", source=source, date=tr.date(day), day=chosen), False
    return tr("map_snapshot", source=source, date=tr.date(day)), False
