"""Content hashes of the files read, and the list of files the bundle depends on."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

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
