"""explainer/ and pages/ pass mypy --strict (pyproject.toml [tool.mypy]; the modules still being typed are listed there)."""

from __future__ import annotations

import subprocess
import sys

from conftest import scaled

from explainer.paths import ROOT


def test_the_code_passes_mypy_strict():
    # the incremental cache goes to .cache/mypy (pyproject.toml), so a second run takes about a second
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=scaled(300))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Success: no issues found" in r.stdout, r.stdout
