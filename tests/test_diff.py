"""`python -m explainer diff`: an editor's review before publishing, against git or another folder.

The update is the synthetic fixture in tests/fixtures/update/ (shared with tests/test_update.py:
invented ids, example.org sources), appended to a copy of the bundled data; the expected output is
the fixture's changes, exactly, read from the fixture itself.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import explainer_cli

from explainer.paths import DATA, GEO, ROOT, TESTS

FIXTURE = TESTS / "fixtures" / "update"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return explainer_cli(*args, cwd=cwd)


FILES = ("claimants.csv", "claims.csv", "events.csv", "changelog.csv")  # in the order diff reports them


def fixture_keys(name: str) -> list[str]:
    with (FIXTURE / name).open(encoding="utf-8", newline="") as f:
        return [r.get("id") or r["date"] for r in csv.DictReader(f)]


def append_fixture(data: Path, names=FILES) -> None:
    """Append the fixture's rows to a copy of data/, in the copy's column order (as tests/test_update.py does)."""
    for name in names:
        with (FIXTURE / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        header = next(csv.reader((data / name).open(encoding="utf-8", newline="")))
        with (data / name).open("a", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            for r in rows:
                w.writerow({k: r.get(k, "") for k in header})


def shown(value: str) -> str:
    """A value as diff prints it: quoted, cut to 100 characters."""
    return repr(value if len(value) <= 100 else value[:99] + "…")


def expected_added(names=FILES) -> list[str]:
    """What diff prints for the fixture's rows: each key, then its non-empty cells in data/'s column order."""
    out = []
    for name in names:
        keys = fixture_keys(name)
        header = next(csv.reader((DATA / name).open(encoding="utf-8", newline="")))
        with (FIXTURE / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        out.append(f"data/{name}: {len(keys)} added, 0 removed, 0 changed")
        for k, row in zip(keys, rows, strict=True):
            out += [f"  + {k}", *(f"      {col}: {shown(row[col])}" for col in header if row.get(col, ""))]
    return out


def set_cell(path: Path, key: str, col: str, value: str) -> str:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    i = next(i for i, r in enumerate(rows) if r[0] == key)
    j = rows[0].index(col)
    old, rows[i][j] = rows[i][j], value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return old


@pytest.fixture
def two_copies(tmp_path) -> tuple[Path, Path]:
    """(before, after): two copies of data/ and geo/, each a folder holding data/ and geo/."""
    before, after = tmp_path / "before", tmp_path / "after"
    for side in (before, after):
        shutil.copytree(DATA, side / "data")
        shutil.copytree(GEO, side / "geo")
    return before, after


def diff(after: Path, against: str) -> subprocess.CompletedProcess:
    return run("diff", "--data", str(after / "data"), "--geo", str(after / "geo"), "--against", against)


def test_same_folders_no_change_exit_0(two_copies):
    before, after = two_copies
    r = diff(after, str(before))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout == f"no change against {before}\n"


def test_fixture_changes_are_reported_exactly(two_copies):
    before, after = two_copies
    append_fixture(after / "data")
    old = set_cell(after / "data" / "claims.csv", "C014", "outlet", "Example Outlet (corrected)")
    r = diff(after, str(before))
    assert r.returncode == 1, r.stdout + r.stderr
    lines = expected_added()
    i = lines.index(next(x for x in lines if x.startswith("data/claims.csv:")))
    lines[i] = lines[i].replace(", 0 changed", ", 1 changed")
    j = lines.index(next(x for x in lines if x.startswith("data/events.csv:")))
    lines[j:j] = ["  ~ C014", f"      outlet: {old!r} -> 'Example Outlet (corrected)'"]
    assert r.stdout.splitlines() == [*lines, "views that change: story, map, casualties, timeline, sources, area"]


def test_data_changed_without_changelog_row_warns(two_copies):
    before, after = two_copies
    append_fixture(after / "data", names=("events.csv",))
    (after / "data" / "story.csv").unlink()
    r = diff(after, str(before))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert "data/story.csv: 0 added, 10 removed, 0 changed (file removed)" in lines
    assert lines[-2] == "views that change: story, map, timeline"
    assert lines[-1] == "warning: data changed but changelog.csv has no new row; add one if the change is published"


def test_resaved_from_a_spreadsheet_is_not_a_data_change(two_copies):
    before, after = two_copies
    path = after / "data" / "events.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)
    r = diff(after, str(before))
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "data/events.csv: 0 added, 0 removed, 0 changed (same records; only the layout changed "
        "(separator, encoding, line ends, order or spacing))",
        "views that change: none",
    ]


def test_control_snapshot_added_changes_map_and_area(two_copies):
    before, after = two_copies
    import json

    src = json.loads((after / "geo" / "control_deepstate.geojson").read_text("utf-8"))
    last = max(f["properties"]["date"] for f in src["features"])
    geom = next(
        f["geometry"] for f in src["features"] if f["properties"]["date"] == last and f["properties"]["kind"] == "ua_controlled"
    )
    poly = after / "held.geojson"
    poly.write_text(json.dumps(geom), "utf-8")  # a bundled snapshot's own geometry, under a later date
    r = run("add-snapshot", str(poly), "--date", "2025-05-31", "--kind", "held", "--geo", str(after / "geo"), "--source", "test")
    assert r.returncode == 0, r.stdout + r.stderr
    r = diff(after, str(before))
    assert [x for x in r.stdout.splitlines() if not x.startswith("      ")] == [
        "geo/control_deepstate.geojson: 1 added, 0 removed, 0 changed",
        "  + 2025-05-31 ua_controlled",
        "views that change: map, sources, area",
        "warning: data changed but changelog.csv has no new row; add one if the change is published",
    ]


def test_against_git_head(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(DATA, repo / "data")
    shutil.copytree(GEO, repo / "geo")
    git = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "data")
    args = ("--data", str(repo / "data"), "--geo", str(repo / "geo"))
    r = run("diff", *args)
    assert (r.returncode, r.stdout) == (0, "no change against HEAD\n"), r.stdout + r.stderr
    append_fixture(repo / "data", names=("claims.csv", "claimants.csv", "changelog.csv"))
    r = run("diff", *args)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        *expected_added(("claimants.csv", "claims.csv", "changelog.csv")),
        "views that change: story, casualties, sources, area",
    ]
    assert "warning:" not in r.stdout  # a changelog row was added
    r = run("diff", *args, "--against", "no-such-rev")
    assert (r.returncode, r.stderr) == (2, "diff: unknown git revision 'no-such-rev'\n")


def test_outside_git_without_a_folder_is_a_usage_error(two_copies):
    _, after = two_copies
    r = diff(after, "HEAD")
    assert r.returncode == 2
    assert r.stderr == "diff: data/ is not in a git checkout: use --against DIR to compare with a folder\n"


def test_two_folders_show_added_and_removed_rows_with_their_values(two_copies):
    """``diff OLD NEW``: an added row whole, a removed row whole, a changed field old -> new."""
    before, after = two_copies
    claims = after / "data" / "claims.csv"
    rows = list(csv.DictReader(claims.open(encoding="utf-8", newline="")))
    gone = rows[-1]  # diff compares records as text: the folders need not validate
    lines = [ln for ln in claims.read_text("utf-8").splitlines(keepends=True) if not ln.startswith(gone["id"] + ",")]
    claims.write_text("".join(lines), "utf-8")
    append_fixture(after / "data", names=("claims.csv",))
    old = set_cell(claims, "C014", "outlet", "Example Outlet (corrected)")
    r = run("diff", str(before), str(after))
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout.splitlines()
    header = next(csv.reader((DATA / "claims.csv").open(encoding="utf-8", newline="")))
    removed = [f"  - {gone['id']}", *(f"      {col}: {shown(gone[col])}" for col in header if gone[col])]
    i = out.index(removed[0])
    assert out[i : i + len(removed)] == removed
    added = expected_added(("claims.csv",))[1:]  # every added row with its values
    j = out.index(added[0])
    assert out[j : j + len(added)] == added
    assert out[out.index("  ~ C014") + 1] == f"      outlet: {old!r} -> 'Example Outlet (corrected)'"
    assert out[0].startswith(f"data/claims.csv: {len(fixture_keys('claims.csv'))} added, 1 removed, 1 changed")
    # NEW defaults to the live folders: the same comparison through --data / --geo
    r2 = run("diff", str(before), "--data", str(after / "data"), "--geo", str(after / "geo"))
    assert r2.stdout == r.stdout
    assert run("diff", str(before), str(after), str(after)).returncode == 2


def test_against_a_kept_desk_version(two_copies, tmp_path):
    """A published version the desk kept (its id from ``desk versions``) is a folder to compare with."""
    before, after = two_copies
    kept = tmp_path / "desk" / "versions" / "20261207T120000000000Z-0123456789ab"
    shutil.copytree(before, kept)
    (kept / "info.json").write_text("{}", "utf-8")
    append_fixture(after / "data", names=("claims.csv",))
    env = {"EXPLAINER_DESK_DIR": str(tmp_path / "desk")}
    r = explainer_cli("diff", "--against", kept.name, "--data", str(after / "data"), "--geo", str(after / "geo"), env_extra=env)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stdout.splitlines()[: len(expected_added(("claims.csv",)))] == expected_added(("claims.csv",))
