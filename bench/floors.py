"""The two floors the pages are compared with, built from the same figure as the page they stand for:

- a plain HTML page holding the export's map as an inline SVG rendered by kaleido (no JavaScript): what
  the static page could cost at best;
- a bare Streamlit app whose only element is the live map figure: what any Streamlit page costs.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from explainer.paths import STATIC

from .probes import StaticServer, StreamlitServer

CHART_KEY = "floor_chart"
BARE_APP = '''"""Bare Streamlit page: one plotly chart, the live map figure as the app builds it."""
from pathlib import Path

import plotly.io as pio
import streamlit as st

HERE = Path(__file__).parent
st.set_page_config(page_title="floor", page_icon=str(HERE / "static" / "icon.png"), layout="wide")


@st.cache_resource
def figure():
    return pio.from_json((HERE / "figure.json").read_text("utf-8"))


# topojsonURL as in the app: plotly's geo subplot loads its scope's topojson from our static folder
st.plotly_chart(figure(), key="CHART_KEY", config={"displaylogo": False, "responsive": True,
                                                    "topojsonURL": "app/static/topojson/"})
'''.replace("CHART_KEY", CHART_KEY)


MOVE_APP = '''"""Bare Streamlit page for a date move: a week button and the live map figure of that date."""
import json
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
st.set_page_config(page_title="floor", page_icon=str(HERE / "static" / "icon.png"), layout="wide")
FIGURES = sorted(HERE.glob("move-*.json"))


@st.cache_resource
def figure(i):
    return json.loads(FIGURES[i].read_text("utf-8"))


i = st.session_state.setdefault("i", 0)
if st.button("1 week", key="map_date_fwd"):
    st.session_state["i"] = i = min(i + 1, len(FIGURES) - 1)
st.plotly_chart(figure(i), key="CHART_KEY", theme=None, config={"displaylogo": False, "displayModeBar": False,
                                                                 "responsive": True, "topojsonURL": "app/static/topojson/"})
'''.replace("CHART_KEY", CHART_KEY)


def move_floor(folder: Path, days: list[dt.date]) -> StreamlitServer:
    """Streamlit's floor for a date move: a bare app whose only elements are a week button and the
    live map figure (the app's builder, fr-CH) for each of ``days`` in turn, figures written ahead."""
    from explainer import figures as F

    bundle = _bundle()
    folder.mkdir(parents=True, exist_ok=True)
    for i, d in enumerate(days):
        spec = F.build_map(bundle, d, "fr-CH").spec
        (folder / f"move-{i:03d}.json").write_text(json.dumps(spec, default=str), "utf-8")
    return _floor_server(folder, "move_app.py", MOVE_APP)


def _floor_server(folder: Path, name: str, source: str) -> StreamlitServer:
    """``folder/name`` holding ``source``, served by ``streamlit run`` with the app's settings that
    matter for speed (no post-script GC, static serving for the topojson)."""
    (folder / name).write_text(source, "utf-8")
    if not (folder / "static").exists():
        os.symlink(STATIC, folder / "static")
    srv = StreamlitServer(
        cwd=folder,
        app=folder / name,
        args=("--server.enableStaticServing", "true", "--runner.postScriptGC", "false", "--client.toolbarMode", "minimal"),
    )
    return srv.start()


def _bundle():
    from explainer.load import load_bundle
    from explainer.store import default_dirs

    return load_bundle(*default_dirs())


def svg_floor(folder: Path, export: Path | None) -> StaticServer:
    """Write ``folder/map.html`` (the export's map page figure as inline SVG) and serve it."""
    import plotly.io as pio

    from explainer import figures as F
    from explainer.export import LANGS
    from explainer.ui.state import default_date

    bundle = _bundle()
    day = default_date(bundle)
    if export is not None:  # the date of the export's fr/map.html
        man = json.loads((export / "manifest.json").read_text("utf-8"))
        day = next(
            (
                dt.date.fromisoformat(p["date"])
                for p in man.get("pages", [])
                if p.get("lang") == "fr" and p.get("name") == "map" and p.get("date")
            ),
            day,
        )
    fig = F.build_map(bundle, day, LANGS["fr"]).figure
    svg = pio.to_image(fig, format="svg", width=1000, height=fig.layout.height or 500).decode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "map.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width"><title>floor</title>'
        f'</head><body style="margin:0">{svg}</body></html>',
        "utf-8",
    )
    return StaticServer(folder, "/map.html")


def bare_streamlit(folder: Path) -> StreamlitServer:
    """A bare Streamlit app drawing the live /map figure (default date, fr-CH), with the app's settings
    that matter for speed (no post-script GC, static serving for the topojson)."""
    from explainer import figures as F
    from explainer.ui.state import default_date

    bundle = _bundle()
    fig = F.build_map(bundle, default_date(bundle), "fr-CH").figure
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "figure.json").write_text(fig.to_json(), "utf-8")
    return _floor_server(folder, "floor_app.py", BARE_APP)
