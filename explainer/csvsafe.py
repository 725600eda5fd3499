"""CSV cells a spreadsheet will not run as formulas (OWASP "CSV injection").

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, DDE payloads).
OWASP's rule: prefix such a cell with a single quote, so the spreadsheet shows it as text.
Numbers stay numbers: a numeric value, or a string that is a plain number (``-12``, ``-3.5``,
``+7``), is left as it is, so a negative area or difference still sorts and sums.

Used by every CSV the static export writes and by the app's download buttons::

    from explainer.csvsafe import to_csv_bytes
    st.download_button(label, to_csv_bytes(view.table), "map.csv", "text/csv")
"""

from __future__ import annotations

import numbers
import re
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number, optionally signed, with an optional exponent: a spreadsheet reads it as
# that number and nothing else, so it needs no quote (and keeps its numeric value).
_T = TypeVar("_T")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: _T) -> _T | str:
    """``value`` unchanged unless it is text a spreadsheet would read as a formula; then ``'`` + text."""
    if value is None or isinstance(value, (numbers.Number, bool)):
        return value
    if not isinstance(value, str):
        return value
    if value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name passed through :func:`safe_cell`."""
    out = df.copy()
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue  # numeric, datetime, bool: nothing a spreadsheet would run
        out[col] = s.map(safe_cell, na_action="ignore").astype(object)
    return out


def to_csv_bytes(df: pd.DataFrame, **kw: Any) -> bytes:
    """``df`` as UTF-8 CSV bytes (no index), formula cells neutralised; ``kw`` go to ``DataFrame.to_csv``."""
    kw.setdefault("index", False)
    text: str = safe_frame(df).to_csv(**kw)
    return text.encode("utf-8")


def write_csv(df: pd.DataFrame, path: Path | str, **kw: Any) -> None:
    """Write ``df`` to ``path`` as UTF-8 CSV (no index), formula cells neutralised."""
    Path(path).write_bytes(to_csv_bytes(df, **kw))
