"""CSV files as spreadsheets write them: separator, header, row limits and rows that fail their checks."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import model as m
from .messages import _row_problems, renamed_message
from .problems import MAX_FILE_BYTES, MAX_ROWS, Problem, R
from .text import _half_saved, _read_text

CSV_DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab"}


def _delimiter(text: str, expected: list[str]) -> str:
    """The separator of a CSV: csv.Sniffer restricted to ',', ';' and tab, checked against the
    known header (the sniffer alone can be fooled by a sample full of commas in quotes)."""
    first = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    try:
        sniffed = [csv.Sniffer().sniff(first, delimiters=CSV_DELIMITERS).delimiter]
    except csv.Error:
        sniffed = []

    def score(d: str) -> int:
        cells = next(csv.reader([first.rstrip("\r")], delimiter=d), [])
        return sum(c.strip().lstrip("\ufeff") in expected for c in cells)

    return max(dict.fromkeys(sniffed + list(CSV_DELIMITERS)), key=score)  # first best: the sniffer's on a tie


def _partial_values(
    model: type[BaseModel], raw: dict[str, str], failed: set[str], context: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The cells of an invalid row that are valid on their own, parsed as the model would."""
    out = {}
    for name, fi in model.model_fields.items():
        if name in failed or name not in raw:
            continue
        key = (model, name)
        if key not in _ADAPTERS:
            field_type: Any = Annotated[(fi.annotation, *fi.metadata)] if fi.metadata else fi.annotation  # built at run time
            _ADAPTERS[key] = TypeAdapter(field_type)
        val = raw[name].strip() if isinstance(raw[name], str) else raw[name]
        try:
            out[name] = _ADAPTERS[key].validate_python(val, context=context)
        except (ValidationError, ValueError):
            pass
    return out


_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter[Any]] = {}


@dataclass
class Broken:
    """Rows of a file that exist but failed their own checks: their ids (so that other files citing
    them are not told the id is unknown) and their raw cells (still checked against other files)."""

    ids: set[str] = field(default_factory=set)
    rows: list[tuple[int, dict[str, str], set[str]]] = field(
        default_factory=list
    )  # (line, {column: raw cell}, {columns that failed})


def read_csv(
    path: Path,
    rel: str,
    model: type[R],
    problems: list[Problem],
    warnings: list[Problem],
    broken: Broken | None = None,
    context: dict[str, Any] | None = None,
) -> list[tuple[int, R]]:
    """Rows of a CSV file as ``(line, record)``; problems appended, never raised.

    Reads what spreadsheets write: ',' ';' or tab separators, UTF-8 (with or without BOM),
    Windows-1252 or Mac Roman, CRLF line ends; a warning says what was detected. The file itself
    is never rewritten."""
    expected = list(model.model_fields)
    dec = _read_text(path, rel, MAX_FILE_BYTES, problems, warnings, spreadsheet=True)
    if dec is None:
        return []
    text = dec.text
    delim = _delimiter(text, expected)
    eol = ", Windows line ends (CRLF)" if "\r\n" in text else ", old Mac line ends (CR)" if "\r" in text else ""
    if dec.encoding != "UTF-8" or delim != "," or eol:
        warnings.append(
            Problem(rel, 1, None, f"read as {dec.encoding}, separator {DELIMITER_NAMES[delim]}{eol}; the file was not changed")
        )
    if _half_saved(text, rel, problems):
        return []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as e:
        problems.append(Problem(rel, 1, None, f"unreadable CSV header: {e}"))
        return []
    dupes = [h for h, n in Counter(header).items() if n > 1]
    bad_header = False
    for h in dupes:
        problems.append(Problem(rel, 1, h, "column appears twice"))
        bad_header = True
    optional = getattr(model, "optional_columns", ())
    renamed = {old: new for old, new in getattr(model, "renamed", {}).items() if old in header}
    replaced = {n for new in renamed.values() for n in new}
    missing = [col for col in expected if col not in header and col not in optional and col not in replaced]
    if len(missing) == len(expected) - len(optional) and len(header) == 1:
        problems.append(
            Problem(
                rel,
                1,
                None,
                f"the header has none of the expected columns and no ',' ';' or tab separator; expected: {', '.join(expected)}",
            )
        )
        return []
    for col in missing:
        problems.append(Problem(rel, 1, col, "missing column"))
        bad_header = True
    for col in header:
        if col in renamed:
            problems.append(Problem(rel, 1, col, renamed_message(renamed[col])))
            bad_header = True
        elif col not in expected:
            problems.append(Problem(rel, 1, col or "(blank)", f"unknown column; expected: {', '.join(expected)}"))
            bad_header = True
    if bad_header:
        return []
    out: list[tuple[int, R]] = []
    line = reader.line_num + 1
    n_rows = 0

    def _broken(row: list[str], failed: set[str]) -> None:
        if broken is None:
            return
        raw = dict(zip(header, row))
        if "id" in raw:
            broken.ids.add(raw["id"].strip())
        broken.rows.append((start, raw, failed))

    try:
        for n, row in enumerate(reader):
            start, line = line, reader.line_num + 1
            if n >= MAX_ROWS:
                problems.append(Problem(rel, start, None, f"more than {MAX_ROWS} rows: the limit for one table"))
                break
            if not row or all(not c.strip() for c in row):
                continue
            n_rows += 1
            if len(row) != len(header):
                _broken(row, set(header))
                sep = {",": "commas", ";": "semicolons", "\t": "tabs"}[delim]
                problems.append(
                    Problem(rel, start, None, f"has {len(row)} fields, the header has {len(header)}; check {sep} and quotes")
                )
                continue
            raw = dict(zip(header, row))
            try:
                out.append((start, model.model_validate(raw, context=context)))
            except ValidationError as exc:
                found = list(_row_problems(exc, rel, start))
                failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
                ran_rules = any(isinstance((e.get("ctx") or {}).get("error"), m.RowErrors) for e in exc.errors())
                rules = getattr(model, "row_rules", None)
                if rules and not ran_rules:  # the row's own rules, on the cells that are valid
                    for fe in rules(_partial_values(model, raw, failed, context)):
                        found.append(Problem(rel, start, fe.column, fe.message))
                        failed.add(fe.column)
                _broken(row, failed)
                problems.extend(found)
    except csv.Error as e:
        msg = str(e)
        if "unexpected end of data" in msg:
            msg = 'a quoted cell is never closed (unbalanced "): the file may have been cut while saving'
        problems.append(Problem(rel, line, None, f"unreadable CSV: {msg}"))
        return out
    if n_rows == 0:
        problems.append(Problem(rel, 2, None, "no data rows: the file has a header row only"))
    return out
