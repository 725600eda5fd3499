"""A staging copy per editor session; uploads land there and nowhere else.

``begin`` copies the live ``data/`` and ``geo/`` folders twice under ``<desk>/staging/<id>/``:
``data/`` + ``geo/`` (what the editor changes) and ``base/data`` + ``base/geo`` (the live files as
they were, the old side of the review's diff), and records the live data version and each live
file's SHA-256 in ``meta.json``, so that publishing can refuse when the live files changed since.

Control snapshots (a GeoJSON or zipped shapefile outline for one date) are added, replaced or
removed in the staged ``geo/`` by ``explainer.desk.snapshots``, the same code as ``add-snapshot``.

Uploads: a ``.xlsx`` workbook (one sheet per data file, the sheet's name the file's stem, e.g.
``claims``; other sheets are ignored and listed) or a ``.csv`` for one data file, named after it
(``claims.csv``, ``claims (2).csv``) or with the target chosen explicitly. An upload's own name
never becomes a path: it only selects one of the known data file names (``DATA_FILES``). Sizes,
types and the workbook's unpacked size are limited before anything is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import secrets
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..load import DATA_FILES, MAX_FILE_BYTES, MAX_ROWS, Bundle, DataError, Problem, content_hash, load_bundle, watched_files
from .store import atomic_write, desk_dir, private_dir

MAX_UPLOAD_BYTES = 10_000_000  # a workbook of every table is ~0.3 MB; ten times the data still fits
MAX_UNPACKED_BYTES = 100_000_000  # a workbook is a zip: refuse a "zip bomb" before openpyxl unpacks it
MAX_ZIP_ENTRIES = 500
STEMS = {Path(name).stem: name for name in DATA_FILES}  # "claims" -> "claims.csv"
_ID = re.compile(r"^[a-z0-9_.-]+-[0-9a-f]{16}$")


class UploadError(ValueError):
    """An upload refused before anything was written. ``code`` names the catalogue key
    ``desk_upload_<code>`` (the page shows it in the editor's language); ``str()`` is English."""

    def __init__(self, code: str, message: str, **kw: object):
        super().__init__(message)
        self.code, self.kw = code, kw


@dataclass
class Uploaded:
    written: list[str] = field(default_factory=list)  # data files whose content changed, e.g. ["claims.csv"]
    unchanged: list[str] = field(default_factory=list)  # data files uploaded with the bytes staged already
    ignored: list[str] = field(default_factory=list)  # sheet names that are no data file


def data_version(data: Path, geo: Path) -> str:
    """The data version: the content hash of every file the bundle reads (the same as ``Bundle.version``
    for valid data; defined for invalid data too)."""
    return content_hash(watched_files(data, geo))


def file_hashes(data: Path, geo: Path) -> dict[str, str]:
    """``{"data/claims.csv": sha256, ...}`` for every file directly in the two folders."""
    out = {}
    for sub, folder in (("data", data), ("geo", geo)):
        for p in sorted(folder.iterdir()) if folder.is_dir() else []:
            if p.is_file():
                out[f"{sub}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def target_for(upload_name: str) -> str | None:
    """The data file an upload's name selects (``"../../claims (2).CSV"`` -> ``"claims.csv"``), or None.
    Only the name's last part is looked at, and only to choose among the known file names."""
    base = re.split(r"[\\/]", upload_name)[-1].strip().lower()
    stem = base.rsplit(".", 1)[0] if "." in base else base
    if stem in STEMS:
        return STEMS[stem]
    for known in sorted(STEMS, key=len, reverse=True):  # "claims (2)", "claims-fixed", "claims_v2"
        if stem.startswith(known) and stem[len(known)] in " -_(.":
            return STEMS[known]
    return None


def kind_of(upload_name: str) -> str:
    base = re.split(r"[\\/]", upload_name)[-1].strip().lower()
    return base.rsplit(".", 1)[-1] if "." in base else ""


@dataclass(frozen=True)
class Staging:
    """One editor's staging folder (see the module's docstring)."""

    root: Path

    @property
    def id(self) -> str:
        return self.root.name

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def geo(self) -> Path:
        return self.root / "geo"

    @property
    def base(self) -> Path:
        """The live files as they were at the start: holds ``data/`` and ``geo/``."""
        return self.root / "base"

    @property
    def meta(self) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads((self.root / "meta.json").read_bytes())
        return doc

    @property
    def editor(self) -> str:
        return str(self.meta["editor"])

    @property
    def live(self) -> tuple[Path, Path]:
        m = self.meta
        return Path(m["live_data"]), Path(m["live_geo"])

    @property
    def base_version(self) -> str:
        return str(self.meta["base_version"])

    def version(self) -> str:
        return data_version(self.data, self.geo)

    # ----------------------------------------------------------------- checking

    def check(self) -> tuple[Bundle | None, list[Problem]]:
        """The staged bundle and no problems, or None and every problem (``load_bundle``'s rules)."""
        try:
            return load_bundle(self.data, self.geo), []
        except DataError as e:
            return None, list(e.problems)

    def live_changes(self) -> list[str]:
        """The live files that changed since staging began (``data/claims.csv``...): empty when none."""
        data, geo = self.live
        then: dict[str, str] = self.meta["files"]
        now = file_hashes(data, geo)
        return sorted(k for k in then.keys() | now.keys() if then.get(k) != now.get(k))

    def row(self, name: str, line: int) -> dict[str, str] | None:
        """The cells of the CSV record that starts on ``line`` of a staged data file (for showing a
        problem's row), or None."""
        if name not in DATA_FILES or not (self.data / name).is_file():
            return None
        text = (self.data / name).read_bytes().decode("utf-8-sig", errors="replace")
        reader = csv.reader(io.StringIO(text, newline=""))
        header: list[str] = []
        start = 1
        try:
            for row in reader:
                if not header:
                    header = row
                elif start == line:
                    return dict(zip(header, row))
                start = reader.line_num + 1
        except csv.Error:
            return None
        return None

    # ----------------------------------------------------------------- uploads

    def upload(self, upload_name: str, raw: bytes, target: str | None = None) -> Uploaded:
        """Write an uploaded ``.xlsx`` or ``.csv`` into the staged ``data/`` (see the module's docstring)."""
        if len(raw) > MAX_UPLOAD_BYTES:
            raise UploadError(
                "too_large",
                f"the file is {len(raw) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB",
                size=round(len(raw) / 1e6, 1),
                limit=MAX_UPLOAD_BYTES // 1_000_000,
            )
        kind = kind_of(upload_name)
        if kind == "xlsx":
            return self._upload_workbook(raw)
        if kind == "csv":
            name = target if target in DATA_FILES else target_for(upload_name)
            if name is None:
                raise UploadError(
                    "unknown_file",
                    f"a CSV is named after its data file: one of {', '.join(DATA_FILES)}",
                    files=", ".join(DATA_FILES),
                )
            if len(raw) > MAX_FILE_BYTES:
                raise UploadError("too_large", "a CSV file may be 5 MB at most", size=round(len(raw) / 1e6, 1), limit=5)
            if raw.startswith(b"PK\x03\x04"):
                raise UploadError("csv_is_workbook", "this file is a workbook saved as .csv: upload it as .xlsx")
            return self._write_all({name: raw}, Uploaded())
        raise UploadError("type", "only .xlsx workbooks and .csv files can be uploaded")

    # ----------------------------------------------------------------- snapshots

    def snapshots(self) -> list[Any]:
        """The staged control snapshots (``explainer.desk.snapshots.Snapshot``), by date and kind."""
        from . import snapshots

        return snapshots.snapshots(self.geo, self.data)

    def snapshot(self, action: str, day: dt.date, kind: str, polygon: Any = None, source: str | None = None) -> str:
        """Add, replace or remove one control snapshot in the staged ``geo/`` (``snapshots.change``)."""
        from . import snapshots

        return snapshots.change(self.geo, self.data, action, day, kind, polygon, source)

    def _write(self, name: str, raw: bytes) -> None:
        assert name in DATA_FILES  # the only names ever written
        atomic_write(self.data / name, raw, mode=0o644)

    def _upload_workbook(self, raw: bytes) -> Uploaded:
        import openpyxl  # imported here: the reader's pages never need it

        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                infos = z.infolist()
        except (zipfile.BadZipFile, ValueError):
            raise UploadError(
                "not_xlsx", "this is not an .xlsx workbook (Excel 2007 or later, or LibreOffice 'Excel 2007-365')"
            ) from None
        if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
            raise UploadError("too_large", "the workbook unpacks to more than 100 MB", size=round(len(raw) / 1e6, 1), limit=100)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException...) for a broken file
            raise UploadError("not_xlsx", "this workbook cannot be read as .xlsx") from None
        out = Uploaded()
        sheets: dict[str, bytes] = {}
        try:
            for ws in wb.worksheets:
                name = STEMS.get(ws.title.strip().lower())
                if name is None:
                    if not ws.title.startswith("_"):  # "_lists": the downloaded workbook's drop-down values
                        out.ignored.append(ws.title)
                    continue
                sheets[name] = _sheet_csv(ws.iter_rows(values_only=True), ws.title)
        finally:
            wb.close()
        if not sheets:
            raise UploadError("no_sheet", f"no sheet is named after a data file ({', '.join(STEMS)})", sheets=", ".join(STEMS))
        return self._write_all(sheets, out)

    def _write_all(self, files: dict[str, bytes], out: Uploaded) -> Uploaded:
        for name, raw in files.items():
            current = self.data / name
            if current.is_file() and current.read_bytes() == raw:
                out.unchanged.append(name)  # the downloaded workbook gives back the very bytes of unedited tables
            else:
                self._write(name, raw)
                out.written.append(name)
        return out


def _cell(v: object) -> str:
    """A workbook cell as the CSV text the validator reads. Cells of the downloaded workbook are text
    already; these rules are for cells a spreadsheet typed anyway (a pasted date, a typed number)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def _sheet_csv(rows: Any, title: str) -> bytes:
    """One sheet as a CSV file (comma, UTF-8, ``\\n``): the header's width, trailing empty rows and
    columns dropped. An empty row inside stays an empty line, so that a problem's line number is the
    sheet's row number."""
    lines: list[list[str]] = []
    width = 0
    for i, row in enumerate(rows):
        cells = [_cell(v) for v in row]
        if i == 0:
            while cells and not cells[-1].strip():
                cells.pop()
            width = len(cells)
            if not width:
                raise UploadError("empty_sheet", f"sheet '{title}' has no header row", sheet=title)
        elif len(lines) > MAX_ROWS + 1:
            raise UploadError("too_many_rows", f"sheet '{title}' has more than {MAX_ROWS} rows", sheet=title, limit=MAX_ROWS)
        extra = cells[width:]
        cells = cells[:width] + [c for c in extra if c.strip()]  # a stray cell right of the header is kept (and reported)
        lines.append(cells + [""] * (width - len(cells)))
    while len(lines) > 1 and not any(c.strip() for c in lines[-1]):
        lines.pop()
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    for cells in lines:
        writer.writerow(cells)
    return buf.getvalue().encode("utf-8")


STALE_SECONDS = 24 * 3600  # a staging folder outlives its session (8 h) by a working day, then goes


def prune(parent: Path, now: float) -> list[str]:
    """Remove the staging folders begun more than ``STALE_SECONDS`` ago (sessions that never logged out)."""
    gone = []
    for folder in parent.iterdir() if parent.is_dir() else []:
        try:
            started = float(json.loads((folder / "meta.json").read_bytes())["started"])
        except (OSError, ValueError, KeyError):
            continue  # not a complete staging folder (one being begun has no meta.json yet)
        if now - started > STALE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder.name)
    return gone


def begin(editor: str, data: Path, geo: Path, root: Path | None = None, clock: Any = time.time) -> Staging:
    """A new staging folder for ``editor``: copies of the live folders and what they held (stale
    folders of earlier sessions are removed first)."""
    parent = private_dir((root if root is not None else desk_dir()) / "staging")
    prune(parent, clock())
    slug = re.sub(r"[^a-z0-9_.-]", "_", editor.lower()).strip(".")[:40] or "editor"  # a name, never a path
    folder = parent / f"{slug}-{secrets.token_hex(8)}"
    tmp = parent / f".{folder.name}.tmp"
    data, geo = Path(data).resolve(), Path(geo).resolve()
    try:
        for dest in (tmp, tmp / "base"):
            shutil.copytree(data, dest / "data", symlinks=True)
            shutil.copytree(geo, dest / "geo", symlinks=True)
        meta = {
            "editor": editor,
            "started": clock(),
            "live_data": str(data),
            "live_geo": str(geo),
            "base_version": data_version(tmp / "base" / "data", tmp / "base" / "geo"),
            "files": file_hashes(tmp / "base" / "data", tmp / "base" / "geo"),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), "utf-8")
        tmp.rename(folder)  # a staging folder exists whole or not at all
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Staging(folder)


def open_staging(staging_id: str, root: Path | None = None) -> Staging | None:
    """An existing staging folder by id (an id that is not one of ours names nothing)."""
    if not _ID.match(staging_id):
        return None
    folder = (root if root is not None else desk_dir()) / "staging" / staging_id
    return Staging(folder) if (folder / "meta.json").is_file() else None


def discard(staging: Staging) -> None:
    shutil.rmtree(staging.root, ignore_errors=True)
