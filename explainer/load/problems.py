"""What every reader shares: :class:`Problem`, :class:`DataError`, size limits, file names, parsed-data types."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from .. import i18n
from .. import model as m

MAX_FILE_BYTES = 5_000_000  # an editor's CSV/YAML; anything larger is a mistake
MAX_GEO_BYTES = 20_000_000
MAX_ROWS = 5_000  # rows per table, features per layer
MAX_VERTICES = 300_000  # per layer: the bundled control layer has about 78,000 (256 dates)

JSON = dict[str, Any]  # a parsed JSON object (GeoJSON FeatureCollection, Feature, properties): typed by its checks
Loc = tuple[int | str, ...]  # a path of keys and list positions in a YAML document, as pydantic reports it
Rows = Sequence[tuple[int, m.Record]]  # (line, record) for each valid row of a CSV file
R = TypeVar("R", bound=BaseModel)

DATA_FILES: dict[str, type[m.Record]] = {
    "claimants.csv": m.Claimant,
    "claims.csv": m.Claim,
    "events.csv": m.Event,
    "places.csv": m.Place,
    "story.csv": m.StoryStep,
    "changelog.csv": m.ChangelogEntry,
    "rereports.csv": m.Rereport,
}
ARTICLE_FILE = "article.yaml"
SITE_FILE = "site.yaml"
MANIFEST_FILE = "manifest.yaml"


LANGS = ("fr", "en")  # the languages of the validator's messages (python -m explainer validate --lang)
DEFAULT_LANG = "fr"  # the newsroom's


@dataclass(frozen=True, order=True)
class Problem:
    """One problem, printed ``path:row:column: message``. ``message`` is English; a problem made with
    :meth:`said` also carries its catalogue key (``check_*`` in explainer/i18n/<lang>.yaml) and
    arguments, so that :meth:`text` gives it in French too; another message is read back into its
    arguments through the catalogue's English text (``load/messages.py: translated``)."""

    path: str
    row: Any = None
    column: str | None = None
    message: str = ""
    key: str | None = field(default=None, compare=False)
    args: tuple[tuple[str, object], ...] = field(default=(), compare=False)

    @classmethod
    def said(cls, path: str, row: Any, column: str | None, key: str, **args: object) -> Problem:
        """A problem whose message is the catalogue's ``key`` with ``args`` (in English in ``message``)."""
        return cls(path, row, column, i18n.t("en", key, **args), key, tuple(args.items()))

    def message_in(self, lang: str) -> str:
        if lang not in LANGS or lang == "en":  # ``message`` is the English
            return self.message
        if self.key is None:  # an older English message: read back through the catalogue (load/messages.py)
            from .messages import translated

            return translated(self.message, lang) or self.message
        return i18n.t(lang, self.key, **dict(self.args))

    def text(self, lang: str = "en") -> str:
        """``path:row:column: message`` in ``lang`` (``fr`` or ``en``)."""
        parts = [self.path]
        if self.row is not None:
            parts.append(str(self.row))
        if self.column:
            parts.append(self.column)
        return ":".join(parts) + ": " + self.message_in(lang)

    def __str__(self) -> str:
        return self.text("en")


class DataError(Exception):
    """Raised by :func:`load_bundle` with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


NESTED_TOO_DEEP = "nested too deeply to be read (lists or mappings inside each other hundreds of levels deep)"
