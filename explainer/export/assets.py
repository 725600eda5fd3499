"""Where the files shipped beside the pages come from: template, scripts, vendored plotly.js, topojson."""

from __future__ import annotations

from pathlib import Path

from .. import paths

ASSETS = Path(__file__).parent.parent / "export_assets"
VENDOR = ASSETS / "vendor"
PLOTLY_JS = VENDOR / "plotly-geo.min.js"
PLOTLY_JS_VERSION = "4.1.1"  # npm plotly.js-geo-dist-min, see export_assets/vendor/README.md
# plotly's geo subplot may load a topojson for its scope even with every base layer hidden; it
# comes from our own assets, never from plotly's CDN.
TOPOJSON = paths.TOPOJSON
