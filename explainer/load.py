"""Read and validate ``data/`` and ``geo/``.

Every problem is collected (never the first one only) as a :class:`Problem`
printed ``path:row:column: message``, where ``row`` is the line an editor sees
in a CSV or YAML file, or ``feature N`` in a GeoJSON file.
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import datetime as dt
import errno
import hashlib
import io
import json
import math
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args

import pandas as pd
import shapely
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from . import i18n
from . import model as m

MAX_FILE_BYTES = 5_000_000  # an editor's CSV/YAML; anything larger is a mistake
MAX_GEO_BYTES = 20_000_000
MAX_ROWS = 5_000  # rows per table, features per layer
MAX_VERTICES = 300_000  # per layer: the bundled control layer has about 78,000 (256 dates)

JSON = dict[str, Any]  # a parsed JSON object (GeoJSON FeatureCollection, Feature, properties): typed by its checks
Loc = tuple[int | str, ...]  # a path of keys and list positions in a YAML document, as pydantic reports it
Rows = Sequence[tuple[int, m.Record]]  # (line, record) for each valid row of a CSV file
R = TypeVar("R", bound=BaseModel)

DATA_FILES: dict[str, type[m.Record]] = {
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
DATED_KINDS = ("control", "advances")


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
    snapshot_utc: m.OptText40


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
    layers: dict[str, JSON]  # static layer id -> FeatureCollection
    control: dict[str, dict[dt.date, JSON]]  # dated layer id -> date -> FeatureCollection
    areas: pd.DataFrame  # DeepState areas by date
    version: str  # short content hash of every file
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

# Encodings tried, in order, for a CSV that is not UTF-8: what Excel and LibreOffice write on Windows
# and on older Macs. A non-UTF-8 decoding is accepted only if it yields no C1 control character.
FALLBACK_ENCODINGS = (("cp1252", "Windows-1252"), ("mac_roman", "Mac Roman"))
CSV_DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}
_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SAVE_AS_UTF8 = (
    "cannot be read as text (tried UTF-8, Windows-1252, Mac Roman); save it again as "
    "'CSV UTF-8' (Excel: File > Save As > CSV UTF-8; LibreOffice: character set Unicode (UTF-8)) / "
    "illisible comme texte (essayé UTF-8, Windows-1252, Mac Roman) ; enregistrez-le à nouveau en "
    "« CSV UTF-8 » (Excel : Fichier > Enregistrer sous > CSV UTF-8 ; LibreOffice : jeu de caractères "
    "Unicode (UTF-8))"
)
MIXED_UTF8 = (
    "is UTF-8 except on this line (mixed encodings, e.g. text pasted from another file); retype the "
    "odd characters on this line and save as 'CSV UTF-8' / est en UTF-8 sauf sur cette ligne (encodages "
    "mélangés, p. ex. texte collé d'un autre fichier) ; retapez les caractères bizarres de cette ligne et "
    "enregistrez en « CSV UTF-8 »"
)
SAVE_AS_UTF8_TEXT = (
    "is not valid UTF-8; save it again as UTF-8 in your text editor / "
    "n'est pas en UTF-8 valide ; enregistrez-le à nouveau en UTF-8 dans votre éditeur de texte"
)

# Set while load_bundle runs: every file's bytes as read, so that the store can persist exactly
# the files that validated (a context variable rather than a parameter threaded through every reader).
_SOURCES: contextvars.ContextVar[dict[Path, bytes] | None] = contextvars.ContextVar("explainer_sources", default=None)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as an editor would name it: "UTF-8", "UTF-8 with BOM", "Windows-1252", "Mac Roman"


def _decode(raw: bytes, rel: str, problems: list[Problem], spreadsheet: bool = False) -> Decoded | None:
    """Bytes -> text, strictly. Never quotes the bytes of a file that failed to decode."""
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8) :] if bom else raw
    try:
        text, name = body.decode("utf-8"), "UTF-8 with BOM" if bom else "UTF-8"
    except UnicodeDecodeError as e:
        line = body[: e.start].count(b"\n") + 1
        if not spreadsheet:
            problems.append(Problem(rel, line, None, SAVE_AS_UTF8_TEXT))
            return None
        if any(ord(c) > 127 and c != "\ufffd" for c in body.decode("utf-8", errors="replace")):
            # valid UTF-8 letters beside the bad bytes: a UTF-8 file with a mistake (or mixed
            # encodings), which a legacy decoding would turn into wrong letters
            problems.append(Problem(rel, line, None, MIXED_UTF8))
            return None
        for codec, label in FALLBACK_ENCODINGS:
            try:
                text = body.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _C1.search(text) and not _CONTROL.search(text):
                return Decoded(text, label)
        problems.append(Problem(rel, line, None, SAVE_AS_UTF8))
        return None
    control = _CONTROL.search(text)
    if control:  # NUL and friends: a binary file, or UTF-16 saved by mistake
        line = text[: control.start()].count("\n") + 1
        problems.append(Problem(rel, line, None, SAVE_AS_UTF8 if spreadsheet else SAVE_AS_UTF8_TEXT))
        return None
    return Decoded(text, name)


def _open_problem(path: Path, rel: str) -> str | None:
    """Why ``path`` cannot be read as one of our files, or None. Links are followed only inside
    their own folder; the message never names a path outside it."""
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(path.parent.resolve()):
                return "is a link to a file outside its folder; links out of the data folders are not followed"
        if not path.exists():
            return "file is missing"
        if path.is_dir():
            return "is a folder where a file is expected"
        if not path.is_file():
            return "is not a regular file"
    except OSError as e:
        return _os_message(e)
    return None


def _os_message(e: OSError) -> str:
    """An I/O error in words, without the path (it may be absolute)."""
    if e.errno in (errno.EACCES, errno.EPERM):
        return "cannot be read: permission denied (check the file's permissions)"
    if e.errno == errno.ELOOP:
        return "became a link while being read; links are not followed"
    return f"cannot be read: {os.strerror(e.errno) if e.errno else type(e).__name__}"


def _open_read(path: Path, n: int) -> bytes:
    """At most ``n`` bytes of ``path``, checked by :func:`_open_problem` first: a link it allowed is
    opened at its target, resolved once, and always with O_NOFOLLOW, so a file swapped for a link
    after the check is not followed; O_NONBLOCK, so a file swapped for a pipe does not hang."""
    why = _open_problem(path, path.name)
    if why:
        raise OSError(errno.EPERM if "link" in why else errno.ENOENT, why)
    target = path.resolve() if path.is_symlink() else path
    if path.is_symlink() and not target.is_relative_to(path.parent.resolve()):
        raise OSError(errno.ELOOP, "link swapped")
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read(n)


def _read_bytes(path: Path, rel: str, limit: int, problems: list[Problem]) -> bytes | None:
    why = _open_problem(path, rel)
    if why:
        problems.append(Problem(rel, None, None, why))
        return None
    try:
        raw = _open_read(path, limit + 1)
    except OSError as e:
        problems.append(Problem(rel, None, None, _os_message(e)))
        return None
    if len(raw) > limit:
        size = max(len(raw), _size(path))
        problems.append(Problem(rel, None, None, f"file is {size / 1e6:.1f} MB; the limit is {limit / 1e6:.0f} MB"))
        return None
    rec = _SOURCES.get()
    if rec is not None:
        rec[path] = raw
    return raw


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _read_text(
    path: Path, rel: str, limit: int, problems: list[Problem], warnings: list[Problem], spreadsheet: bool = False
) -> Decoded | None:
    raw = _read_bytes(path, rel, limit, problems)
    if raw is None:
        return None
    dec = _decode(raw, rel, problems, spreadsheet)
    if dec is None:
        return None
    if not dec.text.strip():
        problems.append(Problem(rel, 1, None, "file is empty"))
        return None
    if not spreadsheet and dec.encoding == "UTF-8 with BOM":
        warnings.append(Problem(rel, 1, None, "starts with a byte-order mark (BOM); it was ignored"))
    return dec


def _half_saved(text: str, rel: str, problems: list[Problem]) -> bool:
    """A text file must end with a line end: a last record without one is usually a file cut while
    saving, and its last cell would pass, shortened."""
    if text.endswith(("\n", "\r")):
        return False
    problems.append(
        Problem(
            rel,
            text.count("\n") + 1,
            None,
            "the file does not end with a line end: it may have been cut while saving (the last "
            "record may be incomplete); save it again, ending with a line break",
        )
    )
    return True


PATTERN_HINTS = {  # regexes from model.py, in words
    r"^[a-z0-9_]+$": "lowercase letters, digits and _ only, no spaces",
    r"^C\d{3,4}$": "C and 3 or 4 digits, e.g. C014",
    r"^E\d{3,4}$": "E and 3 or 4 digits, e.g. E010",
    r"^A\d{2,3}$": "A and 2 or 3 digits, e.g. A01",
}


def _friendly(err: ErrorDetails) -> str:
    """pydantic's error -> one short sentence an editor can act on."""
    t, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if t == "missing":
        return "required"
    if t == "string_too_short" and ctx.get("min_length") == 1:
        return "required (the cell is empty)"
    if t == "string_too_long":
        return f"too long: {len(str(value))} characters, at most {ctx['max_length']}"
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
    return str(err["msg"])


def renamed_message(new: tuple[str, ...]) -> str:
    """What an editor reads for a field of an older file that now has another name."""
    names = " and ".join(f"'{n}'" for n in new)
    return f"this field was renamed: write {names} instead (every translated field ends in _fr or _en)"


def _record_in(annotation: object) -> type[BaseModel] | None:
    """The record class inside a field's type (``Lead | None``, ``tuple[Layer, ...]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _record_in(arg)
        if found is not None:
            return found
    return None


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The record class that the pydantic location ``loc`` (a path of keys and list positions) is in."""
    cur: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or cur is None:
            continue
        fi = cur.model_fields.get(part)
        cur = _record_in(fi.annotation) if fi is not None else None
    return cur


def _renames(exc: ValidationError, model: type[BaseModel] | None) -> dict[tuple[int | str, ...], tuple[str, ...]]:
    """Former field names present in a document: their location -> the fields that replace them."""
    out: dict[tuple[int | str, ...], tuple[str, ...]] = {}
    if model is None:
        return out
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] == "extra_forbidden" and loc:
            owner = _model_at(model, loc[:-1])
            new = owner.renamed.get(str(loc[-1])) if owner is not None and issubclass(owner, m.Record) else None
            if new:
                out[loc] = new
    return out


def _row_problems(
    exc: ValidationError,
    rel: str,
    row: int | str | None,
    loc_to_row: Callable[[tuple[int | str, ...]], int] | None = None,
    model: type[BaseModel] | None = None,
) -> Iterable[Problem]:
    renames = _renames(exc, model)
    replaced = {(*loc[:-1], n) for loc, new in renames.items() for n in new}  # "required" is implied by the rename
    for err in exc.errors():
        loc = tuple(err["loc"])
        if err["type"] == "missing" and loc in replaced:
            continue
        origin = (err.get("ctx") or {}).get("error")
        parts = origin.errors if isinstance(origin, m.RowErrors) else [origin]
        for part in parts:
            column = ".".join(str(p) for p in loc) if loc else None
            where_loc = loc
            if isinstance(part, m._FieldError):
                where_loc = loc + (part.column,)
                column = ".".join(str(p) for p in where_loc)
            where = loc_to_row(where_loc) if loc_to_row else row
            if loc in renames:
                message = renamed_message(renames[loc])
            elif isinstance(part, m._FieldError):
                message = part.message
            else:
                message = _friendly(err)
            yield Problem(rel, where, column, message)


def _delimiter(text: str, expected: list[str]) -> str:
    """The separator of a CSV: csv.Sniffer restricted to ',', ';' and tab, checked against the
    known header (the sniffer alone can be fooled by a sample full of commas in quotes)."""
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    try:
        sniffed = [csv.Sniffer().sniff(first, delimiters=CSV_DELIMITERS).delimiter]
    except csv.Error:
        sniffed = []

    def score(d: str) -> int:
        cells = next(csv.reader([first.rstrip("\r")], delimiter=d), [])
        return sum(c.strip().lstrip("\ufeff") in expected for c in cells)

    return max(dict.fromkeys(sniffed + list(CSV_DELIMITERS)), key=score)  # first best: the sniffer's on a tie


def _partial_values(
    model: type[BaseModel], raw: dict[str, str], failed: set[str], context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The cells of an invalid row that are valid on their own, parsed as the model would."""
    out = {}
    for name, fi in model.model_fields.items():
        if name in failed or name not in raw:
            continue
        key = (model, name)
        if key not in _ADAPTERS:
            field_type: Any = Annotated[(fi.annotation, *fi.metadata)] if fi.metadata else fi.annotation  # built at run time
            _ADAPTERS[key] = TypeAdapter(field_type)
        val = raw[name].strip() if isinstance(raw[name], str) else raw[name]
        try:
            out[name] = _ADAPTERS[key].validate_python(val, context=context)
        except (ValidationError, ValueError):
            pass
    return out


_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter[Any]] = {}


@dataclass
class Broken:
    """Rows of a file that exist but failed their own checks: their ids (so that other files citing
    them are not told the id is unknown) and their raw cells (still checked against other files)."""

    ids: set[str] = field(default_factory=set)
    rows: list[tuple[int, dict[str, str], set[str]]] = field(
        default_factory=list
    )  # (line, {column: raw cell}, {columns that failed})


def read_csv(
    path: Path,
    rel: str,
    model: type[R],
    problems: list[Problem],
    warnings: list[Problem],
    broken: Broken | None = None,
    context: dict[str, Any] | None = None,
) -> list[tuple[int, R]]:
    """Rows of a CSV file as ``(line, record)``; problems appended, never raised.

    Reads what spreadsheets write: ',' ';' or tab separators, UTF-8 (with or without BOM),
    Windows-1252 or Mac Roman, CRLF line ends; a warning says what was detected. The file itself
    is never rewritten."""
    expected = list(model.model_fields)
    dec = _read_text(path, rel, MAX_FILE_BYTES, problems, warnings, spreadsheet=True)
    if dec is None:
        return []
    text = dec.text
    delim = _delimiter(text, expected)
    eol = ", Windows line ends (CRLF)" if "\r\n" in text else ", old Mac line ends (CR)" if "\r" in text else ""
    if dec.encoding != "UTF-8" or delim != "," or eol:
        warnings.append(
            Problem(rel, 1, None, f"read as {dec.encoding}, separator {DELIMITER_NAMES[delim]}{eol}; the file was not changed")
        )
    if _half_saved(text, rel, problems):
        return []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        problems.append(Problem(rel, 1, None, f"unreadable CSV header: {e}"))
        return []
    dupes = [h for h, n in Counter(header).items() if n > 1]
    bad_header = False
    for h in dupes:
        problems.append(Problem(rel, 1, h, "column appears twice"))
        bad_header = True
    optional = getattr(model, "optional_columns", ())
    renamed = {old: new for old, new in getattr(model, "renamed", {}).items() if old in header}
    replaced = {n for new in renamed.values() for n in new}
    missing = [col for col in expected if col not in header and col not in optional and col not in replaced]
    if len(missing) == len(expected) - len(optional) and len(header) == 1:
        problems.append(
            Problem(
                rel,
                1,
                None,
                f"the header has none of the expected columns and no ',' ';' or tab separator; expected: {', '.join(expected)}",
            )
        )
        return []
    for col in missing:
        problems.append(Problem(rel, 1, col, "missing column"))
        bad_header = True
    for col in header:
        if col in renamed:
            problems.append(Problem(rel, 1, col, renamed_message(renamed[col])))
            bad_header = True
        elif col not in expected:
            problems.append(Problem(rel, 1, col or "(blank)", f"unknown column; expected: {', '.join(expected)}"))
            bad_header = True
    if bad_header:
        return []
    out: list[tuple[int, R]] = []
    line = reader.line_num + 1
    n_rows = 0

    def _broken(row: list[str], failed: set[str]) -> None:
        if broken is None:
            return
        raw = dict(zip(header, row))
        if "id" in raw:
            broken.ids.add(raw["id"].strip())
        broken.rows.append((start, raw, failed))

    try:
        for n, row in enumerate(reader):
            start, line = line, reader.line_num + 1
            if n >= MAX_ROWS:
                problems.append(Problem(rel, start, None, f"more than {MAX_ROWS} rows: the limit for one table"))
                break
            if not row or all(not c.strip() for c in row):
                continue
            n_rows += 1
            if len(row) != len(header):
                _broken(row, set(header))
                sep = {",": "commas", ";": "semicolons", "\t": "tabs"}[delim]
                problems.append(
                    Problem(rel, start, None, f"has {len(row)} fields, the header has {len(header)}; check {sep} and quotes")
                )
                continue
            raw = dict(zip(header, row))
            try:
                out.append((start, model.model_validate(raw, context=context)))
            except ValidationError as exc:
                found = list(_row_problems(exc, rel, start))
                failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
                ran_rules = any(isinstance((e.get("ctx") or {}).get("error"), m.RowErrors) for e in exc.errors())
                rules = getattr(model, "row_rules", None)
                if rules and not ran_rules:  # the row's own rules, on the cells that are valid
                    for fe in rules(_partial_values(model, raw, failed, context)):
                        found.append(Problem(rel, start, fe.column, fe.message))
                        failed.add(fe.column)
                _broken(row, failed)
                problems.extend(found)
    except csv.Error as e:
        msg = str(e)
        if "unexpected end of data" in msg:
            msg = 'a quoted cell is never closed (unbalanced "): the file may have been cut while saving'
        problems.append(Problem(rel, line, None, f"unreadable CSV: {msg}"))
        return out
    if n_rows == 0:
        problems.append(Problem(rel, 2, None, "no data rows: the file has a header row only"))
    return out


def _yaml_locator(node: yaml.Node) -> Callable[[Loc], int]:
    """Map a pydantic ``loc`` to the 1-based line of that key in the YAML source."""

    def find(loc: Loc) -> int:
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


def read_yaml(
    path: Path,
    rel: str,
    model: type[R],
    problems: list[Problem],
    warnings: list[Problem],
    context: dict[str, Any] | None = None,
) -> R | None:
    dec = _read_text(path, rel, MAX_FILE_BYTES, problems, warnings)
    if dec is None or _half_saved(dec.text, rel, problems):
        return None
    text = dec.text
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problems.append(
            Problem(
                rel,
                mark.line + 1 if mark else None,
                None,
                f"invalid YAML: {getattr(e, 'problem', None) or e}; "
                "check quotes, colons and indentation on this line or the lines above",
            )
        )
        return None
    except RecursionError:
        problems.append(Problem(rel, None, None, NESTED_TOO_DEEP))
        return None
    if not isinstance(doc, dict):
        problems.append(Problem(rel, 1, None, "expected a mapping of keys to values"))
        return None
    try:
        return model.model_validate(doc, context=context)
    except ValidationError as exc:
        problems.extend(_row_problems(exc, rel, None, _yaml_locator(node) if node is not None else None, model))
        return None
    except RecursionError:
        problems.append(Problem(rel, None, None, NESTED_TOO_DEEP))
        return None


NESTED_TOO_DEEP = "nested too deeply to be read (lists or mappings inside each other hundreds of levels deep)"


# --------------------------------------------------------------------------- geo


def _feature_problems(
    rel: str, i: int, feat: object, kind: str, bbox: tuple[float, float, float, float]
) -> tuple[list[Problem], Any]:  # Any: a shapely geometry (shapely is untyped)
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
        out.append(Problem(rel, where, "geometry", f"{geom.geom_type} where a {' or '.join(sorted(allowed))} is expected"))
    if geom.is_empty:
        out.append(Problem(rel, where, "geometry", "empty geometry"))
        return out, geom
    x0, y0, x1, y1 = geom.bounds
    if not all(map(math.isfinite, (x0, y0, x1, y1))) or max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
        out.append(
            Problem(
                rel,
                where,
                "geometry",
                f"coordinates ({x0:.10g}, {y0:.10g}) are not lon/lat degrees: GeoJSON must be WGS84 (EPSG:4326)",
            )
        )
        return out, geom
    b0, b1, b2, b3 = bbox
    if x0 < b0 or y0 < b1 or x1 > b2 or y1 > b3:
        out.append(
            Problem(
                rel,
                where,
                "geometry",
                f"extends outside the region (lon {b0}–{b2}, lat {b1}–{b3}): bounds {x0:.4f}, {y0:.4f}, {x1:.4f}, {y1:.4f}",
            )
        )
    if not geom.is_valid:
        reason = re.sub(r"\[(\S+) (\S+)\]$", r" at lon \1, lat \2", shapely.is_valid_reason(geom))
        out.append(
            Problem(
                rel,
                where,
                "geometry",
                f"invalid geometry: {reason}; repair the outline (e.g. QGIS 'Fix geometries' or shapely.make_valid)",
            )
        )
    return out, geom


# What the figure code reads from a feature's properties, beyond the geometry (figures.py):
# every layer: properties is an object; ``area_km2`` (hover, summary, table) a number when present;
# control: ``kind`` and the date field; settlements: ``id`` (places.csv), ``kind``, ``name_*`` as text.
TEXT_PROPERTIES = {"settlements": ("id", "kind", "name_en", "name_fr", "name_local")}


MAX_PROPERTY_DEPTH = 16  # properties are flat in practice; deep ones would break the figure's serialisation


def _depth(value: object) -> int:
    """Nesting depth of a JSON value, without recursion (the value may be thousands of levels deep)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, d)
            if deepest > MAX_PROPERTY_DEPTH:
                return deepest
            stack.extend((x, d + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def _property_problems(
    rel: str, i: int, props: object, layer: m.Layer, window: tuple[dt.date, dt.date] | None = None
) -> list[Problem]:
    where = f"feature {i + 1}"
    if not isinstance(props, dict):
        shown = "null" if props is None else type(props).__name__
        return [
            Problem(
                rel,
                where,
                "properties",
                f"properties is {shown}; it must be an object {{…}} (the map reads the date, kind, area and names from it)",
            )
        ]
    if _depth(props) > MAX_PROPERTY_DEPTH:
        return [Problem(rel, where, "properties", NESTED_TOO_DEEP)]
    out = []
    if layer.date_field:
        try:
            m.date_in_window(m._iso_date(str(props.get(layer.date_field, ""))), window, "dates")
        except ValueError as e:
            out.append(Problem(rel, where, layer.date_field, str(e)))
    if layer.kind == "control" and props.get("kind") not in m.CONTROL_KINDS:
        out.append(Problem(rel, where, "kind", f"'{props.get('kind')}' is not one of: {', '.join(m.CONTROL_KINDS)}"))
    area = props.get("area_km2")
    if area is not None and (isinstance(area, bool) or not isinstance(area, (int, float)) or not math.isfinite(area) or area < 0):
        out.append(Problem(rel, where, "area_km2", "must be a number of km² (digits, no quotes), 0 or more"))
    for key in TEXT_PROPERTIES.get(layer.kind, ()):
        if props.get(key) is not None and not isinstance(props[key], str):
            out.append(Problem(rel, where, key, "must be text (in quotes)"))
    return out


def read_geojson(
    path: Path,
    rel: str,
    layer: m.Layer,
    bbox: tuple[float, float, float, float],
    problems: list[Problem],
    warnings: list[Problem],
    window: tuple[dt.date, dt.date] | None = None,
) -> JSON | None:
    dec = _read_text(path, rel, MAX_GEO_BYTES, problems, warnings)
    if dec is None:
        return None
    text = dec.text
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        cut = "; the file ends too early (cut off while copying?)" if e.pos >= len(text.rstrip()) else ""
        problems.append(Problem(rel, e.lineno, f"col {e.colno}", f"invalid JSON: {e.msg}{cut}"))
        return None
    except RecursionError:
        problems.append(Problem(rel, None, None, NESTED_TOO_DEEP))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(rel, None, None, "not a GeoJSON FeatureCollection"))
        return None
    crs = doc.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", crs)) if isinstance(crs, dict) else str(crs)
        if not any(tag in name.upper() for tag in ("CRS84", "EPSG::4326", "EPSG:4326")):
            problems.append(Problem(rel, None, "crs", f"CRS is {name[:60]}; GeoJSON must be WGS84 lon/lat (EPSG:4326)"))
            return None
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        problems.append(Problem(rel, None, "features", "no features"))
        return None
    if len(feats) > MAX_ROWS:
        problems.append(Problem(rel, None, "features", f"{len(feats)} features; the limit is {MAX_ROWS} per layer"))
        return None
    before = len(problems)
    vertices = 0
    for i, feat in enumerate(feats):
        try:
            probs, geom = _feature_problems(rel, i, feat, layer.kind, bbox)
        except RecursionError:
            probs, geom = [Problem(rel, f"feature {i + 1}", "geometry", NESTED_TOO_DEEP)], None
        problems.extend(probs)
        if geom is not None:
            vertices += shapely.get_num_coordinates(geom)
        if isinstance(feat, dict):
            problems.extend(_property_problems(rel, i, feat.get("properties"), layer, window))
    if vertices > MAX_VERTICES:
        problems.append(
            Problem(
                rel,
                None,
                "geometry",
                f"{vertices} vertices in this layer; the limit is {MAX_VERTICES}: simplify it "
                "(e.g. QGIS 'Simplify' or shapely simplify, 20–50 m)",
            )
        )
    if layer.kind == "control" and len(problems) == before:
        seen: dict[tuple[str, str], int] = {}
        for i, feat in enumerate(feats):
            key = (feat["properties"][layer.date_field], feat["properties"]["kind"])
            if key in seen:
                problems.append(
                    Problem(
                        rel, f"feature {i + 1}", None, f"second snapshot for {key[0]} {key[1]} (first is feature {seen[key]})"
                    )
                )
            seen.setdefault(key, i + 1)
    return doc if len(problems) == before else None


def _index_by_date(doc: JSON, date_field: str) -> dict[dt.date, JSON]:
    by: dict[dt.date, list[JSON]] = {}
    for feat in doc["features"]:
        by.setdefault(dt.date.fromisoformat(feat["properties"][date_field]), []).append(feat)
    return {d: {"type": "FeatureCollection", "features": fs} for d, fs in sorted(by.items())}


# --------------------------------------------------------------------------- areas

AREA_CRS = "EPSG:6933"  # equal-area (WGS 84 / NSIDC EASE-Grid 2.0 Global): the CRS of the source figures
AREA_COLUMNS = ("date", "ua_controlled_km2", "grey_zone_km2", "ua_plus_grey_km2", "snapshot_utc")


def polygon_areas_km2(geometries: Iterable[JSON]) -> list[float]:
    """Areas of GeoJSON geometries (WGS84) in km², measured in an equal-area CRS, to 0.1 km²."""
    import geopandas as gpd
    from shapely.geometry import shape

    geoms = [shape(g) for g in geometries]
    if not geoms:
        return []
    return [round(float(a), 1) for a in gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(AREA_CRS).area / 1e6]


def complete_areas(areas: pd.DataFrame, by_date: dict[dt.date, JSON]) -> pd.DataFrame:
    """The area table, with every control date it lacks computed from the geometry (and every
    feature without ``area_km2`` given its computed area). The table's own rows are kept as
    published; see geo/README.md for how far computed and published areas agree."""
    have = set(areas["date"]) if not areas.empty else set()
    todo = [
        (d, f) for d, fc in by_date.items() for f in fc["features"] if d not in have or f["properties"].get("area_km2") is None
    ]
    if not todo:
        return areas
    computed = polygon_areas_km2(f["geometry"] for _, f in todo)
    new: dict[dt.date, JSON] = {}
    for (d, f), a in zip(todo, computed):
        if f["properties"].get("area_km2") is None:
            f["properties"]["area_km2"] = a
        if d not in have:
            row = new.setdefault(d, {"date": d, "ua_controlled_km2": 0.0, "grey_zone_km2": 0.0, "snapshot_utc": None})
            row[f"{f['properties']['kind']}_km2"] += a
    for row in new.values():
        row["ua_plus_grey_km2"] = round(row["ua_controlled_km2"] + row["grey_zone_km2"], 1)
    added = pd.DataFrame(list(new.values()), columns=list(AREA_COLUMNS))
    out = added if areas.empty else pd.concat([areas, added], ignore_index=True)
    return out.sort_values("date", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- bundle


def _of(rows: Rows, model: type[R]) -> list[tuple[int, R]]:
    """The rows of one file as records of their own model (every row of a file is one)."""
    return [(line, rec) for line, rec in rows if isinstance(rec, model)]


def _ids(rows: Rows, col: str = "id") -> set[str]:
    return {str(getattr(rec, col)) for _, rec in rows}


def _unique(rows: Rows, key: str, rel: str, problems: list[Problem], col: str = "id") -> None:
    first: dict[object, int] = {}
    for line, rec in rows:
        k = getattr(rec, key)
        if k in first:
            problems.append(Problem(rel, line, col, f"duplicate {col} '{k}' (first on line {first[k]})"))
        else:
            first[k] = line


def _check_refs(
    rows: Rows, rel: str, col: str, known: set[str], what: str, problems: list[Problem], broken: Broken | None = None
) -> None:
    for line, rec in rows:
        vals = getattr(rec, col)
        for v in vals if isinstance(vals, tuple) else (vals,):
            if v is not None and v not in known:
                problems.append(Problem(rel, line, col, f"unknown {what} '{v}': not an id in {what}s.csv"))
    for line, raw, failed in broken.rows if broken else ():  # rows that failed their own checks
        if col in failed or col not in raw:
            continue
        for v in raw[col].split():
            if v not in known:
                problems.append(Problem(rel, line, col, f"unknown {what} '{v}': not an id in {what}s.csv"))


def _unique_broken(rows: Rows, broken: Broken, rel: str, problems: list[Problem], col: str = "id") -> None:
    """Duplicate ids among rows that failed their own checks, too (an id is still an id)."""
    first = {str(getattr(rec, col)): line for line, rec in rows}
    for line, raw, failed in broken.rows:
        k = (raw.get(col) or "").strip()
        if not k or col in failed:
            continue
        if k in first and first[k] < line:
            problems.append(Problem(rel, line, col, f"duplicate {col} '{k}' (first on line {first[k]})"))
        elif k in first:
            problems.append(Problem(rel, first[k], col, f"duplicate {col} '{k}' (first on line {line})"))
        else:
            first[k] = line


SAME_PLACE_DEG = 0.02  # about 1.4 km east-west and 2.2 km north-south here


def _check_settlements(
    doc: JSON, grel: str, place_rows: Sequence[tuple[int, m.Place]], prel: str, problems: list[Problem], warnings: list[Problem]
) -> None:
    """A settlement drawn on the map and the place of the same id in places.csv (where events are
    pinned) must be the same point; a settlement that places.csv does not know is only a warning."""
    places = {rec.id: (line, rec) for line, rec in place_rows}
    for i, feat in enumerate(doc["features"]):
        pid = (feat.get("properties") or {}).get("id")
        lon, lat = feat["geometry"]["coordinates"][:2]
        if pid not in places:
            warnings.append(
                Problem(
                    grel, f"feature {i + 1}", "id", f"settlement '{pid}' has no row in places.csv: events cannot be pinned to it"
                )
            )
            continue
        line, rec = places[pid]
        if rec.lon is None or rec.lat is None:
            continue
        for col, mine, theirs in (("lon", rec.lon, lon), ("lat", rec.lat, lat)):
            if abs(mine - theirs) > SAME_PLACE_DEG:
                problems.append(
                    Problem(
                        prel,
                        line,
                        col,
                        f"{col} {mine} of '{pid}' is {abs(mine - theirs):.3f}° away "
                        f"from {grel} feature {i + 1} ({col} {theirs}): the map would show it twice",
                    )
                )


# A date an editor typed as YYYY-MM-DD in a text readers see (the date columns are the place for that
# form); dates inside URLs are left alone.
ISO_DATE_IN_PROSE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
_URL_IN_TEXT = re.compile(r"https?://\S+")
PROSE_FIELDS = ("excerpt",)  # prose that is not one of a translated pair (those end in _fr / _en)


def is_prose(name: str) -> bool:
    """A field readers see as running text: every translated field, and the article's excerpts."""
    return name.endswith(("_fr", "_en")) or name in PROSE_FIELDS


def _iso_date_message(found: list[str]) -> str:
    shown = ", ".join(f"'{d}'" for d in found)
    try:
        day = dt.date.fromisoformat(found[0])
    except ValueError:
        return f"{shown} in a text readers see: write the date in words"
    fr, en = i18n.date(day, "fr-CH"), i18n.date(day, "en")
    return f"{shown} in a text readers see: write the date in words, e.g. « {fr} » / '{en}' (YYYY-MM-DD is for date columns)"


def _prose_dates(
    rec: BaseModel, rel: str, where: Callable[[tuple[int | str, ...]], int | str | None], loc: tuple[int | str, ...] = ()
) -> Iterable[Problem]:
    """A warning for every prose field of ``rec`` (nested records included) holding an ISO date."""
    for name, value in rec:
        path = (*loc, name)
        if isinstance(value, BaseModel):
            yield from _prose_dates(value, rel, where, path)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _prose_dates(item, rel, where, (*path, i))
        elif isinstance(value, str) and is_prose(name):
            found = ISO_DATE_IN_PROSE.findall(_URL_IN_TEXT.sub(" ", value))
            if found:
                yield Problem(rel, where(path), ".".join(map(str, path)), _iso_date_message(found))


def _on_line(line: int) -> Callable[[Loc], int]:
    """Every field of a CSV row is on the row's line."""
    return lambda _loc: line


def _yaml_lines(raw: bytes | None) -> Callable[[tuple[int | str, ...]], int | None]:
    """The line of a key path in a YAML file already read (parsed again only when asked)."""

    def line(loc: tuple[int | str, ...]) -> int | None:
        if raw is None:
            return None
        try:
            node = yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
        except (UnicodeDecodeError, yaml.YAMLError):
            return None
        return _yaml_locator(node)(loc) if node is not None else None

    return line


def content_hash(paths: Iterable[Path]) -> str:
    """Short hash of the files' names and bytes; an unreadable file hashes as its error, never raises."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        try:
            h.update(_open_read(p, MAX_GEO_BYTES + 1))
        except OSError as e:
            h.update(f"<unreadable {e.errno}>".encode())
    return h.hexdigest()[:12]


def sources_hash(sources: dict[Path, bytes]) -> str:
    """:func:`content_hash` of bytes already read (the same value for the same files)."""
    h = hashlib.sha256()
    for p in sorted(sources):
        h.update(p.name.encode())
        h.update(sources[p])
    return h.hexdigest()[:12]


_LAYER_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.(geojson|json|csv)$")  # as m.Layer.file: no folder part


def watched_files(data_dir: Path, geo_dir: Path) -> list[Path]:
    """Every file the bundle depends on (for fingerprints and hashes). Never raises."""
    files = [data_dir / f for f in (*DATA_FILES, ARTICLE_FILE, SITE_FILE)] + [geo_dir / MANIFEST_FILE]
    try:
        mpath = geo_dir / MANIFEST_FILE
        if _open_problem(mpath, MANIFEST_FILE) is None and mpath.stat().st_size <= MAX_FILE_BYTES:
            man = yaml.safe_load(mpath.read_bytes().decode("utf-8-sig"))
            for lyr in man.get("layers", []):
                for key in ("file", "areas_file"):
                    if isinstance(lyr, dict) and isinstance(lyr.get(key), str) and _LAYER_FILE.match(lyr[key]):
                        files.append(geo_dir / lyr[key])
    except Exception:  # the manifest's own problems are reported by load_bundle
        pass
    return files


def load_bundle(data_dir: Path | str, geo_dir: Path | str, sources: dict[Path, bytes] | None = None) -> Bundle:
    """Read, validate and index everything; raise :class:`DataError` listing every problem.

    ``sources``, if given, receives the bytes of every file as read (what validated, if it did)."""
    record: dict[Path, bytes] = {} if sources is None else sources
    token = _SOURCES.set(record)
    try:
        return _load_bundle(Path(data_dir), Path(geo_dir), record)
    finally:
        _SOURCES.reset(token)


def _load_bundle(data_dir: Path, geo_dir: Path, record: dict[Path, bytes]) -> Bundle:
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def rel(folder: Path, name: str) -> str:
        return f"{folder.name}/{name}"

    today = dt.date.today()
    site = read_yaml(data_dir / SITE_FILE, rel(data_dir, SITE_FILE), m.Site, problems, warnings)
    window = site.dates.resolve(today) if site is not None else None
    ctx = {"window": window, "window_rule": "dates"}
    broken: dict[str, Broken] = {f: Broken() for f in DATA_FILES}  # rows present but invalid
    rows: dict[str, Rows] = {
        f: read_csv(data_dir / f, rel(data_dir, f), mdl, problems, warnings, broken[f], ctx) for f, mdl in DATA_FILES.items()
    }
    claim_rows, place_rows = _of(rows["claims.csv"], m.Claim), _of(rows["places.csv"], m.Place)
    article = read_yaml(data_dir / ARTICLE_FILE, rel(data_dir, ARTICLE_FILE), m.Article, problems, warnings, ctx)
    for line, ch in _of(rows["changelog.csv"], m.ChangelogEntry):
        if ch.date > today:
            problems.append(
                Problem(
                    rel(data_dir, "changelog.csv"),
                    line,
                    "date",
                    f"date {ch.date.isoformat()} is in the future: a correction is dated the day it is made",
                )
            )

    claimants = {r.id: r for _, r in _of(rows["claimants.csv"], m.Claimant)}
    claims = {r.id: r for _, r in claim_rows}
    events = {r.id: r for _, r in _of(rows["events.csv"], m.Event)}
    places = {r.id: r for _, r in place_rows}
    for f in ("claimants.csv", "claims.csv", "events.csv", "places.csv"):
        _unique(rows[f], "id", rel(data_dir, f), problems)
        _unique_broken(rows[f], broken[f], rel(data_dir, f), problems)
    _unique(rows["story.csv"], "step", rel(data_dir, "story.csv"), problems, col="step")
    for src, col, target, what in REFERENCES:
        if rows[target] or broken[target].rows:  # a missing/unreadable target file is reported once, not per reference
            known = _ids(rows[target]) | broken[target].ids
            _check_refs(rows[src], rel(data_dir, src), col, known, what, problems, broken[src])
    if article is not None and rows["claims.csv"]:
        arel = rel(data_dir, ARTICLE_FILE)
        cited: set[str] = set()
        article_line = _yaml_lines(record.get(data_dir / ARTICLE_FILE))  # parsed again only when there is a problem

        def aline(i: int) -> int | None:  # line of claims[i].claim_ids
            return article_line(("claims", i, "claim_ids"))

        for i, ac in enumerate(article.claims):
            for cid in ac.claim_ids:
                cited.add(cid)
                if cid in broken["claims.csv"].ids:
                    continue
                if cid not in claims:
                    problems.append(
                        Problem(arel, aline(i), f"claims.{ac.id}.claim_ids", f"unknown claim '{cid}': not an id in claims.csv")
                    )
                elif not claims[cid].in_article:
                    problems.append(
                        Problem(
                            arel,
                            aline(i),
                            f"claims.{ac.id}.claim_ids",
                            f"claim '{cid}' is cited but marked in_article=no in claims.csv",
                        )
                    )
        if article.lead is not None:
            for i, cmp in enumerate(article.lead.compare):
                for j, cid in enumerate((cmp.claim, *cmp.known)):
                    col = "claim" if j == 0 else "known"
                    loc: Loc = ("lead", "compare", i, col) if j == 0 else ("lead", "compare", i, "known", j - 1)
                    if cid in broken["claims.csv"].ids:
                        continue
                    if cid not in claims:
                        problems.append(
                            Problem(
                                arel,
                                article_line(loc),
                                f"lead.compare.{i}.{col}",
                                f"unknown claim '{cid}': not an id in claims.csv",
                            )
                        )
                    elif j == 0 and cid not in cited:
                        problems.append(
                            Problem(
                                arel,
                                article_line(loc),
                                f"lead.compare.{i}.claim",
                                f"claim '{cid}' is not one of the article's claims (claims.*.claim_ids)",
                            )
                        )
                    elif j > 0 and cmp.claim in claims and claims[cid].measure != claims[cmp.claim].measure:
                        problems.append(
                            Problem(
                                arel,
                                article_line(loc),
                                f"lead.compare.{i}.known",
                                f"claim '{cid}' measures {claims[cid].measure}, the compared figure "
                                f"{claims[cmp.claim].measure}: one row compares one measure",
                            )
                        )
                    elif j > 0 and claims[cid].date > article.published:
                        problems.append(
                            Problem(
                                arel,
                                article_line(loc),
                                f"lead.compare.{i}.known",
                                f"claim '{cid}' is dated {claims[cid].date.isoformat()}, after the "
                                "article: 'known' lists what was known on the article's day",
                            )
                        )
        for line, c in claim_rows:
            if c.in_article and c.id not in cited:
                problems.append(
                    Problem(
                        rel(data_dir, "claims.csv"),
                        line,
                        "in_article",
                        f"claim '{c.id}' is marked in_article=yes but {ARTICLE_FILE} does not cite it",
                    )
                )

    manifest = read_yaml(geo_dir / MANIFEST_FILE, rel(geo_dir, MANIFEST_FILE), m.GeoManifest, problems, warnings)
    layers: dict[str, JSON] = {}
    control: dict[str, dict[dt.date, JSON]] = {}
    areas = pd.DataFrame()
    if manifest is not None:
        mrel = rel(geo_dir, MANIFEST_FILE)

        manifest_line = _yaml_lines(record.get(geo_dir / MANIFEST_FILE))  # parsed again only for a problem

        def mline(*loc: int | str) -> int | None:  # line of a key in the manifest
            return manifest_line(loc)

        bbox = manifest.region.bbox
        first_id: dict[str, int] = {}
        for i, lyr in enumerate(manifest.layers):
            if lyr.id in first_id:
                problems.append(
                    Problem(
                        mrel,
                        mline("layers", i, "id"),
                        f"layers.{i}.id",
                        f"duplicate layer id '{lyr.id}' (first is layers.{first_id[lyr.id]})",
                    )
                )
            first_id.setdefault(lyr.id, i)
        for i, lyr in enumerate(manifest.layers):
            if lyr.kind in DATED_KINDS and not lyr.date_field:
                problems.append(
                    Problem(
                        mrel, mline("layers", i, "kind"), f"layers.{i}.date_field", f"a '{lyr.kind}' layer needs a date_field"
                    )
                )
                continue
            if lyr.date_field and lyr.kind not in DATED_KINDS:
                problems.append(
                    Problem(
                        mrel,
                        mline("layers", i, "date_field"),
                        f"layers.{i}.date_field",
                        f"only {' and '.join(DATED_KINDS)} layers are dated; a '{lyr.kind}' layer needs date_field: null",
                    )
                )
                continue
            doc = read_geojson(geo_dir / lyr.file, rel(geo_dir, lyr.file), lyr, bbox, problems, warnings, window)
            if doc is None:
                continue
            if lyr.date_field:
                control[lyr.id] = _index_by_date(doc, lyr.date_field)
            else:
                layers[lyr.id] = doc
            if lyr.kind == "settlements" and rows["places.csv"]:
                _check_settlements(doc, rel(geo_dir, lyr.file), place_rows, rel(data_dir, "places.csv"), problems, warnings)
            if lyr.areas_file:
                arows = read_csv(geo_dir / lyr.areas_file, rel(geo_dir, lyr.areas_file), AreaRow, problems, warnings, context=ctx)
                _unique(arows, "date", rel(geo_dir, lyr.areas_file), problems, col="date")
                areas = pd.DataFrame([r.model_dump() for _, r in arows])
        if not any(lyr.kind == "control" for lyr in manifest.layers):
            problems.append(Problem(mrel, mline("layers"), "layers", "no layer of kind 'control'"))
        main = next((lyr.id for lyr in manifest.layers if lyr.kind == "control" and lyr.id in control), None)
        if main is not None and not problems:
            areas = complete_areas(areas, control[main])

    for f in DATA_FILES:
        for line, rec in rows[f]:
            warnings.extend(_prose_dates(rec, rel(data_dir, f), _on_line(line)))
    documents: tuple[tuple[BaseModel | None, Path, str], ...] = (
        (article, data_dir, ARTICLE_FILE),
        (site, data_dir, SITE_FILE),
        (manifest, geo_dir, MANIFEST_FILE),
    )
    for document, folder, name in documents:
        if document is not None:
            warnings.extend(_prose_dates(document, rel(folder, name), _yaml_lines(record.get(folder / name))))

    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.path, _sort_row(p.row), p.column or "")))
    # each of these reported a problem when it could not be read
    assert article is not None and site is not None and manifest is not None

    claims_t = tuple(sorted(claims.values(), key=lambda c: (c.date, c.id)))
    return Bundle(
        claimants=claimants,
        claims=claims_t,
        events=tuple(sorted(events.values(), key=lambda e: (e.date, e.id))),
        places=places,
        story=tuple(sorted((r for _, r in _of(rows["story.csv"], m.StoryStep)), key=lambda s: s.step)),
        changelog=tuple(sorted((r for _, r in _of(rows["changelog.csv"], m.ChangelogEntry)), key=lambda c: c.date, reverse=True)),
        article=article,
        site=site,
        manifest=manifest,
        layers=layers,
        control=control,
        areas=areas,
        version=sources_hash(record),
        warnings=tuple(warnings),
        claims_df=claims_frame(claims_t, claimants),
    )


def _sort_row(row: int | str | None) -> tuple[int, int, str]:
    if isinstance(row, int):
        return (0, row, "")
    return (1, 0, str(row or ""))


def claims_frame(claims: Iterable[m.Claim], claimants: dict[str, m.Claimant]) -> pd.DataFrame:
    """One row per claim, with claimant names and side, for figures and tables."""
    recs = []
    for c in claims:
        who = claimants.get(c.claimant)
        recs.append(
            {
                **c.model_dump(),
                "claimant_fr": who.name_fr if who else c.claimant,
                "claimant_en": who.name_en if who else c.claimant,
                "side": who.side if who else "other",
            }
        )
    df = pd.DataFrame(recs)
    if not df.empty:
        df["date"] = pd.to_datetime(df["date"])
    return df
