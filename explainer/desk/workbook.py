"""The safe workbook: every data table as one ``.xlsx`` an editor can fill in without a spreadsheet
changing what they typed.

* one sheet per data file (its stem: ``claims``, ``events``...), the rows as they are in the CSV;
* every column typed as text (number format ``@``, the cells themselves and the whole column, so new
  rows too): a spreadsheet keeps ``2025-02-04``, ``0012`` or ``1e3`` as typed instead of turning them
  into dates and numbers;
* drop-down lists (data validation) for every vocabulary of ``explainer/model.py`` (measure, bound,
  scope, category, side...), yes/no columns, and the columns that name a row of another sheet
  (a claim's claimant, an event's place: ``load.REFERENCES``); the lists sit on a hidden ``_lists`` sheet;
* the header row frozen, and each column's rule in its header's comment, in the editor's language.

What comes back from it validates unchanged (``tests/test_desk.py``: download -> read back ->
``load_bundle`` -> the same records). Cells are written as strings (data type ``s``) so that a text
starting with ``=`` stays text, never a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic.fields import FieldInfo

from .. import i18n
from ..load import DATA_FILES, MAX_ROWS, REFERENCES
from ..load import _delimiter as delimiter
from ..model import Record

LISTS = "_lists"  # the hidden sheet of drop-down values (uploads ignore sheets whose name starts with "_")
TEXT = "@"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _walk(annotation: Any) -> list[Any]:
    """Every type and metadata object inside an annotation (Annotated, unions, Literal, FieldInfo)."""
    out: list[Any] = [annotation]
    if isinstance(annotation, FieldInfo):
        out += annotation.metadata
        return out
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        out += _walk(base)
        for m in meta:
            out += _walk(m) if isinstance(m, FieldInfo) else [m]
    elif origin in (Union, types.UnionType):
        for a in get_args(annotation):
            out += _walk(a)
    return out


def vocabulary(model: type[Record], name: str) -> tuple[str, ...]:
    """The values a column accepts when it is a vocabulary (a Literal in the model), else ()."""
    fi = model.model_fields[name]
    for a in _walk(fi.annotation) + list(fi.metadata):
        if get_origin(a) is Literal:
            return tuple(str(v) for v in get_args(a))
    return ()


def _kinds(model: type[Record], name: str) -> list[Any]:
    fi = model.model_fields[name]
    return _walk(fi.annotation) + [x for m in fi.metadata for x in _walk(m)]


def column_rule(model: type[Record], name: str, tr: i18n.Bound) -> str:
    """One column's rule in the editor's language, from the model (shown in the header's comment)."""
    fi = model.model_fields[name]
    found = _kinds(model, name)
    parts = [tr("desk_rule_optional") if not fi.is_required() else tr("desk_rule_required")]
    if name in model.optional_columns:
        parts.append(tr("desk_rule_optional_column"))
    refs = {(f, c): target for f, c, target, _ in REFERENCES}
    file = next((f for f, mdl in DATA_FILES.items() if mdl is model), "")
    vocab = vocabulary(model, name)
    if (file, name) in refs:
        target = refs[(file, name)]
        many = any(get_origin(a) is tuple for a in found)
        parts.append(tr("desk_rule_refs" if many else "desk_rule_ref", sheet=Path(target).stem))
    elif vocab:
        parts.append(tr("desk_rule_one_of", values=", ".join(vocab)))
    elif bool in found:
        parts.append(tr("desk_rule_yes_no"))
    elif dt.date in found:
        parts.append(tr("desk_rule_date"))
    elif float in found or int in found:
        parts.append(tr("desk_rule_number"))
    elif any(get_origin(a) is tuple for a in found):
        parts.append(tr("desk_rule_ids"))
    lengths = [m.max_length for m in found if isinstance(m, MaxLen)]
    if lengths and not vocab:
        parts.append(tr("desk_rule_max", n=min(lengths)))
    patterns = [getattr(m, "pattern", None) for m in found if getattr(m, "pattern", None)]
    if patterns and not vocab and (file, name) not in refs:
        parts.append(tr("desk_rule_pattern", pattern=patterns[0]))
    return " · ".join(parts)


def read_table(path: Path) -> list[list[str]]:
    """A data file's rows (header first) as the validator reads them: its separator, UTF-8 (BOM or not)."""
    model = DATA_FILES[path.name]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text, list(model.model_fields))))
    return [r for r in rows]


def build_workbook(data: Path, locale: str = i18n.DEFAULT_LOCALE) -> bytes:
    """The current tables of ``data`` as one safe ``.xlsx`` (see the module's docstring)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    tr = i18n.bind(locale)
    wb = Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    list_ranges: dict[tuple[str, ...], str] = {}
    last = MAX_ROWS + 1  # validations and text format cover every row a table may have

    def list_range(values: tuple[str, ...]) -> str:
        if values not in list_ranges:
            col = get_column_letter(len(list_ranges) + 1)
            for i, v in enumerate(values, start=1):
                lists[f"{col}{i}"] = v
            list_ranges[values] = f"{quote_sheetname(LISTS)}!${col}$1:${col}${len(values)}"
        return list_ranges[values]

    refs = {(f, c): target for f, c, target, _ in REFERENCES}
    bold = Font(bold=True)
    for name, model in DATA_FILES.items():
        path = data / name
        rows = read_table(path) if path.is_file() else [list(model.model_fields)]
        ws = wb.create_sheet(Path(name).stem)
        header = rows[0] if rows else list(model.model_fields)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                cell.value = value
                cell.data_type = "s"  # text, even "=..." (openpyxl would otherwise write a formula)
                cell.number_format = TEXT
        for c, col in enumerate(header, start=1):
            letter = get_column_letter(c)
            ws.column_dimensions[letter].number_format = TEXT
            width = max([len(col)] + [len(r[c - 1]) for r in rows[1:51] if len(r) >= c])
            ws.column_dimensions[letter].width = min(max(width, 8), 60) + 2
            head = ws.cell(row=1, column=c)
            head.font = bold
            if col not in model.model_fields:
                continue
            comment = Comment(f"{col}: {column_rule(model, col, tr)}", "explainer")
            comment.width, comment.height = 320, 140
            head.comment = comment
            target = refs.get((name, col))
            vocab = vocabulary(model, col)
            kinds = _kinds(model, col)
            formula = None
            if target and not any(get_origin(a) is tuple for a in kinds):
                formula = f"{quote_sheetname(Path(target).stem)}!$A$2:$A${last}"
            elif vocab:
                formula = list_range(vocab)
            elif bool in kinds:
                formula = list_range(("yes", "no"))
            if formula:
                dv = DataValidation(type="list", formula1=formula, allow_blank=True)
                dv.error = tr("desk_list_error", column=col)
                dv.errorTitle = col
                dv.showErrorMessage = True
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{last}")
        ws.freeze_panes = "A2"
    wb.move_sheet(LISTS, offset=len(wb.sheetnames))  # last, out of the way
    wb.active = 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
