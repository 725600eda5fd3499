"""One process-wide store of validated data, keyed by the files' content.

* unchanged files -> the cached :class:`Bundle` after a ``stat`` of each file
  (no read, no hash);
* changed files   -> re-read and re-validate; a valid result replaces the bundle;
* invalid files   -> the last valid bundle stays in service and the problems are
  reported beside it (``Snapshot.problems``);
* no valid data yet -> ``Snapshot.bundle`` is None and the problems explain why.

Editors' files are only read, never written.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .load import MANIFEST_FILE, Bundle, DataError, Problem, content_hash, load_bundle, watched_files

ROOT = Path(__file__).resolve().parent.parent


def default_dirs() -> tuple[Path, Path]:
    data = Path(os.environ.get("EXPLAINER_DATA_DIR") or ROOT / "data")
    geo = Path(os.environ.get("EXPLAINER_GEO_DIR") or ROOT / "geo")
    return data.resolve(), geo.resolve()


@dataclass(frozen=True)
class Snapshot:
    bundle: Bundle | None          # last valid data, or None if there never was any
    problems: tuple[Problem, ...]     # why the files on disk are not in service (empty if they are)

    @property
    def ok(self) -> bool:
        return not self.problems


class DataStore:
    def __init__(self, data_dir: Path, geo_dir: Path):
        self.data_dir, self.geo_dir = Path(data_dir), Path(geo_dir)
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self._hash: str | None = None
        self._snapshot = Snapshot(None, ())
        self._watched: list[Path] | None = None
        self._manifest_key: tuple | None = None
        self.loads = 0  # how many times files were parsed (for tests and the benchmark)

    def _files(self) -> list[Path]:
        """The watched files; re-listed only when geo/manifest.yaml changes (listing parses it)."""
        try:
            st = (self.geo_dir / MANIFEST_FILE).stat()
            key = (st.st_mtime_ns, st.st_size)
        except OSError:
            key = None
        if key != self._manifest_key or self._watched is None:
            self._watched, self._manifest_key = watched_files(self.data_dir, self.geo_dir), key
        return self._watched

    def _stat(self) -> tuple:
        out = []
        for p in self._files():
            try:
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(p), None, None))
        return tuple(out)

    def get(self) -> Snapshot:
        fp = self._stat()
        if fp == self._fingerprint:
            return self._snapshot
        with self._lock:
            if fp == self._fingerprint:
                return self._snapshot
            digest = content_hash(self._files())
            if digest != self._hash:
                self._snapshot = self._load()
                self._hash = digest
            self._fingerprint = fp
            return self._snapshot

    def _load(self) -> Snapshot:
        self.loads += 1
        try:
            return Snapshot(load_bundle(self.data_dir, self.geo_dir), ())
        except DataError as e:
            return Snapshot(self._snapshot.bundle, tuple(e.problems))
        except Exception as e:  # never let an unexpected reader error take the app down
            return Snapshot(self._snapshot.bundle, (Problem(str(self.data_dir), None, None,
                                                            f"unexpected error while reading: {e!r}"),))


_stores: dict[tuple[Path, Path], DataStore] = {}
_stores_lock = threading.Lock()


def get_store(data_dir: Path | None = None, geo_dir: Path | None = None) -> DataStore:
    """The process-wide store for these folders (one per pair, shared by all sessions)."""
    if data_dir is None or geo_dir is None:
        data_dir, geo_dir = default_dirs()
    key = (Path(data_dir).resolve(), Path(geo_dir).resolve())
    with _stores_lock:
        if key not in _stores:
            _stores[key] = DataStore(*key)
        return _stores[key]
