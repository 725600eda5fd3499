"""Malformed editor files: every case copies data/ and geo/, breaks ONE thing and checks the exact messages.

Messages are what an editor reads (``path:row:column: message``), so they are compared as whole strings.
Row numbers are looked up in the copy (the line of the record that was broken) so that the cases keep
working when editors add or reorder rows; everything else in each expected string is literal.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from french import assert_french

from explainer import model as m
from explainer.load import MIXED_UTF8, DataError, load_bundle
from explainer.paths import DATA, GEO, ROOT

RESEARCH_CLAIMS = ROOT.parent / "shared" / "research" / "claims.csv"


NUMBER = "is not a plain number (digits, '.' for decimals, no thousands separator)"
MEASURES = (
    "killed, wounded, killed_or_wounded, casualties_incl_missing, killed_acknowledged, casualty_rate_per_day, "
    "wounded_repatriated, troops_deployed, troops_present, reinforcements, officers, officers_killed, generals, "
    "captured, area_held_km2, area_held_peak_km2, area_retaken_km2, area_retaken_pct, settlements_held, "
    "other_casualties, equipment, area_demined_ha, explosives_destroyed or statement"
)
# data/site.yaml: latest: today+1, so the window's end is filled in when a test checks, not when the
# module is read (a run that crosses midnight would expect yesterday's window)
WINDOW_END = "<window end>"


def _window_end() -> str:
    return (dt.date.today() + dt.timedelta(days=1)).isoformat()


def assert_problems(data_dir: Path, geo_dir: Path, wanted: list[str]) -> None:
    """``problems`` is ``wanted`` with the window's end of today (of the day before or after the load, when
    it crossed midnight)."""
    before = _window_end()
    found = problems(data_dir, geo_dir)
    assert found in [[w.replace(WINDOW_END, end) for w in wanted] for end in (before, _window_end())], found


BOWTIE = [[[35.0, 51.0], [36.0, 52.0], [36.0, 51.0], [35.0, 52.0], [35.0, 51.0]]]


# --------------------------------------------------------------------------- helpers


def problems(data_dir: Path, geo_dir: Path) -> list[str]:
    with pytest.raises(DataError) as excinfo:
        load_bundle(data_dir, geo_dir)
    assert_french(excinfo.value.problems)  # every message of the corpus, in French too
    return [str(p) for p in excinfo.value.problems]


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    # the helpers below count a record's line as its index + 1: true while no cell holds a newline
    assert len(rows) == len(path.read_text("utf-8").splitlines()), f"{path.name}: a cell spans several lines"
    return rows


def write_rows(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def line_of(path: Path, key: str) -> int:
    """1-based line of the record whose first cell is ``key``."""
    return next(i + 1 for i, r in enumerate(read_rows(path)) if r and r[0] == key)


def set_cells(path: Path, key: str, **cells: str) -> int:
    """Overwrite some cells of the record ``key``; return its line."""
    rows = read_rows(path)
    line = line_of(path, key)
    header = rows[0]
    for col, value in cells.items():
        rows[line - 1][header.index(col)] = value
    write_rows(path, rows)
    return line


def append_copy(path: Path, key: str) -> tuple[int, int]:
    """Append a second copy of record ``key``; return (first line, new line)."""
    rows = read_rows(path)
    first = line_of(path, key)
    rows.append(list(rows[first - 1]))
    write_rows(path, rows)
    return first, len(rows)


def edit_columns(path: Path, fn) -> None:
    rows = read_rows(path)
    fn(rows)
    write_rows(path, rows)


def line_containing(path: Path, text: str) -> int:
    return next(i + 1 for i, t in enumerate(path.read_text("utf-8").splitlines()) if text in t)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} not unique in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def edit_geojson(path: Path, fn) -> None:
    doc = json.loads(path.read_text("utf-8"))
    fn(doc)
    path.write_text(json.dumps(doc), "utf-8")


# --------------------------------------------------------------------------- one bad cell -> exactly one message

CELL_CASES = [
    # wrong types
    ("number_letters", "claims.csv", "C014", {"value_low": "abc"}, "value_low", f"'abc' {NUMBER}"),
    (
        "number_thousands",
        "claims.csv",
        "C016",
        {"value_low": "12,000"},
        "value_low",
        "'12,000': write 12000 (no thousands separator)",
    ),
    ("number_lon", "places.csv", "kursk", {"lon": "36,18"}, "lon", f"'36,18' {NUMBER}"),
    ("integer_step", "story.csv", "3", {"step": "three"}, "step", "'three' is not a number"),
    # dates
    ("date_format", "claims.csv", "C014", {"date": "24/10/2024"}, "date", "'24/10/2024' is not a date in YYYY-MM-DD form"),
    ("date_impossible", "claims.csv", "C014", {"date": "2025-02-30"}, "date", "'2025-02-30' is not a real calendar date"),
    (
        "date_after_range",
        "claims.csv",
        "C014",
        {"date": "2099-01-01"},
        "date",
        f"date 2099-01-01 is outside the window set in site.yaml (dates): 2024-01-01 … {WINDOW_END}",
    ),
    (
        "date_before_range",
        "events.csv",
        "E010",
        {"date": "2023-12-31"},
        "date",
        f"date 2023-12-31 is outside the window set in site.yaml (dates): 2024-01-01 … {WINDOW_END}",
    ),
    ("date_empty", "claims.csv", "C014", {"date": ""}, "date", "required (the cell is empty)"),
    (
        "date_month_precision",
        "events.csv",
        "E010",
        {"date_precision": "month"},
        "date",
        "a month-precision date is written as the 1st of the month",
    ),
    # values and bounds
    (
        "low_above_high",
        "claims.csv",
        "C014",
        {"bound": "range", "value_low": "5", "value_high": "3"},
        "value_low",
        "value_low 5 is greater than value_high 3",
    ),
    (
        "exact_different_values",
        "claims.csv",
        "C014",
        {"value_high": "4"},
        "value_high",
        "bound 'exact' needs value_low = value_high (use 'range' for 3–4)",
    ),
    (
        "approx_different_values",
        "claims.csv",
        "C015",
        {"value_low": "400"},
        "value_high",
        "bound 'approx' needs value_low = value_high (use 'range' for 400–500)",
    ),
    ("at_least_with_high", "claims.csv", "C014", {"bound": "at_least"}, "value_high", "bound 'at_least' needs value_high empty"),
    ("at_least_without_low", "claims.csv", "C036", {"value_low": ""}, "value_low", "bound 'at_least' needs value_low"),
    ("at_most_with_low", "claims.csv", "C014", {"bound": "at_most"}, "value_low", "bound 'at_most' needs value_low empty"),
    ("at_least_with_high", "claims.csv", "C014", {"bound": "at_least"}, "value_high", "bound 'at_least' needs value_high empty"),
    (
        "range_equal_values",
        "claims.csv",
        "C014",
        {"bound": "range"},
        "value_high",
        "bound 'range' needs value_low < value_high (use 'exact' or 'approx')",
    ),
    (
        "statement_with_number",
        "claims.csv",
        "C001",
        {"bound": "exact", "value_low": "1", "value_high": "1"},
        "bound",
        "measure 'statement' carries no number: bound must be 'none'",
    ),
    # vocabularies
    ("unknown_measure", "claims.csv", "C014", {"measure": "kills"}, "measure", f"'kills' is not one of: {MEASURES}"),
    (
        "unknown_bound",
        "claims.csv",
        "C014",
        {"bound": "about"},
        "bound",
        "'about' is not one of: exact, approx, at_least, at_most, range or none",
    ),
    (
        "unknown_scope",
        "claims.csv",
        "C014",
        {"scope": "local"},
        "scope",
        "'local' is not one of: kursk, russia, war, sector or unspecified",
    ),
    (
        "unknown_side",
        "claimants.csv",
        "ua_hur",
        {"side": "Ukraine"},
        "side",
        "'Ukraine' is not one of: UA, RU, KP, KR, US, UK or other",
    ),
    (
        "unknown_claimant_kind",
        "claimants.csv",
        "ua_hur",
        {"kind": "spy"},
        "kind",
        (
            "'spy' is not one of: head_of_state, military, intelligence, government, diplomat, regional_authority, "
            "state_media, media, think_tank, osint or anonymous_officials"
        ),
    ),
    (
        "unknown_category",
        "events.csv",
        "E010",
        {"category": "battle"},
        "category",
        "'battle' is not one of: diplomacy, deployment, combat, territory, casualties or prisoners",
    ),
    (
        "unknown_verification",
        "claims.csv",
        "C014",
        {"verification": "confirmed"},
        "verification",
        "'confirmed' is not one of: corroborated or single_source",
    ),
    ("yes_no_maybe", "claims.csv", "C014", {"in_article": "maybe"}, "in_article", "must be 'yes' or 'no'"),
    ("yes_no_true", "events.csv", "E010", {"in_article": "true"}, "in_article", "must be 'yes' or 'no'"),
    # forms of ids and URLs
    (
        "slug_with_space",
        "events.csv",
        "E010",
        {"place": "Sudzha town"},
        "place",
        "'Sudzha town' does not have the expected form (lowercase letters, digits and _ only, no spaces)",
    ),
    (
        "two_places",
        "events.csv",
        "E010",
        {"place": "sudzha kursk"},
        "place",
        "one place per event: the main one ('sudzha kursk' names 2; mention the others in the summary)",
    ),
    (
        "url_ftp",
        "claims.csv",
        "C014",
        {"source_url": "ftp://example.org/report.pdf"},
        "source_url",
        "'ftp://example.org/report.pdf' is not an absolute http(s) URL",
    ),
    (
        "url_no_scheme",
        "events.csv",
        "E010",
        {"source_url": "www.example.org/news"},
        "source_url",
        "'www.example.org/news' is not an absolute http(s) URL",
    ),
    # texts
    ("quote_too_long", "claims.csv", "C014", {"quote": "x" * 301}, "quote", "too long: 301 characters, at most 300"),
    ("name_too_long", "claimants.csv", "ua_hur", {"name_en": "n" * 81}, "name_en", "too long: 81 characters, at most 80"),
    ("optional_text_too_long", "claims.csv", "C014", {"via": "v" * 201}, "via", "too long: 201 characters, at most 200"),
    ("required_text_empty", "claims.csv", "C014", {"quote": "  "}, "quote", "required (the cell is empty)"),
    # places
    ("lon_without_lat", "places.csv", "kursk", {"lat": ""}, "lat", "lon and lat go together: give both or neither"),
    ("coords_without_source", "places.csv", "kursk", {"coord_source": ""}, "coord_source", "coordinates need a coord_source"),
]


@pytest.mark.parametrize(
    ("fname", "key", "cells", "column", "message"), [c[1:] for c in CELL_CASES], ids=[c[0] for c in CELL_CASES]
)
def test_bad_cell(data_copy, fname, key, cells, column, message):
    data, geo = data_copy
    line = set_cells(data / fname, key, **cells)
    assert_problems(data, geo, [f"data/{fname}:{line}:{column}: {message}"])


# --------------------------------------------------------------------------- cross-file references


@pytest.mark.parametrize(
    ("fname", "key", "column", "value", "message"),
    [
        ("claims.csv", "C014", "claimant", "ua_nobody", "unknown claimant 'ua_nobody': not an id in claimants.csv"),
        ("events.csv", "E010", "place", "atlantis", "unknown place 'atlantis': not an id in places.csv"),
        ("events.csv", "E010", "claims", "C014 C999", "unknown claim 'C999': not an id in claims.csv"),
        ("story.csv", "3", "event_ids", "E010 E999", "unknown event 'E999': not an id in events.csv"),
    ],
    ids=["claimant", "place", "claim", "event"],
)
def test_dangling_reference(data_copy, fname, key, column, value, message):
    data, geo = data_copy
    line = set_cells(data / fname, key, **{column: value})
    assert_problems(data, geo, [f"data/{fname}:{line}:{column}: {message}"])


def test_invalid_row_is_not_also_reported_as_unknown_elsewhere(data_copy):
    # C014 is cited by article.yaml and events.csv: only its own mistake is reported, not "unknown claim" twice more
    data, geo = data_copy
    line = set_cells(data / "claims.csv", "C014", value_low="abc")
    assert problems(data, geo) == [f"data/claims.csv:{line}:value_low: 'abc' {NUMBER}"]


@pytest.mark.parametrize(
    ("fname", "key"),
    [
        ("claimants.csv", "ua_hur"),
        ("claims.csv", "C014"),
        ("events.csv", "E010"),
        ("places.csv", "sudzha"),
    ],
)
def test_duplicate_id(data_copy, fname, key):
    data, geo = data_copy
    first, second = append_copy(data / fname, key)
    assert problems(data, geo) == [f"data/{fname}:{second}:id: duplicate id '{key}' (first on line {first})"]


def test_duplicate_story_step(data_copy):
    data, geo = data_copy
    first = line_of(data / "story.csv", "2")
    line = set_cells(data / "story.csv", "3", step="2")
    assert problems(data, geo) == [f"data/story.csv:{line}:step: duplicate step '2' (first on line {first})"]


def test_duplicate_area_date(data_copy):
    data, geo = data_copy
    first, second = append_copy(geo / "control_deepstate_areas.csv", "2024-08-06")
    assert problems(data, geo) == [
        f"geo/control_deepstate_areas.csv:{second}:date: duplicate date '2024-08-06' (first on line {first})"
    ]


# --------------------------------------------------------------------------- CSV structure


def test_missing_column(data_copy):
    data, geo = data_copy
    col = read_rows(data / "claims.csv")[0].index("scope")
    edit_columns(data / "claims.csv", lambda rows: [r.pop(col) for r in rows])
    assert problems(data, geo) == ["data/claims.csv:1:scope: missing column"]


def test_extra_column(data_copy):
    data, geo = data_copy
    edit_columns(data / "claimants.csv", lambda rows: [r.append("x") for r in rows])
    assert problems(data, geo) == [
        "data/claimants.csv:1:x: unknown column; expected: id, name_fr, name_en, short_fr, short_en, side, kind, description_fr, "
        "description_en, colour"
    ]


def test_duplicated_column(data_copy):
    data, geo = data_copy
    col = read_rows(data / "claims.csv")[0].index("quote")
    edit_columns(data / "claims.csv", lambda rows: [r.append(r[col]) for r in rows])
    assert problems(data, geo) == ["data/claims.csv:1:quote: column appears twice"]


def test_row_with_too_many_fields(data_copy):
    data, geo = data_copy
    line = line_of(data / "claims.csv", "C005")
    edit_columns(data / "claims.csv", lambda rows: rows[line - 1].append("stray"))
    n = len(read_rows(data / "claims.csv")[0])
    assert problems(data, geo) == [f"data/claims.csv:{line}: has {n + 1} fields, the header has {n}; check commas and quotes"]


def test_row_with_too_few_fields(data_copy):
    data, geo = data_copy
    line = line_of(data / "places.csv", "sudzha")
    edit_columns(data / "places.csv", lambda rows: rows[line - 1].pop())
    assert problems(data, geo) == [f"data/places.csv:{line}: has 8 fields, the header has 9; check commas and quotes"]


def test_broken_utf8(data_copy):
    # one bad byte in a UTF-8 file is a mistake on that line, not a Windows-1252 file: never decoded as
    # mojibake, never quoted in the message
    data, geo = data_copy
    path = data / "claims.csv"
    line = line_of(path, "C009")
    lines = path.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1].replace(b"C009", b"C\xff09", 1)
    path.write_bytes(b"\n".join(lines))
    assert problems(data, geo) == [f"data/claims.csv:{line}: {MIXED_UTF8}"]


def test_bom_is_a_warning_only(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    bundle = load_bundle(data, geo)
    assert [str(w) for w in bundle.warnings] == [
        "data/claims.csv:1: read as UTF-8 with BOM, separator ','; the file was not changed"
    ]
    assert "C014" in bundle.claim_by_id


def test_bom_in_yaml_is_a_warning_only(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    bundle = load_bundle(data, geo)
    assert [str(w) for w in bundle.warnings] == ["data/article.yaml:1: starts with a byte-order mark (BOM); it was ignored"]


def test_empty_file(data_copy):
    data, geo = data_copy
    (data / "claims.csv").write_bytes(b"")
    assert problems(data, geo) == [
        "data/claims.csv:1: file is empty (0 bytes): it may not have been saved; save it again from the spreadsheet"
    ]


def test_header_only_file(data_copy):
    data, geo = data_copy
    path = data / "claimants.csv"
    path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    assert problems(data, geo) == ["data/claimants.csv:2: no data rows: the file has a header row only"]


def test_huge_file(data_copy):
    data, geo = data_copy
    path = data / "events.csv"
    path.write_bytes(path.read_bytes() + b"\n" * (5_100_000 - path.stat().st_size))
    assert problems(data, geo) == ["data/events.csv: file is 5.1 MB; the limit is 5 MB"]


def test_missing_file(data_copy):
    data, geo = data_copy
    (data / "places.csv").unlink()
    assert problems(data, geo) == ["data/places.csv: file is missing"]


# --------------------------------------------------------------------------- article.yaml


def test_article_invalid_yaml(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    line = line_containing(path, "claimant_label_fr: le renseignement sud-coréen")
    replace_once(path, "claimant_label_fr: le renseignement sud-coréen", "claimant_label_fr: source: le renseignement sud-coréen")
    assert problems(data, geo) == [
        (
            f"data/article.yaml:{line}: invalid YAML: mapping values are not allowed here; "
            "check quotes, colons and indentation on this line or the lines above"
        )
    ]


def test_article_cites_unknown_claim(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    line = line_containing(path, "claim_ids: [C036]")
    compared = line_containing(path, "- claim: C036")  # the lead graphic compares it: no longer an article claim
    row = [c["claim"] for c in yaml.safe_load(path.read_text("utf-8"))["lead"]["compare"]].index("C036")
    replace_once(path, "claim_ids: [C036]", "claim_ids: [C999]")
    assert problems(data, geo) == [
        f"data/article.yaml:{compared}:lead.compare.{row}.claim: claim 'C036' is not one of the article's claims "
        "(claims.*.claim_ids)",
        f"data/article.yaml:{line}:claims.A02.claim_ids: unknown claim 'C999': not an id in claims.csv",
        (
            f"data/claims.csv:{line_of(data / 'claims.csv', 'C036')}:in_article: "
            "claim 'C036' is marked in_article=yes but article.yaml does not cite it"
        ),
    ]


def test_in_article_claim_not_cited(data_copy):
    data, geo = data_copy
    line = set_cells(data / "claims.csv", "C002", in_article="yes")
    assert problems(data, geo) == [
        f"data/claims.csv:{line}:in_article: claim 'C002' is marked in_article=yes but article.yaml does not cite it"
    ]


def test_article_cites_claim_marked_not_in_article(data_copy):
    data, geo = data_copy
    set_cells(data / "claims.csv", "C037", in_article="no")
    line = line_containing(data / "article.yaml", "claim_ids: [C037]")
    assert problems(data, geo) == [
        f"data/article.yaml:{line}:claims.A10.claim_ids: claim 'C037' is cited but marked in_article=no in claims.csv"
    ]


def test_article_claim_missing_field(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    line = line_containing(path, "- id: A03")
    text = path.read_text("utf-8").splitlines(keepends=True)
    drop = next(i for i in range(line, len(text)) if text[i].strip().startswith("claimant_label_en:"))
    path.write_text("".join(text[:drop] + text[drop + 1 :]), "utf-8")
    assert problems(data, geo) == [f"data/article.yaml:{line}:claims.2.claimant_label_en: required"]


# --------------------------------------------------------------------------- geo/manifest.yaml


def test_manifest_invalid_yaml(data_copy):
    data, geo = data_copy
    path = geo / "manifest.yaml"
    replace_once(path, "bbox: [33.0, 50.0, 38.5, 52.6]", "bbox: [33.0, 50.0, 38.5, 52.6")
    line = line_containing(path, "layers:")
    assert problems(data, geo) == [
        (
            f"geo/manifest.yaml:{line}: invalid YAML: expected ',' or ']', but got ':'; "
            "check quotes, colons and indentation on this line or the lines above"
        )
    ]


def test_manifest_layer_missing_field(data_copy):
    data, geo = data_copy
    path = geo / "manifest.yaml"
    replace_once(path, "  licence_en: Public domain (Natural Earth); world-atlas package ISC\n", "")
    line = line_containing(path, "- id: countries")
    assert problems(data, geo) == [f"geo/manifest.yaml:{line}:layers.0.licence_en: required"]


RENAMED = "this field was renamed: write {} instead (every translated field ends in _fr or _en)"


def test_article_with_the_former_title_field(data_copy):
    """An editor's older article.yaml (``title:``) is told the new name, and not also that title_fr is required."""
    data, geo = data_copy
    path = data / "article.yaml"
    replace_once(path, "\ntitle_fr: ", "\ntitle: ")
    line = line_containing(path, "title: Ukraine.")
    assert problems(data, geo) == [f"data/article.yaml:{line}:title: " + RENAMED.format("'title_fr'")]


def test_manifest_with_the_former_licence_and_attribution_fields(data_copy):
    data, geo = data_copy
    path = geo / "manifest.yaml"
    replace_once(path, "  licence_fr: Domaine public (Natural Earth) ; paquet world-atlas sous licence ISC\n", "")
    replace_once(path, "  licence_en: Public domain (Natural Earth)", "  licence: Public domain (Natural Earth)")
    replace_once(path, "  attribution_en: Natural Earth (public domain)", "  attribution: Natural Earth (public domain)")
    lic, attr = line_containing(path, "  licence: Public"), line_containing(path, "  attribution: Natural")
    assert problems(data, geo) == [
        f"geo/manifest.yaml:{lic}:layers.0.licence: " + RENAMED.format("'licence_fr' and 'licence_en'"),
        f"geo/manifest.yaml:{attr}:layers.0.attribution: " + RENAMED.format("'attribution_en'"),
    ]


def test_manifest_with_the_former_source_and_processing_fields(data_copy):
    """A manifest of before the French and English source and processing texts is told both new names of
    each, and not also that source_fr and source_en are required."""
    data, geo = data_copy
    path = geo / "manifest.yaml"
    text = path.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, t in enumerate(text) if t.startswith("  source_fr: "))  # the first layer's
    assert text[first + 1].startswith("  source_en: ")
    text[first : first + 2] = [text[first + 1].replace("  source_en: ", "  source: ", 1)]
    proc = next(i for i, t in enumerate(text) if t.startswith("  processing_fr: "))
    assert text[proc + 1].startswith("  processing_en: ")
    text[proc : proc + 2] = [text[proc + 1].replace("  processing_en: ", "  processing: ", 1)]
    path.write_text("".join(text), "utf-8")
    src, proc_line = line_containing(path, "  source: "), line_containing(path, "  processing: ")
    assert problems(data, geo) == [
        f"geo/manifest.yaml:{src}:layers.0.source: " + RENAMED.format("'source_fr' and 'source_en'"),
        f"geo/manifest.yaml:{proc_line}:layers.0.processing: " + RENAMED.format("'processing_fr' and 'processing_en'"),
    ]


def test_article_with_the_former_outlet_field(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    text = path.read_text("utf-8").splitlines(keepends=True)
    i = next(i for i, t in enumerate(text) if t.startswith("outlet_fr: "))
    assert text[i + 1].startswith("outlet_en: ")
    text[i : i + 2] = [text[i].replace("outlet_fr: ", "outlet: ", 1)]
    path.write_text("".join(text), "utf-8")
    line = line_containing(path, "outlet: ")
    assert problems(data, geo) == [f"data/article.yaml:{line}:outlet: " + RENAMED.format("'outlet_fr' and 'outlet_en'")]


def test_manifest_processing_in_one_language_only(data_copy):
    """A processing line in French without its English (or the reverse) would leave one page without it."""
    data, geo = data_copy
    path = geo / "manifest.yaml"
    text = path.read_text("utf-8").splitlines(keepends=True)
    drop = next(i for i, t in enumerate(text) if t.startswith("  processing_en: "))  # the first layer's
    path.write_text("".join(text[:drop] + text[drop + 1 :]), "utf-8")
    line = line_containing(path, "- id: countries")  # a field that is not there is reported on its layer's line
    assert problems(data, geo) == [
        f"geo/manifest.yaml:{line}:layers.0.processing_en: processing_fr and processing_en go together: give both or neither"
    ]


def test_csv_with_a_former_column_name(data_copy, monkeypatch):
    """The same message for a spreadsheet's header, when a CSV column is renamed."""
    data, geo = data_copy
    monkeypatch.setattr(m.Claimant, "renamed", {"short": ("short_fr", "short_en")})

    def old_header(rows: list[list[str]]) -> None:  # one column "short" where there are short_fr and short_en
        i = rows[0].index("short_en")
        for r in rows:
            r.pop(i)
        rows[0][rows[0].index("short_fr")] = "short"

    edit_columns(data / "claimants.csv", old_header)
    assert problems(data, geo) == ["data/claimants.csv:1:short: " + RENAMED.format("'short_fr' and 'short_en'")]


def test_manifest_points_at_missing_layer_file(data_copy):
    data, geo = data_copy
    (geo / "border.geojson").unlink()
    assert problems(data, geo) == ["geo/border.geojson: file is missing"]


# --------------------------------------------------------------------------- GeoJSON layers


def test_geojson_malformed_json(data_copy):
    data, geo = data_copy
    (geo / "kursk_oblast.geojson").write_text(
        '{\n  "type": "FeatureCollection",\n  "features": [\n    {"type": "Feature" "geometry": null}\n  ]\n}\n', "utf-8"
    )
    assert problems(data, geo) == [
        "geo/kursk_oblast.geojson:feature 1, line 4: invalid JSON: Expecting ',' delimiter; "
        'near: …es": [ {"type": "Feature" ⟨here⟩"geometry": null} ] } '
    ]


def test_geojson_truncated(data_copy):
    data, geo = data_copy
    path = geo / "countries.geojson"
    text = path.read_text("utf-8")[:-3]
    path.write_text(text, "utf-8")
    n = len(json.loads((GEO / "countries.geojson").read_text("utf-8"))["features"])
    assert problems(data, geo) == [
        (
            f"geo/countries.geojson:feature {n}: invalid JSON: Expecting ',' delimiter; "
            f"the file ends too early (cut off while copying?); near: …{text[-30:]}⟨here⟩"
        )
    ]


def test_geojson_not_a_feature_collection(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "kursk_oblast.geojson", lambda d: d.update(type="Feature"))
    assert problems(data, geo) == ["geo/kursk_oblast.geojson: not a GeoJSON FeatureCollection"]


def test_geojson_wrong_crs(data_copy):
    data, geo = data_copy
    edit_geojson(
        geo / "kursk_oblast.geojson",
        lambda d: d.update(crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}),
    )
    assert problems(data, geo) == [
        "geo/kursk_oblast.geojson:crs: CRS is urn:ogc:def:crs:EPSG::3857; GeoJSON must be WGS84 lon/lat (EPSG:4326)"
    ]


def test_geojson_crs84_member_is_accepted(data_copy):
    data, geo = data_copy
    edit_geojson(
        geo / "kursk_oblast.geojson",
        lambda d: d.update(crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}),
    )
    assert load_bundle(data, geo).layers["oblast"]["features"]


def _set_geometry(geometry, index=0):
    return lambda d: d["features"][index].update(geometry=geometry)


def test_geojson_projected_coordinates(data_copy):
    data, geo = data_copy
    square = [[[3900000, 6700000], [3910000, 6700000], [3910000, 6710000], [3900000, 6700000]]]
    edit_geojson(geo / "kursk_oblast.geojson", _set_geometry({"type": "Polygon", "coordinates": square}))
    assert problems(data, geo) == [
        (
            "geo/kursk_oblast.geojson:feature 1:geometry: coordinates (3900000, 6700000) are not lon/lat degrees: "
            "GeoJSON must be WGS84 (EPSG:4326)"
        )
    ]


def test_geojson_outside_region(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "settlements.geojson", _set_geometry({"type": "Point", "coordinates": [30.5234, 50.4501]}))
    assert problems(data, geo) == [
        (
            "geo/settlements.geojson:feature 1 (id 'kursk'):geometry: extends outside the region (lon 33.0–38.5, lat 50.0–52.6): "
            "bounds 30.5234, 50.4501, 30.5234, 50.4501"
        )
    ]


def test_geojson_self_intersecting_polygon(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "kursk_oblast.geojson", _set_geometry({"type": "Polygon", "coordinates": BOWTIE}))
    assert problems(data, geo) == [
        (
            "geo/kursk_oblast.geojson:feature 1:geometry: invalid geometry: Self-intersection at lon 35.5, lat 51.5; "
            "repair the outline (e.g. QGIS 'Fix geometries' or shapely.make_valid)"
        )
    ]


def test_geojson_point_in_polygon_layer(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "kursk_oblast.geojson", _set_geometry({"type": "Point", "coordinates": [35.5, 51.5]}))
    assert problems(data, geo) == [
        "geo/kursk_oblast.geojson:feature 1:geometry: Point where a MultiPolygon or Polygon is expected"
    ]


def test_geojson_polygon_in_point_layer(data_copy):
    data, geo = data_copy
    square = [[[35.0, 51.0], [35.1, 51.0], [35.1, 51.1], [35.0, 51.0]]]
    edit_geojson(geo / "settlements.geojson", _set_geometry({"type": "Polygon", "coordinates": square}, index=2))
    assert problems(data, geo) == [
        "geo/settlements.geojson:feature 3 (id 'korenevo'):geometry: Polygon where a Point is expected"
    ]


def test_geojson_item_is_not_a_feature(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "admin1.geojson", lambda d: d["features"].__setitem__(1, [35.5, 51.5]))
    assert problems(data, geo) == ["geo/admin1.geojson:feature 2: is not a GeoJSON Feature"]


def test_geojson_feature_without_geometry(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "kursk_oblast.geojson", _set_geometry(None))
    assert problems(data, geo) == ["geo/kursk_oblast.geojson:feature 1:geometry: has no geometry"]


def test_control_duplicate_snapshot(data_copy):
    data, geo = data_copy
    path = geo / "control_deepstate.geojson"
    first = json.loads(path.read_text("utf-8"))["features"][0]["properties"]
    edit_geojson(path, lambda d: d["features"].insert(1, d["features"][0]))
    assert problems(data, geo) == [
        f"geo/control_deepstate.geojson:feature 2: second snapshot for {first['date']} {first['kind']} (first is feature 1)"
    ]


def test_control_bad_kind(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][2]["properties"].update(kind="blue"))
    assert problems(data, geo) == ["geo/control_deepstate.geojson:feature 3:kind: 'blue' is not one of: ua_controlled, grey_zone"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("08/08/2024", "'08/08/2024' is not a date in YYYY-MM-DD form"),
        ("2024-08-32", "'2024-08-32' is not a real calendar date"),
        ("2099-08-08", f"date 2099-08-08 is outside the window set in site.yaml (dates): 2024-01-01 … {WINDOW_END}"),
    ],
    ids=["format", "impossible", "out_of_range"],
)
def test_control_bad_date(data_copy, value, message):
    data, geo = data_copy
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][2]["properties"].update(date=value))
    assert_problems(data, geo, [f"geo/control_deepstate.geojson:feature 3:date: {message}"])


def test_control_properties_not_an_object(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][0].update(properties=["2024-08-08"]))
    assert problems(data, geo) == [
        "geo/control_deepstate.geojson:feature 1:properties: properties is list; it must be an object {…} "
        "(the map reads the date, kind, area and names from it)"
    ]


# --------------------------------------------------------------------------- every mistake, in one run


def test_several_mistakes_in_one_file_are_all_reported(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    l14 = set_cells(path, "C014", value_low="abc")
    l15 = set_cells(path, "C015", date="2025-02-30", measure="kills")
    l16 = set_cells(path, "C016", bound="range")
    l36 = set_cells(path, "C036", source_url="www.example.org")
    l2 = set_cells(path, "C002", claimant="ua_nobody")
    l5 = line_of(path, "C005")
    n = len(read_rows(path)[0])
    edit_columns(path, lambda rows: rows[l5 - 1].append("stray"))
    first, dup = append_copy(path, "C020")
    assert problems(data, geo) == [
        f"data/claims.csv:{l2}:claimant: unknown claimant 'ua_nobody': not an id in claimants.csv",
        f"data/claims.csv:{l5}: has {n + 1} fields, the header has {n}; check commas and quotes",
        f"data/claims.csv:{l14}:value_low: 'abc' {NUMBER}",
        f"data/claims.csv:{l15}:date: '2025-02-30' is not a real calendar date",
        f"data/claims.csv:{l15}:measure: 'kills' is not one of: {MEASURES}",
        f"data/claims.csv:{l16}:value_high: bound 'range' needs value_low < value_high (use 'exact' or 'approx')",
        f"data/claims.csv:{l36}:source_url: 'www.example.org' is not an absolute http(s) URL",
        f"data/claims.csv:{dup}:id: duplicate id 'C020' (first on line {first})",
    ]


def test_mistakes_in_several_files_are_all_reported(data_copy):
    data, geo = data_copy
    lc = set_cells(data / "claims.csv", "C014", value_low="abc")
    lp = set_cells(data / "places.csv", "kursk", kind="metropolis")
    (data / "changelog.csv").write_bytes(b"")
    edit_geojson(geo / "control_deepstate.geojson", lambda d: d["features"][2]["properties"].update(kind="blue"))
    assert problems(data, geo) == [
        "data/changelog.csv:1: file is empty (0 bytes): it may not have been saved; save it again from the spreadsheet",
        f"data/claims.csv:{lc}:value_low: 'abc' {NUMBER}",
        f"data/places.csv:{lp}:kind: 'metropolis' is not one of: city, town, village, region, facility or country",
        "geo/control_deepstate.geojson:feature 3:kind: 'blue' is not one of: ua_controlled, grey_zone",
    ]


# --------------------------------------------------------------------------- the article's 13 claims, as researched

# Hand-copied from ../shared/research/claims.csv (claim_date, value_low, value_high, claimant, claimant_side);
# claimant ids are the matching rows of data/claimants.csv. None = no number in the source.
ARTICLE_CLAIMS = {
    # id: (date, claimant, side, value_low, value_high, is_statement)
    "C001": ("2024-06-19", "afp_ats", "other", None, None, True),  # AFP/ATS (journalistic description)
    "C014": ("2024-10-24", "ua_hur", "UA", 3, 3, False),  # HUR, "Kiev": 3 generals
    "C015": ("2024-10-24", "ua_hur", "UA", 500, 500, False),  # HUR: 500 officers
    "C016": ("2024-10-24", "ua_hur", "UA", 12000, 12000, False),  # HUR: 12,000 soldiers
    "C036": ("2024-12-23", "ua_zelensky", "UA", 3000, None, False),  # Zelensky: more than 3,000 killed or wounded
    "C037": ("2024-12-23", "kr_jcs", "KR", 1100, 1100, False),  # South Korea's JCS: about 1,100
    "C043": ("2025-01-06", "us_blinken", "US", None, None, True),  # Blinken: space cooperation
    "C045": ("2025-01-11", "ua_zelensky", "UA", 2, 2, False),  # Zelensky: 2 captured
    "C055": ("2025-01-31", "ua_sof", "UA", None, None, True),  # SOF spokesman Kindratenko
    "C059": ("2025-02-04", "kr_nis", "KR", None, None, True),  # NIS statement to AFP
    "C060": ("2025-02-04", "kr_nis", "KR", None, None, True),  # NIS statement to AFP
    "C061": ("2025-02-04", "afp_ats", "other", None, None, True),  # AFP/ATS
    "C062": ("2025-02-04", "afp_ats", "other", None, None, False),  # "plusieurs centaines" km2: not a number
}


def test_article_claims_match_the_research():
    bundle = load_bundle(DATA, GEO)
    by_id = bundle.claim_by_id
    assert {c.id for c in bundle.claims if c.in_article} == set(ARTICLE_CLAIMS)
    assert sorted(cid for ac in bundle.article.claims for cid in ac.claim_ids) == sorted(ARTICLE_CLAIMS)
    for cid, (date, claimant, side, low, high, statement) in ARTICLE_CLAIMS.items():
        c = by_id[cid]
        assert (c.date.isoformat(), c.claimant, c.value_low, c.value_high) == (date, claimant, low, high), cid
        assert bundle.claimants[claimant].side == side, cid
        assert (c.measure == "statement") == statement, cid
        expected_bound = {(True, True): {"exact", "approx"}, (True, False): {"at_least"}, (False, False): {"none"}}
        assert c.bound in expected_bound[(low is not None, high is not None)], cid


def test_research_file_still_says_what_the_spec_above_copies():
    # guards the hand copy: if the research is revised, ARTICLE_CLAIMS must be revised with it
    if not RESEARCH_CLAIMS.is_file():
        pytest.skip("../shared/research is not available")
    with RESEARCH_CLAIMS.open(encoding="utf-8", newline="") as f:
        research = {r["claim_id"]: r for r in csv.DictReader(f)}

    def num(s: str) -> float | None:
        return float(s) if s else None

    for cid, (date, _, side, low, high, _) in ARTICLE_CLAIMS.items():
        r = research[cid]
        assert (r["claim_date"], r["claimant_side"], num(r["value_low"]), num(r["value_high"]), r["in_seed_article"]) == (
            date,
            side,
            low,
            high,
            "yes",
        ), cid


def test_negative_count_is_rejected(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    text = path.read_text("utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("C036,"))
    path.write_text(
        text.replace(
            "C036,2024-12-23,ua_zelensky,killed_or_wounded,3000,", "C036,2024-12-23,ua_zelensky,killed_or_wounded,-3000,", 1
        ),
        "utf-8",
    )
    with pytest.raises(DataError) as exc:
        load_bundle(data, geo)
    assert f"data/claims.csv:{line}:value_low: '-3000' is negative; counts, areas and shares cannot be" in [
        str(p) for p in exc.value.problems
    ]


def test_duplicate_article_claim_id_is_rejected(data_copy):
    data, geo = data_copy
    path = data / "article.yaml"
    path.write_text(path.read_text("utf-8").replace("- id: A02", "- id: A01", 1), "utf-8")
    with pytest.raises(DataError) as exc:
        load_bundle(data, geo)
    msgs = [str(p) for p in exc.value.problems]
    assert any(m.startswith("data/article.yaml:") and m.endswith(":claims: duplicate article claim id(s): A01") for m in msgs), (
        msgs
    )


# --------------------------------------------------------------------------- manifest-level and cross-file geo checks


def test_manifest_duplicate_layer_id_has_its_line(data_copy):
    data, geo = data_copy
    path = geo / "manifest.yaml"
    replace_once(path, "- id: border\n", "- id: oblast\n")
    second = [i + 1 for i, t in enumerate(path.read_text("utf-8").splitlines()) if t == "- id: oblast"][1]
    assert problems(data, geo) == [f"geo/manifest.yaml:{second}:layers.5.id: duplicate layer id 'oblast' (first is layers.2)"]


def test_manifest_dated_layer_without_date_field_has_its_line(data_copy):
    data, geo = data_copy
    path = geo / "manifest.yaml"
    replace_once(
        path,
        "  kind: control\n  title_fr: Zone sous contrôle ukrainien et zone grise (DeepState)\n  title_en: "
        "Ukrainian-held area and grey zone (DeepState)\n  date_field: date\n",
        "  kind: control\n  title_fr: Zone sous contrôle ukrainien et zone grise (DeepState)\n  title_en: "
        "Ukrainian-held area and grey zone (DeepState)\n",
    )
    assert problems(data, geo) == [
        f"geo/manifest.yaml:{line_containing(path, 'kind: control')}:layers.3.date_field: a 'control' layer needs a date_field"
    ]


def test_settlement_and_place_disagree(data_copy):
    data, geo = data_copy
    line = set_cells(data / "places.csv", "sudzha", lon="35.5")
    feature = 1 + next(
        i
        for i, f in enumerate(json.loads((geo / "settlements.geojson").read_text("utf-8"))["features"])
        if f["properties"]["id"] == "sudzha"
    )
    assert problems(data, geo) == [
        f"data/places.csv:{line}:lon: lon 35.5 of 'sudzha' is 0.229° away from geo/settlements.geojson feature "
        f"{feature} (lon 35.271): the map would show it twice"
    ]


def test_settlement_unknown_to_places_is_a_warning(data_copy):
    data, geo = data_copy
    edit_geojson(geo / "settlements.geojson", lambda d: d["features"][0]["properties"].update(id="nowhere"))
    warnings = [str(w) for w in load_bundle(data, geo).warnings]
    assert warnings == [
        "geo/settlements.geojson:feature 1 (id 'nowhere'):id: settlement 'nowhere' has no row in places.csv: events cannot be pinned to it"
    ]


def test_iso_date_in_prose_is_a_warning_naming_file_row_and_column(data_copy):
    """A date typed as YYYY-MM-DD in a text readers see is a warning (the data still loads); a date in a URL is not."""
    data, geo = data_copy
    line = set_cells(
        data / "events.csv", "E002", summary_en="Reported on 2024-08-06 by the ministry, see https://example.org/2024-08-06/map"
    )
    article = data / "article.yaml"
    replace_once(article, "      Même déclaration du NIS que celle", "      Le 2025-02-04, même déclaration du NIS que celle")
    yline = line_containing(article, "Le 2025-02-04, même déclaration") - 1  # the line of its key
    assert "context_fr:" in article.read_text("utf-8").splitlines()[yline - 1]
    bundle = load_bundle(data, geo)
    assert [str(w) for w in bundle.warnings] == [
        f"data/events.csv:{line}:summary_en: '2024-08-06' in a text readers see: write the date in words, "
        "e.g. « 6 août 2024 » / '6 August 2024' (YYYY-MM-DD is for date columns)",
        f"data/article.yaml:{yline}:claims.0.context_fr: '2025-02-04' in a text readers see: write the date in words, "
        "e.g. « 4 février 2025 » / '4 February 2025' (YYYY-MM-DD is for date columns)",
    ]


def test_bundled_prose_has_no_iso_dates():
    warnings = [str(w) for w in load_bundle(DATA, GEO).warnings if "write the date in words" in w.message]
    assert not warnings, warnings


def test_messages_in_french(data_copy):
    """The validator's messages in the newsroom's language (validate --lang fr, the default): the
    same problems, the same places, French words and typography."""
    data, geo = data_copy
    first, dup = append_copy(data / "claims.csv", "C020")
    line = set_cells(data / "events.csv", "E010", title_fr="")
    edit_columns(data / "story.csv", lambda rows: [r.pop() for r in rows])  # the last column removed
    with pytest.raises(DataError) as excinfo:
        load_bundle(data, geo)
    got = {str(p): p.text("fr") for p in excinfo.value.problems}
    assert got == {
        f"data/claims.csv:{dup}:id: duplicate id 'C020' (first on line {first})": (
            f"data/claims.csv:{dup}:id: id «\u202fC020\u202f» en double (première fois ligne {first})"
        ),
        f"data/events.csv:{line}:title_fr: required (the cell is empty)": (
            f"data/events.csv:{line}:title_fr: obligatoire (la cellule est vide)"
        ),
        "data/story.csv:1:text_en: missing column": "data/story.csv:1:text_en: colonne manquante",
    }


# --------------------------------------------------------------------------- re-reports against their origin claims

REREPORT_CASES = [
    ("origin_unknown", "R002", {"origin": "C999"}, "origin", "unknown claim 'C999': not an id in claims.csv"),
    (
        "label_unknown",
        "R002",
        {"drift": "drifted"},
        "drift",
        "'drifted' is not one of: none, measure_changed, scope_changed, rounded, stale, misattributed or compressed "
        "(labels separated by ';')",
    ),
    ("label_empty", "R002", {"drift": ""}, "drift", "required (the cell is empty): 'none' for a faithful re-report"),
    ("none_with_others", "R003", {"drift": "none; compressed"}, "drift", "'none' excludes every other label: none; compressed"),
    (
        "measure_changed_missing",
        "R002",
        {"measure": "killed"},
        "drift",
        "measure 'killed' differs from C087's 'killed_or_wounded': label it measure_changed (or correct the measure)",
    ),
    (
        "measure_changed_wrong",
        "R003",
        {"drift": "compressed; measure_changed"},
        "drift",
        "labelled measure_changed, but the measure 'killed_or_wounded' is C087's own",
    ),
    (
        "scope_changed_missing",
        "R002",
        {"scope": "war"},
        "drift",
        "scope 'war' differs from C087's 'kursk': label it scope_changed (or correct the scope)",
    ),
    (
        "scope_changed_wrong",
        "R002",
        {"drift": "scope_changed"},
        "drift",
        "labelled scope_changed, but the scope 'kursk' is C087's own",
    ),
    (
        "stale_without_newer_claim",
        "R006",
        {"drift": "stale"},
        "drift",
        "labelled stale, but kr_nis made no newer 'killed' claim between C084 (2025-04-30) and the re-report (2025-07-01)",
    ),
    (
        "compressed_not_a_span",
        "R021",
        {"drift": "compressed"},
        "drift",
        "labelled compressed, but C090 is 'approx' and the re-report 'exact': compressed is a floor, ceiling or range "
        "printed as one number",
    ),
    (
        "before_origin",
        "R002",
        {"date": "2025-06-01"},
        "date",
        "date 2025-06-01 is before C087 (2025-06-15): a re-report comes after the claim it repeats",
    ),
]


@pytest.mark.parametrize("key,cells,column,message", [c[1:] for c in REREPORT_CASES], ids=[c[0] for c in REREPORT_CASES])
def test_rereport_rule(data_copy, key, cells, column, message):
    """Each rule of rereports.csv, broken once on a row that keeps every other rule: one message, on that row
    and column."""
    data, geo = data_copy
    line = set_cells(data / "rereports.csv", key, **cells)
    assert problems(data, geo) == [f"data/rereports.csv:{line}:{column}: {message}"]


def test_bundled_rereports_keep_their_rules(bundle):
    """The labels the data carries are the ones the rules demand: a stale re-report had a newer figure to print."""
    by_id = {r.id: r for r in bundle.rereports}
    assert "stale" in by_id["R013"].drift and bundle.claim_by_id[by_id["R013"].origin].claimant == "kr_nis"
    assert {r.origin for r in bundle.rereports} <= set(bundle.claim_by_id)


def test_the_french_check_catches_english():
    """The French check on every message above is not vacuous: an English sentence is caught, a value is not."""
    from explainer.load import Problem

    with pytest.raises(AssertionError, match="English in French messages"):
        assert_french([Problem("data/claims.csv", 2, "date", "a message nobody translated is caught here")])
    assert_french([Problem.said("data/claims.csv", 2, "id", "check_unknown_id", value="the one", file="claims.csv")])
    from explainer.i18n import t

    assert Problem("data/x.csv", 2, None, "'x' is not one of: a, b or c").message_in("fr") == t(
        "fr", "check_not_one_of", value="x", options="a, b ou c"
    )
