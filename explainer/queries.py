"""Questions about the data that every layer asks: which dates exist, what span the data covers.

Pure functions of a :class:`Bundle`; no plotly, no Streamlit.
"""

from __future__ import annotations

import bisect
import datetime as dt

from .load import Bundle


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
