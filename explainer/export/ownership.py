"""Ownership of the out folder: the marker proving this tool wrote it, what an earlier export left, what is carried over."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .hashing import sha256

MARKER = ".kursk-explainer-export.json"
TOOL = "kursk-explainer export"


class ExportRefused(Exception):
    """``out`` holds something this export must not replace; the message says what."""


@dataclass
class Existing:
    """What an earlier export left in ``out``."""

    ours: dict[str, str] = field(default_factory=dict)  # relative path -> sha256, unchanged since written
    foreign: list[str] = field(default_factory=list)  # files the export did not write (kept)
    versions: list[dict[str, Any]] = field(default_factory=list)  # versions.json of that export


def files_below(root: Path) -> list[str]:
    """Every file (or symlink) below ``root``, as sorted relative POSIX paths; the marker excluded."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):  # os.walk does not follow symlinked folders
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            rel = (Path(dirpath) / name).relative_to(root).as_posix()
            if rel != MARKER:
                out.append(rel)
    return sorted(out)


def _digest(files: dict[str, str]) -> str:
    return sha256(json.dumps(files, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def marker_doc(root: Path, paths: list[str]) -> dict[str, Any]:
    files = {rel: sha256((root / rel).read_bytes()) for rel in paths}
    return {
        "tool": TOOL,
        "format": 1,
        "note": "written by `python -m explainer export`; the export replaces "
        "this folder only while this file proves it wrote it",
        "files": files,
        "digest": _digest(files),
    }


def read_existing(out: Path) -> Existing:
    """Check that ``out`` is absent, empty, or an earlier export of this tool; else raise ExportRefused."""
    if not out.exists() and not out.is_symlink():
        return Existing()
    if out.is_symlink() or not out.is_dir():
        raise ExportRefused(f"{out} exists and is not a folder: not replacing it")
    present = files_below(out)
    marker = out / MARKER
    if not marker.exists():
        if not present:
            return Existing()
        raise ExportRefused(
            f"{out} was not written by this export (no {MARKER} in it): not replacing it. "
            f"Choose another --out, or move its {len(present)} file(s) away yourself."
        )
    try:
        doc = json.loads(marker.read_text("utf-8"))
        files = doc["files"]
        ok = doc.get("tool") == TOOL and isinstance(files, dict) and doc.get("digest") == _digest(files)
    except (OSError, ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise ExportRefused(f"{out}/{MARKER} is not a valid marker of this export (wrong tool or hash): not replacing the folder")
    ex = Existing()
    changed = []
    for rel in present:
        path = out / rel
        if rel not in files or path.is_symlink():
            ex.foreign.append(rel)
        elif sha256(path.read_bytes()) == files[rel]:
            ex.ours[rel] = files[rel]
        else:
            changed.append(rel)
    if changed:
        raise ExportRefused(
            f"{out}: {len(changed)} file(s) written by the export were changed since: "
            f"{', '.join(changed[:10])}{' …' if len(changed) > 10 else ''}. "
            "Restore or move them, then export again; nothing was replaced."
        )
    try:
        versions = json.loads((out / "versions.json").read_text("utf-8")) if "versions.json" in ex.ours else []
        ex.versions = [v for v in versions if isinstance(v, dict) and isinstance(v.get("data_version"), str)]
    except ValueError:
        ex.versions = []
    return ex


def carry_over(out: Path, tmp: Path, ex: Existing, current: str) -> list[str]:
    """Copy into ``tmp`` the publisher's files and the earlier pinned versions; returns the foreign ones."""
    clash = [rel for rel in ex.foreign if (tmp / rel).exists() or (tmp / rel).is_symlink()]
    if clash:
        raise ExportRefused(
            f"{out}: file(s) not written by the export sit where this export writes: "
            f"{', '.join(clash[:10])}. Move them, then export again; nothing was replaced."
        )
    keep = [
        rel
        for rel in ex.ours
        if (rel.startswith("v/") and not rel.startswith(f"v/{current}/"))
        or (rel.startswith("assets/") and not (tmp / rel).exists())
    ]
    for rel in [*ex.foreign, *keep]:
        dst = tmp / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(out / rel, dst, follow_symlinks=False)
    return ex.foreign
