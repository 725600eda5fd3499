"""The data-build scripts reproduce data/ and geo/ byte for byte from the research material, and their
hand-written tables (scripts/*.yaml) are what drives them. Skipped where ../shared is absent (a fresh
clone has no research material)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import yaml
from conftest import scaled

from explainer.paths import DATA, GEO, ROOT, SCRIPTS


def run(*args, env=None, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=scaled(300), env=env
    )


def test_build_data_reproduces_data(shared):
    r = run(SCRIPTS / "build_data.py", "--check", "--shared", shared)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("same as build") == 5, r.stdout


def test_build_data_reads_its_tables_from_yaml(shared, tmp_path):
    """An edit of build_data.yaml changes the build: the tables are not also written in Python."""
    shutil.copy(SCRIPTS / "build_data.py", tmp_path / "build_data.py")
    tables = yaml.safe_load((SCRIPTS / "build_data.yaml").read_text("utf-8"))
    first = next(iter(tables["claimants"]))
    tables["claimants"][first]["short_en"] += " (edited)"
    (tmp_path / "build_data.yaml").write_text(yaml.safe_dump(tables, allow_unicode=True, sort_keys=False), "utf-8")
    r = run(tmp_path / "build_data.py", "--check", "--shared", shared, "--out", DATA)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "claimants.csv: DIFFERS" in r.stdout and "claims.csv: same as build" in r.stdout, r.stdout


def test_build_geo_reproduces_geo(shared, tmp_path):
    out = tmp_path / "geo"
    r = run(SCRIPTS / "build_geo.py", shared / "geo-sources", "--out", out)
    assert r.returncode == 0, r.stdout + r.stderr
    built = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    bundled = {p.name: p.read_bytes() for p in GEO.iterdir() if p.is_file()}
    assert set(built) == set(bundled), set(built) ^ set(bundled)
    differ = sorted(name for name in built if built[name] != bundled[name])
    assert not differ, f"build_geo.py no longer reproduces geo/: {differ}"
