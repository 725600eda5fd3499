"""Questions about the data that every layer asks: which dates exist, what span the data covers.

Pure functions of a :class:`Bundle`; no plotly, no Streamlit.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection

from . import i18n
from .load import Bundle
from .load.rereports import newer_claim
from .model import CASUALTY_MEASURES, SIDES, Article, Claim, Event, Place, Rereport


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


def snapshot_source(bundle: Bundle, layer_id: str, day: dt.date | None, locale: str) -> str:
    """How captions name the source of one date's snapshot: the ``source_name`` its features carry
    (a snapshot added at the desk or with ``add-snapshot``), else the layer's (``source_name``)."""
    fc = bundle.control.get(layer_id, {}).get(day) if day is not None else None
    for f in (fc or {}).get("features", []):
        name = (f.get("properties") or {}).get("source_name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return source_name(bundle, layer_id, locale)


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


# --------------------------------------------------------------------------- what is known now, and how figures moved


def now(bundle: Bundle) -> dt.date:
    """'Now' for the reader: the data's latest date (its last claim or event), never the clock's."""
    return story_period(bundle)[1]


def _same_figure(c: Claim, ref: Claim) -> bool:
    """``c`` measures what ``ref`` measures, over the same scope and the same kind of period (a running
    total is not revised by a weekend's figure), with a number."""
    return c.has_number and c.measure == ref.measure and c.scope == ref.scope and c.cumulative == ref.cumulative


def known_now(bundle: Bundle, ref: Claim, after: dt.date, on: dt.date | None = None) -> list[Claim]:
    """For the figure ``ref`` gives (its measure and scope): each source's latest figure made after
    ``after`` (e.g. the article's day) and by ``on`` (default: now), oldest first. Empty when ``ref``
    has no number."""
    if not ref.has_number:
        return []
    until = now(bundle) if on is None else on
    latest: dict[str, Claim] = {}
    for c in bundle.claims:  # sorted by date, then id
        if _same_figure(c, ref) and after < c.date <= until:
            latest[c.claimant] = c
    return sorted(latest.values(), key=lambda c: (c.date, c.id))


def known_on_dates(bundle: Bundle) -> list[dt.date]:
    """The days a reader can set "known on" to: the story's steps, the article's day and now, in order."""
    return sorted({*(s.date for s in bundle.story), bundle.article.published, now(bundle)})


def revisions(bundle: Bundle, ref: Claim, claimants: Collection[str], until: dt.date | None = None) -> dict[str, list[Claim]]:
    """Each of ``claimants`` that revised itself on ``ref``'s measure and scope by ``until`` (default:
    every date): its figures for them, oldest first, each kept only where it differs from the one
    before (a repeat is not a revision); sources whose figure never changed are left out."""
    out: dict[str, list[Claim]] = {}
    for who in claimants:
        chain: list[Claim] = []
        for c in bundle.claims:  # by date
            if c.claimant == who and _same_figure(c, ref) and (until is None or c.date <= until):
                if not chain or (c.bound, c.value_low, c.value_high) != (
                    chain[-1].bound,
                    chain[-1].value_low,
                    chain[-1].value_high,
                ):
                    chain.append(c)
        if len(chain) > 1:
            out[who] = chain
    return out


def rereport_chains(bundle: Bundle) -> list[tuple[Claim, list[Rereport]]]:
    """Each claim that other outlets repeated, with its re-reports oldest first; claims by date."""
    by_origin: dict[str, list[Rereport]] = {}
    for r in bundle.rereports:  # sorted by date
        by_origin.setdefault(r.origin, []).append(r)
    claims = bundle.claim_by_id
    return sorted(((claims[o], rs) for o, rs in by_origin.items() if o in claims), key=lambda p: (p[0].date, p[0].id))


def newer_from_source(bundle: Bundle, ref: Claim, since: dt.date) -> Claim | None:
    """The latest figure ``ref``'s own source gave after ``since`` for the same measure and scope (a
    revision a reader of data as of ``since`` has not seen), or None."""
    return next((c for c in reversed(known_now(bundle, ref, since)) if c.claimant == ref.claimant), None)


def article_list(bundle: Bundle) -> list[tuple[str, Article]]:
    """Every article checked against the data, (id, article), the default one first, then by day."""
    items = list(bundle.articles.items()) or [(bundle.article_id, bundle.article)]
    return items[:1] + sorted(items[1:], key=lambda p: (p[1].published, p[0]))


def newer_than_reported(bundle: Bundle, r: Rereport) -> Claim | None:
    """The newer figure the origin's source had given, for the same measure, by a re-report's day."""
    origin = bundle.claim_by_id.get(r.origin)
    return None if origin is None else newer_claim(bundle.claim_by_id, origin, r.date)


def sides_without_casualty_figure(bundle: Bundle) -> list[str]:
    """The sides (claimants.csv ``side``, in the model's order) none of whose claimants gave a number
    for a North Korean casualty measure: what a "no figure from ..." sentence may say."""
    with_figure = {bundle.claimants[c.claimant].side for c in bundle.claims if c.measure in CASUALTY_MEASURES and c.has_number}
    present = {who.side for who in bundle.claimants.values()}
    return [s for s in SIDES if s in present and s not in with_figure]
