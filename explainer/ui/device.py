"""The reader's device, as far as the server can tell: ``phone()``."""

from __future__ import annotations

import streamlit as st


def phone() -> bool:
    """Whether the reader's browser says it is a phone ("Mobi" in the user agent, as MDN advises,
    or the client hint). Streamlit gives the script no viewport width; this only picks a shorter
    map, whose region fills a phone's width with less white space above and below."""
    try:
        headers = st.context.headers
        return "Mobi" in headers.get("User-Agent", "") or headers.get("Sec-CH-UA-Mobile") == "?1"
    except Exception:  # no request headers outside a live session (AppTest, bench)
        return False
