"""A live embed's colours on its host page (``?theme=light|dark|auto``, as the static embeds): CSS
over Streamlit's light theme, which cannot change per URL; the charts stay light cards on it."""

from __future__ import annotations

from .. import colours as K
from . import state as S

_CARD = "[data-testid='stPlotlyChart']"


def _dark_rules() -> str:
    return (
        f".stApp,[data-testid='stAppViewContainer'],[data-testid='stMain'],[data-testid='stHeader']"
        f"{{background:{K.DARK_BG}!important;color:{K.DARK_FG}!important}}"
        f".stApp h1,.stApp h2,.stApp h3,.stApp summary"
        f"{{color:{K.DARK_FG}!important}}"
        f".stApp [data-testid='stCaptionContainer'],.stApp [data-testid='stCaptionContainer'] *{{color:{K.DARK_MUTED}!important}}"
        f".stApp a,.stApp a *{{color:{K.DARK_LINK}!important}}"
        f".stApp [data-testid='stExpander'] details{{border-color:{K.DARK_LINE}!important;background:{K.DARK_BG}!important}}"
        f".stApp [data-testid='stExpander'] summary svg{{fill:{K.DARK_FG}!important;color:{K.DARK_FG}!important}}"
        f".stApp :focus-visible{{outline-color:{K.DARK_LINK}!important}}"
        # the chart keeps its own light colours (the map's land, the claimants' shades): a light card
        f"{_CARD}{{background:{K.HALO};border-radius:4px;box-shadow:0 0 0 4px {K.HALO}}}"
        f"{_CARD} *{{color:{K.INK}}}"
        "html{color-scheme:dark}"
    )


def theme_css(state: S.State) -> str:
    """The CSS for the state's theme: none for light (or outside an embed), the dark rules for dark,
    and for auto the same rules when the reader's system prefers dark."""
    if not state.embed or state.theme == "light":
        return ""
    rules = _dark_rules()
    return rules if state.theme == "dark" else f"@media (prefers-color-scheme: dark){{{rules}}}"
