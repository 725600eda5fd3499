"""The editors' desk in Debian chromium against a live `streamlit run` on a temporary data folder:
log in (wrong, then right password), upload a workbook adding a claim with an error, read the French
message, upload the fixed one, see the diff, publish, see the claim on /casualties, roll back, see it
gone; a browser without a login gets no staging data. Screenshots at 1280 and 375 px in tests/artifacts/.

Every wait is for a state (an element the run draws, then the app's run state), never for a time.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import Server
from desk_helpers import new_claim, workbook_with_row
from playwright.sync_api import expect

from bench.probes import scaled_ms, wait_drawn, wait_idle
from explainer.desk.accounts import Accounts
from explainer.desk.workbook import MIME
from explainer.i18n import t
from explainer.load import load_bundle

pytestmark = pytest.mark.browser
T = scaled_ms(90_000)  # ms: a rerun that checks a staged bundle on a busy 2-core machine takes seconds
PASSWORD = "browser desk password"
FR = "fr-CH"
CAS = ".st-key-cas_chart"
HAS_CLAIM = f"""(id) => {{ const gd = document.querySelector('{CAS} .js-plotly-plot');
  return !!gd && gd.data.some(tr => (tr.customdata || []).includes(id)); }}"""


def shot(page, artifacts, name: str, part: str | None = None) -> None:
    """The page's viewport, or one part of it (scrolled into view: Streamlit scrolls inside its main block)."""
    path = str(artifacts / f"desk-{name}.png")
    if part:
        page.locator(part).screenshot(path=path)
    else:
        page.screenshot(path=path)


def upload(page, name: str, raw: bytes) -> None:
    page.locator("[data-testid='stFileUploader']").first.locator("input[type=file]").set_input_files(  # the workbook's
        files=[{"name": name, "mimeType": MIME, "buffer": raw}]
    )


def test_editor_logs_in_uploads_publishes_and_rolls_back(desk_data, tmp_path, browser, artifacts):
    data, geo = desk_data
    desk = tmp_path / "desk"
    live = load_bundle(data, geo)
    claim = new_claim("C9001", live.claims[0].claimant, live.claims[0].date.isoformat())
    Accounts(desk).add_editor("anna", PASSWORD)
    env = {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_DESK_DIR": str(desk),
           "EXPLAINER_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    srv = Server(env).start()
    editor = browser.new_context(viewport={"width": 1280, "height": 1000})
    stranger = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = editor.new_page()
        page.set_default_timeout(T)
        page.goto(f"{srv.url}/desk")
        wait_idle(page)
        expect(page.get_by_role("button", name=t(FR, "desk_login_submit"))).to_be_visible()
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        page.set_viewport_size({"width": 375, "height": 800})
        shot(page, artifacts, "login-375")
        page.set_viewport_size({"width": 1280, "height": 1000})

        # wrong password, then the right one
        page.get_by_label(t(FR, "desk_login_name")).fill("anna")
        page.get_by_label(t(FR, "desk_login_password")).fill("not the password")
        page.get_by_role("button", name=t(FR, "desk_login_submit")).click()
        expect(page.get_by_text(t(FR, "desk_login_wrong"))).to_be_visible()
        wait_idle(page)
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        page.get_by_label(t(FR, "desk_login_name")).fill("anna")  # the form is emptied after each try
        page.get_by_label(t(FR, "desk_login_password")).fill(PASSWORD)
        page.get_by_role("button", name=t(FR, "desk_login_submit")).click()
        page.locator("[data-testid='stFileUploader']").first.wait_for()
        wait_idle(page)
        expect(page.get_by_text(t(FR, "desk_signed_in", name="anna"))).to_be_visible()
        with page.expect_download() as got:  # the workbook is built when the button is pressed
            page.get_by_role("button", name=t(FR, "desk_download")).click()
        wb = openpyxl.load_workbook(io.BytesIO(Path(got.value.path()).read_bytes()))  # the path has no .xlsx suffix
        assert got.value.suggested_filename.endswith(".xlsx") and {"claims", "events"} <= set(wb.sheetnames)

        # a workbook adding a claim with an error: the French message names file, sheet, row and column
        raw, row = workbook_with_row(data, {**claim, "measure": "killed_or_wound"})
        upload(page, "classeur.xlsx", raw)
        problems = page.locator(".st-key-desk-problems")
        problems.wait_for()
        wait_idle(page)
        text = problems.inner_text()
        assert re.search(rf"claims\.csv \(onglet «\s?claims\s?»\), ligne {row}, colonne «\s?measure\s?»", text), text
        assert "killed_or_wound" in text
        shot(page, artifacts, "problem-1280")
        shot(page, artifacts, "problem-list-1280", ".st-key-desk-problems")

        # a browser without a login meanwhile: the login form, nothing staged
        other = stranger.new_page()
        other.set_default_timeout(T)
        other.goto(f"{srv.url}/desk")
        wait_idle(other)
        expect(other.get_by_role("button", name=t(FR, "desk_login_submit"))).to_be_visible()
        body = other.locator("[data-testid='stMain']").inner_text()
        assert "killed_or_wound" not in body and "C9001" not in body and "claims.csv" not in body
        assert other.locator("[data-testid='stFileUploader'], [data-testid='stDownloadButton']").count() == 0

        # the fixed workbook: valid, the diff lists the added claim, publish
        raw, _ = workbook_with_row(data, claim)
        upload(page, "classeur.xlsx", raw)
        problems.wait_for(state="detached")  # the run that read the fixed workbook has replaced the list
        page.get_by_text(t(FR, "desk_valid")).wait_for()
        wait_idle(page)
        diff = page.locator(".st-key-desk-diff")
        assert "claims.csv" in diff.inner_text()
        page.locator(".st-key-desk-preview").get_by_text(t(FR, "desk_preview_note")).wait_for()
        wait_drawn(page, ".st-key-desk_cas_chart")
        assert page.evaluate(HAS_CLAIM.replace(CAS, ".st-key-desk_cas_chart"), "C9001"), "the preview draws the staged claim"
        page.set_viewport_size({"width": 1280, "height": 2400})  # element shots taller than the window come out blank
        shot(page, artifacts, "diff-1280", ".st-key-desk-diff")
        shot(page, artifacts, "preview-1280", ".st-key-desk-preview")
        page.set_viewport_size({"width": 375, "height": 2400})
        wait_drawn(page, ".st-key-desk_cas_chart")
        shot(page, artifacts, "diff-375", ".st-key-desk-diff")
        shot(page, artifacts, "preview-375", ".st-key-desk-preview")
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.get_by_role("button", name=t(FR, "desk_publish"), exact=True).click()
        page.get_by_text(re.compile("^Publié")).wait_for()
        wait_idle(page)
        assert any(c.id == "C9001" for c in load_bundle(data, geo).claims)

        # readers see it (a new tab: the desk tab keeps its session)
        reader = editor.new_page()
        reader.set_default_timeout(T)
        reader.goto(f"{srv.url}/casualties")
        wait_drawn(reader, CAS)
        wait_idle(reader)
        assert reader.evaluate(HAS_CLAIM, "C9001")
        assert reader.locator("a[href*='desk']").count() == 0, "no reader's page links to the desk"

        # roll back to the state before: gone again
        shot(page, artifacts, "versions-1280", ".st-key-desk-versions")
        page.locator("[class*='st-key-desk_rb_'] button:not([disabled])").click()
        page.get_by_text(re.compile("^Retour à la version")).wait_for()
        wait_idle(page)
        assert "C9001" not in {c.id for c in load_bundle(data, geo).claims}
        reader.reload()
        wait_drawn(reader, CAS)
        wait_idle(reader)
        assert not reader.evaluate(HAS_CLAIM, "C9001")
        page.set_viewport_size({"width": 375, "height": 800})
        shot(page, artifacts, "versions-375", ".st-key-desk-versions")
    finally:
        editor.close()
        stranger.close()
        srv.stop()
