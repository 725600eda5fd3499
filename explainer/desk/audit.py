"""The audit log: one JSON object per line in ``<desk>/audit.log``, appended under a lock.

Every line says who, when (UTC, ISO 8601), what (``action``), and the data versions before and
after (the bundle's content hash), plus the action's own details (files, the corrections-log row,
the version restored). Logins, wrong passwords, uploads, publishes and roll-backs are all written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .store import desk_dir, locked, private_dir


def audit_file(root: Path | None = None) -> Path:
    return (root if root is not None else desk_dir()) / "audit.log"


def audit(
    who: str,
    action: str,
    *,
    before: str | None = None,
    after: str | None = None,
    root: Path | None = None,
    clock: Callable[[], float] = time.time,
    **details: Any,
) -> dict[str, Any]:
    """Append one line; returns what was written."""
    path = audit_file(root)
    private_dir(path.parent)
    line = {
        "when": dt.datetime.fromtimestamp(clock(), dt.UTC).isoformat(timespec="seconds"),
        "who": who,
        "action": action,
        "before": before,
        "after": after,
        **details,
    }
    raw = (json.dumps(line, ensure_ascii=False, sort_keys=False, default=str) + "\n").encode()
    with locked(path.with_name(path.name + ".lock")):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, raw)
            os.fsync(fd)
        finally:
            os.close(fd)
    return line


def read_audit(root: Path | None = None) -> list[dict[str, Any]]:
    path = audit_file(root)
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text("utf-8").splitlines() if x.strip()]
