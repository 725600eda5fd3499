"""Data text made safe for the page: escaped for st.markdown (``md``) or for an HTML fragment (``html_text``)."""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit expands `:material/x:`, `:smile:` and `:red[...]` before markdown, ignoring backslashes;
# an invisible word joiner after the first colon keeps such text as typed.
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_/+-]+(?::|\[))")
# Markdown auto-links bare URLs ("http://…", "www.…") even when escaped; a word joiner keeps them text.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=\w)(?=@\w)", re.IGNORECASE)


def md(text: object) -> str:
    """Escape data text for st.markdown: shown as typed, never as links, images, HTML, maths or icons."""
    out = _AUTOLINK.sub("\u2060", _SHORTCODE.sub(":\u2060", str(text)))
    return _MD_SPECIAL.sub(r"\\\1", out).replace("\n", " ")


def html_text(text: object) -> str:
    """Data text for an HTML fragment (st.markdown with unsafe_allow_html): escaped, one line."""
    return html.escape(str(text), quote=True).replace("\n", " ")
