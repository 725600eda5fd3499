"""English left in a French message: the fault corpus's messages are checked with it (every ``problems``
helper of tests/test_load_errors.py, test_spreadsheet.py and test_hardening.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from explainer.load import Problem

# Words of the validator's English that French never uses (values, ids, file names and quotations are
# removed first: they are the editor's own text).
ENGLISH = re.compile(
    r"\b(is|are|isn't|not|must|needs?|the|of|file|required|cannot|should|with|give|both|neither|labelled|"
    r"differs|only|expected|duplicate|missing|limit|where|has|have|line|between|before|after|outside|unknown|"
    r"too|field|fields|header|column|row|rows|number|write|instead|save|check|or|and|than|from|into|"
    r"one|none of|which|would|twice|away|this|that|these|it)\b",
)
QUOTED = re.compile(r"«[^»]*»|'[^']*'|\"[^\"]*\"|\([^()]*\b(?:e\.g\.|Excel|LibreOffice)\b[^()]*\)")
CODE = re.compile(r"[\w.*/-]*[_./][\w.*/-]+")  # file names, snake_case columns, layers.3.rights


def english_in(text: str) -> list[str]:
    bare = CODE.sub(" ", QUOTED.sub(" ", text))
    return ENGLISH.findall(bare)


def assert_french(problems: Iterable[Problem]) -> None:
    """Every problem's French message is French: no English word of the validator's wording."""
    bad = [(p.text("en"), p.message_in("fr")) for p in problems if english_in(p.message_in("fr"))]
    assert not bad, "English in French messages:\n" + "\n".join(f"  {fr}\n    (en: {en})" for en, fr in bad)
