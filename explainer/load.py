"""Read and validate ``data/`` and ``geo/``.

Every problem is collected (never the first one only) as a :class:`Problem`
printed ``path:row:column: message``, where ``row`` is the line an editor sees
in a CSV or YAML file, or ``feature N`` in a GeoJSON file.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import shapely
import yaml
from pydantic import BaseModel, ValidationError

from . import model as m

MAX_FILE_BYTES = 5_000_000  # an editor's CSV/YAML; anything larger is a mistake
MAX_GEO_BYTES = 20_000_000
MAX_ROWS = 5_000

DATA_FILES = {
    "claimants.csv": m.Claimant,
    "claims.csv": m.Claim,
    "events.csv": m.Event,
    "places.csv": m.Place,
    "story.csv": m.StoryStep,
    "changelog.csv": m.ChangelogEntry,
}
ARTICLE_FILE = "article.yaml"
SITE_FILE = "site.yaml"
MANIFEST_FILE = "manifest.yaml"
# (file, column, file it points into, what an editor calls it)
REFERENCES = (
    ("claims.csv", "claimant", "claimants.csv", "claimant"),
    ("events.csv", "place", "places.csv", "place"),
    ("events.csv", "claims", "claims.csv", "claim"),
    ("story.csv", "event_ids", "events.csv", "event"),
)
GEOMETRY_TYPES = {
    "settlements": {"Point"},
    "border": {"LineString", "MultiLineString"},
}
POLYGONS = {"Polygon", "MultiPolygon"}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    row: Any = None
    column: str | None = None
    message: str = ""

    def __str__(self) -> str:
        parts = [self.path]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ":".join(parts) + ": " + self.message


class DataError(Exception):
    """Raised by :func:`load_bundle` with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class AreaRow(m.Record):
    date: m.Date
    ua_controlled_km2: float
    grey_zone_km2: float
    ua_plus_grey_km2: float
    snapshot_utc: m.OptText(40)


@dataclass(frozen=True)
class Bundle:
    """Everything the app shows, validated. Immutable; shared across sessions."""

    claimants: dict[str, m.Claimant]
    claims: tuple[m.Claim, ...]
    events: tuple[m.Event, ...]
    places: dict[str, m.Place]
    story: tuple[m.StoryStep, ...]
    changelog: tuple[m.ChangelogEntry, ...]
    article: m.Article
    site: m.Site
    manifest: m.GeoManifest
    layers: dict[str, dict]                       # static layer id -> FeatureCollection
    control: dict[str, dict[dt.date, dict]]       # dated layer id -> date -> FeatureCollection
    areas: pd.DataFrame                           # DeepState areas by date
    version: str                                  # short content hash of every file
    warnings: tuple[Problem, ...] = ()
    claims_df: pd.DataFrame = field(default=None, repr=False)

    @property
    def claim_by_id(self) -> dict[str, m.Claim]:
        return {c.id: c for c in self.claims}

    def layer(self, layer_id: str) -> m.Layer:
        return next(lyr for lyr in self.manifest.layers if lyr.id == layer_id)

    def dates(self, layer_id: str) -> list[dt.date]:
        return sorted(self.control.get(layer_id, {}))


# --------------------------------------------------------------------------- text files

def _decode(raw: bytes, rel: str, problems: list[Problem], warnings: list[Problem]) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        warnings.append(Problem(rel, 1, None, "starts with a byte-order mark (BOM); it was ignored"))
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(Problem(rel, line, None,
                                f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); save the file as UTF-8"))
        return None


def _read_text(path: Path, rel: str, limit: int, problems, warnings) -> str | None:
    if not path.is_file():
        problems.append(Problem(rel, None, None, "file is missing"))
        return None
    size = path.stat().st_size
    if size > limit:
        problems.append(Problem(rel, None, None,
                                f"file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB"))
        return None
    text = _decode(path.read_bytes(), rel, problems, warnings)
    if text is not None and not text.strip():
        problems.append(Problem(rel, 1, None, "file is empty"))
        return None
    return text


PATTERN_HINTS = {  # regexes from model.py, in words
    r"^[a-z0-9_]+$": "lowercase letters, digits and _ only, no spaces",
    r"^C\d{3,4}$": "C and 3 or 4 digits, e.g. C014",
    r"^E\d{3,4}$": "E and 3 or 4 digits, e.g. E010",
    r"^A\d{2,3}$": "A and 2 or 3 digits, e.g. A01",
}


def _friendly(err: dict) -> str:
    """pydantic's error -> one short sentence an editor can act on."""
    t, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if t == "missing":
        return "required"
    if t == "string_too_short" and ctx.get("min_length") == 1:
        return "required (the cell is empty)"
    if t == "string_too_long":
        return f"too long: {len(value)} characters, at most {ctx['max_length']}"
    if t == "literal_error":
        return f"'{value}' is not one of: {ctx['expected'].replace(chr(39), '')}"
    if t == "string_pattern_mismatch":
        return f"'{value}' does not have the expected form ({PATTERN_HINTS.get(ctx['pattern'], ctx['pattern'])})"
    if t in ("int_parsing", "float_parsing", "int_type", "float_type"):
        return f"'{value}' is not a number"
    if t in ("greater_than_equal", "less_than_equal"):
        return f"{value} is out of range"
    if t == "value_error":
        return str(ctx.get("error", err["msg"]))
    if t == "extra_forbidden":
        return "unknown field"
    if t == "too_short":
        return "needs at least one entry"
    return err["msg"]


def _row_problems(exc: ValidationError, rel: str, row, loc_to_row=None) -> Iterable[Problem]:
    for err in exc.errors():
        loc = tuple(err["loc"])
        column = ".".join(str(p) for p in loc) if loc else None
        origin = (err.get("ctx") or {}).get("error")
        if isinstance(origin, m._FieldError):
            column = ".".join(str(p) for p in loc + (origin.column,))
            loc = loc + (origin.column,)
        where = loc_to_row(loc) if loc_to_row else row
        yield Problem(rel, where, column, _friendly(err))


def read_csv(path: Path, rel: str, model: type[BaseModel], problems: list[Problem],
             warnings: list[Problem], broken: set | None = None,
             context: dict | None = None) -> list[tuple[int, BaseModel]]:
    """Rows of a CSV file as ``(line, record)``; problems appended, never raised.

    ``broken`` collects the ids of rows that exist but are invalid, so that other files
    citing them are not also told the id is unknown."""
    text = _read_text(path, rel, MAX_FILE_BYTES, problems, warnings)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        problems.append(Problem(rel, 1, None, f"unreadable CSV header: {e}"))
        return []
    expected = list(model.model_fields)
    dupes = [h for h, n in Counter(header).items() if n > 1]
    bad_header = False
    for h in dupes:
        problems.append(Problem(rel, 1, h, "column appears twice"))
        bad_header = True
    optional = getattr(model, "optional_columns", ())
    for col in expected:
        if col not in header and col not in optional:
            problems.append(Problem(rel, 1, col, "missing column"))
            bad_header = True
    for col in header:
        if col not in expected:
            problems.append(Problem(rel, 1, col or "(blank)",
                                    f"unknown column; expected: {', '.join(expected)}"))
            bad_header = True
    if bad_header:
        return []
    out: list[tuple[int, BaseModel]] = []
    line = reader.line_num + 1
    n_rows = 0

    def _broken(row):
        if broken is not None and "id" in header and header.index("id") < len(row):
            broken.add(row[header.index("id")].strip())

    try:
        for n, row in enumerate(reader):
            start, line = line, reader.line_num + 1
            if n >= MAX_ROWS:
                problems.append(Problem(rel, start, None, f"more than {MAX_ROWS} rows"))
                break
            if not row or all(not c.strip() for c in row):
                continue
            n_rows += 1
            if len(row) != len(header):
                _broken(row)
                problems.append(Problem(rel, start, None,
                                        f"has {len(row)} fields, the header has {len(header)}; check commas and quotes"))
                continue
            try:
                out.append((start, model.model_validate(dict(zip(header, row)), context=context)))
            except ValidationError as exc:
                _broken(row)
                problems.extend(_row_problems(exc, rel, start))
    except csv.Error as e:
        problems.append(Problem(rel, line, None, f"unreadable CSV: {e}"))
        return out
    if n_rows == 0:
        problems.append(Problem(rel, 2, None, "no data rows: the file has a header row only"))
    return out


def _yaml_locator(node):
    """Map a pydantic ``loc`` to the 1-based line of that key in the YAML source."""

    def find(loc):
        cur, line = node, node.start_mark.line + 1
        for part in loc:
            nxt = None
            if isinstance(cur, yaml.MappingNode):
                for k, v in cur.value:
                    if k.value == str(part):
                        nxt, line = v, k.start_mark.line + 1
                        break
            elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
                nxt = cur.value[part]
                line = nxt.start_mark.line + 1
            if nxt is None:
                break
            cur = nxt
        return line

    return find


def read_yaml(path: Path, rel: str, model: type[BaseModel], problems, warnings, context: dict | None = None):
    text = _read_text(path, rel, MAX_FILE_BYTES, problems, warnings)
    if text is None:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problems.append(Problem(rel, mark.line + 1 if mark else None, None,
                                f"invalid YAML: {getattr(e, 'problem', None) or e}; "
                                "check quotes, colons and indentation on this line or the lines above"))
        return None
    if not isinstance(doc, dict):
        problems.append(Problem(rel, 1, None, "expected a mapping of keys to values"))
        return None
    try:
        return model.model_validate(doc, context=context)
    except ValidationError as exc:
        problems.extend(_row_problems(exc, rel, None, _yaml_locator(node)))
        return None


# --------------------------------------------------------------------------- geo

def _feature_problems(rel, i, feat, kind, bbox) -> tuple[list[Problem], Any]:
    where = f"feature {i + 1}"
    if not isinstance(feat, dict) or feat.get("type") != "Feature":
        return [Problem(rel, where, None, "is not a GeoJSON Feature")], None
    if not isinstance(feat.get("geometry"), dict):
        return [Problem(rel, where, "geometry", "has no geometry")], None
    try:
        geom = shapely.geometry.shape(feat.get("geometry") or {})
    except Exception as e:  # shapely raises several types for malformed geometry
        return [Problem(rel, where, "geometry", f"malformed geometry ({e})")], None
    out = []
    allowed = GEOMETRY_TYPES.get(kind, POLYGONS)
    if geom.geom_type not in allowed:
        out.append(Problem(rel, where, "geometry",
                           f"{geom.geom_type} where a {' or '.join(sorted(allowed))} is expected"))
    if geom.is_empty:
        out.append(Problem(rel, where, "geometry", "empty geometry"))
        return out, geom
    x0, y0, x1, y1 = geom.bounds
    if not all(map(math.isfinite, (x0, y0, x1, y1))) or max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
        out.append(Problem(rel, where, "geometry",
                           f"coordinates ({x0:.10g}, {y0:.10g}) are not lon/lat degrees: GeoJSON must be WGS84 (EPSG:4326)"))
        return out, geom
    b0, b1, b2, b3 = bbox
    if x0 < b0 or y0 < b1 or x1 > b2 or y1 > b3:
        out.append(Problem(rel, where, "geometry",
                           f"extends outside the region (lon {b0}–{b2}, lat {b1}–{b3}): bounds {x0:.4f}, {y0:.4f}, {x1:.4f}, {y1:.4f}"))
    if not geom.is_valid:
        reason = re.sub(r"\[(\S+) (\S+)\]$", r" at lon \1, lat \2", shapely.is_valid_reason(geom))
        out.append(Problem(rel, where, "geometry", f"invalid geometry: {reason}; "
                                                   "repair the outline (e.g. QGIS 'Fix geometries' or shapely.make_valid)"))
    return out, geom


def read_geojson(path: Path, rel: str, layer: m.Layer, bbox, problems, warnings,
                 window: tuple[dt.date, dt.date] | None = None) -> dict | None:
    text = _read_text(path, rel, MAX_GEO_BYTES, problems, warnings)
    if text is None:
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        cut = "; the file ends too early (cut off while copying?)" if e.pos >= len(text.rstrip()) else ""
        problems.append(Problem(rel, e.lineno, f"col {e.colno}", f"invalid JSON: {e.msg}{cut}"))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(rel, None, None, "not a GeoJSON FeatureCollection"))
        return None
    crs = doc.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", crs)) if isinstance(crs, dict) else str(crs)
        if not any(tag in name.upper() for tag in ("CRS84", "EPSG::4326", "EPSG:4326")):
            problems.append(Problem(rel, None, "crs",
                                    f"CRS is {name}; GeoJSON must be WGS84 lon/lat (EPSG:4326)"))
            return None
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        problems.append(Problem(rel, None, "features", "no features"))
        return None
    before = len(problems)
    for i, feat in enumerate(feats):
        probs, _ = _feature_problems(rel, i, feat, layer.kind, bbox)
        problems.extend(probs)
        props = feat.get("properties") or {} if isinstance(feat, dict) else {}
        props = props if isinstance(props, dict) else {}
        if layer.date_field:
            try:
                m.date_in_window(m._iso_date(str(props.get(layer.date_field, ""))), window, "dates")
            except ValueError as e:
                problems.append(Problem(rel, f"feature {i + 1}", layer.date_field, str(e)))
        if layer.kind == "control" and props.get("kind") not in m.CONTROL_KINDS:
            problems.append(Problem(rel, f"feature {i + 1}", "kind",
                                    f"'{props.get('kind')}' is not one of: {', '.join(m.CONTROL_KINDS)}"))
    if layer.kind == "control" and len(problems) == before:
        seen: dict = {}
        for i, feat in enumerate(feats):
            key = (feat["properties"][layer.date_field], feat["properties"]["kind"])
            if key in seen:
                problems.append(Problem(rel, f"feature {i + 1}", None,
                                        f"second snapshot for {key[0]} {key[1]} (first is feature {seen[key]})"))
            seen.setdefault(key, i + 1)
    return doc if len(problems) == before else None


def _index_by_date(doc: dict, date_field: str) -> dict[dt.date, dict]:
    by: dict[dt.date, list] = {}
    for feat in doc["features"]:
        by.setdefault(dt.date.fromisoformat(feat["properties"][date_field]), []).append(feat)
    return {d: {"type": "FeatureCollection", "features": fs} for d, fs in sorted(by.items())}


# --------------------------------------------------------------------------- bundle

def _unique(rows, key, rel, problems, col="id"):
    first: dict = {}
    for line, rec in rows:
        k = getattr(rec, key)
        if k in first:
            problems.append(Problem(rel, line, col, f"duplicate {col} '{k}' (first on line {first[k]})"))
        else:
            first[k] = line


def _check_refs(rows, rel, col, known, what, problems):
    for line, rec in rows:
        vals = getattr(rec, col)
        for v in (vals if isinstance(vals, tuple) else (vals,)):
            if v is not None and v not in known:
                problems.append(Problem(rel, line, col, f"unknown {what} '{v}': not an id in {what}s.csv"))


SAME_PLACE_DEG = 0.02  # about 1.4 km east-west and 2.2 km north-south here


def _check_settlements(doc: dict, grel: str, place_rows, prel: str, problems, warnings) -> None:
    """A settlement drawn on the map and the place of the same id in places.csv (where events are
    pinned) must be the same point; a settlement that places.csv does not know is only a warning."""
    places = {rec.id: (line, rec) for line, rec in place_rows}
    for i, feat in enumerate(doc["features"]):
        pid = (feat.get("properties") or {}).get("id")
        lon, lat = feat["geometry"]["coordinates"][:2]
        if pid not in places:
            warnings.append(Problem(grel, f"feature {i + 1}", "id",
                                    f"settlement '{pid}' has no row in places.csv: events cannot be pinned to it"))
            continue
        line, rec = places[pid]
        if rec.lon is None or rec.lat is None:
            continue
        for col, mine, theirs in (("lon", rec.lon, lon), ("lat", rec.lat, lat)):
            if abs(mine - theirs) > SAME_PLACE_DEG:
                problems.append(Problem(prel, line, col, f"{col} {mine} of '{pid}' is {abs(mine - theirs):.3f}° away "
                                        f"from {grel} feature {i + 1} ({col} {theirs}): the map would show it twice"))


def content_hash(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes() if p.is_file() else b"<missing>")
    return h.hexdigest()[:12]


def watched_files(data_dir: Path, geo_dir: Path) -> list[Path]:
    """Every file the bundle depends on (for fingerprints and hashes)."""
    files = [data_dir / f for f in (*DATA_FILES, ARTICLE_FILE, SITE_FILE)] + [geo_dir / MANIFEST_FILE]
    try:
        man = yaml.safe_load((geo_dir / MANIFEST_FILE).read_text("utf-8"))
        for lyr in man.get("layers", []):
            for key in ("file", "areas_file"):
                if isinstance(lyr, dict) and isinstance(lyr.get(key), str):
                    files.append(geo_dir / lyr[key])
    except Exception:  # the manifest's own problems are reported by load_bundle
        pass
    return files


def load_bundle(data_dir: Path | str, geo_dir: Path | str) -> Bundle:
    """Read, validate and index everything; raise :class:`DataError` listing every problem."""
    data_dir, geo_dir = Path(data_dir), Path(geo_dir)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    rel = lambda d, f: f"{d.name}/{f}"

    today = dt.date.today()
    site = read_yaml(data_dir / SITE_FILE, rel(data_dir, SITE_FILE), m.Site, problems, warnings)
    window = site.dates.resolve(today) if site is not None else None
    ctx = {"window": window, "window_rule": "dates"}
    broken: dict[str, set] = {f: set() for f in DATA_FILES}  # ids of rows present but invalid
    rows = {f: read_csv(data_dir / f, rel(data_dir, f), mdl, problems, warnings, broken[f], ctx)
            for f, mdl in DATA_FILES.items()}
    article = read_yaml(data_dir / ARTICLE_FILE, rel(data_dir, ARTICLE_FILE), m.Article, problems, warnings, ctx)
    for line, ch in rows["changelog.csv"]:
        if ch.date > today:
            problems.append(Problem(rel(data_dir, "changelog.csv"), line, "date",
                                    f"date {ch.date.isoformat()} is in the future: a correction is dated the day it is made"))

    claimants = {r.id: r for _, r in rows["claimants.csv"]}
    claims = {r.id: r for _, r in rows["claims.csv"]}
    events = {r.id: r for _, r in rows["events.csv"]}
    places = {r.id: r for _, r in rows["places.csv"]}
    for f in ("claimants.csv", "claims.csv", "events.csv", "places.csv"):
        _unique(rows[f], "id", rel(data_dir, f), problems)
    _unique(rows["story.csv"], "step", rel(data_dir, "story.csv"), problems, col="step")
    for src, col, target, what in REFERENCES:
        if rows[target]:  # a missing/broken target file is reported once, not per reference
            known = {r.id for _, r in rows[target]} | broken[target]
            _check_refs(rows[src], rel(data_dir, src), col, known, what, problems)
    if article is not None and rows["claims.csv"]:
        arel = rel(data_dir, ARTICLE_FILE)
        cited = set()

        def aline(i: int) -> int:  # line of claims[i].claim_ids; parsed again only when there is a problem
            node = yaml.compose((data_dir / ARTICLE_FILE).read_text("utf-8-sig"), Loader=yaml.SafeLoader)
            return _yaml_locator(node)(("claims", i, "claim_ids"))

        for i, ac in enumerate(article.claims):
            for cid in ac.claim_ids:
                cited.add(cid)
                if cid in broken["claims.csv"]:
                    continue
                if cid not in claims:
                    problems.append(Problem(arel, aline(i), f"claims.{ac.id}.claim_ids",
                                            f"unknown claim '{cid}': not an id in claims.csv"))
                elif not claims[cid].in_article:
                    problems.append(Problem(arel, aline(i), f"claims.{ac.id}.claim_ids",
                                            f"claim '{cid}' is cited but marked in_article=no in claims.csv"))
        if article.lead is not None:
            for i, cmp in enumerate(article.lead.compare):
                for j, cid in enumerate((cmp.claim, *cmp.known)):
                    col = "claim" if j == 0 else "known"
                    loc = ("lead", "compare", i, col) if j == 0 else ("lead", "compare", i, "known", j - 1)
                    where = lambda loc=loc: _yaml_locator(yaml.compose((data_dir / ARTICLE_FILE).read_text("utf-8-sig"),
                                                               Loader=yaml.SafeLoader))(loc)
                    if cid in broken["claims.csv"]:
                        continue
                    if cid not in claims:
                        problems.append(Problem(arel, where(), f"lead.compare.{i}.{col}",
                                                f"unknown claim '{cid}': not an id in claims.csv"))
                    elif j == 0 and cid not in cited:
                        problems.append(Problem(arel, where(), f"lead.compare.{i}.claim",
                                                f"claim '{cid}' is not one of the article's claims (claims.*.claim_ids)"))
                    elif j > 0 and cmp.claim in claims and claims[cid].measure != claims[cmp.claim].measure:
                        problems.append(Problem(arel, where(), f"lead.compare.{i}.known",
                                                f"claim '{cid}' measures {claims[cid].measure}, the compared figure "
                                                f"{claims[cmp.claim].measure}: one row compares one measure"))
                    elif j > 0 and claims[cid].date > article.published:
                        problems.append(Problem(arel, where(), f"lead.compare.{i}.known",
                                                f"claim '{cid}' is dated {claims[cid].date.isoformat()}, after the "
                                                "article: 'known' lists what was known on the article's day"))
        for line, c in rows["claims.csv"]:
            if c.in_article and c.id not in cited:
                problems.append(Problem(rel(data_dir, "claims.csv"), line, "in_article",
                                        f"claim '{c.id}' is marked in_article=yes but {ARTICLE_FILE} does not cite it"))

    manifest = read_yaml(geo_dir / MANIFEST_FILE, rel(geo_dir, MANIFEST_FILE), m.GeoManifest, problems, warnings)
    layers: dict[str, dict] = {}
    control: dict[str, dict[dt.date, dict]] = {}
    areas = pd.DataFrame()
    if manifest is not None:
        mrel = rel(geo_dir, MANIFEST_FILE)

        def mline(*loc) -> int | None:  # line of a key in the manifest; parsed again only for a problem
            try:
                node = yaml.compose((geo_dir / MANIFEST_FILE).read_text("utf-8-sig"), Loader=yaml.SafeLoader)
            except (OSError, yaml.YAMLError):
                return None
            return _yaml_locator(node)(loc)

        bbox = manifest.region.bbox
        first_id: dict[str, int] = {}
        for i, lyr in enumerate(manifest.layers):
            if lyr.id in first_id:
                problems.append(Problem(mrel, mline("layers", i, "id"), f"layers.{i}.id",
                                        f"duplicate layer id '{lyr.id}' (first is layers.{first_id[lyr.id]})"))
            first_id.setdefault(lyr.id, i)
        for i, lyr in enumerate(manifest.layers):
            if lyr.kind in ("control", "advances") and not lyr.date_field:
                problems.append(Problem(mrel, mline("layers", i, "kind"), f"layers.{i}.date_field",
                                        f"a '{lyr.kind}' layer needs a date_field"))
                continue
            doc = read_geojson(geo_dir / lyr.file, rel(geo_dir, lyr.file), lyr, bbox, problems, warnings, window)
            if doc is None:
                continue
            if lyr.date_field:
                control[lyr.id] = _index_by_date(doc, lyr.date_field)
            else:
                layers[lyr.id] = doc
            if lyr.kind == "settlements" and rows["places.csv"]:
                _check_settlements(doc, rel(geo_dir, lyr.file), rows["places.csv"], rel(data_dir, "places.csv"),
                                   problems, warnings)
            if lyr.areas_file:
                arows = read_csv(geo_dir / lyr.areas_file, rel(geo_dir, lyr.areas_file), AreaRow, problems, warnings,
                                 context=ctx)
                _unique(arows, "date", rel(geo_dir, lyr.areas_file), problems, col="date")
                areas = pd.DataFrame([r.model_dump() for _, r in arows])
        if not any(lyr.kind == "control" for lyr in manifest.layers):
            problems.append(Problem(mrel, mline("layers"), "layers", "no layer of kind 'control'"))

    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.path, _sort_row(p.row), p.column or "")))

    claims_t = tuple(sorted(claims.values(), key=lambda c: (c.date, c.id)))
    return Bundle(
        claimants=claimants,
        claims=claims_t,
        events=tuple(sorted(events.values(), key=lambda e: (e.date, e.id))),
        places=places,
        story=tuple(sorted((r for _, r in rows["story.csv"]), key=lambda s: s.step)),
        changelog=tuple(sorted((r for _, r in rows["changelog.csv"]), key=lambda c: c.date, reverse=True)),
        article=article,
        site=site,
        manifest=manifest,
        layers=layers,
        control=control,
        areas=areas,
        version=content_hash(watched_files(data_dir, geo_dir)),
        warnings=tuple(warnings),
        claims_df=claims_frame(claims_t, claimants),
    )


def _sort_row(row) -> tuple:
    if isinstance(row, int):
        return (0, row, "")
    return (1, 0, str(row or ""))


def claims_frame(claims: Iterable[m.Claim], claimants: dict[str, m.Claimant]) -> pd.DataFrame:
    """One row per claim, with claimant names and side, for figures and tables."""
    recs = []
    for c in claims:
        who = claimants.get(c.claimant)
        recs.append({**c.model_dump(), "claimant_fr": who.name_fr if who else c.claimant,
                     "claimant_en": who.name_en if who else c.claimant,
                     "side": who.side if who else "other"})
    df = pd.DataFrame(recs)
    if not df.empty:
        df["date"] = pd.to_datetime(df["date"])
    return df
