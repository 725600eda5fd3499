"""The data behind a chart as a desk can re-chart it: numbers as numbers, one row per claim, event or
mapped area, each traced to its id and its source.

A chart's table (``View.table``) is written for reading: its figure column says ``≥3'000`` or
``15'000–18'000``. The download keeps that text beside machine columns with stable English names
(the same in both languages): ``low`` and ``high`` as plain numbers, ``bound`` (exact, approx,
at_least, at_most, range, none), the ``measure`` and ``scope`` ids, ``date`` in ISO, the
``source_url``. :func:`download_table` builds it from the data records the table's ``id`` column
names (claims or events), or, for a map, from the layers its rows were drawn from.

:func:`table_schema` describes such a table as a Frictionless Table Schema (the export's page
metadata carries it, so a desk can validate a download as it validates ``data/``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from .. import i18n
from .. import queries as Q
from ..figures import View, text_of, value_text
from ..figures.text import doubt_text, from_article, outlet_of
from ..i18n import t
from ..load import Bundle

CLAIM_COLUMNS = [
    "claim_id",
    "date",
    "claimant",
    "claimant_name",
    "measure",
    "measure_label",
    "low",
    "high",
    "bound",
    "figure_text",
    "scope",
    "scope_label",
    "outlet",
    "source_url",
    "quote",
    "doubt",
    "note",
]
EVENT_COLUMNS = [
    "event_id",
    "date",
    "date_precision",
    "category",
    "category_label",
    "title",
    "summary",
    "source_url",
    "claim_ids",
]
AREA_COLUMNS = ["layer", "kind", "label", "date", "area_km2", "source", "source_url", "licence"]
NUMBER_COLUMNS = ("low", "high", "area_km2")
DATE_COLUMNS = ("date",)
# what each machine column holds, in the Table Schema (English, like the column names)
DESCRIPTIONS = {
    "claim_id": "The claim's id in data/claims.csv",
    "event_id": "The event's id in data/events.csv",
    "low": "The figure's lower bound as said (empty: none)",
    "high": "The figure's upper bound as said (empty: none)",
    "bound": "How the figure was said: exact, approx, at_least, at_most, range, none",
    "figure_text": "The figure as the chart writes it, in the page's language",
    "measure": "What is counted (data/README.md, measure)",
    "scope": "Where or over what period: kursk, russia, war, sector, unspecified",
    "source_url": "Where it was said (empty: the article itself, named in outlet)",
    "layer": "The map layer's id in geo/manifest.yaml",
    "area_km2": "The mapped area in square kilometres",
}


def _claims(bundle: Bundle, ids: list[str], locale: str) -> pd.DataFrame:
    rows = []
    for cid in ids:
        c = bundle.claim_by_id[cid]
        who = bundle.claimants.get(c.claimant)
        rows.append(
            {
                "claim_id": c.id,
                "date": c.date,
                "claimant": c.claimant,
                "claimant_name": i18n.field(who, "name", locale) if who else c.claimant,
                "measure": c.measure,
                "measure_label": t(locale, f"measure_{c.measure}"),
                "low": c.value_low,
                "high": c.value_high,
                "bound": c.bound,
                "figure_text": value_text(c, locale),
                "scope": c.scope,
                "scope_label": t(locale, f"scope_{c.scope}"),
                "outlet": outlet_of(bundle, c, locale),
                "source_url": "" if from_article(c) else c.source_url,
                "quote": c.quote,
                "doubt": doubt_text(c, locale),
                "note": i18n.field(c, "note", locale),
            }
        )
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)


def _events(bundle: Bundle, ids: list[str], locale: str) -> pd.DataFrame:
    by_id = {e.id: e for e in bundle.events}
    rows = [
        {
            "event_id": e.id,
            "date": e.date,
            "date_precision": e.date_precision,
            "category": e.category,
            "category_label": t(locale, f"cat_{e.category}"),
            "title": i18n.field(e, "title", locale),
            "summary": i18n.field(e, "summary", locale),
            "source_url": e.source_url,
            "claim_ids": " ".join(e.claims),
        }
        for e in (by_id[i] for i in ids)
    ]
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def _areas(bundle: Bundle, table: pd.DataFrame, locale: str) -> pd.DataFrame:
    """A map's rows (layer label, date, area) traced back to their layer: the label is composed from
    the layer's kind and source as the map builder composes it."""
    col_layer, col_date, col_area = (t(locale, k) for k in ("col_layer", "col_date", "col_area_km2"))
    known: dict[str, tuple[Any, str]] = {}
    for lyr in bundle.manifest.layers:
        if lyr.kind not in ("control", "advances"):
            continue
        kinds = [k.removeprefix("control_") for k in i18n.catalogue(i18n.lang_of(locale)) if k.startswith("control_")]
        for kind in kinds:
            label = f"{t(locale, f'control_{kind}')} ({text_of(Q.source_name(bundle, lyr.id, locale))})"
            known.setdefault(label, (lyr, kind))
    rows = []
    for _, r in table.iterrows():
        lyr, kind = known.get(str(r[col_layer]), (None, ""))
        rows.append(
            {
                "layer": lyr.id if lyr else "",
                "kind": kind,
                "label": r[col_layer],
                "date": r[col_date],
                "area_km2": r[col_area],
                "source": i18n.field(lyr, "source", locale) if lyr else "",
                "source_url": (lyr.source_url or "") if lyr else "",
                "licence": i18n.field(lyr, "licence", locale) if lyr else "",
            }
        )
    return pd.DataFrame(rows, columns=AREA_COLUMNS)


def download_table(bundle: Bundle, view: View, locale: str) -> pd.DataFrame:
    """The view's data for a download: numbers as numbers, ids and sources on every row."""
    table = view.table
    if "id" in table.columns and len(table):
        ids = [str(i) for i in table["id"]]
        if all(i in bundle.claim_by_id for i in ids):
            return _claims(bundle, ids, locale)
        if all(any(e.id == i for e in bundle.events) for i in ids):
            return _events(bundle, ids, locale)
    if t(locale, "col_area_km2") in table.columns:
        return _areas(bundle, table, locale)
    if "id" in table.columns:  # an empty claims or events table keeps its header
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    return table


def with_download_table(bundle: Bundle, view: View, locale: str) -> View:
    """A copy of ``view`` whose table is its download (cached views are never changed in place)."""
    return View(view.figure, view.summary, download_table(bundle, view, locale), view.credits, view.title, spec=view.spec)


def table_schema(table: pd.DataFrame) -> dict[str, Any]:
    """A Frictionless Table Schema for a download: numbers, ISO dates, the rest text."""

    def kind(col: str) -> str:
        if col in NUMBER_COLUMNS:
            return "number"
        values = [v for v in table[col] if v is not None and not (isinstance(v, float) and pd.isna(v))]
        if col in DATE_COLUMNS or (values and all(isinstance(v, dt.date) for v in values)):
            return "date"
        return "string"

    fields = []
    for col in table.columns:
        name = str(col)
        f: dict[str, Any] = {"name": name, "type": kind(name)}
        if name in DESCRIPTIONS:
            f["description"] = DESCRIPTIONS[name]
        fields.append(f)
    return {"fields": fields, "missingValues": [""]}
