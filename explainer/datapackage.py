"""The data described for machines: a Frictionless Data Package (v2) of the editors' tables, and a
schema.org ``Dataset`` for the pages that offer them.

Everything is read from the models (``explainer.model``: fields, types, vocabularies, lengths,
patterns), the loader's registries (``load.DATA_FILES``, ``load.crossfile``: primary and foreign
keys) and the editors' files (``data/site.yaml``: the licence; ``data/article.yaml``: title, intro,
the source article). Nothing about the data is written here, so the package follows the models: a
test checks that the checked-in ``data/datapackage.json`` equals a fresh :func:`build_datapackage`.

``python -m explainer datapackage [--out PATH]`` writes it; the static export writes one beside the
tables of every data version (``v/<data-version>/data/``).

Frictionless can check several rules the hand-written validator (``explainer.load``) already
checks: required cells, lengths, patterns, vocabularies (``enum``), numbers, dates and the date
window's lower end, unique ids (``primaryKey``) and references to one id (``foreignKeys``). The hand
rules stay: they report every problem as ``file:row:column`` in an editor's words (frictionless
reports "constraint-error" in its own), they read what spreadsheets save (other separators and
encodings, which this package does not describe), they keep checking a row that has one bad cell
against the other files, and they check what a Table Schema cannot say: cells that go together
(``bound`` against ``value_low``/``value_high``, ``lon`` with ``lat``, a month date on the 1st),
lists of ids pointing into another file (``events.claims``, ``story.event_ids``), and the article's
and the map's rules across files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import model as m
from .csvsafe import write_csv
from .load import DATA_FILES, Bundle
from .load.crossfile import PRIMARY_KEYS, REFERENCES
from .queries import story_period

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
RESOURCE_PROFILE = "https://datapackage.org/profiles/2.0/dataresource.json"
SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
FILE_NAME = "datapackage.json"
DISTRIBUTION = "kursk-explainer"  # pyproject's [project] name: the package's name when not installed
JSON_TYPES = {"string": "string", "number": "number", "integer": "integer", "boolean": "boolean"}
CONSTRAINTS = {
    "minLength": "minLength",
    "maxLength": "maxLength",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
}


def _package_name() -> str:
    try:
        return importlib_metadata.metadata(DISTRIBUTION)["Name"]
    except importlib_metadata.PackageNotFoundError:
        return DISTRIBUTION


def _in_window(model: type[BaseModel], name: str) -> bool:
    """The field is a ``model.Date``: checked against site.yaml's date window."""
    return any(getattr(meta, "func", None) is m._date_in_context for meta in model.model_fields[name].metadata)


def _field(model: type[BaseModel], name: str, prop: dict[str, Any], required: bool, earliest: dt.date) -> dict[str, Any]:
    """One Table Schema field from the model's JSON Schema property (pydantic's own description of it)."""
    options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    spec = options[0] if len(options) == 1 else {}
    kind = spec.get("type", "string")
    out: dict[str, Any] = {"name": name}
    constraints: dict[str, Any] = {"required": True} if required else {}
    if kind == "string" and spec.get("format") == "date":
        out["type"] = "date"
        if _in_window(model, name):
            constraints["minimum"] = earliest.isoformat()
    elif kind == "array":
        out.update(type="list", delimiter=" ", itemType=JSON_TYPES[spec["items"]["type"]])
    elif kind == "boolean":
        out.update(type="boolean", trueValues=["yes"], falseValues=["no"])
    else:
        out["type"] = JSON_TYPES.get(kind, "any")
    if "enum" in spec:
        out["categories"] = list(spec["enum"])
        constraints["enum"] = list(spec["enum"])
    constraints |= {CONSTRAINTS[k]: v for k, v in spec.items() if k in CONSTRAINTS}
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(file: str, earliest: dt.date) -> dict[str, Any]:
    """The Table Schema of one data file: its model's fields in header order, its keys."""
    model = DATA_FILES[file]
    js = model.model_json_schema(mode="validation")
    required = set(js.get("required", ()))
    fields = [_field(model, name, prop, name in required, earliest) for name, prop in js["properties"].items()]
    schema: dict[str, Any] = {"$schema": SCHEMA_PROFILE, "fields": fields, "missingValues": [""]}
    if model.optional_columns:  # the schema's fields are a superset of a file's: it may leave these out, add none
        schema["fieldsMatch"] = "superset"
    if file in PRIMARY_KEYS:
        schema["primaryKey"] = [PRIMARY_KEYS[file]]
    scalar = {f["name"] for f in fields if f["type"] != "list"}  # a Table Schema key is one value per cell
    keys = [
        {"fields": [col], "reference": {"resource": _resource_name(target), "fields": [PRIMARY_KEYS[target]]}}
        for src, col, target, _ in REFERENCES
        if src == file and col in scalar and target in PRIMARY_KEYS
    ]
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _resource_name(file: str) -> str:
    return file.rsplit(".", 1)[0]


def _licence(site: m.Site) -> list[dict[str, str]]:
    lic = site.licence
    if lic is None:
        return []
    return [{k: v for k, v in (("name", lic.name), ("path", lic.path), ("title", lic.title_en)) if v}]


def build_datapackage(bundle: Bundle, *, folder: str = "", version: str | None = None) -> dict[str, Any]:
    """The Data Package of the editors' tables; resource paths are ``folder`` + file name, relative
    to the package file. ``version`` (the data version) is left out of the checked-in file, whose
    freshness must not depend on how the data version is computed."""
    art = bundle.article
    lead = art.lead
    pkg: dict[str, Any] = {
        "$schema": PROFILE,
        "name": _package_name(),
        "title": lead.headline_en if lead else art.title_en,
        "description": lead.intro_en if lead else art.lead_en,
    }
    if version:
        pkg["version"] = version
    if licences := _licence(bundle.site):
        pkg["licenses"] = licences
    pkg["sources"] = [{"title": f"{art.outlet_en}, {art.published.isoformat()}: {art.title_fr}"}]
    earliest = bundle.site.dates.earliest
    pkg["resources"] = [
        {
            "$schema": RESOURCE_PROFILE,
            "name": _resource_name(file),
            "type": "table",
            "path": f"{folder}{file}",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json", "delimiter": ",", "header": True},
            "schema": table_schema(file, earliest),
        }
        for file in DATA_FILES
    ]
    return pkg


def dumps(pkg: dict[str, Any]) -> str:
    """The package as the file holds it (stable key order, UTF-8 text, final line end)."""
    return json.dumps(pkg, ensure_ascii=False, indent=2) + "\n"


def _cell(v: Any) -> Any:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (tuple, list)):
        return " ".join(map(str, v))
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else v


def records(bundle: Bundle, file: str) -> Sequence[m.Record]:
    """The valid rows of one data file, as the bundle holds them (``claims.csv`` -> ``bundle.claims``)."""
    held = getattr(bundle, _resource_name(file))
    return list(held.values()) if isinstance(held, dict) else list(held)


def write_tables(bundle: Bundle, folder: Path, version: str | None = None) -> list[Path]:
    """The editors' tables as UTF-8 comma CSV (formula cells neutralised) and their datapackage.json
    in ``folder``; returns the files written."""
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for file, model in DATA_FILES.items():
        columns = list(model.model_fields)
        rows = [{c: _cell(getattr(rec, c)) for c in columns} for rec in records(bundle, file)]
        write_csv(pd.DataFrame(rows, columns=columns, dtype=object), folder / file)
        written.append(folder / file)
    (folder / FILE_NAME).write_text(dumps(build_datapackage(bundle, version=version)), "utf-8")
    return [*written, folder / FILE_NAME]


def dataset_jsonld(bundle: Bundle, lang: str, downloads: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """A schema.org ``Dataset``: ``downloads`` are (name, URL, media type)."""
    art = bundle.article
    lead = art.lead
    en = lang != "fr"
    first, last = story_period(bundle)
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": (lead.headline_en if en else lead.headline_fr) if lead else (art.title_en if en else art.title_fr),
        "description": (lead.intro_en if en else lead.intro_fr) if lead else (art.lead_en if en else art.lead_fr),
        "inLanguage": lang,
        "temporalCoverage": f"{first.isoformat()}/{last.isoformat()}",
    }
    lic = bundle.site.licence
    if lic is not None:
        doc["license"] = lic.path or lic.name
    doc["distribution"] = [
        {"@type": "DataDownload", "name": name, "contentUrl": url, "encodingFormat": mediatype}
        for name, url, mediatype in downloads
    ]
    return doc


def jsonld_script(doc: dict[str, Any]) -> str:
    """``doc`` in a ``<script type="application/ld+json">`` tag; no data text can close the tag."""
    text = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def downloads(base: str) -> list[tuple[str, str, str]]:
    """The tables and their package under ``base`` (a data folder's URL, ending in ``/``)."""
    return [(f, f"{base}{f}", "text/csv") for f in DATA_FILES] + [(FILE_NAME, f"{base}{FILE_NAME}", "application/json")]
