"""The code passes the project's linter and formatter (ruff, rules in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from conftest import scaled

from explainer.paths import ROOT

CODE = ["app.py", "pages", "explainer", "bench", "scripts", "tests"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", *CODE], cwd=ROOT, capture_output=True, text=True, timeout=scaled(120)
    )


def test_ruff_finds_nothing():
    res = _ruff("check")
    assert res.returncode == 0, res.stdout + res.stderr


def test_code_is_formatted():
    """`ruff format` would change nothing (run `ruff format .` to fix)."""
    res = _ruff("format", "--check")
    assert res.returncode == 0, res.stdout + res.stderr
