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
    figure: go.Figure
    summary: str
    table: pd.DataFrame
    credits: list[str] = field(default_factory=list)
    title: str = ""
    spec: Spec | None = field(default=None, repr=False, compare=False)
    """The figure as a plain dict when the builder already has it (dated charts): what the figure's
    ``to_dict()`` would return, without its deep copy. Read-only, like the figure."""
