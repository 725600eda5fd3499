"""`python -m explainer validate`: what an editor runs after changing a file (exit 0 / 1 / 2)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from conftest import explainer_cli, scaled

from explainer.paths import DATA, ROOT

NUMBER = "is not a plain number (digits, '.' for decimals, no thousands separator)"


def validate(*args: str, env_extra: dict | None = None, cwd: Path = ROOT, lang: str | None = "en") -> subprocess.CompletedProcess:
    """The command as an editor runs it; in English unless ``lang`` says otherwise (None: the default, French)."""
    return explainer_cli("validate", *args, *(("--lang", lang) if lang else ()), cwd=cwd, env_extra=env_extra)


def break_claim(data_dir: Path, claim_id: str = "C014") -> int:
    """Write 'abc' in value_low of one claim; return that row's line."""
    path = data_dir / "claims.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    i = next(i for i, r in enumerate(rows) if r[0] == claim_id)
    rows[i][rows[0].index("value_low")] = "abc"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return i + 1


def break_control_kind(geo_dir: Path) -> None:
    path = geo_dir / "control_deepstate.geojson"
    doc = json.loads(path.read_text("utf-8"))
    doc["features"][2]["properties"]["kind"] = "blue"
    path.write_text(json.dumps(doc), "utf-8")


def test_bundled_data_is_valid():
    r = validate()
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("ok: "), r.stdout
    assert " claims, " in r.stdout
    assert r.stderr == ""


def test_broken_copy_lists_every_problem_and_exits_1(data_copy):
    data, geo = data_copy
    line = break_claim(data)
    break_control_kind(geo)
    r = validate("--data", str(data), "--geo", str(geo))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"data/claims.csv:{line}:value_low: 'abc' {NUMBER}",
        "geo/control_deepstate.geojson:feature 3:kind: 'blue' is not one of: ua_controlled, grey_zone",
    ]
    assert r.stderr.strip() == "2 problem(s); data is NOT valid"


def test_warnings_are_printed_but_data_stays_valid(data_copy):
    data, geo = data_copy
    path = data / "claims.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    r = validate("--data", str(data), "--geo", str(geo))
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "warning: data/claims.csv:1: read as UTF-8 with BOM, separator ','; the file was not changed"
    assert lines[1].startswith("ok: ")


def test_unknown_flag_is_a_usage_error():
    r = validate("--bogus")
    assert r.returncode == 2
    assert "unrecognized arguments: --bogus" in r.stderr
    assert r.stdout == ""


def test_missing_subcommand_is_a_usage_error():
    r = subprocess.run(
        [sys.executable, "-m", "explainer"], cwd=ROOT, capture_output=True, text=True, timeout=scaled(60), check=False
    )
    assert r.returncode == 2
    assert "usage:" in r.stderr


def test_env_var_data_dir_is_honoured(data_copy):
    data, _ = data_copy
    line = break_claim(data)
    r = validate(env_extra={"EXPLAINER_DATA_DIR": str(data)})  # geo/ stays the bundled one
    assert r.returncode == 1
    assert r.stdout.splitlines() == [f"data/claims.csv:{line}:value_low: 'abc' {NUMBER}"]


def test_env_var_geo_dir_is_honoured(data_copy):
    _, geo = data_copy
    break_control_kind(geo)
    r = validate(env_extra={"EXPLAINER_GEO_DIR": str(geo)})
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "geo/control_deepstate.geojson:feature 3:kind: 'blue' is not one of: ua_controlled, grey_zone"
    ]


def test_flag_overrides_env_var(data_copy):
    data, _ = data_copy
    break_claim(data)
    r = validate("--data", str(DATA), env_extra={"EXPLAINER_DATA_DIR": str(data)})
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("ok: ")


def test_runs_from_another_folder(tmp_path):
    r = validate(cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("ok: ")


def test_excel_semicolon_windows_1252_file_is_read_with_a_warning(data_copy):
    data, geo = data_copy
    path = data / "events.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    saved = path.read_bytes()
    r = validate("--data", str(data), "--geo", str(geo))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[0] == (
        "warning: data/events.csv:1: read as Windows-1252, separator ';', Windows line ends (CRLF); the file was not changed"
    )
    assert path.read_bytes() == saved


def test_deep_nesting_and_unreadable_files_never_print_a_traceback(data_copy):
    data, geo = data_copy
    (geo / "countries.geojson").write_text("[" * 200_000, "utf-8")
    (data / "story.csv").unlink()
    (data / "story.csv").mkdir()
    r = validate("--data", str(data), "--geo", str(geo))
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert "data/story.csv: is a folder where a file is expected" in r.stdout.splitlines()


def _count_typed_swiss(data_dir: Path) -> int:
    """Write 1.100 (Swiss thousands) in a count of troops (C016); return that row's line."""
    path = data_dir / "claims.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    i = next(i for i, r in enumerate(rows) if r[0] == "C016")
    for col in ("value_low", "value_high"):
        rows[i][rows[0].index(col)] = "1.100"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return i + 1


def test_messages_are_in_french_by_default(data_copy):
    data, geo = data_copy
    line = _count_typed_swiss(data)
    r = validate("--data", str(data), "--geo", str(geo), lang=None)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"data/claims.csv:{line}:value_high: «\u202f1.100\u202f»\u00a0: écrivez 1100 (sans séparateur de milliers)",
        f"data/claims.csv:{line}:value_low: «\u202f1.100\u202f»\u00a0: écrivez 1100 (sans séparateur de milliers)",
    ]
    assert r.stderr.strip() == "2 problème(s)\u202f; les données ne sont PAS valides"
    assert validate(lang=None).stdout.startswith("ok\u00a0: ")


def test_messages_in_english_with_lang_en(data_copy):
    data, geo = data_copy
    line = _count_typed_swiss(data)
    r = validate("--data", str(data), "--geo", str(geo), lang="en")
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"data/claims.csv:{line}:value_high: '1.100': write 1100 (no thousands separator)",
        f"data/claims.csv:{line}:value_low: '1.100': write 1100 (no thousands separator)",
    ]
    assert r.stderr.strip() == "2 problem(s); data is NOT valid"


def test_help_says_french_is_the_default_and_an_unknown_language_is_a_usage_error():
    r = subprocess.run(
        [sys.executable, "-m", "explainer", "validate", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=scaled(60),
        check=False,
    )
    assert r.returncode == 0 and "--lang {fr,en}" in r.stdout and "fr (default" in r.stdout, r.stdout
    bad = validate(lang="de")
    assert bad.returncode == 2 and "invalid choice: 'de'" in bad.stderr


def test_letters_lost_since_the_data_the_app_kept_are_reported(data_copy, tmp_path, monkeypatch):
    """validate compares with the last valid data the app persisted: an outlet typed in Cyrillic, then
    the file re-saved by LibreOffice 7.4 as Windows-1252 (every Cyrillic letter written as '?', as
    Python's errors="replace" does)."""
    from explainer.store import DataStore

    data, geo = data_copy
    cache = tmp_path / "cache"
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(cache))
    path = data / "claims.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    i = next(i for i, r in enumerate(rows) if r[0] == "C016")
    rows[i][rows[0].index("outlet")] = "ТАСС"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    assert DataStore(data.resolve(), geo.resolve()).get().ok  # the app served it: persisted under the cache
    with path.open("w", encoding="cp1252", errors="replace", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    env = {"EXPLAINER_CACHE_DIR": str(cache)}
    alone = validate("--data", str(data), "--geo", str(geo))  # no persisted copy here: the outlet cannot be told
    assert ":outlet:" not in alone.stdout
    r = validate("--data", str(data), "--geo", str(geo), env_extra=env)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert [x for x in lines if ":outlet:" in x] == [
        f"data/claims.csv:{i + 1}:outlet: Cyrillic letters were replaced by '?' when this file was saved as "
        "Windows-1252 (the last valid data has 'ТАСС'): save as 'CSV UTF-8'"
    ]
    # quotes in Cyrillic or Korean lose their letters too: those are found by their declared language
    assert all(":quote:" in x and "(the language is" in x for x in lines if ":outlet:" not in x)
