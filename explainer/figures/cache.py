"""What builders keep between reruns: date-independent bases, per data version, and how a date is added."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

from .. import colours as K
from .. import i18n
from ..i18n import t
from ..load import Bundle
from .axes import legend_line, vlines, with_date
from .view import Spec, View

_CACHES: list[dict[Any, Any]] = []


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


def cached_base(bundle: Bundle, locale: str, key: tuple[Any, ...], build: Callable[[], View]) -> tuple[View, Spec]:
    """A chart's date-independent part, built and validated once per data version, article, locale and key."""
    k = (bundle.version, bundle.article_id, locale, key)
    if k not in _BASES:
        forget_other_versions(bundle.version)
        if len(_BASES) > 256:
            _BASES.clear()
        base = build()
        _BASES[k] = (base, base.figure.to_dict())
    return _BASES[k]
