"""The swap of a finished export into place, so a host never serves a half-written one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


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
