"""CSV files as Excel and LibreOffice save them, half-saved files, and every mistake in one run.

Each case copies data/ and geo/, re-saves or breaks one file the way an editor's tool would, and checks
what `load_bundle` makes of it: the same records as the bundled file, one warning saying what was detected,
and the editor's file left byte for byte as it was.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from french import assert_french

from explainer.load import DATA_FILES, MIXED_UTF8, SAVE_AS_UTF8, DataError, load_bundle
from explainer.model import MEASURES
from explainer.paths import DATA, GEO

NUMBER = "is not a plain number (digits, '.' for decimals, no thousands separator)"


def problems(data: Path, geo: Path) -> list[str]:
    with pytest.raises(DataError) as excinfo:
        load_bundle(data, geo)
    assert_french(excinfo.value.problems)  # every message of the corpus, in French too
    return [str(p) for p in excinfo.value.problems]


def resave(path: Path, encoding: str, delimiter: str, lineterminator: str) -> bytes:
    """Write the file as a spreadsheet would; return the bytes written."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    raw = buf.getvalue().encode(encoding)
    path.write_bytes(raw)
    return raw


def records(bundle, fname):
    return {
        "events.csv": bundle.events,
        "claimants.csv": tuple(bundle.claimants.values()),
        "claims.csv": bundle.claims,
        "places.csv": tuple(bundle.places.values()),
    }[fname]


@pytest.fixture(scope="module")
def reference():
    return load_bundle(DATA, GEO)


@pytest.mark.parametrize(
    ("fname", "encoding", "delimiter", "eol", "warning"),
    [
        ("events.csv", "cp1252", ";", "\r\n", "read as Windows-1252, separator ';', Windows line ends (CRLF)"),
        ("events.csv", "utf-8-sig", ";", "\r\n", "read as UTF-8 with BOM, separator ';', Windows line ends (CRLF)"),
        ("events.csv", "utf-8", "\t", "\n", "read as UTF-8, separator tab"),
        ("claimants.csv", "mac_roman", ";", "\r", "read as Mac Roman, separator ';', old Mac line ends (CR)"),
        ("claims.csv", "utf-8", ",", "\r\n", "read as UTF-8, separator ',', Windows line ends (CRLF)"),
    ],
    ids=["excel_windows", "excel_utf8_bom", "libreoffice_tab", "excel_mac", "crlf_only"],
)
def test_spreadsheet_csv_reads_as_the_bundled_file(data_copy, reference, fname, encoding, delimiter, eol, warning):
    data, geo = data_copy
    path = data / fname
    written = resave(path, encoding, delimiter, eol)
    bundle = load_bundle(data, geo)
    assert records(bundle, fname) == records(reference, fname), "every record must read exactly as the original"
    assert [str(w) for w in bundle.warnings] == [f"data/{fname}:1: {warning}; the file was not changed"]
    assert path.read_bytes() == written, "the editor's file is never rewritten"


def test_mac_roman_letters_are_not_misread_as_windows_1252(data_copy):
    # 'è' is byte 0x8F in Mac Roman, which Windows-1252 does not define: the file is read as Mac Roman
    data, geo = data_copy
    path = data / "claimants.csv"
    resave(path, "mac_roman", ";", "\r")
    bundle = load_bundle(data, geo)
    assert any("è" in c.description_fr for c in bundle.claimants.values())


def test_unreadable_encoding_is_one_message_in_french_and_english(data_copy):
    data, geo = data_copy
    path = data / "events.csv"
    resave(path, "utf-16", ";", "\r\n")
    got = problems(data, geo)
    assert got == [f"data/events.csv:1: {SAVE_AS_UTF8}"]
    assert "CSV UTF-8" in got[0] and "enregistrez-le" in got[0]


def test_failed_decoding_quotes_no_byte_of_the_file(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"C009", b"C\xc3\x2809", 1))  # a broken two-byte sequence
    got = problems(data, geo)
    assert len(got) == 1 and got[0].endswith(MIXED_UTF8)
    assert "\\x" not in got[0] and "0xc3" not in got[0].lower()


def test_semicolon_file_without_our_header_is_one_message(data_copy):
    data, geo = data_copy
    (data / "events.csv").write_text("foo|bar|baz\n1|2|3\n", "utf-8")
    got = problems(data, geo)
    assert len(got) == 1 and "none of the expected columns" in got[0], got


# --------------------------------------------------------------------------- half-saved files


def test_bundled_files_end_with_a_line_end():
    for f in [*DATA_FILES, "article.yaml"]:
        assert (DATA / f).read_bytes().endswith(b"\n"), f


@pytest.mark.parametrize("fname", ["claims.csv", "events.csv", "story.csv"])
def test_last_record_cut_inside_a_cell_is_reported(data_copy, fname):
    data, geo = data_copy
    path = data / fname
    raw = path.read_bytes()
    cut = raw.rstrip(b"\n")[:-5]  # the last text cell shortened by five bytes, as a half-saved file
    path.write_bytes(cut)
    got = problems(data, geo)
    assert any(p.startswith(f"data/{fname}:") and "does not end with a line end" in p for p in got), got


def test_last_record_cut_inside_quotes_is_reported(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    text = path.read_text("utf-8")
    last_quote = text.rindex('"', 0, len(text) - 1)
    opening = text.rindex('"', 0, last_quote)  # the last quoted cell: cut just after its opening quote,
    path.write_text(text[: opening + 10] + "\n", "utf-8")  # the line end kept
    got = problems(data, geo)
    assert any("a quoted cell is never closed" in p for p in got), got


def test_article_yaml_cut_is_reported(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    path.write_bytes(path.read_bytes()[:-40])
    got = problems(data, geo)
    assert any(p.startswith("data/article.yaml:") and "does not end with a line end" in p for p in got), got


# --------------------------------------------------------------------------- everything in one pass


def _set(path: Path, key: str, **cells) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    i = next(i for i, r in enumerate(rows) if r[0] == key)
    for col, v in cells.items():
        rows[i][rows[0].index(col)] = v
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return i + 1


ONE_PASS = [  # (case, key, cells, expected problems after 'data/claims.csv:{line}:')
    (
        "unknown_claimant_and_bad_bound",
        "C016",
        {"claimant": "ua_nobody", "bound": "range"},
        [
            "claimant: unknown claimant 'ua_nobody': not an id in claimants.csv",
            "value_high: bound 'range' needs value_low < value_high (use 'exact' or 'approx')",
        ],
    ),
    # a bad date used to hide the bound rule of the same row until the date was fixed
    (
        "bad_date_and_bad_bound",
        "C016",
        {"date": "2024-13-01", "bound": "at_least"},
        ["date: '2024-13-01' is not a real calendar date", "value_high: bound 'at_least' needs value_high empty"],
    ),
    (
        "every_rule_of_a_row",
        "C014",
        {"bound": "none"},
        ["value_high: bound 'none' needs value_high empty", "value_low: bound 'none' needs value_low empty"],
    ),
]


@pytest.mark.parametrize(("key", "cells", "expected"), [c[1:] for c in ONE_PASS], ids=[c[0] for c in ONE_PASS])
def test_a_row_is_checked_completely_in_one_pass(data_copy, key, cells, expected):
    data, geo = data_copy
    line = _set(data / "claims.csv", key, **cells)
    assert problems(data, geo) == [f"data/claims.csv:{line}:{e}" for e in expected]


def test_event_with_a_bad_cell_still_has_its_place_and_claims_checked(data_copy):
    data, geo = data_copy
    line = _set(data / "events.csv", "E010", category="war", place="atlantis", claims="C014 C999")
    assert problems(data, geo) == [
        f"data/events.csv:{line}:category: 'war' is not one of: diplomacy, deployment, combat, territory, "
        "casualties or prisoners",
        f"data/events.csv:{line}:claims: unknown claim 'C999': not an id in claims.csv",
        f"data/events.csv:{line}:place: unknown place 'atlantis': not an id in places.csv",
    ]


def test_duplicate_id_on_an_invalid_row_is_reported(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    first = next(i for i, r in enumerate(rows) if r[0] == "C020") + 1
    copy = list(rows[first - 1])
    copy[rows[0].index("value_low")] = "abc"
    rows.append(copy)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    assert problems(data, geo) == [
        f"data/claims.csv:{len(rows)}:id: duplicate id 'C020' (first on line {first})",
        f"data/claims.csv:{len(rows)}:value_low: 'abc' {NUMBER}",
    ]


def test_invalid_claim_compared_in_the_lead_is_reported_once(data_copy):
    # C036 is an article claim and a row of the lead graphic: only its own mistake is reported
    data, geo = data_copy
    line = _set(data / "claims.csv", "C036", value_low="abc")
    assert problems(data, geo) == [f"data/claims.csv:{line}:value_low: 'abc' {NUMBER}"]


# --------------------------------------------------------------------------- nothing an editor saves is silently changed


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",", eol: str = "\n", **kw) -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=eol, **kw).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))


def _libreoffice_windows_1252(path: Path) -> None:
    """places.csv re-saved the way LibreOffice 7.4 saves a sheet as 'Text CSV' with the character set
    'Western Europe (Windows-1252)': ';' separator, CRLF, and every character Windows-1252 cannot
    write replaced by '?' (Python's errors="replace" writes the same '?')."""
    _write(path, _rows(path), encoding="cp1252", delimiter=";", eol="\r\n")


def test_cyrillic_lost_to_windows_1252_is_an_error_on_every_row(data_copy, reference):
    data, geo = data_copy
    path = data / "places.csv"
    local = [(i + 1, r[4]) for i, r in enumerate(_rows(path)) if i and r[4] in ("ru", "uk", "ko")]
    assert {lang for _, lang in local} == {"ru", "uk", "ko"}
    _libreoffice_windows_1252(path)
    got = problems(data, geo)
    script = {"ru": ("Cyrillic", "name"), "uk": ("Cyrillic", "name"), "ko": ("Korean", "text")}
    assert got == [
        f"data/places.csv:{line}:name_local: {script[lang][0]} letters were replaced by '?' when this file was saved as "
        f"Windows-1252 (the language is '{lang}'): save as 'CSV UTF-8' and type the {script[lang][1]} again"
        for line, lang in local
    ]


def test_letters_lost_since_the_last_valid_data_keep_it_in_service(data_copy, tmp_path, monkeypatch):
    """A text without a declared language (an outlet's name) that had Cyrillic letters in the data in
    service and now has '?' at the same places: the store reports it and keeps the last valid data."""
    from explainer.store import DataStore

    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "cache"))
    data, geo = data_copy
    path = data / "claims.csv"
    line = _set(path, "C016", outlet="ТАСС")
    store = DataStore(data, geo)
    before = store.get()
    assert before.ok and before.bundle.claim_by_id["C016"].outlet == "ТАСС"
    _write(path, _rows(path), encoding="cp1252", delimiter=";", eol="\r\n")  # LibreOffice 7.4, as above
    after = store.get()
    # quotes in Cyrillic or Korean lose their letters too: those are found by their declared language
    outlet = [str(p) for p in after.problems if p.column == "outlet"]
    assert outlet == [
        f"data/claims.csv:{line}:outlet: Cyrillic letters were replaced by '?' when this file was saved as "
        "Windows-1252 (the last valid data has 'ТАСС'): save as 'CSV UTF-8'"
    ]
    assert all(p.column == "quote" and "(the language is" in p.message for p in after.problems if p.column != "outlet")
    assert after.bundle is before.bundle  # the last valid data stays in service
    with pytest.raises(DataError) as alone:  # without the last valid data the outlet cannot be told (the quotes can)
        load_bundle(data, geo)
    assert [p for p in alone.value.problems if p.column == "outlet"] == []


THOUSANDS = ["1.100", "1'100", "1\u2019100", "1 100", "1\u00a0100", "1\u202f100", "1,100"]


@pytest.mark.parametrize("typed", THOUSANDS, ids=["dot", "apostrophe", "typographic", "space", "nbsp", "narrow_nbsp", "comma"])
def test_thousands_separator_in_a_count_is_an_error(data_copy, typed):
    # C016 counts troops; a Swiss spreadsheet writes 1'100 or 1.100, a French one 1 100 (narrow no-break space)
    data, geo = data_copy
    path = data / "claims.csv"
    line = _set(path, "C016", value_low=typed, value_high=typed)
    _write(path, _rows(path), encoding="utf-8-sig", delimiter=";", eol="\r\n")
    assert problems(data, geo) == [
        f"data/claims.csv:{line}:value_high: '{typed}': write 1100 (no thousands separator)",
        f"data/claims.csv:{line}:value_low: '{typed}': write 1100 (no thousands separator)",
    ]


def test_a_count_is_whole_and_an_area_may_be_decimal(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    line = _set(path, "C016", value_low="12.5", value_high="12.5")
    _set(path, "C004", value_low="1150.5", value_high="1150.5")  # km²: decimals allowed
    _set(path, "C002", value_low="1.100", value_high="1.100")  # km²: '1.100' is 1.1 km², as typed
    got = problems(data, geo)
    assert got == [
        f"data/claims.csv:{line}:value_high: '12.5' is not a whole number: troops_deployed counts people, write a whole "
        "number (decimals only for areas, shares and rates)",
        f"data/claims.csv:{line}:value_low: '12.5' is not a whole number: troops_deployed counts people, write a whole "
        "number (decimals only for areas, shares and rates)",
    ]
    _set(path, "C016", value_low="12000", value_high="12000")
    bundle = load_bundle(data, geo)
    assert bundle.claim_by_id["C004"].value_low == 1150.5 and bundle.claim_by_id["C002"].value_low == 1.1


def _dates(path: Path, fmt) -> list[int]:
    rows = _rows(path)
    col = rows[0].index("date")
    for r in rows[1:]:
        r[col] = fmt(r[col])
    _write(path, rows, delimiter=";", eol="\r\n")
    return list(range(2, len(rows) + 1))


def test_a_date_column_in_swiss_form_is_one_message_with_the_iso_dates(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    iso = [r[1] for r in _rows(path)[1:]]
    lines = _dates(path, lambda d: f"{d[8:10]}.{d[5:7]}.{d[:4]}")
    got = problems(data, geo)
    example = f"{iso[0][8:10]}.{iso[0][5:7]}.{iso[0][:4]}"
    assert got == [
        f"data/claims.csv:2:date: {len(lines)} dates in this column are written like '{example}' (DD.MM), not "
        f"YYYY-MM-DD (lines 2–{lines[-1]}); they probably mean {iso[0]} (2), {iso[1]} (3), {iso[2]} (4), … (line in "
        "brackets): format the column as text in YYYY-MM-DD form and save again"
    ]


def test_a_date_column_day_or_month_first_is_said_to_be_ambiguous(data_copy):
    # 02/04/25: the 2nd of April or the 4th of February; no row with a number above 12 settles it
    data, geo = data_copy
    path = data / "story.csv"
    lines = _dates(path, lambda d: "02/04/25")
    assert problems(data, geo) == [
        f"data/story.csv:2:date: {len(lines)} dates in this column are written like '02/04/25', not YYYY-MM-DD "
        f"(lines 2–{lines[-1]}); no row tells whether the day or the month comes first (none is above 12): check "
        "which, then write them YYYY-MM-DD"
    ]


def test_a_date_column_month_first_is_settled_by_a_day_above_12(data_copy):
    data, geo = data_copy
    path = data / "story.csv"
    iso = [r[1] for r in _rows(path)[1:]]
    assert any(int(d[8:10]) > 12 for d in iso)
    lines = _dates(path, lambda d: f"{int(d[5:7])}/{int(d[8:10])}/{d[2:4]}")  # Excel, US settings
    got = problems(data, geo)
    assert len(got) == 1 and got[0].startswith(f"data/story.csv:2:date: {len(lines)} dates in this column"), got
    assert f"(MM/DD), not YYYY-MM-DD (lines 2–{lines[-1]}); they probably mean {iso[0]} (2), {iso[1]} (3)" in got[0]


def test_stray_and_unclosed_quotes_leave_the_rest_of_the_file_checked(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    plain = [i + 1 for i, t in enumerate(lines) if i and '"' not in t]  # lines without any quote
    stray, unclosed = plain[0], plain[3]  # 1-based lines
    lines[stray - 1] = lines[stray - 1].replace(",", ',"x"y', 1)  # a quote, text after it: '"x"y'
    cells = lines[unclosed - 1].split(",")
    cells[3] = '"' + cells[3]  # a quote opened at the start of a cell and never closed
    lines[unclosed - 1] = ",".join(cells)
    lines.append(lines[40])  # a duplicate id further down
    path.write_text("".join(lines), "utf-8")
    dup = lines[40].split(",")[0]
    got = problems(data, geo)
    assert got == [
        f'data/claims.csv:{stray}: a stray quote ("): a cell that starts with a quote must end with one just before the '
        "separator; this line was skipped and checking went on at the next line",
        f'data/claims.csv:{unclosed}: a quoted cell is never closed (unbalanced "): close the quote or remove it; this '
        "line was skipped and checking went on at the next line",
        f"data/claims.csv:{len(lines)}:id: duplicate id '{dup}' (first on line 41)",
    ]


def test_an_excel_workbook_saved_under_a_csv_name_is_named(data_copy):
    openpyxl = pytest.importorskip("openpyxl")
    data, geo = data_copy
    path = data / "claims.csv"
    wb = openpyxl.Workbook()
    for row in _rows(path):
        wb.active.append(row)
    wb.save(path)  # what "Save" does in Excel when the workbook was opened from claims.csv and kept as .xlsx
    assert path.read_bytes()[:2] == b"PK"
    assert problems(data, geo) == [
        "data/claims.csv: this is an Excel workbook saved under a .csv name: in Excel choose File > Save As > CSV UTF-8"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the OLE2 signature that starts every Excel 97-2003 .xls file (no writer for that format here)
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "this is an old Excel workbook (.xls) saved under a .csv name"),
        (b"<!DOCTYPE html>\n<html><head><title>claims.csv</title></head><body>...</body></html>\n", "this is a web page (HTML)"),
        ("zip", "this is a zip archive saved under a .csv name: unzip it and use the file inside"),
    ],
    ids=["xls", "html", "zip"],
)
def test_not_a_csv_under_a_csv_name_is_named(data_copy, raw, expected):
    import zipfile

    data, geo = data_copy
    path = data / "claims.csv"
    if raw == "zip":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("claims.csv", (DATA / "claims.csv").read_text("utf-8"))
    else:
        path.write_bytes(raw)
    got = problems(data, geo)
    assert len(got) == 1 and got[0].startswith(f"data/claims.csv: {expected}"), got


def test_the_same_records_saved_again_keep_their_data_version(data_copy, reference):
    data, geo = data_copy
    path = data / "claims.csv"
    rows = _rows(path)
    order = [rows[0].index(c) for c in reversed(rows[0])]  # columns in another order
    padded = [[r[i] + (" " if r[i] and k % 2 else "") for k, i in enumerate(order)] for r in rows]  # trailing spaces
    _write(path, padded, encoding="utf-8-sig", delimiter=";", eol="\r\n", quoting=csv.QUOTE_ALL)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    again = load_bundle(data, geo)
    assert again.version == reference.version
    _write(path, rows)
    _set(path, "C016", value_low="12001", value_high="12001")  # one value changed
    assert load_bundle(data, geo).version != reference.version


def test_a_renamed_or_retyped_value_gets_a_suggestion(data_copy):
    data, geo = data_copy
    line = _set(data / "claims.csv", "C016", claimant="kr_nsi", measure="troops_deploy")
    assert problems(data, geo) == [
        f"data/claims.csv:{line}:claimant: unknown claimant 'kr_nsi': not an id in claimants.csv; did you mean 'kr_nis'?",
        f"data/claims.csv:{line}:measure: 'troops_deploy' is not one of: {', '.join(m for m in MEASURES[:-1])} or "
        f"{MEASURES[-1]}; did you mean 'troops_deployed'?",
    ]


def test_invalid_json_in_a_one_line_layer_names_the_feature_with_an_excerpt(data_copy):
    data, geo = data_copy
    path = geo / "control_deepstate.geojson"
    raw = path.read_bytes()
    assert raw.count(b"\n") <= 1 and len(raw) > 1_000_000  # one line, over a megabyte
    path.write_bytes(raw.replace(b'"kind"', b'"kind" "', 1))
    got = problems(data, geo)
    assert len(got) == 1, got
    assert got[0].startswith("geo/control_deepstate.geojson:feature 1: invalid JSON: "), got
    assert "col " not in got[0] and "near: …" in got[0] and "⟨here⟩" in got[0] and len(got[0]) < 200, got


def test_the_last_valid_data_is_read_only_for_a_text_that_may_have_lost_letters(data_copy):
    # URLs ('?q=') and question marks in the bundled texts are not letters lost to '?': no second load
    data, geo = data_copy
    asked: list[int] = []
    load_bundle(data, geo, previous=lambda: asked.append(1))
    assert asked == []
    _set(data / "claims.csv", "C016", outlet="????")
    load_bundle(data, geo, previous=lambda: asked.append(1))
    assert asked == [1]
