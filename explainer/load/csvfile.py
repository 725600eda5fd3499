"""CSV files as spreadsheets write them: separator, header, row limits and rows that fail their checks."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from .. import model as m
from .cells import by_column, cell_problems
from .messages import _row_problems, renamed_message
from .problems import MAX_FILE_BYTES, MAX_ROWS, Problem, R
from .text import _half_saved, _read_text

CSV_DELIMITERS = ",;\t"
_LINE_END = re.compile(r"(\r\n|\r|\n)")
MAX_CELL_LINES = 60  # a quoted cell may span lines (a note with paragraphs); an unclosed quote is looked for no further
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
    encoding: str = "UTF-8"  # how the file was read (named in messages about letters lost to '?')


def _records(lines: list[str], delim: str, start: int, width: int, rel: str) -> Iterator[tuple[int, list[str] | Problem]]:
    """``(line, cells)`` for every record from ``lines[start]`` on, or ``(line, Problem)`` for a line
    that does not parse (a stray or unclosed quote): that line is reported and reading goes on at the
    next line, so that every other problem of the file is still found. A quoted cell may span lines
    (it is taken whole when it closes and the record has ``width`` cells)."""
    i = start
    while i < len(lines):
        j, err = i + 1, None
        while True:
            try:
                rows = list(csv.reader(io.StringIO("".join(lines[i:j]), newline=""), delimiter=delim, strict=True))
                err = None
            except csv.Error as e:
                rows, err = [], str(e)
            if err and "unexpected end of data" in err and j < len(lines) and j - i < MAX_CELL_LINES:
                j += 1  # a quoted cell going on to the next line
                continue
            break
        if err is None and len(rows) <= 1 and (j == i + 1 or not width or len(rows[0]) == width):
            yield i + 1, rows[0] if rows else []
            i = j
            continue
        if err is None or "unexpected end of data" in err or j > i + 1:  # a quote that ran on past its line
            yield i + 1, Problem.said(rel, i + 1, None, "check_csv_open_quote")
        elif "expected after" in err:
            yield i + 1, Problem.said(rel, i + 1, None, "check_csv_stray_quote")
        else:
            yield i + 1, Problem.said(rel, i + 1, None, "check_csv_unreadable", error=err)
        i += 1


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
    if broken is not None:
        broken.encoding = dec.encoding
    delim = _delimiter(text, expected)
    eol = ", Windows line ends (CRLF)" if "\r\n" in text else ", old Mac line ends (CR)" if "\r" in text else ""
    if dec.encoding != "UTF-8" or delim != "," or eol:
        warnings.append(
            Problem(rel, 1, None, f"read as {dec.encoding}, separator {DELIMITER_NAMES[delim]}{eol}; the file was not changed")
        )
    if _half_saved(text, rel, problems):
        return []
    lines = _LINE_END.split(text)
    lines = [a + b for a, b in zip(lines[::2], [*lines[1::2], ""])]
    if lines and not lines[-1]:
        lines.pop()
    first = next(_records(lines, delim, 0, 0, rel), None)
    head = first[1] if first is not None else Problem(rel, 1, None, "empty")
    if isinstance(head, Problem):
        problems.append(Problem(rel, 1, None, f"unreadable CSV header: {head.message}"))
        return []
    header = [h.strip() for h in head]
    dupes = [h for h, n in Counter(header).items() if n > 1]
    bad_header = False
    for h in dupes:
        problems.append(Problem.said(rel, 1, h, "check_column_twice"))
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
        problems.append(Problem.said(rel, 1, col, "check_missing_column"))
        bad_header = True
    for col in header:
        if col in renamed:
            problems.append(Problem(rel, 1, col, renamed_message(renamed[col])))
            bad_header = True
        elif col not in expected:
            problems.append(Problem.said(rel, 1, col or "(blank)", "check_unknown_column", expected=", ".join(expected)))
            bad_header = True
    if bad_header:
        return []
    out: list[tuple[int, R]] = []
    n_rows = 0
    found_by_row: list[tuple[int, dict[str, str], list[Problem]]] = []  # rows with problems, for the column rules

    def _broken(start: int, row: list[str], failed: set[str]) -> None:
        if broken is None:
            return
        raw = dict(zip(header, row))
        if "id" in raw:
            broken.ids.add(raw["id"].strip())
        broken.rows.append((start, raw, failed))

    for n, (start, row) in enumerate(_records(lines, delim, 1, len(header), rel)):
        if n >= MAX_ROWS:
            problems.append(Problem(rel, start, None, f"more than {MAX_ROWS} rows: the limit for one table"))
            break
        if isinstance(row, Problem):  # a line that does not parse: reported, reading goes on at the next line
            problems.append(row)
            n_rows += 1
            loose = next(csv.reader([lines[start - 1].rstrip("\r\n")], delimiter=delim), [])
            _broken(start, loose, set(header))  # its id is still an id (not "unknown" where cited)
            continue
        if not row or all(not c.strip() for c in row):
            continue
        n_rows += 1
        if len(row) != len(header):
            _broken(start, row, set(header))
            sep = {",": "commas", ";": "semicolons", "\t": "tabs"}[delim]
            problems.append(
                Problem(rel, start, None, f"has {len(row)} fields, the header has {len(header)}; check {sep} and quotes")
            )
            continue
        raw = {h: c.strip() for h, c in zip(header, row)}  # the spaces a spreadsheet leaves around a value
        early = cell_problems(model, raw, rel, start, dec.encoding)  # what pydantic would pass or misread
        try:
            rec = model.model_validate(raw, context=context)
        except ValidationError as exc:
            found = list(_row_problems(exc, rel, start))
            failed = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            ran_rules = any(isinstance((e.get("ctx") or {}).get("error"), m.RowErrors) for e in exc.errors())
            rules = getattr(model, "row_rules", None)
            if rules and not ran_rules:  # the row's own rules, on the cells that are valid
                for fe in rules(_partial_values(model, raw, failed, context)):
                    found.append(Problem(rel, start, fe.column, fe.message))
                    failed.add(fe.column)
            mine = {p.column for p in early}
            found = early + [p for p in found if p.column not in mine]
            failed |= {p.column for p in early if p.column}
            _broken(start, row, failed)
            found_by_row.append((start, raw, found))
            continue
        if early:
            _broken(start, row, {p.column for p in early if p.column})
            found_by_row.append((start, raw, early))
            continue
        out.append((start, rec))
    problems.extend(by_column(found_by_row, model, rel))
    if n_rows == 0:
        problems.append(Problem(rel, 2, None, "no data rows: the file has a header row only"))
    return out
