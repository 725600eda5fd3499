"""Shared fixtures: bundled data folders, a copy editors can break, a live streamlit server.

Servers, the chromium launch and the in-page probes come from `bench.probes`, shared with the benchmark.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.probes import LAUNCH, StreamlitServer, free_port  # noqa: F401  (free_port: for tests that need a port)
from explainer.paths import DATA, GEO, ROOT, SHARED

ARTIFACTS = ROOT / "tests" / "artifacts"
# fixtures that start chromium: Playwright's (pytest-playwright) and the kaleido export of test_export.py
BROWSER_FIXTURES = {"browser", "context", "page", "site"}


class Server(StreamlitServer):
    """`streamlit run app.py` for a test, healthy within 30 s."""

    def start(self, timeout: float = 30.0) -> Server:
        super().start(timeout)
        return self


def pytest_collection_modifyitems(items):
    """Every test that starts chromium, directly or through a fixture, is a `browser` test, so that
    `pytest -m "not browser"` (`make test-fast`) needs no browser at all."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def data_copy(tmp_path) -> tuple[Path, Path]:
    """A private copy of data/ and geo/ that a test may break."""
    d, g = tmp_path / "data", tmp_path / "geo"
    shutil.copytree(DATA, d)
    shutil.copytree(GEO, g)
    return d, g


@pytest.fixture
def shared() -> Path:
    """The research material beside the checkout (`../shared`); a fresh clone has none: skip."""
    if not (SHARED / "research").is_dir():
        pytest.skip(f"{SHARED / 'research'} is absent (a fresh clone has no research material)")
    return SHARED


@pytest.fixture(scope="session")
def server():
    srv = Server().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(LAUNCH["executable_path"]).exists():
        pytest.fail(f"{LAUNCH['executable_path']} is missing: run `make chromium` (Debian package chromium)")
    return dict(LAUNCH)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
