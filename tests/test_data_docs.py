"""data/README.md documents every column of every data file, in both languages, and states no row counts
(they go stale with the first edit). Columns are read from the models the loader validates with, the
README as it is on disk: neither is restated here."""

from __future__ import annotations

import csv
import re

import pytest
from pydantic import BaseModel

from explainer import model as m
from explainer.load import ARTICLE_FILE, DATA_FILES
from explainer.paths import DATA

README = DATA / "README.md"
FILES = {**DATA_FILES, ARTICLE_FILE: m.Article}
# a file's size, in either language: "(28 lignes)", "10 steps", "`claims.csv` (86 claims)"; a fact of the
# article ("the 13 claims of the source article") is not a row count and stays allowed
ROWS = r"lignes?|rows?|lines?|étapes?|steps?|entrées|entries|records?|fiches?"
NOUNS = r"affirmations?|claims?|événements|events?|lieux|places?|déclarants?|claimants?"
ROW_COUNT = re.compile(rf"\b\d+\s+({ROWS})\b|\(\s*\d+\s+({ROWS}|{NOUNS})\s*\)", re.IGNORECASE)


def columns(model: type[BaseModel], prefix: str = "") -> list[str]:
    """The model's field names (the CSV header, or the YAML keys), nested records included."""
    out = []
    for name, f in model.model_fields.items():
        out.append(prefix + (f.alias or name))
        inner = [a for a in getattr(f.annotation, "__args__", ()) if isinstance(a, type) and issubclass(a, BaseModel)]
        for sub in inner:
            out += columns(sub, "")
    return out


def halves() -> dict[str, str]:
    """The README's French and English halves (`## Français`, `## English`)."""
    text = README.read_text("utf-8")
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    found = {p.split("\n", 1)[0].strip(): p for p in parts[1:]}
    assert {"Français", "English"} <= set(found), f"{README}: expected a `## Français` and a `## English` section"
    return {"fr": found["Français"], "en": found["English"]}


def section(half: str, file: str) -> str:
    """The `### `file` …` subsection of one half, up to the next heading."""
    m_ = re.search(rf"^### `{re.escape(file)}`.*?(?=^##|\Z)", half, flags=re.MULTILINE | re.DOTALL)
    return m_.group(0) if m_ else ""


def documented(column: str, text: str) -> bool:
    """`name_fr` counts as documented by `name_fr` or by the pair written `name_fr/en`."""
    pair = re.sub(r"_(fr|en)$", "_fr/en", column)
    return f"`{column}`" in text or (pair != column and f"`{pair}`" in text)


@pytest.mark.parametrize("file", sorted(FILES))
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_column_is_documented(file, lang):
    text = section(halves()[lang], file)
    assert text, f"data/README.md ({lang}) has no `### `{file}`` section"
    missing = [c for c in columns(FILES[file]) if not documented(c, text)]
    assert not missing, f"data/README.md ({lang}), section {file}: undocumented column(s) {missing}"


def test_the_models_are_the_files_headers():
    """What the test above reads is what the files hold: each CSV's header is its model's columns."""
    for file, model in DATA_FILES.items():
        with (DATA / file).open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        assert set(header) <= set(columns(model)), f"{file}: columns {set(header) - set(columns(model))} not in {model.__name__}"


def test_readme_states_no_row_counts():
    text = README.read_text("utf-8")
    found = [mt.group(0) for mt in ROW_COUNT.finditer(text)]
    assert not found, f"data/README.md states row counts, which go stale with every edit: {found}"


def test_the_row_count_rule_catches_counts():
    """The rule above finds the forms a count takes, and leaves other numbers alone."""
    assert ROW_COUNT.search("### `claims.csv` — les affirmations (86 lignes)")
    assert ROW_COUNT.search("`events.csv` (48 events)")
    assert ROW_COUNT.search("### `story.csv` — the story, step by step (10 steps)")
    assert not ROW_COUNT.search("`yes` for the 13 claims of the source article")
    assert not ROW_COUNT.search("`name_fr`, `name_en` | nom (≤ 80 caractères)")
    assert not ROW_COUNT.search("ATS/AFP, 4 February 2025")
