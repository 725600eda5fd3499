"""What the desk's tests share: workbooks written with openpyxl, a claim row added to a sheet."""

from __future__ import annotations

import io

import openpyxl

from explainer.desk.workbook import build_workbook


def workbook_with_row(data, row: dict[str, str], sheet: str = "claims", locale: str = "fr-CH") -> tuple[bytes, int]:
    """The desk's downloaded workbook of ``data`` with one row appended to ``sheet`` (cells as text), and that row's number."""
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(data, locale)))
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    r = ws.max_row + 1
    for i, col in enumerate(header, start=1):
        cell = ws.cell(row=r, column=i)
        cell.value = row.get(col, "")
        cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), r


def new_claim(claim_id: str, claimant: str, day: str, **over: str) -> dict[str, str]:
    """A valid claim row for the data's own claimant and a day inside its window (both read by the test)."""
    row = {
        "id": claim_id,
        "date": day,
        "claimant": claimant,
        "measure": "killed",
        "value_low": "4242",
        "value_high": "4242",
        "bound": "exact",
        "scope": "kursk",
        "cumulative": "yes",
        "via": "",
        "quote": "Desk test quote",
        "quote_lang": "en",
        "outlet": "Desk test outlet",
        "source_url": "https://example.org/desk-test",
        "in_article": "no",
        "verification": "single_source",
        "note_fr": "",
        "note_en": "",
    }
    row.update(over)
    return row


FIXTURE_DECISION = "test fixture: publishing is under test here, not the layers' rights"


def decide_uncleared(geo, by: str = "desk test fixture") -> list[str]:
    """Record, in a copy of geo/, a decision for every layer whose rights are not cleared (publishing
    refuses them otherwise: geo/README.md, rights); returns their ids. Never used on the bundled geo/."""
    import datetime as dt

    from explainer import rights as R

    manifest = R.read(geo)
    assert manifest is not None
    ids = [lyr.id for lyr in R.blockers(manifest)]
    for layer_id in ids:
        R.record_decision(geo, layer_id, by, FIXTURE_DECISION, dt.date.today())
    return ids
