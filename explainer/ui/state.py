"""Shared reader state, mirrored in ``st.query_params`` so every URL is a permalink.

Parsing is pure (``parse``/``encode``) and tested without Streamlit; invalid
values fall back to defaults silently, as a reader's mistyped URL should.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..figures import default_layers
from ..i18n import DEFAULT_LOCALE, LOCALES
from ..load import Bundle
from ..model import CASUALTY_MEASURES, CATEGORIES
from ..queries import control_dates, default_date, nearest_date, now, span
from .registry import view_ids

VIEWS = view_ids()  # one per file in pages/, in menu order (explainer.ui.registry)
KEYS = ("view", "date", "lang", "claimants", "measures", "layers", "cats", "step", "theme", "article", "known")
THEMES = ("light", "dark", "auto")  # a live embed's colours, as the static embeds' ?theme=


@dataclass(frozen=True)
class State:
    view: str = "story"
    date: dt.date | None = None
    lang: str = DEFAULT_LOCALE
    claimants: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    layers: tuple[str, ...] | None = None
    cats: tuple[str, ...] = ()
    step: int = 1
    embed: bool = False
    theme: str = "light"
    rereports: bool = False  # the casualty chart also marks later outlets repeating its figures
    article: str = ""  # /story's article (an id of bundle.articles); "" = the default one
    known: dt.date | None = None  # /story's "known on" day; None = now (the data's latest date)

    def with_(self, **kw: Any) -> State:
        return replace(self, **kw)


__all__ = ["State", "parse", "encode", "control_dates", "default_date", "nearest_date"]


def _list(raw: str | None, allowed: Collection[str]) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(dict.fromkeys(v for v in raw.split(",") if v in allowed))


def parse(params: Mapping[str, str], bundle: Bundle) -> State:
    """Query parameters -> State; anything invalid becomes its default."""

    def get(k: str) -> str | None:
        v = params.get(k)
        return v if isinstance(v, str) else None

    view = get("view") or ""
    view = view if view in VIEWS else "story"
    lang = get("lang") or ""
    lang = lang if lang in LOCALES else DEFAULT_LOCALE
    day = default_date(bundle)
    first, last = span(bundle)
    try:
        wanted = dt.date.fromisoformat(get("date") or "")
        if first <= wanted <= last:  # any day of the data, with or without a map snapshot
            day = wanted
    except ValueError:
        pass
    all_layers = [lyr.id for lyr in bundle.manifest.layers]
    layers = _list(get("layers"), all_layers) if get("layers") is not None else None
    try:
        step = int(get("step") or 1)
    except ValueError:
        step = 1
    step = step if 1 <= step <= max(len(bundle.story), 1) else 1
    theme = get("theme") or ""
    return State(
        view=view,
        date=day,
        lang=lang,
        claimants=_list(get("claimants"), bundle.claimants),
        measures=_list(get("measures"), CASUALTY_MEASURES),
        layers=layers if layers is None or layers else None,
        cats=_list(get("cats"), CATEGORIES),
        step=step,
        embed=str(params.get("embed", "")).lower() == "true",
        theme=theme if theme in THEMES else "light",
        rereports=get("rereports") == "1",
        article=_article(get("article"), bundle),
        known=_known(get("known"), bundle),
    )


def _article(raw: str | None, bundle: Bundle) -> str:
    """An article other than the default one, by id; anything else: the default ("")."""
    return raw if raw and raw in bundle.articles and raw != next(iter(bundle.articles), None) else ""


def _known(raw: str | None, bundle: Bundle) -> dt.date | None:
    """A "known on" day inside the data, before its latest date (that one, or later, is "now": None)."""
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return None
    return day if span(bundle)[0] <= day < now(bundle) else None


def encode(state: State, bundle: Bundle) -> dict[str, str]:
    """State -> the minimal query parameters (defaults omitted)."""
    out: dict[str, str] = {"view": state.view}
    if state.date and state.date != default_date(bundle):
        out["date"] = state.date.isoformat()
    if state.lang != DEFAULT_LOCALE:
        out["lang"] = state.lang
    for key in ("claimants", "measures", "cats"):
        if getattr(state, key):
            out[key] = ",".join(getattr(state, key))
    if state.layers is not None and list(state.layers) != default_layers(bundle):
        out["layers"] = ",".join(state.layers)
    if state.step != 1:
        out["step"] = str(state.step)
    if state.theme != "light":
        out["theme"] = state.theme
    if state.rereports:
        out["rereports"] = "1"
    if state.article:
        out["article"] = state.article
    if state.known:
        out["known"] = state.known.isoformat()
    return out  # `embed` is Streamlit's own parameter: it stays in the URL by itself
