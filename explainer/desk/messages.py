"""The validator's problems in the editor's language, placed where the editor looks: the file, the
workbook's sheet (a data file's stem), the row and the column.

The frame ("file, row, column") is translated here; the message itself is the validator's (its
own language option, when the validator has one, applies to it)."""

from __future__ import annotations

from pathlib import Path

from .. import i18n
from ..load import DATA_FILES, Problem


def describe(p: Problem, locale: str) -> str:
    tr = i18n.bind(locale)
    file = Path(p.path).name
    sheet = Path(file).stem if file in DATA_FILES else None
    where = tr("desk_where_sheet", file=file, sheet=sheet) if sheet else tr("desk_where_file", file=file)
    if p.row is not None and p.column:
        where = tr("desk_where_row_column", where=where, row=p.row, column=p.column)
    elif p.row is not None:
        where = tr("desk_where_row", where=where, row=p.row)
    return tr("desk_problem", where=where, message=p.message_in(tr.lang))
