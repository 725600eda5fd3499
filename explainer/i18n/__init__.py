"""UI strings and locale formatting.

Strings live in ``fr.yaml`` / ``en.yaml`` (one key per string, ``{name}``
placeholders). Plain YAML catalogues rather than gettext: editors can correct a
label without a compile step, and a test keeps both catalogues' keys equal.
Numbers and dates go through Babel (CLDR). One deliberate override: the
newsroom's Swiss French house style groups thousands with an apostrophe
(``12'000``, as in the ATS/AFP article), where CLDR's fr_CH uses a narrow space.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel.dates import format_date
from babel.numbers import format_decimal, get_group_symbol

LOCALES = {"fr-CH": "fr_CH", "fr-FR": "fr_FR", "en": "en_GB"}
DEFAULT_LOCALE = "fr-CH"
GROUP_OVERRIDE = {"fr-CH": "'"}
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
    """The UI string ``key`` in the locale's language, placeholders filled, French typography applied."""
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
_UNIT = re.compile(r"(?<=[\d}])\s+(km²|km|%)")


def typography(text: str, locale: str) -> str:
    """French spacing (no-break space before ':', narrow before ';', '!', '?' and inside « »), and a
    no-break space between a number and its unit in every language."""
    text = _UNIT.sub("\u00a0\\1", text)
    if lang_of(locale) != "fr":
        return text
    text = _FR_COLON.sub("\u00a0:", text)
    text = _FR_THIN.sub("\u202f\\1", text)
    return _OPEN_GUILLEMET.sub("«\u202f", text)


def num(value: float, locale: str = DEFAULT_LOCALE, digits: int = 0) -> str:
    loc = LOCALES.get(locale, LOCALES[DEFAULT_LOCALE])
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    out = format_decimal(value, format=fmt, locale=loc)
    if locale in GROUP_OVERRIDE:
        out = out.replace(get_group_symbol(loc), GROUP_OVERRIDE[locale])
    return out


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
    """``record.name_fr`` or ``record.name_en`` by locale ('' for an optional text left empty)."""
    value = getattr(record, f"{name}_{lang_of(locale)}")
    return "" if value is None else str(value)


def month_span(first: dt.date, last: dt.date, locale: str = DEFAULT_LOCALE) -> str:
    """'juin 2024 – avril 2025' / 'June 2024 – April 2025' (one month: 'avril 2025')."""
    a, b = date(first, locale, "month"), date(last, locale, "month")
    return a if a == b else f"{a}\u00a0– {b}"
