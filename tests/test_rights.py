"""Rights before publishing (geo/README.md: rights): the manifest's ``rights`` entries, their rules,
and the refusal of ``export``, ``desk publish`` and the desk unless a decision is recorded; and the
export's guard that keeps ``latest/`` from moving back to older data."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from conftest import explainer_cli
from desk_helpers import FIXTURE_DECISION, decide_uncleared, new_claim

from explainer import rights as R
from explainer.desk import publish as P
from explainer.desk import staging as S
from explainer.desk.audit import read_audit
from explainer.export import export_site
from explainer.load import DataError, load_bundle
from explainer.paths import GEO

UNCLEARED = ["control_deepstate", "isw_russian_advances"]  # DeepStateMap, ISW: geo/README.md


def manifest_problems(geo: Path, edit) -> list[str]:
    doc = yaml.safe_load((geo / "manifest.yaml").read_text("utf-8"))
    edit(doc)
    (geo / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    with pytest.raises(DataError) as e:
        load_bundle(geo.parent / "data", geo)
    return [str(p) for p in e.value.problems]


def layer(doc: dict, layer_id: str) -> dict:
    return next(lyr for lyr in doc["layers"] if lyr["id"] == layer_id)


# --------------------------------------------------------------------------- the manifest


def test_the_bundled_manifest_records_the_truth_two_layers_not_cleared_and_no_decision():
    manifest = R.read(GEO)
    assert manifest is not None
    assert [lyr.id for lyr in R.blockers(manifest)] == UNCLEARED
    for lyr in manifest.layers:
        assert lyr.rights.cleared_by is None and lyr.rights.decision is None  # nobody cleared or decided anything
        assert lyr.attribution_fr and lyr.attribution_en  # the credit line readers see
    assert {lyr.rights.status for lyr in manifest.layers} == {"open_licence", "not_cleared"}


@pytest.mark.parametrize(
    ("case", "edit", "expected"),
    [
        (
            "cleared_without_who_when_terms",
            lambda d: layer(d, "control_deepstate").update(rights={"status": "cleared"}),
            [
                f"geo/manifest.yaml:{{line}}:layers.3.rights.{f}: a cleared layer names who cleared it, when, and on what terms"
                for f in ("cleared_by", "cleared_on", "terms_en", "terms_fr")
            ],
        ),
        (
            "not_cleared_naming_who_cleared_it",
            lambda d: layer(d, "control_deepstate")["rights"].update(cleared_by="Someone"),
            [
                "geo/manifest.yaml:{line}:layers.3.rights.cleared_by: only a cleared layer names who cleared it (the status is not_cleared)"
            ],
        ),
        (
            "risk_under_an_open_licence",
            lambda d: layer(d, "isw_russian_advances").update(
                rights={"status": "open_licence", "terms_fr": "x", "terms_en": "x"}
            ),
            [
                "geo/manifest.yaml:{line}:layers.4.rights: licence_risk is true: a layer at risk cannot be under an open "
                "licence (status)"
            ],
        ),
        (
            "decision_without_reason",
            lambda d: layer(d, "control_deepstate")["rights"].update(decision={"by": "Editor", "on": "2026-01-02"}),
            ["geo/manifest.yaml:{line}:layers.3.rights.decision.reason: required"],
        ),
        ("no_rights", lambda d: layer(d, "countries").pop("rights"), ["geo/manifest.yaml:{line}:layers.0.rights: required"]),
        (
            "unknown_status",
            lambda d: layer(d, "countries")["rights"].update(status="maybe"),
            ["geo/manifest.yaml:{line}:layers.0.rights.status: 'maybe' is not one of: open_licence, cleared or not_cleared"],
        ),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_rights_entries_are_checked_with_a_message_naming_the_field(data_copy, case, edit, expected):
    _, geo = data_copy
    got = manifest_problems(geo, edit)
    assert [g.split(":", 2)[0] + ":{line}:" + g.split(":", 2)[2] for g in got] == expected, got


# --------------------------------------------------------------------------- export


def test_export_refuses_uncleared_layers_by_default_and_a_preview_says_so(data_copy, tmp_path):
    data, geo = data_copy
    args = ("--data", str(data), "--geo", str(geo), "--lang", "en", "--no-images")
    out = tmp_path / "site"
    r = explainer_cli("export", "--out", str(out), *args)
    assert r.returncode == 1, r.stdout + r.stderr
    assert r.stderr.startswith("refused: the rights of 2 map layer(s) are not cleared: control_deepstate (DeepStateMap), ")
    assert "desk rights control_deepstate --decide" in r.stderr and "--rights-preview" in r.stderr
    assert not out.exists()
    r = explainer_cli("export", "--out", str(out), "--rights-preview", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("PREVIEW, not for publication: published WITHOUT cleared rights: control_deepstate")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["rights_preview"] is True
    assert [x["id"] for x in manifest["rights"] if x["status"] == "not_cleared"] == UNCLEARED


def test_a_recorded_decision_lets_export_publish_and_withdrawing_it_refuses_again(data_copy, tmp_path, monkeypatch):
    data, geo = data_copy
    desk = tmp_path / "desk"
    env = {"EXPLAINER_DESK_DIR": str(desk)}
    where = ("--data", str(data), "--geo", str(geo))
    r = explainer_cli("desk", "rights", "control_deepstate", "--decide", "x", *where, env_extra=env)
    assert (r.returncode, r.stderr) == (2, "desk rights: a decision names who takes it: add --as NAME\n")
    r = explainer_cli("desk", "rights", "countries", "--decide", "x", "--as", "Editor A", *where, env_extra=env)
    assert (r.returncode, r.stderr) == (1, "desk rights: layer 'countries' is open_licence: it needs no decision\n")
    for layer_id in UNCLEARED:
        r = explainer_cli(
            "desk", "rights", layer_id, "--decide", "credit shown on every map", "--as", "Editor A", "--date", "2026-01-02",
            *where, env_extra=env,
        )  # fmt: skip
        assert r.returncode == 0, r.stdout + r.stderr
        assert r.stdout.endswith("published on the decision of Editor A (2026-01-02): credit shown on every map\n")
    doc = yaml.safe_load((geo / "manifest.yaml").read_text("utf-8"))
    assert layer(doc, "control_deepstate")["rights"] == {
        "status": "not_cleared",
        "decision": {"by": "Editor A", "on": "2026-01-02", "reason": "credit shown on every map"},
    }
    monkeypatch.setenv("EXPLAINER_DESK_DIR", str(desk))
    logged = [(x["who"], x["action"], x["layer"]) for x in read_audit()]
    assert logged == [("Editor A", "rights_decision", lid) for lid in UNCLEARED]
    assert read_audit()[0]["before"] != read_audit()[0]["after"]  # the data versions before and after
    out = tmp_path / "site"
    r = explainer_cli("export", "--out", str(out), "--lang", "en", "--no-images", *where)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "PREVIEW" not in r.stdout
    assert json.loads((out / "manifest.json").read_text("utf-8"))["rights_preview"] is False
    r = explainer_cli("desk", "rights", "isw_russian_advances", "--withdraw", *where, env_extra=env)
    assert r.returncode == 0 and r.stdout == "isw_russian_advances: NOT cleared, no decision: publishing refuses it\n"
    r = explainer_cli("export", "--out", str(out), "--lang", "en", "--no-images", *where)
    assert r.returncode == 1 and "isw_russian_advances (ISW)" in r.stderr and "control_deepstate" not in r.stderr


def test_writing_a_decision_keeps_the_manifest_as_the_build_writes_it(data_copy):
    _, geo = data_copy
    before = (geo / "manifest.yaml").read_text("utf-8")
    R.record_decision(geo, "control_deepstate", "Editor A", "reason", dt.date(2026, 1, 2))
    R.withdraw_decision(geo, "control_deepstate")
    assert (geo / "manifest.yaml").read_text("utf-8") == before


# --------------------------------------------------------------------------- desk publish


def test_desk_publish_refuses_uncleared_layers_until_a_decision_is_staged(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_DESK_DIR", str(tmp_path / "desk"))
    data, geo = data_copy
    first = load_bundle(data, geo).claims[0]
    st = S.begin("anna", data, geo)
    row = new_claim("C9001", first.claimant, first.date.isoformat())
    raw = (data / "claims.csv").read_bytes()
    header = next(csv.reader([raw.decode("utf-8").splitlines()[0]]))
    st.upload("claims.csv", raw + (",".join(row.get(h, "") for h in header) + "\n").encode())
    P.add_changelog(st, dt.date.today(), "ajout", "added")
    with pytest.raises(P.PublishError) as e:
        P.publish(st, "anna")
    assert e.value.code == "rights" and e.value.kw == {"layers": ", ".join(UNCLEARED)}
    assert "C9001" not in {c.id for c in load_bundle(data, geo).claims}  # nothing written
    assert decide_uncleared(st.geo, by="anna") == UNCLEARED  # the desk writes the decision into the staging copy
    res = P.publish(st, "anna")
    assert "geo/manifest.yaml" in res.files and "data/claims.csv" in res.files
    assert R.read(geo).layers[3].rights.decision.reason == FIXTURE_DECISION  # type: ignore[union-attr]


# --------------------------------------------------------------------------- latest/ never moves back


def _drop_newest_changelog_rows(data: Path) -> None:
    path = data / "changelog.csv"
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    newest = max(r[0] for r in rows[1:])
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([rows[0], *(r for r in rows[1:] if r[0] != newest)])


def test_latest_never_moves_to_older_data_without_force(data_copy, tmp_path, capsys):
    data, geo = data_copy
    out = tmp_path / "site"
    older = tmp_path / "older"  # the same data without its newest corrections-log rows: an older folder
    import shutil

    shutil.copytree(data, older / "data")
    shutil.copytree(geo, older / "geo")
    _drop_newest_changelog_rows(older / "data")
    new, old = load_bundle(data, geo), load_bundle(older / "data", older / "geo")

    assert export_site(older / "data", older / "geo", out, ["en"], images=False) == 0  # older first: then newer, allowed
    assert export_site(data, geo, out, ["en"], images=False) == 0
    capsys.readouterr()
    assert json.loads((out / "latest" / "version.json").read_text("utf-8"))["data_version"] == new.version

    # back to the older folder: refused, by the version history (it was exported before and replaced)
    assert export_site(older / "data", older / "geo", out, ["en"], images=False) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"refused: latest/ holds data version {new.version} (data up to ")
    assert f"this folder holds data version {old.version}" in err and "exported before" in err and "--force" in err
    assert json.loads((out / "latest" / "version.json").read_text("utf-8"))["data_version"] == new.version

    # an older folder never exported here (one note reworded): refused by its dates
    claims = older / "data" / "claims.csv"
    rows = list(csv.reader(claims.open(encoding="utf-8", newline="")))
    rows[1][rows[0].index("note_en")] += " (reworded)"
    with claims.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    oldest = load_bundle(older / "data", older / "geo")
    assert oldest.version not in (old.version, new.version)
    assert export_site(older / "data", older / "geo", out, ["en"], images=False) == 2
    err = capsys.readouterr().err
    assert "its newest date is before the newest date latest/ holds" in err and oldest.version in err

    # --force: latest/ moves back, and says so
    assert export_site(older / "data", older / "geo", out, ["en"], images=False, force=True) == 0
    assert "--force:" in capsys.readouterr().out
    assert json.loads((out / "latest" / "version.json").read_text("utf-8"))["data_version"] == oldest.version


def test_export_cli_force_flag(data_copy, tmp_path):
    data, geo = data_copy
    decide_uncleared(geo)
    out = tmp_path / "site"
    args = ("--out", str(out), "--lang", "en", "--no-images", "--geo", str(geo))
    assert explainer_cli("export", "--data", str(data), *args).returncode == 0
    _drop_newest_changelog_rows(data)
    r = explainer_cli("export", "--data", str(data), *args)
    assert r.returncode == 2 and "run the export again with --force" in r.stderr
    r = explainer_cli("export", "--data", str(data), "--force", *args)
    assert r.returncode == 0, r.stdout + r.stderr
