"""Where things are: the repository's folders, computed once."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GEO = ROOT / "geo"
STATIC = ROOT / "static"
ICON = STATIC / "icon.png"
TOPOJSON = STATIC / "topojson"
CACHE = Path(os.environ.get("EXPLAINER_CACHE_DIR") or ROOT / ".cache")
