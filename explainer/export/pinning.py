"""What a pinned page (``v/<data-version>/``) needs to tell its readers that a source it shows has given a
newer figure since: the figures the page draws (written into the page), and each source's latest
figure with its words in every language (written into ``version.json``, which pinned pages read from
``latest/``). The page compares the two in the browser (``embed.js``, "newer data").

A figure is a source's number for one measure, scope and kind of period (``queries._same_figure``):
``claimant|measure|scope|cumulative``. Texts are composed from the data and catalogue templates only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from .. import figures as F
from ..i18n import t
from ..load import Bundle
from ..model import Claim
from .text import LANGS


def figure_key(c: Claim) -> str:
    return f"{c.claimant}|{c.measure}|{c.scope}|{'yes' if c.cumulative else 'no'}"


def shown_figures(bundle: Bundle, table: pd.DataFrame) -> dict[str, str]:
    """The figures a page draws (its table's claim ids: ``claim_id`` in the export's download table,
    ``id`` in a view's own table): key -> the latest day the page shows for it."""
    by_id = bundle.claim_by_id
    column = next((c for c in ("claim_id", "id") if c in table.columns), None)
    ids = table[column] if column else []
    out: dict[str, str] = {}
    for c in (by_id[i] for i in ids if isinstance(i, str) and i in by_id):
        if c.has_number:
            k = figure_key(c)
            out[k] = max(out.get(k, ""), c.date.isoformat())
    return dict(sorted(out.items()))


def latest_figures(bundle: Bundle, langs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each source's latest figure per measure, scope and kind of period: key -> its day and, per
    language, 'NIS, ~2,000 killed, 2 September 2025'."""
    latest: dict[str, Claim] = {}
    for c in bundle.claims:  # by date, then id: the last one wins
        if c.has_number:
            latest[figure_key(c)] = c
    return {
        k: {"date": c.date.isoformat(), "text": {lang: F.newer_figure_item(bundle, c, LANGS[lang]) for lang in langs}}
        for k, c in sorted(latest.items())
    }


def newer_templates(lang: str) -> dict[str, str]:
    """The note's sentence for one newer figure and for several, '{items}' left for the page to fill."""
    loc = LANGS[lang]
    return {n: t(loc, f"embed_newer_figure_{n}", items="{items}") for n in ("one", "other")}
