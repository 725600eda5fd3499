"""Docs that stay true: no period written into the package's description (the data decides it), the
suite's timings say on what machine and under what load, the live server's export setting is named."""

from __future__ import annotations

import re
import tomllib

from explainer.paths import ROOT
from explainer.ui.share import EMBED_BASE_ENV

YEAR = re.compile(r"\b(19|20)\d\d\b")


def test_package_description_states_no_period():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert not YEAR.search(project["description"]), project["description"]


DURATION = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(min|minutes?|s)\b")


def test_contributing_timings_name_machine_and_load():
    """A time without the load it was measured under says nothing on a shared machine."""
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    intro = text.split("The layers, from the data to the page")[0]
    timings = [s for s in re.split(r"(?<=[.])\s+", intro) if DURATION.search(s)]
    assert timings, "CONTRIBUTING.md gives no timing of the suite"
    assert re.search(r"\b\d+-core\s+machine", intro), "the timings do not say on what machine"
    for sentence in timings:
        assert "load average" in sentence, sentence


def test_readme_says_what_the_static_snippet_needs():
    assert f"`{EMBED_BASE_ENV}`" in (ROOT / "README.md").read_text("utf-8")
    assert f"{EMBED_BASE_ENV}" in (ROOT / "docs" / "publishing.md").read_text("utf-8")
