"""UI strings and locale formatting.

Strings live in ``fr.yaml`` / ``en.yaml`` (one key per string, ``{name}``
placeholders). Plain YAML catalogues rather than gettext: editors can correct a
label without a compile step, and a test keeps both catalogues' keys equal.
Numbers and dates go through Babel (CLDR): fr-CH groups thousands
with an apostrophe (``12'000``, as in the ATS/AFP article), fr-FR with a narrow no-break space
(``12 000``), English with a comma; charts use the same symbols (figures/theme.py: separators).
Editors' prose goes through one pipeline, :func:`prose`: the numbers in it in the reader's locale,
French spacing, no doubled guillemets, no line break inside a number or before a closing mark.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

LOCALES = {"fr-CH": "fr_CH", "fr-FR": "fr_FR", "en": "en_GB"}
DEFAULT_LOCALE = "fr-CH"
_DIR = Path(__file__).parent


def lang_of(locale: str) -> str:
    """'fr-CH' -> 'fr' (the catalogue); unknown -> the default's."""
    return (locale if locale in LOCALES else DEFAULT_LOCALE)[:2]


@cache
def catalogue(lang: str) -> dict[str, str]:
    with open(_DIR / f"{lang}.yaml", encoding="utf-8") as fh:
        strings = yaml.safe_load(fh)
    if not isinstance(strings, dict):
        raise ValueError(f"explainer/i18n/{lang}.yaml: expected a mapping of keys to strings")
    return {str(k): str(v) for k, v in strings.items()}


def t(locale: str, key: str, **kw: object) -> str:
    """The UI string ``key`` in the locale's language, placeholders filled, French typography applied
    (placeholders carry editors' text through :func:`prose` already: :func:`field`, :func:`quoted`)."""
    text = catalogue(lang_of(locale)).get(key)
    if text is None:
        text = catalogue("en").get(key, key)
    return typography(text.format(**kw) if kw else text, locale)


@dataclass(frozen=True)
class Bound:
    """The catalogue bound to one locale: ``tr = bind(locale)``, then ``tr(key, **kw)`` is ``t(locale, key, **kw)``."""

    locale: str

    def __call__(self, key: str, **kw: object) -> str:
        return t(self.locale, key, **kw)

    @property
    def lang(self) -> str:
        """The catalogue's language ('fr', 'en')."""
        return lang_of(self.locale)

    def date(self, value: dt.date, precision: str = "day", short: bool = False) -> str:
        return date(value, self.locale, precision, short)

    def field(self, record: object, name: str) -> str:
        return field(record, name, self.locale)


def bind(locale: str) -> Bound:
    """The catalogue for one page run: bound once to the reader's locale."""
    return Bound(locale)


def count(locale: str, key: str, n: int, **kw: object) -> str:
    """'1 chiffre' / '3 chiffres': the catalogue's ``<key>_one`` or ``<key>_other`` by CLDR's plural
    rule for the language (Babel; French counts 0 and 1 as one)."""
    from babel import Locale

    form = Locale.parse(LOCALES.get(locale, LOCALES[DEFAULT_LOCALE])).plural_form(abs(n))
    key = f"{key}_one" if form == "one" else f"{key}_other"
    return t(locale, key, n=num(n, locale), **kw)


_FR_THIN = re.compile(r"\s*([;!?»])")  # narrow no-break space before ; ! ? and closing guillemet
_FR_COLON = re.compile(r"(?<=\S)\s*:(?=\s|$)")  # no-break space before a colon (not in 12:30 or URLs)
_OPEN_GUILLEMET = re.compile(r"«\s*")
_DOUBLED = re.compile(r"«\s*«|»\s*»")  # « « … » »: one pair
_UNIT = re.compile(r"(?<=[\d}])\s+(km²|km|%)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# A whole number of four digits or more, plain (1100) or grouped (12 000, 12'000, 12’000, in French
# 12.000, in English 12,000), not part of a word, an id (C083), a colour code, a decimal or a date (2025-02-04).
_GROUPED = r"\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+"
_NUMBER = {  # French also groups with a dot (11.000): its decimals take a comma
    "fr": re.compile(rf"(?<![\w.,/#:'’\-])({_GROUPED}|\d{{1,3}}(?:\.\d{{3}})+|\d{{4,}})(?![\w\-]|[.,']\d)"),
    "en": re.compile(rf"(?<![\w.,/#:'’\-])({_GROUPED}|\d{{1,3}}(?:,\d{{3}})+|\d{{4,}})(?![\w\-]|[.,']\d)"),
}
YEARS = (1900, 2099)  # a plain four-digit number in this span is a year: never grouped


def _outside_urls(text: str, fix: Callable[[str], str]) -> str:
    """``fix`` applied to the text between web addresses (an address keeps its ?, : and digits)."""
    out, last = [], 0
    for m in _URL.finditer(text):
        out += [fix(text[last : m.start()]), m.group(0)]
        last = m.end()
    return "".join(out) + fix(text[last:])


def typography(text: str, locale: str) -> str:
    """French spacing (no-break space before ':', narrow before ';', '!', '?' and inside « »), one pair
    of guillemets where two were typed, and a no-break space between a number and its unit in every
    language. Web addresses are left as they are."""

    def fix(part: str) -> str:
        part = _UNIT.sub("\u00a0\\1", part)
        if lang_of(locale) != "fr":
            return part
        part = _DOUBLED.sub(lambda m: m.group(0)[0], part)
        part = _FR_COLON.sub("\u00a0:", part)
        part = _FR_THIN.sub("\u202f\\1", part)
        return _OPEN_GUILLEMET.sub("«\u202f", part)

    return _outside_urls(text, fix)


def numbers(text: str, locale: str) -> str:
    """The whole numbers of editors' prose in the reader's locale: '1100' -> '1'100' (fr-CH),
    '1 100' (fr-FR, narrow no-break space), '1,100' (en). Years (a plain 1900-2099) stay as typed."""

    def one(m: re.Match[str]) -> str:
        raw = m.group(1)
        value = int(re.sub(r"\D", "", raw))
        if raw.isdigit() and YEARS[0] <= value <= YEARS[1]:
            return raw
        return num(value, locale)

    pattern = _NUMBER[lang_of(locale)]
    return _outside_urls(text, lambda part: pattern.sub(one, part))


def prose(text: str, locale: str) -> str:
    """Editors' prose as a reader of ``locale`` sees it: its numbers in the locale, then typography."""
    return typography(numbers(text, locale), locale)


_QUOTE_MARKS = {"fr": ("«\u202f", "\u202f»"), "en": ("“", "”")}
_INNER_MARKS = {"fr": ("“", "”"), "en": ("‘", "’")}  # a quotation inside the quotation
_INNER = re.compile(r"«\s*(.*?)\s*»|\"(.*?)\"|“(.*?)”", re.DOTALL)
_OUTER = re.compile(r"^\s*[«\"“”„]\s*(.*?)\s*[»\"“”]\s*$", re.DOTALL)


def quoted(text: str, locale: str, quote_lang: str | None = None) -> str:
    """A quotation between the page language's marks, once: marks the editor typed around it are
    dropped and a quotation inside it takes the inner marks (“…” in French, ‘…’ in English): never
    « « … » ». Its numbers follow the page's locale when it is in the page's language;
    a quote in another language keeps its own."""
    inner = text.strip()
    m = _OUTER.match(inner)
    if m and not re.search(r"[«»\"“”]", m.group(1)):
        inner = m.group(1)
    lang = lang_of(locale)
    if quote_lang in (None, lang):
        inner = numbers(inner, locale)
    left, right = _INNER_MARKS.get(lang, _INNER_MARKS["en"])
    inner = _INNER.sub(lambda q: f"{left}{next(g for g in q.groups() if g is not None)}{right}", inner)
    if lang == "fr":
        inner = typography(inner, locale)
    opening, closing = _QUOTE_MARKS.get(lang, _QUOTE_MARKS["en"])
    return f"{opening}{inner}{closing}"


def num(value: float, locale: str = DEFAULT_LOCALE, digits: int = 0) -> str:
    """'12'000' (fr-CH), '12 000' (fr-FR, narrow no-break space), '12,000' (en): Babel's (CLDR) symbols."""
    loc = LOCALES.get(locale, LOCALES[DEFAULT_LOCALE])
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=fmt, locale=loc)


def symbols(locale: str) -> tuple[str, str]:
    """The locale's decimal and thousands symbols (Babel, CLDR), as :func:`num` writes them."""
    loc = LOCALES.get(locale, LOCALES[DEFAULT_LOCALE])
    return get_decimal_symbol(loc), get_group_symbol(loc)


def date(value: dt.date, locale: str = DEFAULT_LOCALE, precision: str = "day", short: bool = False) -> str:
    """'4 février 2025', '1er février 2025' (French ordinal for the first), '4 Feb 2025' (short)."""
    loc = LOCALES.get(locale, LOCALES[DEFAULT_LOCALE])
    if precision == "month":
        return format_date(value, "MMMM y", locale=loc)
    out = format_date(value, "d MMM y" if short else "d MMMM y", locale=loc)
    if lang_of(locale) == "fr" and value.day == 1:
        out = "1er" + out[1:]
    return out


def field(record: object, name: str, locale: str) -> str:
    """``record.name_fr`` or ``record.name_en`` by locale, as the reader sees it (:func:`prose`; '' for
    an optional text left empty). The data files stay plain."""
    value = getattr(record, f"{name}_{lang_of(locale)}")
    return "" if value is None else prose(str(value), locale)


def month_span(first: dt.date, last: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'juin 2024 – avril 2025' / 'June 2024 – April 2025' (one month: 'avril 2025')."""
    a, b = date(first, locale, "month"), date(last, locale, "month")
    return a if a == b else f"{a}\u00a0– {b}"
