"""The map explorer's per-date files: one small JSON of a snapshot's map traces, title and text alternative."""

from __future__ import annotations

from pathlib import Path

import plotly.io as pio

from .. import figures as F
from .. import i18n
from ..load import Bundle
from .pages import title_for
from .text import LANGS


def write_date_files(
    bundle: Bundle,
    lang: str,
    folder: Path,
    *,
    locale: str | None = None,
    layers: list[str] | None = None,
    height: int = 500,
) -> list[int]:
    """``folder/control/<date>.json`` for every snapshot date: that date's map traces, title and text
    alternative, from the same builder as the pages. Returns the file sizes.

    The export writes them per language (its locale); the live app (explainer/ui/live_map.py) per
    locale, layer choice and map height, for the map it draws."""
    loc = locale or LANGS[lang]
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    if len(days) < 2:
        return []
    (folder / "control").mkdir(parents=True, exist_ok=True)
    sizes = []
    for d in days:
        view, start, traces = F.map_dated_traces(bundle, d, loc, layers, height)
        doc = {
            "date": d.isoformat(),
            "start": start,
            "title": f"{view.title} — {i18n.date(d, loc)}" if locale else title_for(view, d, lang),
            "summary": view.summary,
            "traces": traces,
        }
        data = pio.json.to_json_plotly(doc).encode("utf-8")
        (folder / "control" / f"{d.isoformat()}.json").write_bytes(data)
        sizes.append(len(data))
    return sizes
