"""What every builder returns: a chart that never travels without its text alternative, data and credits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

Spec = dict[str, Any]  # a figure as plotly's plain dict: {"data": [...], "layout": {...}}
Trace = dict[str, Any]


@dataclass
class View:
    drawn: go.Figure | None
    """The plotly figure, or None when the builder gives only ``spec`` (then :attr:`figure` builds it
    on first use: the map's per-date files read the spec of 256 maps and draw none of them)."""
    summary: str
    table: pd.DataFrame
    credits: list[str] = field(default_factory=list)
    title: str = ""
    spec: Spec | None = field(default=None, repr=False, compare=False)
    """The figure as a plain dict when the builder already has it (dated charts): what the figure's
    ``to_dict()`` would return, without its deep copy. Read-only, like the figure."""

    @property
    def figure(self) -> go.Figure:
        if self.drawn is None:
            if self.spec is None:
                raise ValueError("a view needs a figure or its spec")
            self.drawn = go.Figure(self.spec, _validate=False)
        return self.drawn
