"""One setting for every wait budget of the suite: a base written for an idle machine times
`timeout_scale()` (EXPLAINER_TEST_TIMEOUT_SCALE times the load factor when the wait is set up, never
below the one measured at the session's start)."""

from __future__ import annotations

import os
import re

from conftest import EXPECT_MS, PAGE_MS, app_test, scaled, scaled_ms

from bench.probes import LOAD_FACTOR_ENV, TIMEOUT_SCALE_ENV, load_factor, timeout_scale
from explainer.paths import TESTS


def load_is(monkeypatch, load: float, cores: int = 2) -> None:
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    monkeypatch.setattr(os, "cpu_count", lambda: cores)


def test_scale_is_the_hand_factor_times_the_load_at_start_or_now(monkeypatch):
    load_is(monkeypatch, 1.0)  # idle now: the factor measured at the start holds
    monkeypatch.setenv(TIMEOUT_SCALE_ENV, "2")
    monkeypatch.setenv(LOAD_FACTOR_ENV, "1.5")
    assert timeout_scale() == 3.0 and scaled(30) == 90.0 and scaled_ms(30_000) == 90_000.0
    monkeypatch.delenv(TIMEOUT_SCALE_ENV)
    assert timeout_scale() == 1.5  # default hand factor 1
    load_is(monkeypatch, 12.0)  # the suite's own browsers load the machine later: the budget grows with it
    assert load_factor() == 6.0 and timeout_scale() == 6.0 and scaled_ms(30_000) == 180_000.0
    monkeypatch.delenv(LOAD_FACTOR_ENV)
    load_is(monkeypatch, 0.5)
    assert timeout_scale() == load_factor() == 1.0  # never below 1


def test_the_session_measured_the_load_once():
    """The controller measured it before its workers started: every worker reads the same factor."""
    assert float(os.environ[LOAD_FACTOR_ENV]) >= 1.0


def test_apptest_and_playwright_defaults_follow_the_scale(monkeypatch, request):
    from conftest import pytest_runtest_setup as budget_for_this_test
    from playwright.sync_api import expect

    load_is(monkeypatch, 7.0)  # a steady load, so that the three reads agree
    budget_for_this_test(request.node)  # what every test's set-up does (conftest.pytest_runtest_setup)
    assert app_test().default_timeout == scaled(30) == 105.0
    assert expect._timeout == scaled_ms(EXPECT_MS) == 35_000.0
    assert PAGE_MS == 30_000


FIXED = re.compile(r"(?<![\w.])(?:default_)?timeout=\d|set_default_timeout\(\d|^T = \d", re.MULTILINE)


def test_no_wait_budget_in_the_tests_is_fixed():
    """A budget written as a bare number would not grow with the machine's load: wrap it in
    scaled()/scaled_ms() (this file aside)."""
    found = [
        f"{f.name}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for f in sorted(TESTS.glob("*.py"))
        if f.name != "test_budgets.py"
        for text in [f.read_text("utf-8")]
        for m in FIXED.finditer(text)
    ]
    assert not found, found
