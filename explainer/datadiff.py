"""``python -m explainer diff``: what an edit changes, before it is published.

Compares the working ``data/`` and ``geo/`` with the last committed version (``git show REV:path``,
default ``HEAD``) or with another folder holding ``data/`` and ``geo/``. For each file: records
added, removed and changed (CSV rows keyed by ``id``, ``step`` or ``date``; article claims and
manifest layers by ``id``; dated features by date and kind), changed fields with their values
before and after, then the views that change and a warning when data changed without a new
changelog row. Files are compared as text records, so an invalid edit can be reviewed too.

Exit codes: 0 no change, 1 changes found, 2 usage error (unknown revision, not a git checkout,
missing folder).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from . import load as L
from .ui.registry import view_ids

ALL_VIEWS = view_ids()  # every view (one file each in pages/)
# Which views show each file (the figures and pages that read it).
VIEWS = {
    "claims.csv": ("casualties", "area", "sources", "story"),
    "claimants.csv": ("casualties", "area", "sources", "story"),
    "events.csv": ("timeline", "map", "story"),
    "places.csv": ("map", "timeline"),
    "story.csv": ("story",),
    "changelog.csv": ("sources",),
    "rereports.csv": ("sources",),
    "article.yaml": ("story", "sources"),
    "site.yaml": ALL_VIEWS + ("area",),  # texts and the date window every view relies on
    "manifest.yaml": ("map", "area", "sources"),
}
LAYER_VIEWS = {"control": ("map", "area"), "advances": ("map",)}
MAX_SHOWN = 100  # characters of a value shown before and after


class DiffError(Exception):
    """A usage error: the comparison could not be set up."""


@dataclass
class FileDiff:
    path: str  # e.g. data/claims.csv
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # key -> (field, before, after)
    added_rows: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> the added record, field by field
    removed_rows: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> the removed record
    note: str | None = None  # a file that cannot be compared record by record

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.note)


# --------------------------------------------------------------------------- reading records


def _text(raw: bytes | None) -> str | None:
    if raw is None:
        return None
    for enc in ("utf-8-sig", "cp1252", "mac_roman"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def _csv_records(raw: bytes | None, name: str) -> dict[str, dict[str, str]]:
    text = _text(raw)
    if not text:
        return {}
    model = L.DATA_FILES.get(name)
    expected = list(model.model_fields) if model else []
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=L._delimiter(text, expected)))
    if not rows:
        return {}
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    key = next((k for k in ("id", "step") if k in header), None)
    out: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        rec = dict(zip(header, (c.strip() for c in row)))
        if key:
            k = rec.get(key, "")
        elif "date" in header:  # changelog, area table: the date, numbered when it repeats
            d = rec.get("date", "")
            seen[d] = seen.get(d, 0) + 1
            k = d if seen[d] == 1 else f"{d} #{seen[d]}"
        else:
            k = str(len(out) + 1)
        out[k] = rec
    return out


def _flat(value: object) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else str(value)


def _yaml_records(raw: bytes | None, name: str) -> dict[str, dict[str, str]]:
    try:
        doc = yaml.safe_load(_text(raw) or "") or {}
    except (yaml.YAMLError, RecursionError):
        return {"(file)": {"content": "unreadable YAML"}}
    if not isinstance(doc, dict):
        return {}
    listed = "claims" if name == L.ARTICLE_FILE else "layers"
    out = {"(file)": {k: _flat(v) for k, v in doc.items() if k != listed}}
    for i, item in enumerate(doc.get(listed) or []):
        if isinstance(item, dict):
            out[str(item.get("id", f"#{i + 1}"))] = {k: _flat(v) for k, v in item.items()}
    return out


def _geo_records(raw: bytes | None, date_field: str | None) -> dict[str, dict[str, str]]:
    try:
        doc = json.loads(_text(raw) or "{}")
    except (json.JSONDecodeError, RecursionError):
        return {"(file)": {"content": "unreadable JSON"}}
    out: dict[str, dict[str, str]] = {}
    for i, f in enumerate(doc.get("features") or [] if isinstance(doc, dict) else []):
        if not isinstance(f, dict):
            continue
        props: dict[str, Any] = f["properties"] if isinstance(f.get("properties"), dict) else {}
        if date_field:
            k = f"{props.get(date_field)} {props.get('kind', '')}".strip()
        else:
            k = str(props.get("id") or props.get("name_en") or f"feature {i + 1}")
        rec = {p: _flat(v) for p, v in props.items()}
        rec["geometry"] = _flat(f.get("geometry"))
        out[k] = rec
    return out


# --------------------------------------------------------------------------- comparing


def _short(v: str) -> str:
    return repr(v if len(v) <= MAX_SHOWN else v[: MAX_SHOWN - 1] + "…")


def _compare(path: str, before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> FileDiff:
    d = FileDiff(path)
    d.added = [k for k in after if k not in before]
    d.removed = [k for k in before if k not in after]
    d.added_rows = {k: after[k] for k in d.added}
    d.removed_rows = {k: before[k] for k in d.removed}
    for k in after:
        if k in before and after[k] != before[k]:
            fields = []
            for col in dict.fromkeys([*before[k], *after[k]]):
                b, a = before[k].get(col, ""), after[k].get(col, "")
                if a != b:
                    if col == "geometry":
                        fields.append((col, "changed", ""))
                    else:
                        fields.append((col, b, a))
            d.changed[k] = fields
    return d


@dataclass
class Side:
    """One side of the comparison: a file's bytes by folder ("data" or "geo") and name (None = absent)."""

    read: Callable[[str, str], bytes | None]

    def get(self, sub: str, name: str) -> bytes | None:
        return self.read(sub, name)


def _folder_side(data: Path, geo: Path) -> Side:
    def read(sub: str, name: str) -> bytes | None:
        p = (data if sub == "data" else geo) / name
        problems: list[L.Problem] = []
        return L._read_bytes(p, name, L.MAX_GEO_BYTES, problems) if p.exists() else None

    return Side(read)


def _git_side(data: Path, geo: Path, rev: str) -> Side:
    def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)

    top = git("rev-parse", "--show-toplevel", cwd=data)
    if top.returncode != 0:
        raise DiffError(f"{data.name}/ is not in a git checkout: use --against DIR to compare with a folder")
    root = Path(top.stdout.decode().strip())
    if git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=root).returncode != 0:
        raise DiffError(f"unknown git revision '{rev}'")

    def read(sub: str, name: str) -> bytes | None:
        folder = data if sub == "data" else geo
        try:
            relpath = (folder.resolve() / name).relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
        r = git("show", f"{rev}:{relpath}", cwd=root)
        return r.stdout if r.returncode == 0 else None

    return Side(read)


def _layers(side: Side) -> list[dict[str, Any]]:
    try:
        man = yaml.safe_load(_text(side.get("geo", L.MANIFEST_FILE)) or "") or {}
    except (yaml.YAMLError, RecursionError):
        return []
    return [lyr for lyr in (man.get("layers") or []) if isinstance(lyr, dict) and isinstance(lyr.get("file"), str)]


def _kept_version(vid: str) -> Path | None:
    """The folder of a version the desk kept (``python -m explainer desk versions``), if ``vid`` is one."""
    from .desk.publish import versions_dir

    folder = versions_dir() / vid
    return folder if "/" not in vid and not vid.startswith(".") and (folder / "info.json").is_file() else None


def diff(data: Path, geo: Path, against: str = "HEAD") -> list[FileDiff]:
    """Per-file differences between ``against`` (the old side) and the working folders (the new)."""
    data, geo = Path(data), Path(geo)
    if not data.is_dir() or not geo.is_dir():
        raise DiffError(f"no such data or geo folder: {data.name}/, {geo.name}/")
    other = Path(against)
    kept = None if other.is_dir() else _kept_version(against)
    if kept is not None:
        other = kept
    if other.is_dir():
        if not ((other / "data").is_dir() and (other / "geo").is_dir()):
            raise DiffError(f"{other.name}/ must hold a data/ and a geo/ folder to compare with")
        old = _folder_side(other / "data", other / "geo")
    else:
        old = _git_side(data, geo, against)
    new = _folder_side(data, geo)

    out: list[FileDiff] = []
    for name in (*L.DATA_FILES, L.ARTICLE_FILE, L.SITE_FILE):
        b, a = old.get("data", name), new.get("data", name)
        reader = _yaml_records if name.endswith(".yaml") else _csv_records
        out.append(_file_diff(f"{data.name}/{name}", b, a, partial(reader, name=name)))
    out.append(
        _file_diff(
            f"{geo.name}/{L.MANIFEST_FILE}",
            old.get("geo", L.MANIFEST_FILE),
            new.get("geo", L.MANIFEST_FILE),
            partial(_yaml_records, name=L.MANIFEST_FILE),
        )
    )
    layers = {lyr["file"]: lyr for lyr in _layers(old) + _layers(new)}
    for fname, lyr in layers.items():
        if not L._LAYER_FILE.match(fname):
            continue
        b, a = old.get("geo", fname), new.get("geo", fname)
        date_field = lyr.get("date_field")
        out.append(_file_diff(f"{geo.name}/{fname}", b, a, partial(_geo_records, date_field=date_field)))
        areas = lyr.get("areas_file")
        if isinstance(areas, str) and L._LAYER_FILE.match(areas):
            out.append(
                _file_diff(f"{geo.name}/{areas}", old.get("geo", areas), new.get("geo", areas), partial(_csv_records, name=areas))
            )
    return [d for d in out if not d.empty]


def _file_diff(
    path: str, before: bytes | None, after: bytes | None, records: Callable[[bytes | None], dict[str, dict[str, str]]]
) -> FileDiff:
    if before == after:
        return FileDiff(path)
    if before is None or after is None:
        d = _compare(path, records(before) if before else {}, records(after) if after else {})
        d.note = "new file" if before is None else "file removed"
        return d
    d = _compare(path, records(before), records(after))
    if d.empty:
        d.note = "same records; only the layout changed (separator, encoding, line ends, order or spacing)"
    return d


def views_changed(diffs: list[FileDiff], layers: list[dict[str, Any]]) -> list[str]:
    by_file = {lyr["file"]: LAYER_VIEWS.get(str(lyr.get("kind")), ("map",)) for lyr in layers}
    by_file.update({lyr["areas_file"]: ("area",) for lyr in layers if isinstance(lyr.get("areas_file"), str)})
    out: set[str] = set()
    for d in diffs:
        if d.note and d.note.startswith("same records"):
            continue
        name = d.path.split("/", 1)[1]
        out.update(VIEWS.get(name) or by_file.get(name) or ALL_VIEWS)
        if by_file.get(name) or name == L.MANIFEST_FILE:
            out.add("sources")  # layer credits and licences
    return [v for v in ALL_VIEWS + ("area",) if v in out]


def diff_command(data: Path, geo: Path, against: str) -> int:
    diffs = diff(data, geo, against)
    if not diffs:
        print(f"no change against {against}")
        return 0
    for d in diffs:
        counts = f"{len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
        print(f"{d.path}: {counts}" + (f" ({d.note})" if d.note else ""))
        for sign, rows in (("+", d.added_rows), ("-", d.removed_rows)):
            for k, rec in rows.items():
                print(f"  {sign} {k}")
                for col, value in rec.items():
                    if value:  # empty cells left out
                        print(f"      {col}: geometry" if col == "geometry" else f"      {col}: {_short(value)}")
        for k, fields in d.changed.items():
            print(f"  ~ {k}")
            for col, b, a in fields:
                print(f"      {col}: geometry changed" if col == "geometry" else f"      {col}: {_short(b)} -> {_short(a)}")
    layers = _layers(_folder_side(Path(data), Path(geo)))
    print("views that change: " + (", ".join(views_changed(diffs, layers)) or "none"))
    log = next((d for d in diffs if d.path.endswith("/changelog.csv")), None)
    if any(not d.path.endswith("/changelog.csv") and not (d.note or "").startswith("same records") for d in diffs) and not (
        log and log.added
    ):
        print("warning: data changed but changelog.csv has no new row; add one if the change is published")
    return 1
