"""What a spreadsheet does to cells: thousands separators in counts, a date column in another form,
letters lost to '?' by a legacy-encoding save (against the text's declared language and against the
last valid data)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from .. import model as m
from .problems import Problem

# 1'100, 1’100, 1 100 (space, no-break or narrow no-break), 1,100, 1.100: one separator, groups of three
_GROUPED = re.compile(r"^\d{1,3}(?:([',.\u2019 \u00a0\u202f])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_UNAMBIGUOUS_SEPARATORS = "'\u2019 \u00a0\u202f"  # never a decimal mark


def _validators(model: type[BaseModel], name: str) -> set[Callable[..., Any]]:
    """The validator functions of a field (``BeforeValidator(_number)`` -> ``_number``)."""
    return {md.func for md in model.model_fields[name].metadata if callable(getattr(md, "func", None))}


def _number_columns(model: type[BaseModel]) -> list[str]:
    return [n for n in model.model_fields if _validators(model, n) & {m._number, m._signed_number}]


def _date_columns(model: type[BaseModel]) -> list[str]:
    return [n for n in model.model_fields if m._iso_date in _validators(model, n)]


def _lost_script(value: str, lang: str | None) -> str | None:
    """The script whose letters a legacy save turned into '?' in ``value``, declared in ``lang``."""
    script = m.LANG_SCRIPTS.get((lang or "").strip())
    if script is None or "?" not in value:
        return None
    if any(unicodedata.name(c, "").startswith(script.upper()) for c in value):
        return None
    return script


def _lost_key(script: str) -> str:
    return {"Cyrillic": "check_lost_cyrillic", "Hangul": "check_lost_hangul"}.get(script, "check_lost_letters")


def cell_problems(model: type[BaseModel], raw: dict[str, str], rel: str, line: int, encoding: str) -> list[Problem]:
    """Problems with single cells that pydantic would pass or misread: a count typed with a
    thousands separator (``1.100`` read as 1.1), letters of a declared language lost to '?'."""
    out: list[Problem] = []
    counts: dict[str, str] = getattr(model, "counts", {})
    scripts: dict[str, str] = getattr(model, "scripts", {})
    for col in _number_columns(model):
        cell = (raw.get(col) or "").strip()
        if not cell:
            continue
        measure = (raw.get(counts[col]) or "").strip() if col in counts else None
        is_count = measure is not None and measure in m.MEASURES and measure not in m.DECIMAL_MEASURES
        grouped = _GROUPED.match(cell)
        if grouped and (is_count or grouped.group(1) in _UNAMBIGUOUS_SEPARATORS):
            out.append(Problem.said(rel, line, col, "check_thousands", value=cell, plain=re.sub(r"\D", "", cell)))
        elif is_count and _DECIMAL.match(cell):
            out.append(Problem.said(rel, line, col, "check_whole_number", value=cell, measure=measure))
    for col, lang_col in scripts.items():
        script = _lost_script(raw.get(col) or "", raw.get(lang_col))
        if script is not None:
            enc = encoding if not encoding.startswith("UTF-8") else "Windows-1252"
            out.append(Problem.said(rel, line, col, _lost_key(script), lang=raw.get(lang_col, "").strip(), encoding=enc))
    return out


_URL = re.compile(r"https?://\S+")
_LOST = re.compile(r"\?\?|(?<=\w)\?(?=\w)")  # '??' (a word), or '?' inside a word (a letter of it)


def lost_looking(value: str) -> bool:
    """Whether a text may hold letters lost to '?' (outside URLs, whose '?' starts a query): a run of
    '?' or a '?' inside a word, never a question mark ending a sentence."""
    return "?" in value and bool(_LOST.search(_URL.sub(" ", value)))


def lost_since(
    rel: str, rows: Iterable[tuple[int, m.Record]], before: Iterable[m.Record], key: str, encoding: str
) -> list[Problem]:
    """Text that had letters in the last valid data and now has '?' at the same places (the rest of
    the text unchanged): letters a legacy-encoding save could not write."""
    old = {str(getattr(r, key)): r for r in before}
    out: list[Problem] = []
    for line, rec in rows:
        prev = old.get(str(getattr(rec, key)))
        if prev is None:
            continue
        for name, value in rec:
            was = getattr(prev, name, None)
            if not (isinstance(value, str) and isinstance(was, str)) or len(value) != len(was) or not lost_looking(value):
                continue
            lost = [b for a, b in zip(value, was) if a != b]
            if lost and all(a == b or (a == "?" and b.isalpha() and ord(b) > 127) for a, b in zip(value, was)):
                script = unicodedata.name(lost[0], "").split(" ")[0].title()
                enc = encoding if not encoding.startswith("UTF-8") else "Windows-1252"
                out.append(Problem.said(rel, line, name, f"{_lost_key(script)}_since", encoding=enc, was=was))
    return out


# ----------------------------------------------------------------------------------------- dates

_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("DD.MM.YYYY", re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")),
    ("DD.MM.YY", re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$")),
    ("../../YYYY", re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")),
    ("../../YY", re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")),
    ("..-..-YYYY", re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")),
)


def _form(cell: str) -> tuple[str, int, int, int] | None:
    """The foreign date form of a cell and its three numbers (first, second, year), or None."""
    for name, rx in _FORMS:
        found = rx.match(cell.strip())
        if found:
            a, b, y = (int(x) for x in found.groups())
            return name, a, b, (2000 + y if y < 100 else y)
    return None


def _iso(y: int, month: int, day: int) -> str | None:
    try:
        return dt.date(y, month, day).isoformat()
    except ValueError:
        return None


def _spans(lines: Sequence[int]) -> str:
    """[2, 3, 4, 9] -> '2–4, 9'."""
    out: list[str] = []
    for n in sorted(lines):
        if out and out[-1].split("–")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _date_column(rel: str, col: str, cells: list[tuple[int, str]]) -> Problem:
    """One problem for a date column typed in another form, with the ISO dates it probably means."""
    forms = [(line, _form(c)) for line, c in cells]
    names = {f[0] for _, f in forms if f}
    lines = _spans([line for line, _ in cells])
    first = min(line for line, _ in cells)
    dotted = all(n.startswith("DD.") for n in names)
    day_first = dotted or any(f[1] > 12 for _, f in forms if f)
    month_first = not dotted and any(f[2] > 12 for _, f in forms if f)
    if day_first == month_first:  # neither settles it, or the rows disagree
        key = "check_date_column_mixed" if day_first else "check_date_column_ambiguous"
        return Problem.said(rel, first, col, key, n=len(cells), example=cells[0][1], lines=lines)
    probable = []
    for line, f in forms:
        if f:
            _, a, b, y = f
            iso = _iso(y, b, a) if day_first else _iso(y, a, b)
            if iso:
                probable.append(f"{iso} ({line})")
    shown = ", ".join(probable[:3]) + (", …" if len(probable) > 3 else "")
    order = "DD.MM" if dotted else ("DD/MM" if day_first else "MM/DD")
    return Problem.said(
        rel, first, col, "check_date_column", n=len(cells), example=cells[0][1], order=order, lines=lines, dates=shown
    )


def by_column(found: list[tuple[int, dict[str, str], list[Problem]]], model: type[BaseModel], rel: str) -> list[Problem]:
    """The problems of every row, with the rows of one date column typed in another form (two rows or
    more) replaced by ONE problem for the column."""
    out: list[Problem] = []
    for col in _date_columns(model):
        foreign = [
            (line, raw[col].strip())
            for line, raw, probs in found
            if any(p.column == col for p in probs) and _form(raw.get(col) or "")
        ]
        if len(foreign) < 2:
            continue
        gathered = {line for line, _ in foreign}
        out.append(_date_column(rel, col, foreign))
        found = [(line, raw, [p for p in probs if not (p.column == col and line in gathered)]) for line, raw, probs in found]
    return out + [p for _, _, probs in found for p in probs]
