"""Rights in the browser, against a live `streamlit run` on a temporary data folder: an editor sees
each layer's status on the desk and records a decision for a layer whose rights are not cleared (in
the working copy, audit-logged); a reader sees the credit line and "rights not cleared" on /sources.
Screenshots at 1280 and 375 px, French and English, in tests/artifacts/.
"""

from __future__ import annotations

import pytest
from conftest import Server
from playwright.sync_api import expect

from bench.probes import scaled_ms, wait_idle
from explainer import rights as R
from explainer.desk.accounts import Accounts
from explainer.desk.audit import read_audit
from explainer.i18n import t

pytestmark = pytest.mark.browser
T = scaled_ms(90_000)  # ms: a desk rerun checks a staged bundle; seconds on a busy 2-core machine
PASSWORD = "rights browser password"
RIGHTS = ".st-key-desk-rights"


def login(page, locale: str) -> None:
    page.get_by_label(t(locale, "desk_login_name"), exact=True).fill("anna")
    page.get_by_label(t(locale, "desk_login_password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t(locale, "desk_login_submit")).click()


def test_editor_sees_rights_and_records_a_decision_reader_sees_the_status(data_copy, tmp_path, browser, artifacts, monkeypatch):
    data, geo = data_copy
    desk = tmp_path / "desk"
    Accounts(desk).add_editor("anna", PASSWORD)
    env = {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_DESK_DIR": str(desk),
           "EXPLAINER_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    manifest = R.read(geo)
    assert manifest is not None
    deepstate = next(lyr for lyr in manifest.layers if lyr.id == "control_deepstate")
    srv = Server(env).start()
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = ctx.new_page()
        page.set_default_timeout(T)
        # a reader: the credit line and the status on /sources
        for lang, locale in (("fr", "fr-CH"), ("en", "en")):
            page.goto(f"{srv.url}/sources?lang={lang}")
            wait_idle(page)
            title = deepstate.title_fr if lang == "fr" else deepstate.title_en
            card = page.locator("[data-testid='stMarkdownContainer'] p").filter(has_text=title).first  # title — status
            expect(card).to_contain_text(t(locale, "rights_not_cleared"))
            credit = deepstate.attribution_fr if lang == "fr" else deepstate.attribution_en
            expect(page.get_by_text(credit, exact=False).first).to_be_visible()
            card.scroll_into_view_if_needed()
            page.screenshot(path=str(artifacts / f"rights-sources-{lang}-1280.png"))

        page.goto(f"{srv.url}/desk")
        wait_idle(page)
        login(page, "fr-CH")
        section = page.locator(RIGHTS)
        section.wait_for()
        wait_idle(page)
        expect(section).to_contain_text(t("fr-CH", "desk_rights_not_cleared"))
        expect(section).to_contain_text(deepstate.attribution_fr)
        section.scroll_into_view_if_needed()
        section.screenshot(path=str(artifacts / "rights-desk-fr-1280.png"))
        page.set_viewport_size({"width": 375, "height": 800})
        wait_idle(page)
        section.locator("[data-testid='stForm']").first.scroll_into_view_if_needed()  # the first layer to decide
        page.screenshot(path=str(artifacts / "rights-desk-fr-375.png"))
        page.set_viewport_size({"width": 1280, "height": 1000})

        # record a decision for the DeepState layer: written to the working copy, not to live geo/
        form = page.locator(".st-key-desk-rights [data-testid='stForm']").first
        form.locator("textarea").fill("Crédit visible sur chaque carte ; accord demandé")
        form.get_by_role("button", name=t("fr-CH", "desk_rights_decide")).click()
        expect(section).to_contain_text("anna", timeout=T)
        wait_idle(page)
        expect(section).to_contain_text("Crédit visible sur chaque carte ; accord demandé")
        section.screenshot(path=str(artifacts / "rights-desk-decided-fr-1280.png"))
        live = R.read(geo)
        assert live is not None and next(x for x in live.layers if x.id == "control_deepstate").rights.decision is None
        monkeypatch.setenv("EXPLAINER_DESK_DIR", str(desk))
        logged = [x for x in read_audit() if x["action"] == "rights_decision"]
        assert [(x["who"], x["layer"]) for x in logged] == [("anna", "control_deepstate")]
        staged = list((desk / "staging").rglob("manifest.yaml"))
        assert [p for p in staged if "Crédit visible" in p.read_text("utf-8")]  # the working copy holds it

        page.goto(f"{srv.url}/desk?lang=en")  # a new session: log in again
        wait_idle(page)
        login(page, "en")
        section.wait_for()
        wait_idle(page)
        expect(section).to_contain_text(t("en", "desk_rights_not_cleared"))
        section.screenshot(path=str(artifacts / "rights-desk-en-1280.png"))
        page.set_viewport_size({"width": 375, "height": 800})
        wait_idle(page)
        section.locator("[data-testid='stForm']").first.scroll_into_view_if_needed()  # the first layer to decide
        page.screenshot(path=str(artifacts / "rights-desk-en-375.png"))
    finally:
        ctx.close()
        srv.stop()
