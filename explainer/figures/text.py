"""How data text reads on a chart: escaped for plotly, claims as said, their table, credit lines."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from typing import Any

import pandas as pd

from .. import i18n
from .. import queries as Q
from ..i18n import t
from ..load import Bundle
from ..model import SEED_SOURCE, Claim, Event


def text_of(value: object) -> str:
    """Data text for plotly: shown as typed. plotly renders a subset of HTML in text, names and
    hover labels (<a>, <span style>, <br>…), so editors' text is escaped before it goes in."""

    return html.escape(str(value), quote=False)


def place_label(props: dict[str, Any], lang: str) -> str:
    name = text_of(props.get(f"name_{lang}") or props.get("name_en") or "")
    local = text_of(props.get("name_local") or "")
    return f"<b>{name}</b>" + (f" ({local})" if local and local != name else "")


def dedupe_credits(lines: list[str]) -> list[str]:
    """Credit lines once each; several layers share a source (e.g. geoBoundaries)."""
    out: list[str] = []
    for line in lines:
        for part in line.split(" · "):
            if part not in out:
                out.append(part)
    return out


def value_text(c: Claim, locale: str) -> str:
    """'≥3'000', '~1'100', '15'000–18'000', 'no figure' — the claim as said."""
    lo = i18n.num(c.value_low, locale) if c.value_low is not None else ""
    hi = i18n.num(c.value_high, locale) if c.value_high is not None else ""
    return {
        "exact": lo,
        "approx": "~" + lo,
        "at_least": "≥" + lo,
        "at_most": "≤" + hi,
        "range": f"{lo}–{hi}",
        "none": t(locale, "no_figure"),
    }[c.bound]


def from_article(c: Claim) -> bool:
    """A claim sourced to the article itself: its date is the day the figure was said, the article
    reported it on its own day."""
    return c.source_url == SEED_SOURCE


def quote_translation(bundle: Bundle, c: Claim, locale: str) -> str | None:
    """Our translation of a claim's quote into the page's language: its own ``quote_fr`` / ``quote_en``,
    or, for the article's own words, the article excerpt's translation (article.yaml ``excerpt_en``)."""
    lang = i18n.lang_of(locale)
    if c.quote_lang == lang:
        return None
    own = getattr(c, f"quote_{lang}", None)
    if own:
        return str(own)
    if from_article(c):
        for ac in bundle.article.claims:
            text = getattr(ac, f"excerpt_{lang}", None)
            if c.id in ac.claim_ids and text:
                return str(text)
    return None


def quote_language(c: Claim, locale: str) -> str:
    """'anglais' / 'French': the quote's language named in the page's (CLDR, Babel), '' when it is the page's."""
    from babel import Locale

    if c.quote_lang in (i18n.lang_of(locale), "other"):
        return ""
    return str(Locale.parse(i18n.LOCALES.get(locale, i18n.LOCALES[i18n.DEFAULT_LOCALE])).languages.get(c.quote_lang, ""))


def _listed(names: Iterable[str], locale: str) -> str:
    """Names once each, in alphabetical order, joined as a list in the page's language (CLDR, Babel)."""
    from babel.lists import format_list

    unique = sorted({n.strip() for n in names if n and n.strip()}, key=str.casefold)
    return format_list(unique, locale=i18n.LOCALES.get(locale, i18n.LOCALES[i18n.DEFAULT_LOCALE])) if unique else "–"


def claims_credit(claims: Iterable[Claim], locale: str) -> str:
    """The source line under a chart of claims: the outlets that reported what is drawn, from the data."""
    return t(locale, "credit_claims_named", outlets=_listed((c.outlet for c in claims), locale))


def events_credit(events: Iterable[Event], locale: str) -> str:
    """The source line under the timeline: the sites each drawn event links to (the data has no outlet
    name for an event, its address names it)."""
    from urllib.parse import urlparse

    hosts = ((urlparse(e.source_url).hostname or "").removeprefix("www.") for e in events)
    return t(locale, "credit_events_named", outlets=_listed(hosts, locale))


def outlet_of(bundle: Bundle, c: Claim, locale: str) -> str:
    """Where a claim was reported: its outlet, or for the article's own figures the article (outlet and day)."""
    if from_article(c):
        art = bundle.article
        return f"{i18n.field(art, 'outlet', locale)}, {i18n.date(art.published, locale)}"
    return c.outlet


def said_when(bundle: Bundle, c: Claim, locale: str, short: bool = False) -> str:
    """'said 23 December 2024, reported 4 February 2025' (a figure the article reported later), or
    'said 23 December 2024': one figure is dated the same way on every card, chart and hover
    (``short``: '23 Dec 2024', and both days only when they differ, for a chart's labels)."""
    said = i18n.date(c.date, locale, short=short)
    published = bundle.article.published
    if from_article(c) and published != c.date:
        return t(locale, "said_reported", said=said, reported=i18n.date(published, locale, short=short))
    return said if short else t(locale, "said_on", said=said)  # a short label: one date needs no word


def doubt_text(c: Claim, locale: str) -> str:
    """What readers should know before trusting the claim: 'single source' (``verification``), then the
    doubt the research recorded (``doubt_fr/en``); empty when there is neither."""
    parts = [t(locale, "doubt_single_source")] if c.verification == "single_source" else []
    doubt = i18n.field(c, "doubt", locale)
    return " ".join([*parts, doubt] if doubt else parts)


def known_now_lines(bundle: Bundle, ref: Claim, locale: str, on: dt.date | None = None) -> list[str]:
    """What is known now about ``ref``'s figure, in words: each source's latest figure since the article
    (one line), then a line per source that revised itself ('NIS revised its figure: ~300 (13 January
    2025) → ~4,700 (30 April 2025)'). Composed from the data and catalogue templates only.

    ``on`` (the reader's "known on" day, default now): the same as known on that day; before the
    article's day, each source's latest figure by then."""
    latest = Q.now(bundle)
    day = on if on is not None and on < latest else None  # None: now
    published = bundle.article.published
    before = day is not None and day < published
    now = Q.known_now(bundle, ref, dt.date.min if before else published, day)
    text = i18n.date(day or latest, locale)
    kind = "known_now" if day is None else "known_before" if before else "known_on"
    if not now:
        return [t(locale, f"{kind}_none", date=text)]

    def who(c: Claim) -> str:
        found = bundle.claimants.get(c.claimant)
        return i18n.field(found, "short", locale) if found else c.claimant

    items = "; ".join(
        t(locale, "known_now_item", who=who(c), value=value_text(c, locale), date=i18n.date(c.date, locale)) for c in now
    )
    lines = [t(locale, "lead_now_summary" if day is None else f"{kind}_summary", date=text, items=items)]
    for chain in Q.revisions(bundle, ref, [c.claimant for c in now], until=day).values():
        steps = " → ".join(t(locale, "revision_item", value=value_text(c, locale), date=i18n.date(c.date, locale)) for c in chain)
        lines.append(t(locale, "revision_line", who=who(chain[0]), chain=steps))
    return lines


def newer_figure_item(bundle: Bundle, c: Claim, locale: str) -> str:
    """'NIS, about 2,000 killed, 2 September 2025': one figure named with its source, measure and day."""
    found = bundle.claimants.get(c.claimant)
    who = i18n.field(found, "short", locale) if found else c.claimant
    measure = t(locale, f"measure_{c.measure}")  # a chart's title case, lower-cased in a sentence
    measure = measure[:1].lower() + measure[1:]
    return t(locale, "newer_figure_item", who=who, value=value_text(c, locale), measure=measure, date=i18n.date(c.date, locale))


def rereport_origin(bundle: Bundle, claim: Claim, tr: i18n.Bound) -> str:
    """The first link of a figure's chain: who said it, when, what and where (the sources page, live and exported)."""
    who = bundle.claimants.get(claim.claimant)
    return tr(
        "rereport_origin",
        who=tr.field(who, "name") if who else claim.claimant,
        date=tr.date(claim.date),
        measure=tr(f"measure_{claim.measure}"),
        value=value_text(claim, tr.lang),
        scope=tr(f"scope_{claim.scope}"),
        outlet=claim.outlet,
    )


def value_of(c: Claim) -> float | None:
    """The number a claim is plotted at: its low bound, else its high one (an 'at most')."""
    return c.value_low if c.value_low is not None else c.value_high


def claims_table(bundle: Bundle, claims: Iterable[Claim], locale: str) -> pd.DataFrame:
    lang = i18n.lang_of(locale)
    rows: list[dict[str, object]] = []
    for c in claims:
        who = bundle.claimants.get(c.claimant)
        rows.append(
            {
                t(locale, "col_date"): c.date,
                t(locale, "col_claimant"): i18n.field(who, "name", locale) if who else c.claimant,
                t(locale, "col_measure"): t(locale, f"measure_{c.measure}"),
                t(locale, "col_value"): value_text(c, locale),
                t(locale, "col_scope"): t(locale, f"scope_{c.scope}"),
                t(locale, "col_quote"): c.quote,
                # our translation beside a quote in another language (none where the quote is the page's)
                t(locale, "col_quote_translation"): quote_translation(bundle, c, locale) or "",
                t(locale, "col_outlet"): outlet_of(bundle, c, locale),
                # the article has no address of its own: its outlet and day name it (the story page quotes it)
                t(locale, "col_source"): "" if from_article(c) else c.source_url,
                t(locale, "col_doubt"): doubt_text(c, locale),
                t(locale, "col_note"): getattr(c, f"note_{lang}") or "",
                "id": c.id,
            }
        )
    return pd.DataFrame(rows)


def local_dates(table: pd.DataFrame, locale: str) -> pd.DataFrame:
    """The table as a reader sees it: its date columns in the page's language ('4 févr. 2025'),
    never ISO. The table itself keeps dates as dates, so its CSV stays sortable."""
    import datetime as dt

    out = table.copy()
    for col in out.columns:
        if len(out) and all(isinstance(v, dt.date) for v in out[col]):
            out[col] = [i18n.date(v, locale, short=True) for v in out[col]]
    return out


def wrap_parts(parts: list[str], chars: int, sep: str = " · ") -> str:
    """Parts of a chart label joined by ``sep`` on lines of at most ``chars`` characters (plotly
    does not wrap text), lines joined by ``<br>``. A part that does not fit the current line starts
    a new one; a part longer than a line breaks after a comma, then between words."""
    import re
    import textwrap

    lines: list[str] = []

    def put(text: str, glue: str) -> None:
        if lines and len(lines[-1]) + len(glue) + len(text) <= chars:
            lines[-1] += glue + text
        elif len(text) <= chars:
            lines.append(text)
        else:
            lines.extend(textwrap.wrap(text, chars, break_long_words=False))

    for part in parts:
        if len(part) <= chars or (lines and len(lines[-1]) + len(sep) + len(part) <= chars):
            put(part, sep)
            continue
        for j, clause in enumerate(re.split(r"(?<=,) ", part)):
            put(clause, " " if j else sep)
    return "<br>".join(lines)
