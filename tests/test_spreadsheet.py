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

from explainer.load import DATA_FILES, MIXED_UTF8, SAVE_AS_UTF8, DataError, load_bundle
from explainer.paths import DATA, GEO

NUMBER = "is not a plain number (digits, '.' for decimals, no thousands separator)"


def problems(data: Path, geo: Path) -> list[str]:
    with pytest.raises(DataError) as excinfo:
        load_bundle(data, geo)
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
