"""Typed records for every editor-owned file.

One pydantic model per row (CSV) or document (YAML). The models carry the
vocabularies and the per-row rules; cross-file rules live in ``load/crossfile.py``
and ``load/bundle.py``.
pydantic is used rather than hand-written checks so that every failing field
is reported with its column name in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar, get_args

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

# Each vocabulary is a Literal type (what a field accepts) and the tuple of its values (for menus,
# orders and messages).
Side = Literal["UA", "RU", "KP", "KR", "US", "UK", "other"]
ClaimantKind = Literal[
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
]
CasualtyMeasure = Literal[
    "killed",
    "wounded",
    "killed_or_wounded",
    "casualties_incl_missing",
    "killed_acknowledged",
]
Measure = Literal[
    CasualtyMeasure,
    "casualty_rate_per_day",
    "wounded_repatriated",
    "troops_deployed",
    "troops_present",
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
    "equipment",
    "area_demined_ha",
    "explosives_destroyed",
    "statement",
]
Bound = Literal["exact", "approx", "at_least", "at_most", "range", "none"]
Scope = Literal["kursk", "russia", "war", "sector", "unspecified"]
Category = Literal["diplomacy", "deployment", "combat", "territory", "casualties", "prisoners"]
QuoteLang = Literal["fr", "en", "ru", "uk", "ko", "de", "it", "other"]
PlaceKind = Literal["city", "town", "village", "region", "facility", "country"]
LayerKind = Literal["oblast", "admin1", "countries", "border", "settlements", "control", "advances"]
# What changed when a later report repeated a claim's figure (data/rereports.csv ``drift``).
Drift = Literal["none", "measure_changed", "scope_changed", "rounded", "stale", "misattributed", "compressed"]
# The graphic a story step is told with (data/story.csv ``graphic``; blank: chosen from the step's figures).
StoryGraphic = Literal["map", "casualties"]
# How an article claim stands against what was known on the article's day (a chip on its card).
Verdict = Literal[
    "accurate",
    "outdated",
    "different_scope",
    "misattributed",
    "overstated",
    "imprecise",
    "unverifiable",
    "different_measure",  # casualties given as deaths, or the reverse (the drift label measure_changed)
]

SIDES: tuple[str, ...] = get_args(Side)
CLAIMANT_KINDS: tuple[str, ...] = get_args(ClaimantKind)
CASUALTY_MEASURES: tuple[str, ...] = get_args(CasualtyMeasure)
MEASURES: tuple[str, ...] = get_args(Measure)
# Measures whose value may have decimals (an area in km², a share, a rate per day); every other measure
# with a number counts people (or officers, settlements): a whole number, so '1.100' there is a
# thousands separator, never 1.1.
DECIMAL_MEASURES = ("casualty_rate_per_day", "area_held_km2", "area_held_peak_km2", "area_retaken_km2", "area_retaken_pct")
# The script a text in a language is written in (a name_local in 'ru' holds Cyrillic letters): the
# languages whose letters a legacy spreadsheet encoding (Windows-1252, Mac Roman) cannot write.
LANG_SCRIPTS = {"ru": "Cyrillic", "uk": "Cyrillic", "ko": "Hangul"}
BOUNDS: tuple[str, ...] = get_args(Bound)
SCOPES: tuple[str, ...] = get_args(Scope)
CATEGORIES: tuple[str, ...] = get_args(Category)
QUOTE_LANGS: tuple[str, ...] = get_args(QuoteLang)
PLACE_KINDS: tuple[str, ...] = get_args(PlaceKind)
LAYER_KINDS: tuple[str, ...] = get_args(LayerKind)
STORY_GRAPHICS: tuple[str, ...] = get_args(StoryGraphic)
CONTROL_KINDS = ("ua_controlled", "grey_zone")
VERDICTS: tuple[str, ...] = get_args(Verdict)
DRIFTS: tuple[str, ...] = get_args(Drift)

SEED_SOURCE = "seed:000_a038026e3294ffc2.txt"
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]*$", re.IGNORECASE)


def _blank_to_none(v: object) -> object:
    if isinstance(v, str) and v.strip() == "":
        return None
    return v


def _yes_no(v: object) -> bool:
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


def _iso_date(v: object) -> dt.date:
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


def _number(v: object, signed: bool = False) -> float | None:
    v = _blank_to_none(v)
    if v is None or isinstance(v, (int, float)):
        return v
    s = str(v).strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?" if signed else r"\d+(\.\d+)?", s):
        if not signed and re.fullmatch(r"-\d+(\.\d+)?", s):
            raise ValueError(f"'{s}' is negative; counts, areas and shares cannot be")
        raise ValueError(f"'{s}' is not a plain number (digits, '.' for decimals, no thousands separator)")
    return float(s)


def _opt_url(v: str | None) -> str | None:
    return v if v is None else _url(v)


def _signed_number(v: object) -> float | None:
    return _number(v, signed=True)


def _id_list(v: object) -> object:
    """'C083 C084' (a CSV cell) or a YAML list -> a tuple of ids."""
    if isinstance(v, str) or v is None:
        return tuple((v or "").split())
    if isinstance(v, (list, tuple)):
        return tuple(v)
    return v


# Texts by their longest length: required (Text<n>, not empty) or optional (OptText<n>, empty = None).
Text32 = Annotated[str, Field(min_length=1, max_length=32)]
Text80 = Annotated[str, Field(min_length=1, max_length=80)]
Text120 = Annotated[str, Field(min_length=1, max_length=120)]
Text140 = Annotated[str, Field(min_length=1, max_length=140)]
Text160 = Annotated[str, Field(min_length=1, max_length=160)]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]
Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Text400 = Annotated[str, Field(min_length=1, max_length=400)]
Text500 = Annotated[str, Field(min_length=1, max_length=500)]
Text600 = Annotated[str, Field(min_length=1, max_length=600)]
Text800 = Annotated[str, Field(min_length=1, max_length=800)]
Text1500 = Annotated[str, Field(min_length=1, max_length=1500)]
OptText40 = Annotated[Annotated[str, Field(max_length=40)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText60 = Annotated[Annotated[str, Field(max_length=60)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText120 = Annotated[Annotated[str, Field(max_length=120)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText200 = Annotated[Annotated[str, Field(max_length=200)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText300 = Annotated[Annotated[str, Field(max_length=300)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText400 = Annotated[Annotated[str, Field(max_length=400)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText600 = Annotated[Annotated[str, Field(max_length=600)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText800 = Annotated[Annotated[str, Field(max_length=800)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
OptText1000 = Annotated[Annotated[str, Field(max_length=1000)] | None, BeforeValidator(_blank_to_none), Field(default=None)]
Date = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_date_in_context)]
PlainDate = Annotated[dt.date, BeforeValidator(_iso_date)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
Url = Annotated[str, AfterValidator(_url)]
OptUrl = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_opt_url)]
Num = Annotated[float | None, BeforeValidator(_number)]
Coord = Annotated[float | None, BeforeValidator(_signed_number)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", max_length=60)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_id_list)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)
    # Columns an editor may leave out of a CSV header altogether (they then take their default).
    optional_columns: ClassVar[tuple[str, ...]] = ()
    # Former column names -> what they are called now (an old file gets a message naming the new one).
    renamed: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Number columns -> the column naming their measure: a count unless the measure is in DECIMAL_MEASURES.
    counts: ClassVar[dict[str, str]] = {}
    # Text columns -> the column naming their language: a text in a LANG_SCRIPTS language holds its letters.
    scripts: ClassVar[dict[str, str]] = {}

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
        """Rules across the cells of one row (none by default)."""
        return []


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


def _colour(v: object) -> str | None:
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
    name_fr: Text80
    name_en: Text80
    short_fr: Text32  # for legends on a phone
    short_en: Text32
    side: Side
    kind: ClaimantKind
    description_fr: Text300
    description_en: Text300
    colour: Annotated[str | None, BeforeValidator(_colour)] = None  # optional; else the side's palette

    optional_columns: ClassVar[tuple[str, ...]] = ("colour",)


class Claim(Record):
    id: Annotated[str, Field(pattern=r"^C\d{3,4}$")]
    date: Date
    claimant: Slug
    measure: Measure
    value_low: Num = None
    value_high: Num = None
    bound: Bound
    scope: Scope
    cumulative: YesNo
    via: OptText200
    quote: Text300
    quote_lang: QuoteLang
    quote_fr: OptText400  # optional: our translation of the quote, shown on pages in that language
    quote_en: OptText400
    outlet: Text120
    source_url: Url
    in_article: YesNo
    verification: Literal["corroborated", "single_source"]
    note_fr: OptText1000
    note_en: OptText1000
    doubt_fr: OptText400  # optional: what the research could not settle about this claim, shown beside it
    doubt_en: OptText400

    counts: ClassVar[dict[str, str]] = {"value_low": "measure", "value_high": "measure"}
    scripts: ClassVar[dict[str, str]] = {"quote": "quote_lang"}
    optional_columns: ClassVar[tuple[str, ...]] = ("quote_fr", "quote_en", "doubt_fr", "doubt_en")

    @model_validator(mode="after")
    def _bound_matches_values(self) -> Self:
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
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
        if {"doubt_fr", "doubt_en"} <= v.keys() and (v["doubt_fr"] is None) != (v["doubt_en"] is None):
            empty = "doubt_en" if v["doubt_en"] is None else "doubt_fr"
            out.append(_FieldError(empty, "doubt_fr and doubt_en go together: give both or neither"))
        return out

    @property
    def has_number(self) -> bool:
        return self.bound != "none"


def _drift_list(v: object) -> object:
    """'measure_changed; stale' (a CSV cell, labels separated by ';') -> a tuple of labels, each one of
    :data:`DRIFTS` (checked here, so that a message names the column, not a position in it)."""
    if not (isinstance(v, str) or v is None):
        return v
    labels = tuple(x.strip() for x in (v or "").split(";") if x.strip())
    if not labels:
        raise ValueError("required (the cell is empty): 'none' for a faithful re-report")
    for x in labels:
        if x not in DRIFTS:
            raise ValueError(f"'{x}' is not one of: {', '.join(DRIFTS[:-1])} or {DRIFTS[-1]} (labels separated by ';')")
    return labels


class Rereport(Record):
    """A later report repeating a claim's figure (data/rereports.csv): what it printed, and how that
    differs from the claim it goes back to (``drift``). Rules against claims.csv: load/rereports.py."""

    id: Annotated[str, Field(pattern=r"^R\d{3,4}$")]
    date: Date
    outlet: Text120
    url: Url
    quote: Text300
    figure: Text120  # the number as printed, with its qualifier words ("more than 6000")
    figure_fr: OptText120  # optional: the same in French ("plus de 6000"), shown on French pages
    value_low: Num = None  # the same figure as numbers and a bound, as in claims.csv
    value_high: Num = None
    bound: Bound
    measure: Measure  # as reported, in claims.csv's vocabulary
    scope: Scope  # as reported
    attributed_to: OptText200  # whom the report credits with the figure, as it says
    attributed_to_fr: OptText200  # optional: the same in French, shown on French pages
    origin: Annotated[str, Field(pattern=r"^C\d{3,4}$")]
    drift: Annotated[tuple[Drift, ...], BeforeValidator(_drift_list), Field(min_length=1)]
    note_fr: OptText600
    note_en: OptText600

    optional_columns: ClassVar[tuple[str, ...]] = ("figure_fr", "attributed_to_fr")

    @model_validator(mode="after")
    def _rules(self) -> Self:
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
        out = [e for e in Claim.row_rules(v) if e.column in ("value_low", "value_high")]
        labels = v.get("drift") or ()
        if "none" in labels and len(labels) > 1:
            out.append(_FieldError("drift", "'none' excludes every other label: " + "; ".join(labels)))
        dupes = sorted({x for x in labels if labels.count(x) > 1})
        if dupes:
            out.append(_FieldError("drift", f"label(s) given twice: {', '.join(dupes)}"))
        return out


class Place(Record):
    id: Slug
    name_fr: Text120
    name_en: Text120
    name_local: OptText120
    local_lang: Annotated[Literal["ru", "uk", "ko", "other"] | None, BeforeValidator(_blank_to_none)] = None
    kind: PlaceKind
    lon: Coord = None
    lat: Coord = None
    coord_source: OptText300

    scripts: ClassVar[dict[str, str]] = {"name_local": "local_lang"}

    @model_validator(mode="after")
    def _coords(self) -> Self:
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
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


def _one_place(v: object) -> object:
    v = _blank_to_none(v)
    if isinstance(v, str) and len(v.split()) > 1 and all(re.fullmatch(r"[a-z0-9_]+", x) for x in v.split()):
        raise ValueError(f"one place per event: the main one ('{v}' names {len(v.split())}; mention the others in the summary)")
    return v


class Event(Record):
    id: Annotated[str, Field(pattern=r"^E\d{3,4}$")]
    date: Date
    date_precision: Literal["day", "month"]
    category: Category
    title_fr: Text140
    title_en: Text140
    summary_fr: Text600
    summary_en: Text600
    place: Annotated[Slug | None, BeforeValidator(_one_place)] = None
    source_url: Url
    in_article: YesNo
    claims: IdList = ()

    @model_validator(mode="after")
    def _month_first(self) -> Self:
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
        if {"date_precision", "date"} <= v.keys() and v["date_precision"] == "month" and v["date"].day != 1:
            return [_FieldError("date", "a month-precision date is written as the 1st of the month")]
        return []


class StoryStep(Record):
    step: Annotated[int, Field(ge=1, le=99)]
    date: Date
    event_ids: IdList = ()
    title_fr: Text140
    title_en: Text140
    text_fr: Text500
    text_en: Text500
    # optional: the graphic shown beside the step; blank, the casualty chart for a step citing casualty
    # figures, else the map (ui/story.py: step_graphic)
    graphic: Annotated[StoryGraphic | None, BeforeValidator(_blank_to_none)] = None

    optional_columns: ClassVar[tuple[str, ...]] = ("graphic",)


class ChangelogEntry(Record):
    date: PlainDate  # checked in load/bundle.py: a correction may not be dated in the future
    change_fr: Text600
    change_en: Text600


class ArticleClaim(Record):
    id: Annotated[str, Field(pattern=r"^A\d{2,3}$")]
    excerpt: Text200  # the article's own words, in its language
    excerpt_en: OptText300  # our translation, shown under the quote on the English page
    excerpt_fr: OptText300  # the same for an article in English, on the French page
    claimant_label_fr: Text120
    claimant_label_en: Text120
    claim_ids: Annotated[tuple[str, ...], Field(min_length=1)]
    # optional: the article's figure as it printed it, a row of rereports.csv (its origin is one of claim_ids)
    rereport_ids: IdList = ()
    verdict: Annotated[Verdict | None, BeforeValidator(_blank_to_none)] = None
    context_fr: Text800
    context_en: Text800


class Comparison(Record):
    """One row of the lead graphic: a figure the article quotes, and what else was known that day."""

    claim: Annotated[str, Field(pattern=r"^C\d{3,4}$")]
    known: tuple[Annotated[str, Field(pattern=r"^C\d{3,4}$")], ...] = ()


class Lead(Record):
    """The explainer's own headline and intro, and the article figures its lead graphic compares."""

    headline_fr: Text160
    headline_en: Text160
    intro_fr: Text400
    intro_en: Text400
    compare: tuple[Comparison, ...] = ()


class Article(Record):
    """An article checked against the data: data/article.yaml (the default one) or data/articles/<id>.yaml."""

    outlet_fr: Text120  # who published the article, in each language
    outlet_en: Text120
    authors: tuple[str, ...] = ()
    published: Date
    published_note_fr: OptText400
    published_note_en: OptText400
    language: Literal["fr", "en"]
    # the article's title as published (its language), and our translation; empty when the sources at
    # hand do not hold it (the page then names the article by its outlet and day)
    title_fr: OptText200
    title_en: OptText200
    lead_fr: OptText300  # a paraphrase of its standfirst, empty when not known
    lead_en: OptText300
    source: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_url)]  # its address (or seed:...)
    lead: Lead | None = None
    claims: Annotated[tuple[ArticleClaim, ...], Field(min_length=1)]

    renamed: ClassVar[dict[str, tuple[str, ...]]] = {"title": ("title_fr",), "outlet": ("outlet_fr", "outlet_en")}

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [c.id for c in self.claims]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise _FieldError("claims", f"duplicate article claim id(s): {', '.join(dupes)}")
        return self


RIGHTS_STATUSES = ("open_licence", "cleared", "not_cleared")
RightsStatus = Literal["open_licence", "cleared", "not_cleared"]


class RightsDecision(Record):
    """An editor's recorded decision to publish a layer whose rights are not cleared: who took it,
    when, and why (``python -m explainer desk rights LAYER --decide``, or the desk's rights section)."""

    by: Text80
    on: PlainDate
    reason: Text600


class Rights(Record):
    """May the newsroom publish this layer? ``open_licence``: the licence itself allows it (terms name
    it); ``cleared``: someone obtained permission (``cleared_by``, ``cleared_on``, the ``terms`` agreed);
    ``not_cleared``: nobody has (a ``decision`` records who decided to publish it anyway, and why).
    The credit line readers see is the layer's ``attribution_fr`` / ``attribution_en``."""

    status: RightsStatus
    cleared_by: OptText120
    cleared_on: Annotated[dt.date | None, BeforeValidator(lambda v: None if v in (None, "") else _iso_date(v))] = None
    terms_fr: OptText400
    terms_en: OptText400
    decision: RightsDecision | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
        status, out = v.get("status"), []
        if status == "cleared":
            for f in ("cleared_by", "cleared_on", "terms_fr", "terms_en"):
                if v.get(f) is None:
                    out.append(_FieldError(f, "a cleared layer names who cleared it, when, and on what terms"))
            if v.get("decision") is not None:
                out.append(_FieldError("decision", "a cleared layer needs no decision: remove it"))
        else:
            for f in ("cleared_by", "cleared_on"):
                if v.get(f) is not None:
                    out.append(_FieldError(f, f"only a cleared layer names who cleared it (the status is {status})"))
        if status == "open_licence" and (v.get("terms_fr") is None or v.get("terms_en") is None):
            out.append(
                _FieldError(
                    "terms_fr" if v.get("terms_fr") is None else "terms_en", "name the open licence (terms_fr and terms_en)"
                )
            )
        if status == "open_licence" and v.get("decision") is not None:
            out.append(_FieldError("decision", "a layer under an open licence needs no decision: remove it"))
        return out

    @property
    def publishable(self) -> bool:
        """Cleared, openly licensed, or not cleared with an editor's recorded decision."""
        return self.status != "not_cleared" or self.decision is not None


class Layer(Record):
    id: Slug
    file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.(geojson|json|csv)$")]
    kind: LayerKind
    title_fr: Text160
    title_en: Text160
    date_field: str | None = None
    default_visible: bool = True
    optional: bool = False
    source_fr: Text400  # where the layer comes from, in each language
    source_en: Text400
    source_name: OptText60  # how captions name the source ("DeepStateMap"); else the layer's title
    source_url: OptUrl = None
    licence_fr: Text300
    licence_en: Text300
    licence_risk: bool = False
    attribution_fr: Text300
    attribution_en: Text300
    processing_fr: OptText800  # what was done to the source's geometry, in each language (editors' log)
    processing_en: OptText800
    method_fr: OptText400  # the same in readers' words (the sources page shows it)
    method_en: OptText400
    areas_file: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+\.csv$")] | None = None
    rights: Rights  # may the newsroom publish it (geo/README.md: rights)

    renamed: ClassVar[dict[str, tuple[str, ...]]] = {
        "attribution": ("attribution_en",),
        "licence": ("licence_fr", "licence_en"),
        "source": ("source_fr", "source_en"),
        "processing": ("processing_fr", "processing_en"),
    }

    @model_validator(mode="after")
    def _processing_in_both(self) -> Self:
        return _check_rules(self)

    @staticmethod
    def row_rules(v: dict[str, Any]) -> list[_FieldError]:
        if not {"processing_fr", "processing_en"} <= v.keys() or (v["processing_fr"] is None) == (v["processing_en"] is None):
            return []
        empty = "processing_en" if v["processing_en"] is None else "processing_fr"
        return [_FieldError(empty, "processing_fr and processing_en go together: give both or neither")]

    @model_validator(mode="after")
    def _risk_agrees(self) -> Self:
        if self.licence_risk and self.rights.status == "open_licence":
            raise _FieldError("rights", "licence_risk is true: a layer at risk cannot be under an open licence (status)")
        return self


class Region(Record):
    bbox: tuple[float, float, float, float]


class GeoManifest(Record):
    region: Region
    layers: Annotated[tuple[Layer, ...], Field(min_length=1)]


_TODAY = re.compile(r"^today(?:\s*([+-])\s*(\d{1,4}))?$")


def _window_end(v: object) -> dt.date | str:
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
            found = _TODAY.match(hi)
            if found is None:  # not reached: _window_end keeps only what _TODAY matches
                raise ValueError(f"'{hi}' is not a date or today+N")
            sign, n = found.groups()
            hi = today + dt.timedelta(days=(int(n) if sign == "+" else -int(n)) if n else 0)
        return self.earliest, hi

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if isinstance(self.latest, dt.date) and self.latest < self.earliest:
            raise _FieldError("latest", f"latest {self.latest.isoformat()} is before earliest {self.earliest.isoformat()}")
        return self


class DataLicence(Record):
    """The licence the newsroom publishes its tables under (data/site.yaml ``licence``): written into
    data/datapackage.json and the pages' schema.org Dataset. ``name`` is an SPDX or Open Definition id
    (``CC-BY-4.0``), ``path`` the licence's URL: a Data Package licence needs one of the two."""

    name: OptText60
    path: OptUrl = None
    title_fr: Text200
    title_en: Text200

    @model_validator(mode="after")
    def _named(self) -> Self:
        if self.name is None and self.path is None:
            raise _FieldError("name", "a licence needs a name (an SPDX id such as CC-BY-4.0) or a path (its URL), or both")
        return self


class Site(Record):
    """Editor-owned settings and texts that state facts about the data (data/site.yaml)."""

    dates: DateWindow
    method_fr: Text1500
    method_en: Text1500
    gaps_fr: Text1500
    gaps_en: Text1500
    missing_layers_fr: OptText600
    missing_layers_en: OptText600
    licence: DataLicence | None = None  # the tables' licence; none stated = none claimed


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


_R = TypeVar("_R", bound=Record)


def _check_rules(rec: _R) -> _R:
    errors = type(rec).row_rules(dict(rec))
    if errors:
        raise RowErrors(errors)
    return rec
