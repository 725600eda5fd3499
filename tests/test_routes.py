"""Published URLs land on their view: /<view>, /story and ?view=<view>, with no 'Page not found'."""

from __future__ import annotations

import pytest
from conftest import scaled_ms

from explainer.load import load_bundle
from explainer.paths import DATA, GEO

pytestmark = pytest.mark.browser
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
HEADINGS = {  # the view's own heading (English), so a wrong view cannot pass
    "story": load_bundle(DATA, GEO).article.lead.headline_en,  # the editors' headline
    "map": "Territory held by Ukraine in Kursk region",
    "casualties": "North Korean casualties: estimates by source",
    "timeline": "Timeline of events",
    "sources": "Sources and method",
}


@pytest.mark.parametrize(
    "url,view",
    [
        ("/story?lang=en", "story"),
        ("/map?lang=en", "map"),
        ("/casualties?lang=en", "casualties"),
        ("/timeline?lang=en", "timeline"),
        ("/sources?lang=en", "sources"),
        ("/?view=map&lang=en", "map"),
        ("/?lang=en", "story"),
    ],
)
def test_old_urls_land_on_their_view(page, server, url, view):
    page.set_default_timeout(scaled_ms(30_000))
    page.goto(server.url + url)
    page.wait_for_selector(IDLE)
    page.get_by_role("heading", name=HEADINGS[view], exact=True).first.wait_for()
    assert page.get_by_text("Page not found").count() == 0
    assert page.title().startswith(
        {
            "story": "Story",
            "map": "Map",
            "casualties": "Casualties by source",
            "timeline": "Timeline",
            "sources": "Sources and method",
        }[view]
    )
