"""One process-wide store of validated data, keyed by the files' content.

* unchanged files -> the cached :class:`Bundle` after a ``stat`` of each file
  (no read, no hash);
* changed files   -> re-read and re-validate; a valid result replaces the bundle;
* invalid files   -> the last valid bundle stays in service and the problems are
  reported beside it (``Snapshot.problems``);
* no valid data yet -> the last valid files persisted by an earlier run (a snapshot in the cache
  folder, outside data/) are served with the problems beside them; with no snapshot either,
  ``Snapshot.bundle`` is None and the problems explain why;
* any I/O error (unreadable file, folder in place of a file, link out of the folder) is a problem,
  never an exception.

Editors' files are only read, never written. Every failed load is written to the server log
(logger ``explainer.data``) with the full ``file:row:column`` list: readers only see a count.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .load import ARTICLES_DIR, MANIFEST_FILE, Bundle, DataError, Problem, content_hash, load_bundle, sources_hash, watched_files
from .paths import DATA, GEO, ROOT

log = logging.getLogger("explainer.data")
CACHE_KEEP = 8  # persisted snapshots kept (one per pair of data folders; tests make many)


def cache_root() -> Path:
    """Where the last valid files are persisted: $EXPLAINER_CACHE_DIR or ./.cache (git-ignored); read
    at each call (not ``paths.CACHE``, fixed at import) so that a test or a server can set it late."""
    return Path(os.environ.get("EXPLAINER_CACHE_DIR") or ROOT / ".cache")


def default_dirs() -> tuple[Path, Path]:
    data = Path(os.environ.get("EXPLAINER_DATA_DIR") or DATA)
    geo = Path(os.environ.get("EXPLAINER_GEO_DIR") or GEO)
    return data.resolve(), geo.resolve()


@dataclass(frozen=True)
class Snapshot:
    bundle: Bundle | None  # last valid data, or None if there never was any
    problems: tuple[Problem, ...]  # why the files on disk are not in service (empty if they are)
    persisted: bool = False  # the bundle comes from the snapshot persisted by an earlier run

    @property
    def ok(self) -> bool:
        return not self.problems


# (path, mtime in ns, size) of every watched file; None for a file that cannot be stat'ed
Fingerprint = tuple[tuple[str, int | None, int | None], ...]


class DataStore:
    def __init__(self, data_dir: Path, geo_dir: Path):
        self.data_dir, self.geo_dir = Path(data_dir), Path(geo_dir)
        self._lock = threading.Lock()
        self._fingerprint: Fingerprint | None = None
        self._hash: str | None = None
        self._snapshot = Snapshot(None, ())
        self._watched: list[Path] | None = None
        self._manifest_key: tuple[int, int] | None = None
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

    def _stat(self) -> Fingerprint:
        out: list[tuple[str, int | None, int | None]] = []
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
            try:
                digest = content_hash(self._files())
            except Exception:  # content_hash reports I/O errors in the hash; anything else: reload
                log.exception("hashing the data files failed")
                digest = None
            if digest is None or digest != self._hash:
                self._snapshot = self._load()
                self._hash = digest
            self._fingerprint = fp
            return self._snapshot

    def _load(self) -> Snapshot:
        self.loads += 1
        sources: dict[Path, bytes] = {}
        try:
            bundle = load_bundle(self.data_dir, self.geo_dir, sources=sources, previous=self.last_valid)
        except DataError as e:
            problems = tuple(e.problems)
        except Exception as e:  # never let an unexpected reader error take the app down
            log.exception("unexpected error while reading %s and %s", self.data_dir, self.geo_dir)
            problems = (
                Problem(
                    self.data_dir.name,
                    None,
                    None,
                    f"unexpected error while reading ({type(e).__name__}); details in the server log",
                ),
            )
        else:
            self._persist(bundle, sources)
            return Snapshot(bundle, ())
        log.warning(
            "data not valid (%d problem(s)); %s:\n%s",
            len(problems),
            "the last valid data stays in service" if self._snapshot.bundle else "no valid data in memory",
            "\n".join(map(str, problems)),
        )
        if self._snapshot.bundle is not None:
            return Snapshot(self._snapshot.bundle, problems, self._snapshot.persisted)
        persisted = self._restore()
        return Snapshot(persisted, problems, persisted is not None)

    # ------------------------------------------------------------------ persisted last valid files

    def cache_dir(self) -> Path:
        key = hashlib.sha256(f"{self.data_dir}\n{self.geo_dir}".encode()).hexdigest()[:16]
        return cache_root() / "last-valid" / key

    def _persist(self, bundle: Bundle, sources: dict[Path, bytes]) -> None:
        """Write the bytes that just validated to the cache folder (atomically: a new folder renamed
        into place). Never raises: a read-only cache only costs the restart fallback."""
        final = self.cache_dir()
        files = sources_hash(sources)  # the bytes: the same records re-saved keep the version, not the bytes
        try:
            if (final / "FILES").read_text("utf-8").strip() == files:
                return
        except OSError:
            pass
        tmp = old = None
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".new-", dir=final.parent))
            for path, raw in sources.items():
                if path.parent == self.data_dir:
                    sub = tmp / "d" / self.data_dir.name
                elif path.parent == self.data_dir / ARTICLES_DIR:  # data/articles/<id>.yaml
                    sub = tmp / "d" / self.data_dir.name / ARTICLES_DIR
                elif path.parent == self.geo_dir:
                    sub = tmp / "g" / self.geo_dir.name
                else:
                    continue
                sub.mkdir(parents=True, exist_ok=True)
                (sub / path.name).write_bytes(raw)
            (tmp / "VERSION").write_text(bundle.version + "\n", "utf-8")
            (tmp / "FILES").write_text(files + "\n", "utf-8")
            old = final.with_name(f".old-{final.name}-{os.getpid()}")
            if final.exists():
                final.rename(old)  # two renames, not one: a folder cannot replace a non-empty one
            tmp.rename(final)
            shutil.rmtree(old, ignore_errors=True)
            self._prune(final)
        except OSError:  # e.g. another process persisting the same data at the same moment
            log.warning("could not persist the last valid data under %s", final, exc_info=True)
            if old is not None and old.exists() and not final.exists():
                with contextlib.suppress(OSError):
                    old.rename(final)  # put the previous copy back
        finally:
            if tmp is not None and tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def _prune(keep: Path) -> None:
        """Keep the most recent snapshots only (one folder per pair of data folders)."""
        dirs = [d for d in keep.parent.iterdir() if d.is_dir() and not d.name.startswith(".")]
        dirs.sort(key=lambda d: d.stat().st_mtime, reverse=True)
        for d in dirs[CACHE_KEEP:]:
            if d != keep:
                shutil.rmtree(d, ignore_errors=True)

    def last_valid(self) -> Bundle | None:
        """The last valid data: in memory, else the copy an earlier run persisted (None if neither)."""
        return self._snapshot.bundle or self._restore(serving=False)

    def _restore(self, serving: bool = True) -> Bundle | None:
        """The snapshot an earlier run persisted, if it still validates (``serving``: it goes into
        service, which the log says)."""
        root = self.cache_dir()
        data, geo = root / "d" / self.data_dir.name, root / "g" / self.geo_dir.name
        if not (data.is_dir() and geo.is_dir()):
            return None
        try:
            bundle = load_bundle(data, geo)
        except Exception:
            log.exception("the persisted last valid data under %s does not load", root)
            return None
        if serving:
            log.warning("serving the last valid data persisted by an earlier run (version %s)", bundle.version)
        return bundle


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
