"""The swap of a finished export into place, so a host never serves a half-written one, and the guard
that keeps ``latest/`` from moving back to older data than it holds."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..load import Bundle


def data_date(bundle: Bundle) -> dt.date | None:
    """The newest date the data holds (claims, events, corrections log, map snapshots): how recent it is."""
    days = [c.date for c in bundle.claims] + [e.date for e in bundle.events] + [c.date for c in bundle.changelog]
    days += [d for dated in bundle.control.values() for d in dated]
    return max(days, default=None)


def older_than_latest(versions: list[dict[str, Any]], version: str, day: dt.date | None) -> str | None:
    """Why data ``version`` (newest date ``day``) is older than what ``latest/`` holds, or None.

    ``versions`` is the earlier export's versions.json, newest first (its first entry is ``latest/``).
    Older means: an earlier export's version that a later one replaced (the version history), or
    data whose newest date is before the newest date ``latest/`` holds."""
    if not versions or versions[0].get("data_version") == version:
        return None
    now = versions[0]
    held = f"data version {now['data_version']}" + (f" (data up to {now['data_date']})" if now.get("data_date") else "")
    held += f", exported {now['generated_at']}" if now.get("generated_at") else ""
    this = f"data version {version}" + (f" (data up to {day.isoformat()})" if day else "")
    replaced = next((v for v in versions[1:] if v.get("data_version") == version), None)
    if replaced is not None:
        why = f"this version was exported before ({replaced.get('generated_at', '?')}) and replaced by the one latest/ holds"
    elif day is not None and isinstance(now.get("data_date"), str) and day.isoformat() < now["data_date"]:
        why = "its newest date is before the newest date latest/ holds"
    else:
        return None
    return (
        f"refused: latest/ holds {held}; this folder holds {this}, which is older: {why}. "
        "Nothing was written. To move latest/ back to this data anyway (a roll-back), run the export again with --force"
    )


def swap_in(tmp: Path, out: Path) -> None:
    """``tmp`` becomes ``out``; the previous ``out`` (checked to be ours) goes. ``<out>.old`` is never touched."""
    prev = None
    if out.exists():
        prev = Path(tempfile.mkdtemp(prefix=f".{out.name}.prev.", dir=out.parent))
        prev.rmdir()
        out.rename(prev)
    tmp.rename(out)
    if prev is not None:
        shutil.rmtree(prev, ignore_errors=True)
