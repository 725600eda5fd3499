"""Shared fixtures: bundled data folders, a copy editors can break, a live streamlit server.

Servers, the chromium launch and the in-page probes come from `bench.probes`, shared with the benchmark.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.probes import (  # noqa: F401  (the suite's wait budgets: `from conftest import scaled`)
    LAUNCH,
    LOAD_FACTOR_ENV,
    TIMEOUT_SCALE_ENV,
    StreamlitServer,
    cpu_probe_s,
    free_port,
    load_factor,
    scaled,
    scaled_ms,
    timeout_scale,
)
from explainer.paths import APP, DATA, GEO, ROOT, SHARED

# the map's date controls: the map explorer component (explainer/ui/live_map.py, key map_explorer), whose
# buttons are the static explorer's (export_assets/embed.js); the language picker is "w_lang"
FWD, BACK, PLAY = (f".st-key-map_explorer #date-{b}" for b in ("fwd", "back", "play"))
SLIDER = ".st-key-map_explorer #date-slider"
SYNCED = ".st-key-map_explorer .kursk-live-map[data-synced=true]"  # the server has the date the map shows


def press_after_move(page, target) -> None:
    """Press `target` (outside the map) after a date move in the browser as a reader does: the pointer
    goes over it first, which reports the date; the press waits until the server has it."""
    target.hover()
    page.wait_for_selector(SYNCED)
    target.click()


ARTIFACTS = ROOT / "tests" / "artifacts"
# fixtures that start chromium: Playwright's (pytest-playwright) and the kaleido export of test_export.py
BROWSER_FIXTURES = {"browser", "context", "page", "site"}


# Wait budgets. Every budget in the suite is a base written for an idle 2-core machine times ONE factor,
# `timeout_scale()` (bench/probes.py): EXPLAINER_TEST_TIMEOUT_SCALE (default 1) times max(1, load
# average / cores) measured at the session's start. Use `scaled(seconds)` / `scaled_ms(ms)` for any
# explicit `timeout=`; Playwright's defaults (every page and context, `expect`) are set from it below.
PAGE_MS = 30_000  # Playwright's default for every action and wait of a page
EXPECT_MS = 10_000  # Playwright's `expect(...)` assertions
SERVER_S = 30.0  # a streamlit server's health
APPTEST_S = 30.0  # one AppTest run of a page (Streamlit's own default is 3 s)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist): measure once, workers inherit it
        os.environ.setdefault(LOAD_FACTOR_ENV, f"{load_factor():.2f}")


def pytest_runtest_setup(item):
    """Playwright's `expect` budget for this test, from the load now (bench/probes.py: timeout_scale)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=scaled_ms(EXPECT_MS))


def pytest_terminal_summary(terminalreporter):
    """The machine's speed and load under the results (printed with -q too), to read a run's time by."""
    la = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    terminalreporter.write_line(
        f"machine: CPU probe {cpu_probe_s():.2f} s on one core (bench/probes.py: cpu_probe_s); "
        f"{os.cpu_count()} cores; load average at the end {la}; start's load factor {os.environ.get(LOAD_FACTOR_ENV)}"
    )


def pytest_report_header(config):
    return (
        f"CPU probe {cpu_probe_s():.2f} s (bench/probes.py: cpu_probe_s, the machine's speed); "
        f"wait budgets x{timeout_scale():.2f} ({TIMEOUT_SCALE_ENV}={os.environ.get(TIMEOUT_SCALE_ENV) or 1}, "
        f"load factor {os.environ.get(LOAD_FACTOR_ENV)} at start, read again at each wait: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


class Server(StreamlitServer):
    """`streamlit run app.py` for a test, healthy within the scaled server budget."""

    def start(self, timeout: float | None = None) -> Server:
        super().start(scaled(SERVER_S) if timeout is None else timeout)
        return self


def explainer_cli(*args: str, cwd: Path = ROOT, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m explainer ARGS` as an editor runs it: none of the test run's EXPLAINER_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXPLAINER_")} | (env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "explainer", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=scaled(120)
    )


def app_test(app: Path = APP, timeout: float = APPTEST_S):
    """Streamlit's AppTest of ``app`` whose runs wait the scaled budget (its own default is 3 s)."""
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(app), default_timeout=scaled(timeout))


def open_tables(at) -> list[str]:
    """Open every chart's data table of an AppTest page (charts.data_table: lazy expanders whose key ends
    in ``_table``, sent only when open) and run the page again. Returns the tables' keys."""
    keys = [e.proto.id.split("-", 2)[2] for e in at.expander if e.proto.id.endswith("_table")]
    for k in keys:
        at.session_state[k] = True
    at.run()
    return keys


def locale_option(page, locale: str):
    """The language picker's option for `locale`, found by the picker's key and the option's position."""
    from explainer.i18n import LOCALES

    return page.locator(".st-key-w_lang [role=radio]").nth(list(LOCALES).index(locale))


def has(text: str) -> re.Pattern:
    """A URL pattern for Playwright's `expect(page).to_have_url`: contains `text`."""
    return re.compile(re.escape(text))


def week(dates: list[dt.date], day: dt.date, n: int = 1) -> dt.date:
    """Where n week-button clicks lead from the snapshot `day` (the map explorer's rule, embed.js: week():
    the last snapshot on or before a week later, and at least the next one; backwards for n < 0)."""
    from bench.sessions import week_move

    for _ in range(abs(n)):
        day = week_move(dates, day, 7 if n > 0 else -7)
    return day


def moving_start(dates: list[dt.date], steps: int) -> dt.date:
    """A snapshot date from which `steps` weeks forward each land on a new snapshot and one week back
    from the first of them returns to it (read from the data)."""
    return next(
        d
        for d in dates[1:]
        if len({week(dates, d, k) for k in range(steps + 1)}) == steps + 1 and week(dates, week(dates, d), -1) == d
    )


def pytest_collection_modifyitems(items):
    """Every test that starts chromium, directly or through a fixture, is a `browser` test, so that
    `pytest -m "not browser"` (`make test-fast`) needs no browser at all."""
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def run_root(tmp_path_factory) -> Path:
    """The temporary folder every test process of this run shares (xdist workers' common parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(tmp_path_factory, name: str, build) -> tuple[Path, dict]:
    """``build(folder) -> dict`` run once per test run, its folder shared by every xdist worker (the
    recipe of pytest-xdist's docs for session data: the workers' common temporary root and a file lock).
    Returns the folder and what ``build`` returned (kept as JSON beside it). Tests only read the folder."""
    root = run_root(tmp_path_factory)
    folder, done = root / name, root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait here while the first one builds
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            done.write_text(json.dumps(build(folder)), "utf-8")
    return folder, json.loads(done.read_text("utf-8"))


@pytest.fixture
def data_copy(tmp_path) -> tuple[Path, Path]:
    """A private copy of data/ and geo/ that a test may break."""
    d, g = tmp_path / "data", tmp_path / "geo"
    shutil.copytree(DATA, d)
    shutil.copytree(GEO, g)
    return d, g


@pytest.fixture
def desk_data(data_copy) -> tuple[Path, Path]:
    """A copy of data/ and geo/ the desk may publish: a decision is recorded for the layers whose
    rights are not cleared, which publishing refuses otherwise (tests/test_rights.py tests the refusal)."""
    from desk_helpers import decide_uncleared

    decide_uncleared(data_copy[1])
    return data_copy


@pytest.fixture
def desk(tmp_path, monkeypatch) -> Path:
    """The desk's own folder (accounts, staging, versions) for one test."""
    root = tmp_path / "desk"
    monkeypatch.setenv("EXPLAINER_DESK_DIR", str(root))
    return root


@pytest.fixture
def shared() -> Path:
    """The research material beside the checkout (`../shared`); a fresh clone has none: skip."""
    if not (SHARED / "research").is_dir():
        pytest.skip(f"{SHARED / 'research'} is absent (a fresh clone has no research material)")
    return SHARED


@pytest.fixture(scope="session")
def bundle():
    from explainer.load import load_bundle

    return load_bundle(DATA, GEO)


@pytest.fixture(scope="session")
def dates(bundle) -> list[dt.date]:
    """The snapshot dates of the bundled data: browser tests move between them, whatever they are."""
    from explainer.ui.state import control_dates

    return control_dates(bundle)


@pytest.fixture(scope="session")
def server():
    """One live app for the read-only browser tests, shared by every test of a process: under xdist a
    session fixture is per worker, so each worker starts one server and keeps it for its whole run."""
    srv = Server().start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(LAUNCH["executable_path"]).exists():
        pytest.fail(f"{LAUNCH['executable_path']} is missing: run `make chromium` (Debian package chromium)")
    return dict(LAUNCH)


@pytest.fixture(scope="session")
def browser(browser):
    """pytest-playwright's browser, whose every new context and page waits the scaled default budget."""
    new_context, new_page = browser.new_context, browser.new_page

    def context_with_budget(*args, **kw):
        ctx = new_context(*args, **kw)
        ctx.set_default_timeout(scaled_ms(PAGE_MS))
        return ctx

    def page_with_budget(*args, **kw):
        page = new_page(*args, **kw)
        page.set_default_timeout(scaled_ms(PAGE_MS))
        return page

    browser.new_context, browser.new_page = context_with_budget, page_with_budget
    return browser


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def component_data(at, i: int = 0) -> dict:
    """The data of the page's ``i``-th component as its script has it once it has fetched the files the
    data names (explainer/ui/live_map.py: json_url): ``fig``, ``parts`` and the variants' figures read
    from their files."""
    import json

    from explainer.ui.live_map import read_json_url

    data = json.loads(at.get("bidi_component")[i].proto.json)
    for name in ("fig", "parts"):
        if isinstance(data.get(name), str):
            data[name] = read_json_url(data[name])
    for v in data.get("variants") or ():
        v["fig"] = read_json_url(v["fig"])
    return data


def chart_figures(at) -> list[dict]:
    """Every chart figure a page run draws, in page order by kind: Streamlit's plotly charts, then the charts
    drawn in the browser with the page's one plotly.js (explainer/ui/live_map.py: drawn_chart; the map
    explorer's own map is read from its data, see test_app.explorer)."""
    import json

    figs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    for i in range(len(at.get("bidi_component"))):
        data = component_data(at, i)
        if data.get("kind") == "chart" and "fig" in data:  # the timeline's figure is drawn from its lanes (parts)
            figs.append({"data": data["fig"]["data"], "layout": data["fig"]["layout"]})
    return figs
