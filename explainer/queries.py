"""Questions about the data that every layer asks: which dates exist, what span the data covers.

Pure functions of a :class:`Bundle`; no plotly, no Streamlit.
"""

from __future__ import annotations

import bisect
import datetime as dt

from . import i18n
from .load import Bundle
from .model import Event, Place


def nearest_date(dates: list[dt.date], wanted: dt.date) -> dt.date:
    """The last available date on or before ``wanted`` (or the first one)."""
    i = bisect.bisect_right(dates, wanted)
    return dates[max(i - 1, 0)]


def control_dates(bundle: Bundle) -> list[dt.date]:
    """The dates of the first control layer's snapshots, oldest first."""
    ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    return bundle.dates(ids[0]) if ids else []


def data_dates(bundle: Bundle) -> list[dt.date]:
    """Every date a reader can choose: claims, events, story steps, snapshots, the article's day."""
    return sorted(
        {
            *(c.date for c in bundle.claims),
            *(e.date for e in bundle.events),
            *(s.date for s in bundle.story),
            *control_dates(bundle),
            bundle.article.published,
        }
    )


def span(bundle: Bundle) -> tuple[dt.date, dt.date]:
    """First and last day of the data (the date slider's range)."""
    dates = data_dates(bundle)
    return dates[0], dates[-1]


def story_period(bundle: Bundle) -> tuple[dt.date, dt.date]:
    """What the explainer covers, for its kicker: the claims and events, first to last."""
    dates = sorted({*(c.date for c in bundle.claims), *(e.date for e in bundle.events)}) or data_dates(bundle)
    return dates[0], dates[-1]


def default_date(bundle: Bundle) -> dt.date:
    """The day a page opens on: the article's."""
    return bundle.article.published


def map_layers(bundle: Bundle) -> list[str]:
    return [lyr.id for lyr in bundle.manifest.layers]


def default_layers(bundle: Bundle) -> list[str]:
    return [lyr.id for lyr in bundle.manifest.layers if lyr.default_visible]


EVENT_WINDOW_DAYS = 10  # the map pins events this many days either side of its date


def source_name(bundle: Bundle, layer_id: str, locale: str) -> str:
    """How captions name a layer's source: its manifest ``source_name``, else its title."""
    lyr = bundle.layer(layer_id)
    return lyr.source_name or i18n.field(lyr, "title", locale)


def coverage(bundle: Bundle, day: dt.date) -> tuple[dt.date | None, str]:
    """The control snapshot the map shows for ``day`` and whether ``day`` is 'inside' the
    snapshots, 'after' the last or 'before' the first (the map then shows that end)."""
    ids = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    dates = bundle.dates(ids[0]) if ids else []
    if not dates:
        return None, "none"
    if day > dates[-1]:
        return dates[-1], "after"
    if day < dates[0]:
        return dates[0], "before"
    return nearest_date(dates, day), "inside"


def events_near(bundle: Bundle, day: dt.date, days: int = EVENT_WINDOW_DAYS) -> list[tuple[Event, Place]]:
    """Events within ``days`` of ``day`` whose place has a sourced coordinate."""
    out: list[tuple[Event, Place]] = []
    for e in bundle.events:
        p = bundle.places.get(e.place) if e.place else None
        if p and p.lon is not None and abs((e.date - day).days) <= days:
            out.append((e, p))
    return out
