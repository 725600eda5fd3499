"""What builders keep between reruns: date-independent bases, per data version, and how a date is added."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from .axes import legend_line, vlines, with_date
from .view import Spec, View

_CACHES: list[dict[Any, Any]] = []
T = TypeVar("T")


def versioned(cache: dict[Any, Any]) -> dict[Any, Any]:
    """Register a module's cache, keyed by the data version (or a tuple starting with it), so that
    :func:`forget_other_versions` empties it of superseded versions."""
    _CACHES.append(cache)
    return cache


_BASES: dict[tuple[Any, ...], tuple[View, dict[str, Any]]] = versioned({})


def forget_other_versions(version: str) -> None:
    """Drop what was built for superseded data versions: after an edit (or a huge file reverted)
    the old figures would otherwise stay in memory until the size caps evict them."""
    for cache in _CACHES:
        for k in [k for k in cache if (k[0] if isinstance(k, tuple) else k) != version]:
            del cache[k]


def dated(bundle: Bundle, locale: str, key: tuple[Any, ...], build: Callable[[], View], selected: dt.date | None) -> View:
    """A chart with the reader's selected date as a solid line.

    Everything but the line is built once per data version, locale and ``key``; each date then
    costs a few shallow dict copies and one unvalidated Figure (~3 ms) instead of a rebuild
    (~60 ms). The base was validated when it was built. The x axis follows the data; a selected
    date outside it widens the axis, so the line is always drawn where the legend says it is.
    """
    base, spec = cached_base(bundle, locale, key, build)
    if selected is None:
        return base
    # Shallow copies: the base's parts are shared, never mutated.
    layout = with_date(spec["layout"], selected, locale)
    gaps = (layout.get("meta") or {}).get("line_gaps") or []
    layout["shapes"] = [*spec["layout"].get("shapes", []), *vlines(layout, selected, K.SELECTED_LINE, gaps)]
    label = t(locale, "selected_date_label", date=i18n.date(selected, locale, short=True))
    spec = {"data": [*spec["data"], legend_line(K.SELECTED_LINE, label)], "layout": layout}
    return View(go.Figure(spec, _validate=False), base.summary, base.table, base.credits, base.title, spec=spec)


_LOCK = threading.Lock()  # guards _BUILDING
_BUILDING: dict[Any, threading.RLock] = {}  # key -> the lock of the one thread building it


def built_once(cache: dict[Any, T], key: Any, build: Callable[[], T]) -> T:
    """``cache[key]``, built by ``build`` when missing. One thread builds it; the others that ask for the
    same key meanwhile wait for that build: on a fresh process, the readers arriving together would
    otherwise each build the same base (a quarter of a second each for the map's), all of them holding
    the one interpreter (``functools.cache`` and a plain dict do not wait)."""
    got = cache.get(key)
    if got is not None:
        return got
    with _LOCK:
        mine = _BUILDING.setdefault(key, threading.RLock())
    try:
        with mine:
            got = cache.get(key)
            if got is None:
                got = build()
                cache[key] = got
            return got
    finally:
        with _LOCK:
            if _BUILDING.get(key) is mine:
                del _BUILDING[key]


def cached_base(bundle: Bundle, locale: str, key: tuple[Any, ...], build: Callable[[], View]) -> tuple[View, Spec]:
    """A chart's date-independent part, built and validated once per data version, article, locale and key."""

    def built() -> tuple[View, Spec]:
        forget_other_versions(bundle.version)
        if len(_BASES) > 256:
            _BASES.clear()
        base = build()
        return base, base.figure.to_dict()

    return built_once(_BASES, (bundle.version, bundle.article_id, locale, key), built)
