"""Where things are in the repository: one place instead of a root computed in every module.

The product, the tests, the benchmark and the data-build scripts all read these. ``DATA`` and ``GEO``
are the bundled folders; the app may be pointed elsewhere with ``EXPLAINER_DATA_DIR`` /
``EXPLAINER_GEO_DIR`` (see ``explainer.store.default_dirs``).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent  # explainer/
ROOT = PACKAGE.parent
APP = ROOT / "app.py"
PAGES = ROOT / "pages"  # one file per view (explainer.ui.registry)
DATA = ROOT / "data"
GEO = ROOT / "geo"
STATIC = ROOT / "static"
ICON = STATIC / "icon.png"
TOPOJSON = STATIC / "topojson"
SCRIPTS = ROOT / "scripts"
BENCH = ROOT / "bench"
TESTS = ROOT / "tests"
CACHE = Path(os.environ.get("EXPLAINER_CACHE_DIR") or ROOT / ".cache")  # derived files, the last valid data (git-ignored)
SHARED = ROOT.parent / "shared"  # the research material beside the checkout (absent in a fresh clone)
RESEARCH = SHARED / "research"
