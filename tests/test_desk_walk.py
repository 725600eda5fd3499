"""An editor's walk through the desk, in Debian chromium against a live `streamlit run` on a temporary
data folder, with nothing but the browser: log in, add a claim (the downloaded workbook edited with
openpyxl), add a control snapshot (a GeoJSON upload), read the check and the review, preview, publish,
see both on /casualties and /map, roll back, see both gone.

Every step is photographed at 1280 px, the main screens at 375 px too, into build/desk-walk/.
The snapshot's outline is the last bundled snapshot's own polygon, copied under the next day and
written to this test's temporary folder; its source says it is a test.

Every wait is for a state (an element the run draws, then the app's run state), never for a time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import Server
from desk_helpers import new_claim, workbook_with_row
from playwright.sync_api import expect

from bench.probes import after_run, scaled_ms, wait_drawn, wait_idle
from explainer import i18n
from explainer.desk.accounts import Accounts
from explainer.desk.workbook import MIME
from explainer.i18n import t
from explainer.load import load_bundle
from explainer.paths import ROOT

pytestmark = pytest.mark.browser
T = scaled_ms(120_000)  # ms: a rerun that checks a staged bundle on a busy 2-core machine takes seconds
PASSWORD = "walk desk password"
FR = "fr-CH"
WALK = ROOT / "build" / "desk-walk"
CAS = ".st-key-cas_chart"
HAS_CLAIM = f"""(id) => {{ const gd = document.querySelector('{CAS} .js-plotly-plot');
  return !!gd && gd.data.some(tr => (tr.customdata || []).includes(id)); }}"""
WIDE = {"width": 1280, "height": 1000}
GEO_DRAWN = "() => [...document.querySelectorAll('.js-plotly-plot')].some(g => g._fullLayout && g._fullLayout.geo)"


class Camera:
    """Numbered screenshots of the walk (a viewport, or one part of the page grown to its full height)."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.png"):
            old.unlink()
        self.folder, self.n = folder, 0

    def __call__(self, page, name: str, part: str | None = None, width: int = 1280) -> Path:
        self.n += 1
        path = self.folder / f"{self.n:02d}-{name}-{width}.png"
        if part:
            page.locator(part).first.scroll_into_view_if_needed()
            page.locator(part).first.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path))
        return path


def at_width(page, width: int, height: int = 1000) -> None:
    page.set_viewport_size({"width": width, "height": height})


def test_an_editor_adds_a_claim_and_a_snapshot_publishes_and_rolls_back(desk_data, tmp_path, browser):
    data, geo = desk_data
    desk = tmp_path / "desk"
    live = load_bundle(data, geo)
    claim = new_claim("C9001", live.claims[0].claimant, live.claims[0].date.isoformat())
    control = next(lyr for lyr in live.manifest.layers if lyr.kind == "control")
    last = live.dates(control.id)[-1]
    day = last + dt.timedelta(days=1)
    held = next(f["geometry"] for f in live.control[control.id][last]["features"] if f["properties"]["kind"] == "ua_controlled")
    source = f"TEST – copie du relevé {control.source_name} du {last.isoformat()}"
    outline = tmp_path / "upload" / "releve-test.geojson"  # a temporary folder, never data/ or geo/
    outline.parent.mkdir()
    outline.write_text(json.dumps({"type": "Feature", "properties": {}, "geometry": held}), "utf-8")
    Accounts(desk).add_editor("anna", PASSWORD)
    env = {"EXPLAINER_DATA_DIR": str(data), "EXPLAINER_GEO_DIR": str(geo), "EXPLAINER_DESK_DIR": str(desk),
           "EXPLAINER_CACHE_DIR": str(tmp_path / "cache")}  # fmt: skip
    shot = Camera(WALK)
    srv = Server(env).start()
    editor = browser.new_context(viewport=WIDE)
    try:
        page = editor.new_page()
        page.set_default_timeout(T)
        page.goto(f"{srv.url}/desk")
        wait_idle(page)
        expect(page.get_by_role("button", name=t(FR, "desk_login_submit"))).to_be_visible()
        shot(page, "login")
        at_width(page, 375, 800)
        shot(page, "login", width=375)
        at_width(page, 1280)

        # log in
        page.get_by_label(t(FR, "desk_login_name")).fill("anna")
        page.get_by_label(t(FR, "desk_login_password")).fill(PASSWORD)
        page.get_by_role("button", name=t(FR, "desk_login_submit")).click()
        page.locator(".st-key-desk-snapshot").wait_for()
        wait_idle(page)
        shot(page, "desk-top")
        at_width(page, 375, 800)
        shot(page, "desk-top", width=375)
        at_width(page, 1280)

        # a claim: the downloaded workbook with one row added (openpyxl), uploaded
        raw, _ = workbook_with_row(data, claim)
        page.locator(
            f"[data-testid='stFileUploader']:has-text('{t(FR, 'desk_upload_label')[:20]}') input[type=file]"
        ).set_input_files(files=[{"name": "classeur.xlsx", "mimeType": MIME, "buffer": raw}])
        page.get_by_text(t(FR, "desk_uploaded", files="claims.csv")).wait_for()
        wait_idle(page)
        shot(page, "claim-uploaded")

        # a snapshot: the outline over the previous snapshot, then into the working copy
        box = page.locator(".st-key-desk-snapshot")
        date_field = box.get_by_role("group", name=t(FR, "desk_snapshot_date_label"))
        shown_day = re.sub(r"\D", "", date_field.inner_text())
        assert shown_day == day.isoformat().replace("-", ""), "the next day after the last snapshot is proposed"
        source_field = box.get_by_label(re.compile("^" + re.escape(t(FR, "desk_snapshot_source_label")[:10])))
        source_field.fill(source)
        after_run(page, lambda: source_field.press("Enter"))  # the source is committed before the upload
        after_run(page, lambda: box.locator("input[type=file]").set_input_files(str(outline)))
        assert not box.locator("[data-testid=stAlertContentError]").count(), box.inner_text()
        page.locator(".st-key-desk_snap_figure .js-plotly-plot").wait_for()
        wait_drawn(page, ".st-key-desk_snap_figure")
        wait_idle(page)
        at_width(page, 1280, 1600)
        shot(page, "snapshot-drawn", ".st-key-desk-snapshot")
        at_width(page, 375, 1800)
        wait_drawn(page, ".st-key-desk_snap_figure")
        shot(page, "snapshot-drawn", ".st-key-desk-snapshot", width=375)
        at_width(page, 1280)
        page.get_by_role("button", name=t(FR, "desk_snapshot_do_add")).click()
        done = page.get_by_text(
            re.compile("^" + re.escape(t(FR, "desk_snapshot_done_add", date=i18n.date(day, FR), kind="").split("(")[0]))
        )
        done.wait_for()
        wait_idle(page)
        done.scroll_into_view_if_needed()
        shot(page, "snapshot-added")
        page.locator(".st-key-desk-snapshot").scroll_into_view_if_needed()
        after_day = re.sub(r"\D", "", box.get_by_role("group", name=t(FR, "desk_snapshot_date_label")).inner_text())
        assert after_day == (day + dt.timedelta(days=1)).isoformat().replace("-", ""), "the next snapshot starts afresh"
        assert box.get_by_label(re.compile("^" + re.escape(t(FR, "desk_snapshot_source_label")[:10]))).input_value() == ""
        shot(page, "snapshot-form-after")

        # check and review: both changes, nothing published yet
        page.get_by_text(t(FR, "desk_valid")).wait_for()
        diff = page.locator(".st-key-desk-diff")
        text = diff.inner_text()
        assert "claims.csv" in text and control.file in text and t(FR, "desk_diff_snapshots") in text, text
        assert day not in load_bundle(data, geo).dates(control.id)
        at_width(page, 1280, 2400)
        shot(page, "review", ".st-key-desk-diff")

        # preview: the snapshot's caption as readers will read it, its outline, the casualty chart
        preview = page.locator(".st-key-desk-preview")
        preview.get_by_text(t(FR, "desk_preview_note")).wait_for()
        caption = t(FR, "map_snapshot", source=source, date=i18n.date(day, FR))
        expect(preview).to_contain_text(caption)
        wait_drawn(page, ".st-key-desk_cas_chart")
        shot(page, "preview", ".st-key-desk-preview")
        at_width(page, 375, 2400)
        wait_drawn(page, ".st-key-desk_cas_chart")
        shot(page, "preview", ".st-key-desk-preview", width=375)
        at_width(page, 1280, 1400)

        # publish with the proposed corrections-log row
        publish = page.get_by_role("button", name=t(FR, "desk_publish"), exact=True)
        publish.scroll_into_view_if_needed()
        form = page.locator("[data-testid='stForm']:has(textarea)")
        proposal = form.locator("textarea").first.input_value()
        assert t(FR, "desk_change_snapshot", date=i18n.date(day, FR), kind=t(FR, "control_ua_controlled")) in proposal, proposal
        assert "ua_controlled" not in proposal and control.file not in proposal, proposal
        shot(page, "publish-form", "[data-testid='stForm']:has(textarea)")
        publish.click()
        published = page.get_by_text(re.compile("^Publié"))
        published.wait_for()
        wait_idle(page)
        published.scroll_into_view_if_needed()
        shot(page, "published")
        after = load_bundle(data, geo)
        assert any(c.id == "C9001" for c in after.claims) and after.dates(control.id)[-1] == day

        # readers see both (a new tab: the desk tab keeps its session)
        reader = editor.new_page()
        reader.set_default_timeout(T)
        reader.goto(f"{srv.url}/casualties")
        wait_drawn(reader, CAS)
        wait_idle(reader)
        assert reader.evaluate(HAS_CLAIM, "C9001")
        shot(reader, "reader-casualties")
        reader.goto(f"{srv.url}/map?date={day.isoformat()}")
        wait_idle(reader)
        reader.wait_for_function(GEO_DRAWN)
        expect(reader.locator(".snapshot-line")).to_contain_text(caption)
        reader.locator(".snapshot-line").scroll_into_view_if_needed()
        shot(reader, "reader-map")
        phone = browser.new_context(viewport={"width": 375, "height": 900})  # a phone's first visit: its own layout
        try:
            small = phone.new_page()
            small.set_default_timeout(T)
            small.goto(f"{srv.url}/map?date={day.isoformat()}")
            wait_idle(small)
            small.wait_for_function(GEO_DRAWN)
            expect(small.locator(".snapshot-line")).to_contain_text(caption)
            small.locator(".snapshot-line").scroll_into_view_if_needed()
            shot(small, "reader-map", width=375)
        finally:
            phone.close()

        # roll back to the state before: both gone
        page.bring_to_front()
        at_width(page, 1280, 1400)
        shot(page, "versions", ".st-key-desk-versions")
        page.locator("[class*='st-key-desk_rb_'] button:not([disabled])").click()
        page.get_by_text(re.compile("^Retour à la version")).wait_for()
        wait_idle(page)
        shot(page, "rolled-back")
        at_width(page, 375, 800)
        shot(page, "versions", ".st-key-desk-versions", width=375)
        back = load_bundle(data, geo)
        assert "C9001" not in {c.id for c in back.claims} and back.dates(control.id)[-1] == last
        reader.goto(f"{srv.url}/casualties")
        wait_drawn(reader, CAS)
        wait_idle(reader)
        assert not reader.evaluate(HAS_CLAIM, "C9001")
        reader.goto(f"{srv.url}/map?date={day.isoformat()}")
        wait_idle(reader)
        reader.wait_for_function(GEO_DRAWN)
        expect(reader.locator(".snapshot-line")).to_be_visible()
        expect(reader.locator(".snapshot-line")).not_to_contain_text(source)
        shot(reader, "reader-map-rolled-back")
    except Exception:
        for pg in editor.pages:  # what the editor saw when the walk stopped
            pg.screenshot(path=str(WALK / f"failed-{editor.pages.index(pg)}.png"), full_page=True)
        raise
    finally:
        editor.close()
        srv.stop()
