"""Typed records for every editor-owned file.

One pydantic model per row (CSV) or document (YAML). The models carry the
vocabularies and the per-row rules; cross-file rules live in ``load.py``.
pydantic is used rather than hand-written checks so that every failing field
is reported with its column name in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

# The dates a record may carry are set by the editors in data/site.yaml (``DateWindow``), not
# here: a record is checked against the window passed as validation context (``{"window": ...}``).

SIDES = ("UA", "RU", "KP", "KR", "US", "UK", "other")
CLAIMANT_KINDS = (
    "head_of_state",
    "military",
    "intelligence",
    "government",
    "diplomat",
    "regional_authority",
    "state_media",
    "media",
    "think_tank",
    "osint",
    "anonymous_officials",
)
CASUALTY_MEASURES = (
    "killed",
    "wounded",
    "killed_or_wounded",
    "casualties_incl_missing",
)
MEASURES = CASUALTY_MEASURES + (
    "casualty_rate_per_day",
    "wounded_repatriated",
    "troops_deployed",
    "reinforcements",
    "officers",
    "officers_killed",
    "generals",
    "captured",
    "area_held_km2",
    "area_held_peak_km2",
    "area_retaken_km2",
    "area_retaken_pct",
    "settlements_held",
    "other_casualties",
    "statement",
)
BOUNDS = ("exact", "approx", "at_least", "at_most", "range", "none")
SCOPES = ("kursk", "russia", "war", "sector", "unspecified")
CATEGORIES = ("diplomacy", "deployment", "combat", "territory", "casualties", "prisoners")
QUOTE_LANGS = ("fr", "en", "ru", "uk", "ko", "de", "it", "other")
PLACE_KINDS = ("city", "town", "village", "region", "facility", "country")
LAYER_KINDS = ("oblast", "admin1", "countries", "border", "settlements", "control", "advances")
CONTROL_KINDS = ("ua_controlled", "grey_zone")
# How an article claim stands against what was known on the article's day (a chip on its card).
VERDICTS = ("accurate", "outdated", "different_scope", "misattributed", "overstated", "imprecise", "unverifiable")

SEED_SOURCE = "seed:000_a038026e3294ffc2.txt"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]*$", re.IGNORECASE)


def _blank_to_none(v):
    if isinstance(v, str) and v.strip() == "":
        return None
    return v


def _yes_no(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, str) and v.strip().lower() in ("yes", "no"):
        return v.strip().lower() == "yes"
    raise ValueError("must be 'yes' or 'no'")


def date_in_window(d: dt.date, window: tuple[dt.date, dt.date] | None, what: str = "") -> dt.date:
    """``d`` if it lies in the editors' window (data/site.yaml), else a ValueError naming the window."""
    if window is not None and not window[0] <= d <= window[1]:
        lo, hi = window
        rule = f" ({what})" if what else ""
        raise ValueError(
            f"date {d.isoformat()} is outside the window set in site.yaml{rule}: {lo.isoformat()} … {hi.isoformat()}"
        )
    return d


def _date_in_context(d: dt.date, info: ValidationInfo) -> dt.date:
    ctx = info.context or {}
    return date_in_window(d, ctx.get("window"), ctx.get("window_rule", ""))


def _iso_date(v):
    if isinstance(v, dt.date):
        return v
    if v is None or (isinstance(v, str) and not v.strip()):
        raise ValueError("required (the cell is empty)")
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v.strip()):
        try:
            return dt.date.fromisoformat(v.strip())
        except ValueError:
            raise ValueError(f"'{v}' is not a real calendar date") from None
    raise ValueError(f"'{v}' is not a date in YYYY-MM-DD form")


def _url(v: str) -> str:
    if v == SEED_SOURCE or _URL.match(v):
        return v
    raise ValueError(f"'{v}' is not an absolute http(s) URL")


def _number(v, signed: bool = False):
    v = _blank_to_none(v)
    if v is None or isinstance(v, (int, float)):
        return v
    s = str(v).strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?" if signed else r"\d+(\.\d+)?", s):
        if not signed and re.fullmatch(r"-\d+(\.\d+)?", s):
            raise ValueError(f"'{s}' is negative; counts, areas and shares cannot be")
        raise ValueError(f"'{s}' is not a plain number (digits, '.' for decimals, no thousands separator)")
    return float(s)


Text = lambda n: Annotated[str, Field(min_length=1, max_length=n)]
OptText = lambda n: Annotated[Annotated[str, Field(max_length=n)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
Date = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_date_in_context)]
PlainDate = Annotated[dt.date, BeforeValidator(_iso_date)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Url = Annotated[str, AfterValidator(_url)]
OptUrl = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(lambda v: v if v is None else _url(v))]
Num = Annotated[float | None, BeforeValidator(_number)]
Coord = Annotated[float | None, BeforeValidator(lambda v: _number(v, signed=True))]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=60)]
IdList = Annotated[
    tuple[str, ...], BeforeValidator(lambda v: tuple((v or "").split()) if isinstance(v, str) or v is None else tuple(v))
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    # Columns an editor may leave out of a CSV header altogether (they then take their default).
    optional_columns: ClassVar[tuple[str, ...]] = ()
    # Former column names -> what they are called now (an old file gets a message naming the new one).
    renamed: ClassVar[dict[str, tuple[str, ...]]] = {}


_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of ``#RRGGBB``."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str = "#FFFFFF") -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours."""
    la, lb = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


MIN_GRAPHIC_CONTRAST = 3.0  # WCAG 1.4.11: graphic objects against the white chart background


def _colour(v):
    v = _blank_to_none(v)
    if v is None:
        return None
    s = str(v).strip()
    if not _HEX.match(s):
        raise ValueError(f"'{s}' is not a colour in #RRGGBB form (e.g. #1F5FA8)")
    if contrast(s) < MIN_GRAPHIC_CONTRAST:
        raise ValueError(
            f"'{s}' is too light: {contrast(s):.2f}:1 against white, at least {MIN_GRAPHIC_CONTRAST:g}:1 is needed (WCAG 1.4.11)"
        )
    return s.upper()


class Claimant(Record):
    id: Slug
    name_fr: Text(80)
    name_en: Text(80)
    short_fr: Text(32)  # for legends on a phone
    short_en: Text(32)
    side: Literal[SIDES]
    kind: Literal[CLAIMANT_KINDS]
    description_fr: Text(300)
    description_en: Text(300)
    colour: Annotated[str | None, BeforeValidator(_colour)] = None  # optional; else the side's palette

    optional_columns: ClassVar[tuple[str, ...]] = ("colour",)


class Claim(Record):
    id: Annotated[str, Field(pattern=r"^C\d{3,4}$")]
    date: Date
    claimant: Slug
    measure: Literal[MEASURES]
    value_low: Num = None
    value_high: Num = None
    bound: Literal[BOUNDS]
    scope: Literal[SCOPES]
    cumulative: YesNo
    via: OptText(200)
    quote: Text(300)
    quote_lang: Literal[QUOTE_LANGS]
    outlet: Text(120)
    source_url: Url
    in_article: YesNo
    verification: Literal["corroborated", "single_source"]
    note_fr: OptText(1000)
    note_en: OptText(1000)

    @model_validator(mode="after")
    def _bound_matches_values(self):
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict) -> list[_FieldError]:
        """Rules across cells; ``v`` holds the cells that are valid on their own (all of them for a
        valid row), so that a row with one bad cell still has its other rules checked."""
        out: list[_FieldError] = []
        if {"value_low", "value_high", "bound"} <= v.keys():
            lo, hi, b = v["value_low"], v["value_high"], v["bound"]
            if lo is not None and hi is not None and lo > hi:
                return [_FieldError("value_low", f"value_low {lo:g} is greater than value_high {hi:g}")]
            need = {
                "exact": (True, True),
                "approx": (True, True),
                "range": (True, True),
                "at_least": (True, False),
                "at_most": (False, True),
                "none": (False, False),
            }[b]
            for col, val, want in (("value_low", lo, need[0]), ("value_high", hi, need[1])):
                if want and val is None:
                    out.append(_FieldError(col, f"bound '{b}' needs {col}"))
                if not want and val is not None:
                    out.append(_FieldError(col, f"bound '{b}' needs {col} empty"))
            if not out and b in ("exact", "approx") and lo != hi:
                out.append(_FieldError("value_high", f"bound '{b}' needs value_low = value_high (use 'range' for {lo:g}–{hi:g})"))
            if not out and b == "range" and lo == hi:
                out.append(_FieldError("value_high", "bound 'range' needs value_low < value_high (use 'exact' or 'approx')"))
        if {"measure", "bound"} <= v.keys() and v["measure"] == "statement" and v["bound"] != "none":
            out.append(_FieldError("bound", "measure 'statement' carries no number: bound must be 'none'"))
        return out

    @property
    def has_number(self) -> bool:
        return self.bound != "none"


class Place(Record):
    id: Slug
    name_fr: Text(120)
    name_en: Text(120)
    name_local: OptText(120)
    local_lang: Annotated[Literal["ru", "uk", "ko", "other"] | None, BeforeValidator(_blank_to_none)] = None
    kind: Literal[PLACE_KINDS]
    lon: Coord = None
    lat: Coord = None
    coord_source: OptText(300)

    @model_validator(mode="after")
    def _coords(self):
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict) -> list[_FieldError]:
        if not {"lon", "lat"} <= v.keys():
            return []
        lon, lat = v["lon"], v["lat"]
        if (lon is None) != (lat is None):
            return [_FieldError("lat" if lat is None else "lon", "lon and lat go together: give both or neither")]
        out = []
        if lon is not None and "coord_source" in v and not v["coord_source"]:
            out.append(_FieldError("coord_source", "coordinates need a coord_source"))
        if lon is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
            out.append(_FieldError("lon", f"({lon:g}, {lat:g}) is not a lon/lat position"))
        return out


def _one_place(v):
    v = _blank_to_none(v)
    if isinstance(v, str) and len(v.split()) > 1 and all(re.fullmatch(r"[a-z0-9_]+", x) for x in v.split()):
        raise ValueError(f"one place per event: the main one ('{v}' names {len(v.split())}; mention the others in the summary)")
    return v


class Event(Record):
    id: Annotated[str, Field(pattern=r"^E\d{3,4}$")]
    date: Date
    date_precision: Literal["day", "month"]
    category: Literal[CATEGORIES]
    title_fr: Text(140)
    title_en: Text(140)
    summary_fr: Text(600)
    summary_en: Text(600)
    place: Annotated[Slug | None, BeforeValidator(_one_place)] = None
    source_url: Url
    in_article: YesNo
    claims: IdList = ()

    @model_validator(mode="after")
    def _month_first(self):
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict) -> list[_FieldError]:
        if {"date_precision", "date"} <= v.keys() and v["date_precision"] == "month" and v["date"].day != 1:
            return [_FieldError("date", "a month-precision date is written as the 1st of the month")]
        return []


class StoryStep(Record):
    step: Annotated[int, Field(ge=1, le=99)]
    date: Date
    event_ids: IdList = ()
    title_fr: Text(140)
    title_en: Text(140)
    text_fr: Text(500)
    text_en: Text(500)


class ChangelogEntry(Record):
    date: PlainDate  # checked in load.py: a correction may not be dated in the future
    change_fr: Text(600)
    change_en: Text(600)


class ArticleClaim(Record):
    id: Annotated[str, Field(pattern=r"^A\d{2,3}$")]
    excerpt: Text(200)  # the article's own words, in its language
    excerpt_en: OptText(300)  # our translation, shown under the quote on the English page
    claimant_label_fr: Text(120)
    claimant_label_en: Text(120)
    claim_ids: Annotated[tuple[str, ...], Field(min_length=1)]
    verdict: Annotated[Literal[VERDICTS] | None, BeforeValidator(_blank_to_none)] = None
    context_fr: Text(800)
    context_en: Text(800)


class Comparison(Record):
    """One row of the lead graphic: a figure the article quotes, and what else was known that day."""

    claim: Annotated[str, Field(pattern=r"^C\d{3,4}$")]
    known: tuple[Annotated[str, Field(pattern=r"^C\d{3,4}$")], ...] = ()


class Lead(Record):
    """The explainer's own headline and intro, and the article figures its lead graphic compares."""

    headline_fr: Text(160)
    headline_en: Text(160)
    intro_fr: Text(400)
    intro_en: Text(400)
    compare: tuple[Comparison, ...] = ()


class Article(Record):
    outlet: Text(120)
    authors: tuple[str, ...] = ()
    published: Date
    published_note_fr: OptText(400)
    published_note_en: OptText(400)
    language: Literal["fr", "en"]
    title_fr: Text(200)  # the article's title as published (its language), and our translation
    title_en: Text(200)
    lead_fr: Text(300)
    lead_en: Text(300)
    source: Text(200)
    lead: Lead | None = None
    claims: Annotated[tuple[ArticleClaim, ...], Field(min_length=1)]

    renamed: ClassVar[dict[str, tuple[str, ...]]] = {"title": ("title_fr",)}

    @model_validator(mode="after")
    def _unique_ids(self):
        ids = [c.id for c in self.claims]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise _FieldError("claims", f"duplicate article claim id(s): {', '.join(dupes)}")
        return self


class Layer(Record):
    id: Slug
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.(geojson|json|csv)$")]
    kind: Literal[LAYER_KINDS]
    title_fr: Text(160)
    title_en: Text(160)
    date_field: str | None = None
    default_visible: bool = True
    optional: bool = False
    source: Text(400)
    source_name: OptText(60)  # how captions name the source ("DeepStateMap"); else the layer's title
    source_url: OptUrl = None
    licence_fr: Text(300)
    licence_en: Text(300)
    licence_risk: bool = False
    attribution_fr: Text(300)
    attribution_en: Text(300)
    processing: OptText(600)
    areas_file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.csv$")] | None = None

    renamed: ClassVar[dict[str, tuple[str, ...]]] = {"attribution": ("attribution_en",), "licence": ("licence_fr", "licence_en")}

    @property
    def attribution(self) -> str:
        """The English attribution, for readers of the former field; new code reads ``attribution_en``
        through ``i18n.field``."""
        return self.attribution_en


class Region(Record):
    bbox: tuple[float, float, float, float]


class GeoManifest(Record):
    region: Region
    layers: Annotated[tuple[Layer, ...], Field(min_length=1)]


_TODAY = re.compile(r"^today(?:\s*([+-])\s*(\d{1,4}))?$")


def _window_end(v):
    """A date, or ``today`` / ``today+N`` / ``today-N`` (days), kept as typed until resolved."""
    if isinstance(v, dt.date):
        return v
    s = str(v or "").strip().lower().replace(" ", "")
    if _TODAY.match(s):
        return s
    return _iso_date(v)


class DateWindow(Record):
    """The dates claims, events, story steps and map snapshots may carry."""

    earliest: PlainDate
    latest: Annotated[dt.date | str, BeforeValidator(_window_end)] = "today+1"

    def resolve(self, today: dt.date) -> tuple[dt.date, dt.date]:
        hi = self.latest
        if isinstance(hi, str):
            sign, n = _TODAY.match(hi).groups()
            hi = today + dt.timedelta(days=(int(n) if sign == "+" else -int(n)) if n else 0)
        return self.earliest, hi

    @model_validator(mode="after")
    def _ordered(self):
        if isinstance(self.latest, dt.date) and self.latest < self.earliest:
            raise _FieldError("latest", f"latest {self.latest.isoformat()} is before earliest {self.earliest.isoformat()}")
        return self


class Site(Record):
    """Editor-owned settings and texts that state facts about the data (data/site.yaml)."""

    dates: DateWindow
    method_fr: Text(1500)
    method_en: Text(1500)
    gaps_fr: Text(1500)
    gaps_en: Text(1500)
    missing_layers_fr: OptText(600)
    missing_layers_en: OptText(600)


class _FieldError(ValueError):
    """A row-level rule failure attributed to one column."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class RowErrors(ValueError):
    """Every cross-cell rule a row breaks, reported together."""

    def __init__(self, errors: list[_FieldError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _check_rules(rec):
    errors = type(rec).row_rules(dict(rec))
    if errors:
        raise RowErrors(errors)
    return rec
