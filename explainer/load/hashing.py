"""Hashes: the data version (of the validated records), content hashes of the files (change detection),
and the list of files the bundle depends on."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import orjson
import yaml
from pydantic import BaseModel

from .articles import article_files
from .problems import ARTICLE_FILE, DATA_FILES, MANIFEST_FILE, MAX_FILE_BYTES, MAX_GEO_BYTES, SITE_FILE
from .text import _open_problem, _open_read


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


def _plain(value: object) -> object:
    """A record as plain JSON-able data (orjson's ``default`` for :func:`records_hash`)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(type(value).__name__)


def records_hash(tables: dict[str, object]) -> str:
    """The data version: a short hash of the validated records (a canonical JSON, keys sorted), not
    of the bytes. The same records saved again (another separator, a BOM, CRLF, other quoting, the
    spaces a spreadsheet adds, another column order) keep their version; a changed value changes it.
    Records are hashed in the order the bundle keeps them (sorted by id or date where it sorts them)."""
    blob = orjson.dumps(tables, default=_plain, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.sha256(blob).hexdigest()[:12]


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
    files += [path for _, path in article_files(data_dir)[1:]]  # data/articles/<id>.yaml
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
