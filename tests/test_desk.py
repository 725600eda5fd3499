"""The editors' desk without a browser: accounts, audit, staging and uploads, the safe workbook,
publish, versions and roll back, the command line (explainer/desk/)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from argon2 import PasswordHasher
from desk_helpers import new_claim, workbook_with_row

from bench.probes import scaled
from explainer import model as m
from explainer.desk import accounts as A
from explainer.desk import publish as P
from explainer.desk import staging as S
from explainer.desk.audit import read_audit
from explainer.desk.messages import describe
from explainer.desk.store import locked
from explainer.desk.workbook import LISTS, build_workbook
from explainer.load import DATA_FILES, load_bundle

PASSWORD = "correct horse battery"
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # argon2id still; the defaults cost ~0.5 s per hash


class Clock:
    def __init__(self, t: float = 1_800_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def files_of(*folders: Path) -> dict[str, bytes]:
    return {f"{d.name}/{p.name}": p.read_bytes() for d in folders for p in sorted(d.iterdir()) if p.is_file()}


def a_claim(data: Path, claim_id: str = "C9001", **over: str) -> dict[str, str]:
    """A valid new claim: the data's first claimant, the date of its first claim (both from the data)."""
    b = load_bundle(data, data.parent / "geo")
    first = b.claims[0]
    return new_claim(claim_id, first.claimant, first.date.isoformat(), **over)


def csv_with(path: Path, row: dict[str, str]) -> bytes:
    raw = path.read_bytes()
    buf = io.StringIO(newline="")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    csv.writer(buf, lineterminator="\n").writerow([row.get(h, "") for h in header])
    return raw + buf.getvalue().encode()


# --------------------------------------------------------------------------- accounts


def test_passwords_are_stored_as_salted_argon2id_hashes(desk):
    acc = A.Accounts(desk)
    acc.add_editor("anna", PASSWORD)
    acc.add_editor("ben", PASSWORD)
    raw = (desk / "editors.json").read_text()
    assert PASSWORD not in raw
    hashes = [e["hash"] for e in json.loads(raw)["editors"].values()]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert hashes[0] != hashes[1], "the same password must hash differently (a salt per hash)"
    assert (desk / "editors.json").stat().st_mode & 0o077 == 0, "accounts are readable by their owner only"
    with pytest.raises(A.AccountError):
        acc.add_editor("anna", PASSWORD)  # exists
    with pytest.raises(A.AccountError):
        acc.add_editor("x/../y", PASSWORD)
    with pytest.raises(A.AccountError):
        acc.add_editor("carl", "short")


def test_login_wrong_password_unknown_name_and_session_expiry(desk):
    clock = Clock()
    acc = A.Accounts(desk, clock=clock, hasher=FAST)
    acc.add_editor("anna", PASSWORD)
    with pytest.raises(A.LoginRefused) as e:
        acc.login("anna", PASSWORD + "x")
    assert e.value.reason == "wrong"
    with pytest.raises(A.LoginRefused) as e:
        acc.login("nobody", PASSWORD)
    assert e.value.reason == "wrong", "an unknown name gets the same answer as a wrong password"
    s = acc.login("Anna", PASSWORD)
    assert s.editor == "anna" and acc.session(s.token) == s
    assert s.token not in (desk / "sessions.json").read_text(), "only the token's hash is stored"
    clock.t += A.SESSION_SECONDS - 1
    assert acc.session(s.token) is not None
    clock.t += 1
    assert acc.session(s.token) is None, "a session ends at its expiry time"
    s2 = acc.login("anna", PASSWORD)
    acc.logout(s2.token)
    assert acc.session(s2.token) is None
    s3 = acc.login("anna", PASSWORD)
    acc.remove_editor("anna")
    assert acc.session(s3.token) is None, "removing an account ends its sessions"
    assert acc.session("forged-token") is None and acc.session(None) is None


def test_repeated_wrong_passwords_lock_the_account_and_the_client_with_growing_delays(desk):
    clock = Clock()
    acc = A.Accounts(desk, clock=clock, hasher=FAST)
    acc.add_editor("anna", PASSWORD)
    acc.add_editor("ben", PASSWORD)
    for _ in range(A.FREE_FAILURES):  # free: no delay yet
        with pytest.raises(A.LoginRefused) as e:
            acc.login("anna", "wrong password!", client="10.0.0.1")
        assert e.value.reason == "wrong"
    # the next wrong one locks: even the right password is refused without being checked
    with pytest.raises(A.LoginRefused):
        acc.login("anna", "wrong password!", client="10.0.0.1")
    with pytest.raises(A.LoginRefused) as e:
        acc.login("anna", PASSWORD, client="10.0.0.9")
    assert e.value.reason == "throttled" and e.value.retry_after == pytest.approx(A.lock_seconds(A.FREE_FAILURES + 1))
    # per client too: the same client is slowed down on another account
    with pytest.raises(A.LoginRefused) as e:
        acc.login("ben", PASSWORD, client="10.0.0.1")
    assert e.value.reason == "throttled"
    assert acc.login("ben", PASSWORD, client="10.0.0.2").editor == "ben"
    # the delay doubles with each further failure, up to the cap
    assert [A.lock_seconds(n) for n in range(A.FREE_FAILURES, A.FREE_FAILURES + 5)] == [0, 2, 4, 8, 16]
    assert A.lock_seconds(100) == A.MAX_LOCK_SECONDS
    clock.t += A.lock_seconds(A.FREE_FAILURES + 1)
    assert acc.login("anna", PASSWORD, client="10.0.0.1").editor == "anna"
    assert acc.failures("user:anna") == 0 and acc.failures("client:10.0.0.1") == 0, "a right login clears the count"


# --------------------------------------------------------------------------- workbook


def test_workbook_is_typed_text_with_lists_frozen_header_and_rules(desk_data):
    data, _ = desk_data
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook(data, "en")))
    assert [s for s in wb.sheetnames if s != LISTS] == [Path(n).stem for n in DATA_FILES]
    assert wb[LISTS].sheet_state == "hidden"
    ws = wb["claims"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    for r in range(2, min(ws.max_row, 20) + 1):
        for c in (col["date"], col["value_low"], col["id"]):
            cell = ws.cell(row=r, column=c)
            assert cell.number_format == "@" and (cell.value is None or isinstance(cell.value, str)), (r, c, cell.value)
    assert ws.column_dimensions["B"].number_format == "@", "new rows are text too"
    rules = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}
    from openpyxl.utils import get_column_letter

    measure = rules[get_column_letter(col["measure"])]
    lists = wb[LISTS]
    letter = re.search(r"\$([A-Z]+)\$1", measure).group(1)
    assert tuple(c.value for c in lists[letter] if c.value) == m.MEASURES
    assert "claimants" in rules[get_column_letter(col["claimant"])], "a claim's claimant is chosen from the claimants sheet"
    for name in ("bound", "scope", "cumulative", "quote_lang"):
        assert get_column_letter(col[name]) in rules, name
    assert "events" in wb.sheetnames and any(
        dv.formula1 and "places" in dv.formula1 for dv in wb["events"].data_validations.dataValidation
    ), "an event's place is chosen from the places sheet"
    comment = ws.cell(row=1, column=col["measure"]).comment.text
    assert "measure" in comment and "killed" in comment
    assert "YYYY-MM-DD" in ws.cell(row=1, column=col["date"]).comment.text


def test_workbook_round_trip_validates_unchanged(desk, desk_data):
    """download -> read back -> load_bundle -> the same records; a note that looks like a formula stays text."""
    data, geo = desk_data
    claims = data / "claims.csv"
    rows = list(csv.reader(io.StringIO(claims.read_text("utf-8"))))
    rows[1][rows[0].index("note_en")] = "=HYPERLINK(1+1)"
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    claims.write_text(buf.getvalue(), "utf-8")
    live = load_bundle(data, geo)
    raw = build_workbook(data, "fr-CH")
    cell = openpyxl.load_workbook(io.BytesIO(raw))["claims"].cell(row=2, column=rows[0].index("note_en") + 1)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(1+1)"
    st = S.begin("anna", data, geo)
    up = st.upload("kursk-data.xlsx", raw)
    assert up.written == [] and sorted(up.unchanged) == sorted(DATA_FILES) and up.ignored == [], "the very same bytes"
    back = load_bundle(st.data, st.geo)
    assert back.claims == live.claims and back.events == live.events and back.places == live.places
    assert back.claimants == live.claimants and back.story == live.story and back.changelog == live.changelog
    assert [d for d in P.review(st) if not (d.note or "").startswith("same records")] == []


# --------------------------------------------------------------------------- staging and uploads


def test_xlsx_upload_with_one_error_gives_one_problem_in_french_naming_file_row_and_column(desk, desk_data):
    data, geo = desk_data
    st = S.begin("anna", data, geo)
    assert st.live_changes() == [] and st.base_version == S.data_version(data, geo)
    raw, row = workbook_with_row(data, a_claim(data, measure="killed_or_wound"))
    st.upload("Classeur rédaction.xlsx", raw)
    bundle, problems = st.check()
    assert bundle is None and len(problems) == 1, problems
    p = problems[0]
    assert (Path(p.path).name, p.row, p.column) == ("claims.csv", row, "measure")
    text = describe(p, "fr-CH")
    assert re.fullmatch(
        r"claims\.csv \(onglet «\u202fclaims\u202f»\), ligne \d+, colonne «\u202fmeasure\u202f»\u00a0: .*killed_or_wound.*", text
    ), text
    assert f"ligne {row}," in text, "the row is the sheet's row"
    assert describe(p, "en").startswith(f"claims.csv (sheet 'claims'), row {row}, column 'measure': ")
    assert st.row("claims.csv", row)["measure"] == "killed_or_wound"
    # fixed: valid, and the live folder never saw any of it
    live_before = files_of(data, geo)
    raw, _ = workbook_with_row(data, a_claim(data))
    st.upload("Classeur rédaction.xlsx", raw)
    assert st.check()[1] == []
    assert files_of(data, geo) == live_before


def test_an_xlsx_written_by_openpyxl_with_typed_cells_reads_as_the_validator_expects(desk, desk_data):
    import datetime as dt

    data, geo = desk_data
    st = S.begin("anna", data, geo)
    header = next(csv.reader(io.StringIO((data / "claims.csv").read_text("utf-8"))))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "claims"
    ws.append(header)
    for r in list(csv.reader(io.StringIO((data / "claims.csv").read_text("utf-8"))))[1:]:
        ws.append(r)
    row = a_claim(data)
    typed: dict[str, object] = {**row, "date": dt.datetime.fromisoformat(row["date"]), "value_low": 4242.0, "value_high": 4242}
    ws.append([typed.get(h, "") for h in header])
    wb.create_sheet("Notes").append(["a sheet of the editor's own"])
    buf = io.BytesIO()
    wb.save(buf)
    up = st.upload("claims.xlsx", buf.getvalue())
    assert up.written == ["claims.csv"] and up.ignored == ["Notes"]
    assert st.check()[1] == []
    new = [c for c in load_bundle(st.data, st.geo).claims if c.id == row["id"]]
    assert new and new[0].value_low == 4242 and new[0].date.isoformat() == row["date"]


def test_upload_names_never_become_paths_and_limits_hold(desk, desk_data, tmp_path):
    data, geo = desk_data
    st = S.begin("anna", data, geo)
    everything = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "staging" not in p.parts}
    good = csv_with(data / "claims.csv", a_claim(data))
    up = st.upload("../../../../data/claims.csv", good)
    assert up.written == ["claims.csv"] and (st.data / "claims.csv").read_bytes() == good
    assert S.target_for("..\\..\\claims (2).CSV") == "claims.csv" and S.target_for("claimants_v2.csv") == "claimants.csv"
    for name in ("../../evil.csv", "../geo/manifest.csv", "/etc/passwd.csv", "claimsx.csv"):
        with pytest.raises(S.UploadError) as e:
            st.upload(name, good)
        assert e.value.code == "unknown_file", name
    with pytest.raises(S.UploadError) as e:
        st.upload("claims.exe", good)
    assert e.value.code == "type"
    with pytest.raises(S.UploadError) as e:
        st.upload("claims.xlsx", b"not a zip at all")
    assert e.value.code == "not_xlsx"
    with pytest.raises(S.UploadError) as e:
        st.upload("claims.csv", b"x" * (S.MAX_UPLOAD_BYTES + 1))
    assert e.value.code == "too_large"
    with pytest.raises(S.UploadError) as e:
        st.upload("claims.csv", build_workbook(data))
    assert e.value.code == "csv_is_workbook"
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "staging" not in p.parts and p in everything}
    assert after == everything, "nothing outside the staging folder was written"
    assert not [p for p in tmp_path.rglob("evil*")]
    odd = S.begin("../../cli:root", data, geo)  # the command line's --as is free text: it names, never places
    assert odd.root.parent == st.root.parent and odd.editor == "../../cli:root"


# --------------------------------------------------------------------------- publish, versions, roll back


def staged_claim(data: Path, geo: Path, editor: str = "anna", claim_id: str = "C9001") -> S.Staging:
    st = S.begin(editor, data, geo)
    st.upload("claims.csv", csv_with(data / "claims.csv", a_claim(data, claim_id)))
    return st


def with_changelog(st: S.Staging) -> S.Staging:
    import datetime as dt

    diffs = P.review(st)
    P.add_changelog(st, dt.date.today(), P.propose_change(diffs, "fr-CH"), P.propose_change(diffs, "en"))
    return st


def test_publish_needs_a_changelog_row_writes_live_keeps_versions_and_audits(desk, desk_data):
    data, geo = desk_data
    original = files_of(data, geo)
    before = S.data_version(data, geo)
    st = staged_claim(data, geo)
    with pytest.raises(P.PublishError) as e:
        P.publish(st, "anna")
    assert e.value.code == "changelog" and files_of(data, geo) == original
    diffs = P.review(st)
    proposed = P.propose_change(diffs, "en")
    assert "claims.csv: added C9001" == proposed
    with_changelog(st)
    staged = files_of(st.data, st.geo)
    res = P.publish(st, "anna")
    assert files_of(data, geo) == staged, "live holds exactly the staged bytes"
    assert sorted(res.files) == ["data/changelog.csv", "data/claims.csv"]
    assert res.before == before and res.after == S.data_version(data, geo) != before
    assert any(c.id == "C9001" for c in load_bundle(data, geo).claims)
    kinds = [(v.kind, v.version) for v in P.versions()]
    assert kinds == [("publish", res.after), ("before", before)]
    line = read_audit()[-1]
    assert (line["who"], line["action"], line["before"], line["after"]) == ("anna", "publish", before, res.after)
    assert line["changelog"]["change_en"] == proposed and re.match(r"\d{4}-\d\d-\d\dT", line["when"])
    assert res.commit is None, "a data folder outside git is published without a commit, quietly"
    with pytest.raises(P.PublishError) as e:
        P.publish(S.begin("anna", data, geo), "anna")
    assert e.value.code == "nothing"


def test_publish_refuses_invalid_data_and_live_changes_since_staging_began(desk, desk_data):
    data, geo = desk_data
    st = with_changelog(staged_claim(data, geo))
    events = data / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"\n", b"\r\n", 1))  # another editor's edit of the live files
    live = files_of(data, geo)
    with pytest.raises(P.PublishError) as e:
        P.publish(st, "anna")
    assert e.value.code == "live_changed" and e.value.kw["files"] == "data/events.csv"
    assert "data/events.csv" in str(e.value)
    assert files_of(data, geo) == live
    bad = S.begin("anna", data, geo)
    raw, _ = workbook_with_row(data, a_claim(data, measure="nonsense"))
    bad.upload("w.xlsx", raw)
    with pytest.raises(P.PublishError) as e:
        P.publish(with_changelog(bad), "anna")
    assert e.value.code == "invalid" and e.value.kw["n"] == 1 and files_of(data, geo) == live


def test_a_failure_mid_publish_leaves_live_unchanged(desk, desk_data, monkeypatch):
    data, geo = desk_data
    original = files_of(data, geo)
    st = with_changelog(staged_claim(data, geo))
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return __import__("os").replace(src, dst)

    monkeypatch.setattr(P, "_replace", failing_replace)
    with pytest.raises(OSError):
        P.publish(st, "anna")
    assert len(calls) == 2, "the first file was replaced before the failure"
    assert files_of(data, geo) == original, "the replaced file got its old bytes back"
    assert not [p for p in data.iterdir() if p.name.startswith(".")], "no temporary file is left in the live folder"
    assert [v.kind for v in P.versions()] == ["before"], "a failed publish is not a version"
    monkeypatch.undo()
    monkeypatch.setenv("EXPLAINER_DESK_DIR", str(desk))
    assert P.publish(st, "anna").files  # the same staging publishes once the disk is fine


def test_two_editors_publishing_at_once_the_lock_blocks_the_second(desk, desk_data):
    data, geo = desk_data
    st = with_changelog(staged_claim(data, geo))
    original = files_of(data, geo)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,os,sys; fd=os.open(sys.argv[1], os.O_RDWR|os.O_CREAT); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()", str(desk / "publish.lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        desk.mkdir(exist_ok=True)
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(P.PublishError) as e:
            P.publish(st, "anna")
        assert e.value.code == "busy" and files_of(data, geo) == original
        with pytest.raises(P.PublishError) as e:
            P.rollback(P.versions()[0].id if P.versions() else "20260101T000000000000Z-000000000000", "ben", data, geo)
        assert e.value.code in ("busy", "unknown_version")
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert P.publish(st, "anna").files
    # and in one process: a publish while another holds the lock
    st2 = with_changelog(staged_claim(data, geo, claim_id="C9002"))
    with locked(desk / "publish.lock"), pytest.raises(P.PublishError, match="another editor"):
        P.publish(st2, "ben")


def test_roll_back_restores_the_exact_bytes_and_is_audited(desk, desk_data):
    data, geo = desk_data
    original = files_of(data, geo)
    first = P.publish(with_changelog(staged_claim(data, geo)), "anna")
    published = files_of(data, geo)
    second = P.publish(with_changelog(staged_claim(data, geo, "ben", "C9002")), "ben")
    assert files_of(data, geo) != published
    before_v = next(v for v in P.versions() if v.kind == "before")
    res = P.rollback(before_v.id, "anna", data, geo)
    assert files_of(data, geo) == original, "roll back restores the exact bytes"
    assert res.after == before_v.version and res.before == second.after
    line = read_audit()[-1]
    assert (line["who"], line["action"], line["version"], line["before"], line["after"]) == (
        "anna", "rollback", before_v.id, second.after, before_v.version,
    )  # fmt: skip
    P.rollback(first.version.id, "ben", data, geo)
    assert files_of(data, geo) == published
    with pytest.raises(P.PublishError) as e:
        P.rollback("../../etc", "anna", data, geo)
    assert e.value.code == "unknown_version"


def test_publish_commits_where_the_data_is_a_git_work_tree(desk, tmp_path, desk_data):
    data, geo = desk_data
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, capture_output=True, text=True, check=True)
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "add", "data", "geo")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "start")
    res = P.publish(with_changelog(staged_claim(data, geo)), "anna")
    assert res.commit and len(res.commit) == 40
    log = git("log", "-1", "--format=%an|%s", "--name-only").stdout
    assert log.startswith("anna|Data: claims.csv: added C9001") and "data/claims.csv" in log and "data/changelog.csv" in log


# --------------------------------------------------------------------------- command line


def test_cli_add_editor_publish_versions_rollback(desk, desk_data, tmp_path):
    data, geo = desk_data
    env = {"EXPLAINER_DESK_DIR": str(desk), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-m", "explainer", "desk", *args, "--data", str(data), "--geo", str(geo)]
        return subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, env=env, timeout=scaled(120), cwd=Path(__file__).parent.parent
        )

    r = cli("add-editor", "anna", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    assert A.Accounts(desk).login("anna", PASSWORD).editor == "anna"
    assert cli("add-editor", "anna", stdin=PASSWORD + "\n").returncode == 1
    edited = tmp_path / "edited" / "data"
    edited.mkdir(parents=True)
    (edited / "claims.csv").write_bytes(csv_with(data / "claims.csv", a_claim(data)))
    original = files_of(data, geo)
    (edited / "claims.csv").write_bytes(csv_with(data / "claims.csv", a_claim(data, scope="planet")))
    r = cli("publish", "--from", str(edited.parent), "--as", "anna", "--change-fr", "Ajout.", "--change-en", "Added.")
    assert r.returncode == 1 and re.search(r"claims\.csv \(sheet 'claims'\), row \d+, column 'scope': ", r.stdout), r.stdout
    assert "problem" in r.stderr and files_of(data, geo) == original
    (edited / "claims.csv").write_bytes(csv_with(data / "claims.csv", a_claim(data)))
    r = cli(
        "publish",
        "--from",
        str(edited.parent),
        "--as",
        "anna",
        "--change-fr",
        "Ajout d'une affirmation.",
        "--change-en",
        "A claim added.",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert any(c.id == "C9001" for c in load_bundle(data, geo).claims)
    r = cli("versions")
    assert r.returncode == 0 and "(live)" in r.stdout.splitlines()[0] and "before" in r.stdout
    before = next(v.id for v in P.versions() if v.kind == "before")
    r = cli("rollback", before, "--as", "anna")
    assert r.returncode == 0, r.stderr
    assert files_of(data, geo) == original
    assert [x["action"] for x in read_audit()] == ["add-editor", "publish", "rollback"]


def test_publish_runs_the_static_export_where_one_is_configured(desk, desk_data, tmp_path, monkeypatch):
    data, geo = desk_data
    out = tmp_path / "embed"
    monkeypatch.setenv("EXPLAINER_DESK_EXPORT_DIR", str(out))
    res = P.publish(with_changelog(staged_claim(data, geo)), "anna")
    assert res.export == 0 and (out / "index.html").is_file()
    exported = "\n".join(p.read_text("utf-8", errors="replace") for p in out.rglob("*") if p.suffix in (".html", ".json", ".csv"))
    assert "C9001" in exported or "Desk test outlet" in exported, "the export is built from the published data"


def test_upload_size_limit_matches_the_servers():
    """Streamlit's own upload limit (.streamlit/config.toml) is the desk's, so the widget says the truth."""
    import tomllib

    from explainer.paths import ROOT

    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert conf["server"]["maxUploadSize"] * 1_000_000 == S.MAX_UPLOAD_BYTES


def test_stale_staging_folders_of_abandoned_sessions_are_removed(desk, desk_data):
    data, geo = desk_data
    clock = Clock()
    old = S.begin("anna", data, geo, clock=clock)
    clock.t += S.STALE_SECONDS - 1
    recent = S.begin("ben", data, geo, clock=clock)
    assert old.root.is_dir()
    clock.t += 2
    S.begin("carl", data, geo, clock=clock)
    assert not old.root.exists() and recent.root.is_dir()


def test_every_refusal_has_its_message_in_both_languages():
    """The page shows ``desk_upload_<code>`` / ``desk_refused_<code>`` / ``desk_kind_<kind>``: each code the
    desk can raise has its catalogue entry, with the placeholders the code passes."""
    import ast

    from explainer import i18n
    from explainer.paths import PACKAGE

    codes = []
    for module, prefix, cls in (("staging", "desk_upload_", "UploadError"), ("publish", "desk_refused_", "PublishError")):
        tree = ast.parse((PACKAGE / "desk" / f"{module}.py").read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == cls and isinstance(node.args[0], ast.Constant):
                codes.append((prefix + node.args[0].value, {k.arg for k in node.keywords}))
    codes += [(f"desk_kind_{k}", set()) for k in ("publish", "rollback", "before")]
    assert len(codes) > 12
    for lang in ("fr", "en"):
        cat = i18n.catalogue(lang)
        for key, kw in codes:
            assert key in cat, (lang, key)
            assert set(re.findall(r"{(\w+)}", cat[key])) <= kw, (lang, key, kw)


def test_a_hidden_page_is_served_but_listed_in_no_navigation(tmp_path):
    from explainer.paths import PAGES
    from explainer.ui.registry import hidden_ids, hidden_views, view_ids

    for p in PAGES.glob("*.py"):
        (tmp_path / p.name).write_text(p.read_text("utf-8"), "utf-8")
    (tmp_path / "backstage.py").write_text("MENU = 5\nHIDDEN = True\n\ndef render(bundle, state):\n    return 'b'\n", "utf-8")
    (tmp_path / "shown.py").write_text("MENU = 5\nHIDDEN = False\n\ndef render(bundle, state):\n    return None\n", "utf-8")
    assert view_ids(tmp_path)[0] == "shown" and "backstage" not in view_ids(tmp_path) and "desk" not in view_ids(tmp_path)
    assert hidden_ids(tmp_path) == ("backstage", "desk")
    assert hidden_views(tmp_path)["backstage"](None, None) == "b"
