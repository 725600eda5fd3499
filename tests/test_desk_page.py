"""The editors' desk page (pages/desk.py) through AppTest: login required, the validator's messages
with their rows, the diff, the preview, publish and roll back; readers' navigation has no desk."""

from __future__ import annotations

import re

import pytest
from conftest import chart_figures
from desk_helpers import new_claim, workbook_with_row
from streamlit.testing.v1 import AppTest

from bench.probes import scaled
from explainer.desk.accounts import Accounts
from explainer.desk.audit import read_audit
from explainer.desk.workbook import MIME
from explainer.i18n import t
from explainer.load import load_bundle
from explainer.ui.registry import hidden_ids, view_ids

SCRIPT = "from explainer.ui.shell import hidden_page\nhidden_page('desk')\n"
PASSWORD = "desk page password"


@pytest.fixture
def desk_env(desk_data, tmp_path, monkeypatch):
    data, geo = desk_data
    for k, v in {
        "EXPLAINER_DATA_DIR": str(data),
        "EXPLAINER_GEO_DIR": str(geo),
        "EXPLAINER_DESK_DIR": str(tmp_path / "desk"),
        "EXPLAINER_CACHE_DIR": str(tmp_path / "cache"),
    }.items():
        monkeypatch.setenv(k, v)
    Accounts().add_editor("anna", PASSWORD)
    return data, geo, tmp_path / "desk"


def text_of(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [s.value for s in at.success] + [w.value for w in at.warning] + [i.value for i in at.info]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))


def login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="desk_name").input(name)
    at.text_input(key="desk_password").input(password)
    at.button[0].click()  # the form's submit button: the only button before a login
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_readers_navigation_has_no_desk_and_view_desk_is_no_view():
    from test_app import run

    assert "desk" in hidden_ids() and "desk" not in view_ids()
    at = run()
    links = [el.proto.page for el in at.get("page_link")] + [el.proto.label for el in at.get("page_link")]
    assert links and not [x for x in links if "desk" in x.lower() or t("fr-CH", "nav_desk") in x]
    at = run({"view": "desk"})
    assert not at.exception and t("fr-CH", "desk_login_title") not in text_of(at)


def test_without_a_login_there_is_only_the_login_form(desk_env):
    data, geo, desk = desk_env
    at = AppTest.from_string(SCRIPT, default_timeout=scaled(60)).run()
    assert not at.exception, at.exception
    assert [ti.key for ti in at.text_input] == ["desk_name", "desk_password"]
    assert not at.get("file_uploader") and not at.get("download_button") and not at.dataframe
    assert not (desk / "staging").exists(), "no staging copy before a login"
    at = login(at, "anna", "not the password")
    assert t("fr-CH", "desk_login_wrong") in text_of(at)
    assert not at.get("file_uploader") and not (desk / "staging").exists()
    assert read_audit()[-1]["action"] == "login_refused"


def test_login_upload_messages_diff_preview_publish_and_roll_back(desk_env):
    data, geo, desk = desk_env
    original = {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()}
    live = load_bundle(data, geo)
    claim = new_claim("C9001", live.claims[0].claimant, live.claims[0].date.isoformat())
    at = login(AppTest.from_string(SCRIPT, default_timeout=scaled(90)).run(), "anna", PASSWORD)
    assert not at.exception, at.exception
    assert t("fr-CH", "desk_signed_in", name="anna") in text_of(at)
    assert t("fr-CH", "desk_valid") in text_of(at) and t("fr-CH", "desk_no_change") in text_of(at)

    assert [b.proto.label for b in at.get("download_button")] == [t("fr-CH", "desk_download")]

    # an upload with one error: the French message names file, sheet, row and column, and shows the row
    raw, row = workbook_with_row(data, {**claim, "bound": "somewhere"})
    at.file_uploader[0].set_value(("classeur.xlsx", raw, MIME))
    at.run()
    body = text_of(at)
    assert t("fr-CH", "desk_uploaded", files="claims.csv") in body
    assert re.search(rf"claims\.csv \(onglet «\s?claims\s?»\), ligne {row}, colonne «\s?bound\s?»", body), body
    assert any("somewhere" in df.value.to_string() for df in at.dataframe), "the row is shown"
    assert not [b for b in at.button if b.label == t("fr-CH", "desk_publish")], "no publishing invalid data"
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == original

    # the fixed workbook: valid, the diff shows the added row, the preview is marked unpublished
    raw, _ = workbook_with_row(data, claim)
    at.file_uploader[0].set_value(("classeur.xlsx", raw, MIME))
    at.run()
    body = text_of(at)
    assert t("fr-CH", "desk_valid") in body
    assert "claims.csv : 1 ajoutée(s)" in body.replace("\u00a0", " ")
    assert any("C9001" in df.value.to_string() for df in at.dataframe)
    assert t("fr-CH", "desk_preview_note") in body
    assert chart_figures(at), "the casualty chart is drawn from the staged data"
    from explainer.desk.staging import Staging, data_version
    from explainer.figures.cache import _BASES

    working = Staging(next((desk / "staging").iterdir()))
    staged = data_version(working.data, working.geo)
    assert staged not in {k[0] for k in _BASES}, "the preview stays out of the readers' shared figure cache"
    assert [a.value for a in at.text_area][0].startswith("claims.csv"), "the corrections-log row is proposed"

    button(at, t("fr-CH", "desk_publish")).click()
    at.run()
    assert not at.exception, at.exception
    assert "Publié" in text_of(at), text_of(at)
    assert any(c.id == "C9001" for c in load_bundle(data, geo).claims)
    assert [x["action"] for x in read_audit()][-3:] == ["upload", "publish", "staging"]
    assert re.search(r"\d{1,2} \w+\.? \d{4} \d\d:\d\d UTC · anna · publication · version [0-9a-f]{12}", text_of(at)), text_of(at)

    # roll back to the state before: the claim is gone, the bytes are the original ones
    rb = [b for b in at.button if b.label == t("fr-CH", "desk_rollback") and not b.disabled]
    assert len(rb) == 1
    rb[0].click()
    at.run()
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.is_file()} == original
    assert "C9001" not in {c.id for c in load_bundle(data, geo).claims}

    # log out: back to the login form, the staging copy gone
    button(at, t("fr-CH", "desk_logout")).click()
    at.run()
    assert [ti.key for ti in at.text_input] == ["desk_name", "desk_password"]
    assert not list((desk / "staging").iterdir())


def test_an_expired_session_is_back_at_the_login_and_a_live_change_is_named(desk_env):
    import json

    data, geo, desk = desk_env
    at = login(AppTest.from_string(SCRIPT, default_timeout=scaled(90)).run(), "anna", PASSWORD)
    assert at.get("file_uploader")
    # another editor changes the live files: the desk says which, and offers to start again
    events = data / "events.csv"
    raw = events.read_bytes()
    first = raw.split(b"\n")[1]
    events.write_bytes(raw + first.replace(first.split(b",")[0], b"E9001", 1) + b"\n")  # a new event, E9001
    at.run()
    assert t("fr-CH", "desk_live_changed", files="data/events.csv") in text_of(at)
    assert re.search(r"events\.csv\s?: 1 ajoutée\(s\), 0 modifiée\(s\), 0 supprimée\(s\) \(E9001\)", text_of(at)), text_of(at)
    button(at, t("fr-CH", "desk_restart")).click()
    at.run()
    assert t("fr-CH", "desk_live_changed", files="data/events.csv") not in text_of(at)
    # the session's expiry time passes: only the login form again
    sessions = desk / "sessions.json"
    doc = json.loads(sessions.read_text())
    for s in doc["sessions"].values():
        s["expires"] = 0
    sessions.write_text(json.dumps(doc))
    at.run()
    assert t("fr-CH", "desk_login_expired") in text_of(at)
    assert [ti.key for ti in at.text_input] == ["desk_name", "desk_password"] and not at.get("file_uploader")


def test_the_desk_speaks_english_and_slows_down_repeated_wrong_passwords(desk_env, monkeypatch):
    from explainer.desk import accounts
    from explainer.desk.accounts import FREE_FAILURES

    # the page's clock stands still: the lock-out the wrong passwords earn has not run out when the
    # right one comes, however long each run takes on a busy machine
    monkeypatch.setattr(accounts, "now", lambda: 1_800_000_000.0)
    at = AppTest.from_string(SCRIPT, default_timeout=scaled(60))
    at.query_params["lang"] = "en"
    at.run()
    for _ in range(FREE_FAILURES + 1):
        login(at, "anna", "wrong password")
    assert t("en", "desk_login_wrong") in text_of(at)
    login(at, "anna", PASSWORD)  # right, but too soon
    assert re.search(r"Too many attempts: try again in \d+ s\.", text_of(at)), text_of(at)
    assert not at.get("file_uploader")
    assert [x["reason"] for x in read_audit() if x["action"] == "login_refused"][-1] == "throttled"
