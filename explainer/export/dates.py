"""The map explorer's per-date files: one small JSON of a snapshot's map traces, title and text alternative."""

from __future__ import annotations

from pathlib import Path

import plotly.io as pio

from .. import figures as F
from ..load import Bundle
from .pages import title_for
from .text import LANGS


def write_date_files(bundle: Bundle, lang: str, folder: Path) -> list[int]:
    """``folder/control/<date>.json`` for every snapshot date: that date's map traces, title and text
    alternative, from the same builder as the pages. Returns the file sizes."""
    loc = LANGS[lang]
    control = [lyr.id for lyr in bundle.manifest.layers if lyr.kind == "control"]
    days = bundle.dates(control[0]) if control else []
    if len(days) < 2:
        return []
    (folder / "control").mkdir(parents=True, exist_ok=True)
    sizes = []
    for d in days:
        view, start, traces = F.map_dated_traces(bundle, d, loc)
        doc = {
            "date": d.isoformat(),
            "start": start,
            "title": title_for(view, d, lang),
            "summary": view.summary,
            "traces": traces,
        }
        data = pio.json.to_json_plotly(doc).encode("utf-8")
        (folder / "control" / f"{d.isoformat()}.json").write_bytes(data)
        sizes.append(len(data))
    return sizes
