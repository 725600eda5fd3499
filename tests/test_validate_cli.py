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


def validate(*args: str, env_extra: dict | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return explainer_cli("validate", *args, cwd=cwd, env_extra=env_extra)


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
