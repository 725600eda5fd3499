"""data/datapackage.json: generated from the models (never edited by hand, never stale), valid for
frictionless, and strict enough to catch what the models forbid."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import scaled
from frictionless import validate

from explainer import model as m
from explainer.cli import main
from explainer.datapackage import FILE_NAME, build_datapackage, dumps, write_tables
from explainer.load import DATA_FILES, load_bundle
from explainer.load.crossfile import PRIMARY_KEYS, REFERENCES
from explainer.paths import DATA

PACKAGE = DATA / FILE_NAME
FRICTIONLESS = Path(sys.executable).with_name("frictionless")


def test_checked_in_package_is_a_fresh_generation(bundle):
    """`python -m explainer datapackage` wrote data/datapackage.json from the models as they are now."""
    assert PACKAGE.read_text("utf-8") == dumps(build_datapackage(bundle)), (
        "data/datapackage.json is stale: run `python -m explainer datapackage`"
    )


def test_frictionless_validates_the_bundled_data():
    r = subprocess.run(
        [str(FRICTIONLESS), "validate", str(PACKAGE)], capture_output=True, text=True, timeout=scaled(300), cwd=DATA
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-2000:]
    assert "INVALID" not in r.stdout


def test_schemas_come_from_the_models_and_the_loader(bundle):
    pkg = json.loads(PACKAGE.read_text("utf-8"))
    resources = {r["name"]: r for r in pkg["resources"]}
    assert [r["path"] for r in pkg["resources"]] == list(DATA_FILES)
    for file, model in DATA_FILES.items():
        schema = resources[file.removesuffix(".csv")]["schema"]
        assert [f["name"] for f in schema["fields"]] == list(model.model_fields)
        if file in PRIMARY_KEYS:
            assert schema["primaryKey"] == [PRIMARY_KEYS[file]]
    fields = {f["name"]: f for f in resources["claims"]["schema"]["fields"]}
    assert fields["measure"]["constraints"]["enum"] == list(m.MEASURES) == fields["measure"]["categories"]
    assert fields["date"]["type"] == "date" and fields["date"]["constraints"]["minimum"] == bundle.site.dates.earliest.isoformat()
    assert fields["in_article"] == {"name": "in_article", "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"],
                                    "constraints": {"required": True}}  # fmt: skip
    assert fields["value_low"]["type"] == "number" and "constraints" not in fields["value_low"]
    assert fields["quote"]["constraints"] == {"required": True, "minLength": 1, "maxLength": 300}
    events = {f["name"]: f for f in resources["events"]["schema"]["fields"]}
    assert events["claims"] | {} == {"name": "claims", "type": "list", "delimiter": " ", "itemType": "string"}
    keys = [
        (r["name"], k["fields"][0], k["reference"]["resource"])
        for r in pkg["resources"]
        for k in r["schema"].get("foreignKeys", ())
    ]
    scalar = [
        (s.removesuffix(".csv"), c, t.removesuffix(".csv")) for s, c, t, _ in REFERENCES if c not in ("claims", "event_ids")
    ]
    assert keys == scalar and ("claims", "claimant", "claimants") in keys
    assert "licenses" not in pkg  # site.yaml states no licence for the tables: none is claimed
    assert pkg["title"] == bundle.article.lead.headline_en


@pytest.fixture
def broken(data_copy, tmp_path) -> Path:
    """A copy of the data with what the models forbid: an unknown claimant, a measure outside the
    vocabulary, a duplicate id; its package written by the command."""
    data, geo = data_copy
    assert main(["datapackage", "--data", str(data), "--geo", str(geo)]) == 0
    path = data / "claims.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    rows[0] |= {"claimant": "nobody_known"}
    rows[1] |= {"measure": "tanks"}
    rows[2] |= {"id": rows[3]["id"]}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return data / FILE_NAME


def test_the_package_catches_what_the_models_forbid(broken):
    report = validate(str(broken))
    assert not report.valid
    errors = {(e.type, e.row_number) for task in report.tasks for e in task.errors if task.name == "claims"}
    assert ("foreign-key", 2) in errors  # row 2 = the first data row
    assert ("constraint-error", 3) in errors
    assert ("primary-key", 5) in errors or ("primary-key", 4) in errors


def test_licence_comes_from_site_yaml(data_copy):
    data, geo = data_copy
    site = data / "site.yaml"
    text = site.read_text("utf-8")
    site.write_text(text + "licence:\n  name: CC-BY-4.0\n  title_fr: CC BY 4.0\n  title_en: CC BY 4.0\n", "utf-8")
    pkg = build_datapackage(load_bundle(data, geo))
    assert pkg["licenses"] == [{"name": "CC-BY-4.0", "title": "CC BY 4.0"}]
    site.write_text(text + "licence:\n  title_fr: x\n  title_en: x\n", "utf-8")
    with pytest.raises(Exception, match="licence needs a name"):
        load_bundle(data, geo)


def test_command_writes_where_asked_and_refuses_invalid_data(data_copy, tmp_path, capsys):
    data, geo = data_copy
    out = tmp_path / "pkg.json"
    assert main(["datapackage", "--data", str(data), "--geo", str(geo), "--out", str(out)]) == 0
    assert json.loads(out.read_text("utf-8"))["resources"][0]["path"] == "claimants.csv"
    (data / "story.csv").write_text("step\n", "utf-8")
    assert main(["datapackage", "--data", str(data), "--geo", str(geo), "--out", str(tmp_path / "x.json")]) == 1
    assert not (tmp_path / "x.json").exists() and "NOT written" in capsys.readouterr().err


def test_tables_written_from_the_bundle_validate(bundle, tmp_path):
    """What the export writes: the bundle's rows as UTF-8 comma CSV, valid against the package."""
    written = write_tables(bundle, tmp_path / "data", version=bundle.version)
    assert sorted(p.name for p in written) == sorted([*DATA_FILES, FILE_NAME])
    pkg = json.loads((tmp_path / "data" / FILE_NAME).read_text("utf-8"))
    assert pkg["version"] == bundle.version
    report = validate(str(tmp_path / "data" / FILE_NAME))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:10]
    with open(tmp_path / "data" / "claims.csv", encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == len(bundle.claims)
    shutil.rmtree(tmp_path / "data")
