"""Where the desk keeps its own files, and how it writes them.

Everything lives in one folder OUTSIDE ``data/`` (git-ignored): ``$EXPLAINER_DESK_DIR`` or
``.desk/`` at the repository root. Accounts, sessions and throttling state are small JSON files
rewritten whole: a temporary file in the same folder, ``fsync``, then ``os.replace`` (atomic on
POSIX), under an exclusive ``fcntl.flock`` so that the app and the command line never interleave.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..paths import ROOT


def desk_dir() -> Path:
    """``$EXPLAINER_DESK_DIR`` or ``<repository>/.desk`` (read at each call, so a server or test can set it late)."""
    return Path(os.environ.get("EXPLAINER_DESK_DIR") or ROOT / ".desk")


def private_dir(path: Path) -> Path:
    """``path`` created if needed, readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def atomic_write(path: Path, raw: bytes, mode: int = 0o600) -> None:
    """``path`` holds ``raw`` or its old content, never half of it (temporary file + fsync + os.replace)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(lock: Path, blocking: bool = True) -> Iterator[None]:
    """An exclusive ``flock`` on ``lock`` (created if needed). ``blocking=False`` raises
    ``BlockingIOError`` at once when another process or thread holds it."""
    private_dir(lock.parent)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    if not isinstance(doc, dict):
        raise ValueError(f"{path.name}: expected a JSON object")
    return doc


def update_json(path: Path, change: Callable[[dict[str, Any]], Any]) -> Any:
    """Read ``path``, let ``change`` edit the document in place, write it back atomically; all under
    the file's lock. Returns what ``change`` returns."""
    private_dir(path.parent)
    with locked(path.with_name(path.name + ".lock")):
        doc = read_json(path)
        out = change(doc)
        atomic_write(path, json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode())
        return out
