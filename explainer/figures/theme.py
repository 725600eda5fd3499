"""The charts' house style: one registered plotly template (fonts, grid, colours), number separators.

Every figure goes through :func:`base_layout`, which sets the template by name. The template is
small on purpose: plotly's default one adds about 7 KB to every figure's JSON, on every rerun.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

from .. import colours as K
from .. import i18n

FONT = dict(family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size=13, color=K.INK)
TEMPLATE = "explainer"

_AXIS = dict(
    automargin=True,
    gridcolor=K.GRID,
    linecolor=K.PAPER,
    ticks="",
    zerolinecolor=K.PAPER,
    zerolinewidth=2,
    title=dict(standoff=15),
    tickfont=dict(color=K.INK),
    separatethousands=True,  # 1'500 km² as the prose writes it (plotly groups from five digits only)
)
pio.templates[TEMPLATE] = go.layout.Template(
    layout=dict(
        font=FONT,
        paper_bgcolor=K.PAPER,
        plot_bgcolor=K.PAPER,
        hoverlabel=dict(align="left", font=dict(family=FONT["family"], size=13)),
        hovermode="closest",
        autotypenumbers="strict",
        xaxis=_AXIS,
        yaxis=_AXIS,
        annotationdefaults=dict(arrowcolor=K.INK, arrowhead=0, arrowwidth=1),
        shapedefaults=dict(line=dict(color=K.INK)),
        geo=dict(bgcolor=K.PAPER, showland=False, showlakes=False),
    )
)


def base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    """The house template, a height, tight margins and the chart's title in ``meta`` (the page
    shows the title as a heading, not inside the chart)."""
    fig.update_layout(template=TEMPLATE, title=None, height=height, margin=dict(l=8, r=8, t=8, b=8), meta={"title": title})
    return fig


def separators(locale: str) -> str:
    """plotly's ``separators`` (decimal, then thousands): Babel's, as :func:`i18n.num` writes them."""
    decimal, group = i18n.symbols(locale)
    return decimal + group


def rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"
