"""The share panel under a view: permalink, embed snippets (live and static), CSV and images."""

from __future__ import annotations

import html
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from .. import i18n
from ..csvsafe import to_csv_bytes
from ..figures import View
from ..load import Bundle
from . import state as S
from .text import md
from .widgets import bound_widget

EMBED_BASE_ENV = "EXPLAINER_EMBED_BASE"
IMAGE_WIDTH = 1000  # px of a downloaded picture (the PNG at twice that)
PHONE_IMAGE_WIDTH = 360  # ...and of the one for a phone's screen, as the export's (export/picture.py)


def embed_base() -> str | None:
    """Where the newsroom publishes the static export (docs/publishing.md), or None when this server
    was not told: the live server itself answers any path with the app, never with the export."""
    base = os.environ.get(EMBED_BASE_ENV, "").strip().rstrip("/")
    return base or None


def export_url(base: str, path: str) -> str:
    """``path`` in the published export; a base given as a path (``/embed``) is on this server's origin."""
    return f"{app_base() + base if base.startswith('/') else base}/{path}"


def data_downloads() -> list[tuple[str, str, str]]:
    """The editors' tables and their datapackage.json in the export's latest version (none when the
    export's address is not set)."""
    from ..datapackage import downloads

    base = embed_base()
    return downloads(export_url(base, "latest/data/")) if base else []


def app_base() -> str:
    url = ""
    try:
        url = st.context.url or ""
    except Exception:  # st.context.url only exists in a live session
        url = ""
    m = re.match(r"^(https?://[^/]+)", url)
    return m.group(1) if m else ""


def static_url(view_name: str, state: S.State, bundle: Bundle) -> str | None:
    """The static export page for this view, pinned to this data version (the newsroom rule in
    docs/publishing.md: articles embed a pinned version), absolute when the app knows its own
    address, and for the map on the current date (the static map reads ``#date=``)."""
    base = embed_base()
    if base is None:
        return None
    url = export_url(base, f"v/{bundle.version}/{i18n.lang_of(state.lang)}/{view_name}.html")
    return url + (f"#date={state.date.isoformat()}" if view_name == "map" and state.date else "")


HOST_JS = Path(__file__).resolve().parent.parent / "export_assets" / "host.js"


@cache
def _listener() -> str:
    """The export's host-page script (export_assets/host.js) without its comment: the few lines
    that size an ``<iframe data-explainer-embed>`` to the height its page reports."""
    code = HOST_JS.read_text("utf-8")
    return re.sub(r"/\*.*?\*/", "", code, flags=re.DOTALL).strip()


def live_snippet(url: str, title: str) -> str:
    """The live embed for a newsroom's page: the iframe, then the listener that follows its height
    (the app posts it, as the static embeds do), like a responsive embed script."""
    return (
        f'<iframe src="{html.escape(url)}" width="100%" height="640" style="border:0" '
        f'title="{html.escape(title, quote=True)}" loading="lazy" data-explainer-embed></iframe>\n'
        f"<script>{_listener()}</script>"
    )


def share_panel(
    view_name: str, view: View | None, state: S.State, bundle: Bundle, filename: str, phone: View | None = None
) -> None:
    """``phone``: the chart as drawn for a phone's width, for the phone's pictures (default: ``view``)."""
    if state.embed or view is None:
        return
    from ..export.downloads import download_table  # the export's builders, loaded when a panel is drawn
    from ..export.picture import pictures

    tr = i18n.bind(state.lang)
    # drawn when opened (a run on opening): the snippets' code blocks load Streamlit's syntax highlighter,
    # about 1.5 MB of JavaScript that a reader who never opens the panel should not download
    panel = st.expander(tr("share"), key=f"share_{view_name}", on_change="rerun")
    if not panel.open:
        return
    with panel:
        params = S.encode(state.with_(view=view_name), bundle)
        params.pop("view", None)
        path = f"{app_base()}/{view_name}"
        link = f"{path}?{urlencode(params)}" if params else path
        bound_widget(f"share_link_{view_name}", link)  # follows the state: a keyed widget keeps its first value
        st.text_input(tr("permalink"), key=f"share_link_{view_name}")
        live = f"{app_base()}/?{urlencode({**params, 'view': view_name, 'embed': 'true'})}"
        title = html.escape(view.title, quote=True)
        st.code(live_snippet(live, view.title), language="html")
        st.caption(tr("iframe_live_theme"))
        st.caption(tr("iframe_static"))
        static, base = static_url(view_name, state, bundle), embed_base()
        if static is None or base is None:  # no snippet that would point at this server
            st.caption(tr("static_base_unset", env=EMBED_BASE_ENV))
        else:
            st.code(
                f'<iframe src="{html.escape(static)}" width="100%" height="640" style="border:0" title="{title}" '
                f'loading="lazy" data-explainer-embed></iframe>',
                language="html",
            )
            st.caption(tr("host_snippet"))
            st.code(f'<script src="{html.escape(export_url(base, "assets/host.js"))}" defer></script>', language="html")
        st.download_button(
            tr("download_csv"),
            to_csv_bytes(download_table(bundle, view, state.lang)),  # numbers as numbers, ids and sources
            file_name=f"{filename}.csv",
            mime="text/csv",
            key=f"csv_{view_name}",
        )
        if st.button(tr("prepare_images"), key=f"img_{view_name}"):
            try:  # the chart with its title, dates, sources and credit baked in (the export's builder), for a
                # desktop's width and a phone's
                png, svg = pictures(bundle, view, state.lang, IMAGE_WIDTH)
                st.session_state[f"png_{view_name}"], st.session_state[f"svg_{view_name}"] = png, svg
                png, svg = pictures(bundle, phone or view, state.lang, PHONE_IMAGE_WIDTH)
                st.session_state[f"png_phone_{view_name}"], st.session_state[f"svg_phone_{view_name}"] = png, svg
            except Exception as e:  # kaleido needs a local chromium; say so rather than fail
                st.error(tr("image_failed", error=md(str(e))))
        for fmt in ("png", "svg", "png_phone", "svg_phone"):
            data = st.session_state.get(f"{fmt}_{view_name}")
            if data:
                kind = fmt.split("_")[0]
                st.download_button(
                    tr(f"download_{fmt}"),
                    data,
                    file_name=f"{filename}{'-phone' if fmt.endswith('phone') else ''}.{kind}",
                    mime="image/png" if kind == "png" else "image/svg+xml",
                    key=f"dl_{fmt}_{view_name}",
                )
