"""Which pages exist per language: the Page record, its date controls, title and chart height."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .. import figures as F
from .. import i18n
from ..i18n import t
from ..load import Bundle
from ..queries import nearest_date
from .downloads import with_download_table
from .picture import PHONE_PICTURE_WIDTH, Caption, caption
from .text import LANGS

EXPLAINER_VIEWS = ("story", "sources")  # whole pages of the explainer, beside the one-chart embeds


@dataclass
class Graphic:
    """A further chart a page draws as a picture file (the story's steps): ``<lang>/<name>/<key>.svg``."""

    key: str
    view: F.View
    width: int
    ready: bool = False  # drawn (an export without images shows the text alternative alone)

    @property
    def height(self) -> int:
        return int(self.view.figure.layout.height or 500)


@dataclass
class Page:
    lang: str
    name: str  # file stem: map, map-2024-11-05, area, casualties, timeline
    view: str  # map, area, casualties, timeline
    date: dt.date | None  # the map's date
    built: F.View
    layers: list[str]  # manifest layers whose data the view shows
    dated: dict[str, Any] | None = None  # date controls: see date_controls()
    svg: str = ""  # the chart, pre-rendered
    caption: Caption | None = None  # the header and footer baked into its PNG and SVG downloads
    graphics: list[Graphic] = field(default_factory=list)  # the story page's further charts
    png_size: tuple[int, int] | None = None  # the credited PNG's pixels, once drawn
    fits: list[tuple[int, F.View]] = field(default_factory=list)  # the chart for several widths: (widest box px, view)
    phone: F.View | None = None  # the chart as drawn for a phone's picture (default: ``built``)
    phone_png: bool = False  # the phone picture was drawn

    @property
    def path(self) -> str:
        return f"{self.lang}/{self.name}"


def date_controls(bundle: Bundle, p: Page) -> dict[str, Any] | None:
    """What a page's date controls need: the snapshot dates, their labels, the drawn date."""
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    if p.view not in ("map", "area") or len(days) < 2:
        return None
    loc = LANGS[p.lang]
    day = nearest_date(days, p.date or bundle.article.published)
    return {
        "view": p.view,
        "dates": [d.isoformat() for d in days],
        "labels": [i18n.date(d, loc) for d in days],
        "index": days.index(day),
    }


def build_pages(bundle: Bundle, lang: str) -> list[Page]:
    loc = LANGS[lang]
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    maps = [("map", bundle.article.published)]
    maps += [(f"map-{d.isoformat()}", d) for d in sorted({s.date for s in bundle.story})]
    pages = []
    for name, d in maps:
        view, start, traces = F.map_dated_traces(bundle, d, loc)
        p = Page(lang, name, "map", d, view, F.default_layers(bundle))
        p.dated = date_controls(bundle, p)
        if p.dated:
            p.dated.update(start=start, count=len(traces))
        pages.append(p)
    selected = nearest_date(days, bundle.article.published) if days else None
    area = F.build_area(bundle, loc, selected=selected)
    p = Page(lang, "area", "area", None, area, control)
    p.dated = date_controls(bundle, p) if selected else None
    if p.dated:
        base = F.build_area(bundle, loc).figure
        label = t(loc, "selected_date_label", date="\0")
        p.dated.update(
            shape=len(base.layout.shapes or ()),
            trace=len(base.data),
            legend=label.split("\0"),
            short=[i18n.date(dt.date.fromisoformat(d), loc, short=True) for d in p.dated["dates"]],
        )
    pages.append(p)
    cas = Page(lang, "casualties", "casualties", None, F.build_casualties(bundle, loc), [])
    # value labels are placed for a plot's width: the page draws the figure its own width calls for
    widths = F.fit_widths()
    cas.fits = [
        (most, F.build_casualties(bundle, loc, plot_width=w, fitted=True)) for w, most in zip(widths, F.fit_bounds(widths))
    ]
    cas.phone = dict(zip(widths, (v for _, v in cas.fits)))[F.pick_width(widths, PHONE_PICTURE_WIDTH)]
    pages.append(cas)
    pages.append(Page(lang, "timeline", "timeline", None, F.build_timeline(bundle, loc), []))
    for p in pages:  # the downloads: numbers as numbers; the pictures: credits baked in
        p.caption = caption(bundle, p.built, loc, p.date)
        p.built = with_download_table(bundle, p.built, loc)
    from .article import sources_page, story_page  # they build Pages themselves

    pages += [story_page(bundle, lang), sources_page(bundle, lang)]
    return pages


def title_for(built: F.View, day: dt.date | None, lang: str) -> str:
    return f"{built.title} — {i18n.date(day, LANGS[lang])}" if day else built.title


def page_title(p: Page) -> str:
    return title_for(p.built, p.date, p.lang)


def chart_height(p: Page) -> int:
    return int(p.built.figure.layout.height or 500)


png_height = chart_height
