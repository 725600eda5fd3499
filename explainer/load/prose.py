"""Warnings for ISO dates (YYYY-MM-DD) in texts readers see."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from pydantic import BaseModel

from .. import i18n
from .problems import Loc, Problem

# A date an editor typed as YYYY-MM-DD in a text readers see (the date columns are the place for that
# form); dates inside URLs are left alone.
ISO_DATE_IN_PROSE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
_URL_IN_TEXT = re.compile(r"https?://\S+")
PROSE_FIELDS = ("excerpt",)  # prose that is not one of a translated pair (those end in _fr / _en)


def is_prose(name: str) -> bool:
    """A field readers see as running text: every translated field, and the article's excerpts."""
    return name.endswith(("_fr", "_en")) or name in PROSE_FIELDS


def _iso_date_message(found: list[str]) -> str:
    shown = ", ".join(f"'{d}'" for d in found)
    try:
        day = dt.date.fromisoformat(found[0])
    except ValueError:
        return f"{shown} in a text readers see: write the date in words"
    fr, en = i18n.date(day, "fr-CH"), i18n.date(day, "en")
    return f"{shown} in a text readers see: write the date in words, e.g. « {fr} » / '{en}' (YYYY-MM-DD is for date columns)"


def _prose_dates(
    rec: BaseModel, rel: str, where: Callable[[tuple[int | str, ...]], int | str | None], loc: tuple[int | str, ...] = ()
) -> Iterable[Problem]:
    """A warning for every prose field of ``rec`` (nested records included) holding an ISO date."""
    for name, value in rec:
        path = (*loc, name)
        if isinstance(value, BaseModel):
            yield from _prose_dates(value, rel, where, path)
        elif isinstance(value, tuple):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _prose_dates(item, rel, where, (*path, i))
        elif isinstance(value, str) and is_prose(name):
            found = ISO_DATE_IN_PROSE.findall(_URL_IN_TEXT.sub(" ", value))
            if found:
                yield Problem(rel, where(path), ".".join(map(str, path)), _iso_date_message(found))


def _on_line(line: int) -> Callable[[Loc], int]:
    """Every field of a CSV row is on the row's line."""
    return lambda _loc: line
