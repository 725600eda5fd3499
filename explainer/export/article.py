"""The explainer itself as static pages: the story (``<lang>/story.html``) and the sources
(``<lang>/sources.html``), so a site that cannot host the live app can still publish it.

They say what ``/story`` and ``/sources`` say, from the same builders and the same catalogue texts:
the editors' headline and intro, the lead graphic, the article, each story step beside the graphic it
names (ui/story.py: step_graphic; the step's map with its places ringed, or the casualty chart of the
step's measures and sources at its date with its figures marked), the article's claims as cards; every claim with its source, the re-report
chains, the map layers' credits, the method, the gaps and the corrections log.

The charts are pictures drawn at export time by kaleido (``images.write_images``), in a wide and a
narrow version (a phone's chart is drawn for a phone, as in the app): the pages run no script
(their CSP forbids any), load nothing from another site, and work from a folder of files or any CDN.
Each step links to the interactive static map of its day.
"""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go

from .. import figures as F
from .. import i18n
from .. import queries as Q
from ..datapackage import dataset_jsonld, downloads, jsonld_script
from ..figures.text import claims_credit
from ..figures.theme import base_layout
from ..i18n import Bound
from ..load import Bundle
from ..model import Rereport
from ..ui import story as SY
from .assets import ASSETS
from .downloads import with_download_table
from .pages import Graphic, Page
from .picture import caption
from .text import LANGS, TEXT

# The widths the step graphics are drawn at: the graphic column of a wide page, and a phone's page.
WIDE = {"lead": 1040, "map": 713, "cas": 720}
NARROW = 345  # a 375 px phone less the page's margins
STORY_MAP = {"wide": (460, 1.55), "narrow": (360, None)}  # height, aspect: the app's story map (pages/story.py)
STEP_KEY = {"map": "map", "casualties": "cas"}  # a step graphic's pictures: step-<i>-<key>-<size>.svg
NARROW_MAX = 600  # px: windows up to this width get the narrow pictures
# a page that runs no script and loads only its own pictures and style
CSP = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'"


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str) -> str:
    """A source link: an http(s) address, or the article's own section for a claim sourced to the article."""
    return url if url.startswith(("http://", "https://")) else "story.html#article"


# --------------------------------------------------------------------------- pages


def _cover(title: str, lines: list[str]) -> go.Figure:
    """A page without a chart of its own (sources) gets a card of text as its thumbnail: its picture's
    header already carries the title, the card says what the page holds."""
    fig = go.Figure()
    base_layout(fig, title, 160)
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False))
    for i, line in enumerate(lines):
        fig.add_annotation(
            text=F.text_of(line),
            x=0,
            y=1 - i * 0.4,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="top",
            showarrow=False,
            font=dict(size=22 if i == 0 else 15),
        )
    return fig


def story_page(bundle: Bundle, lang: str) -> Page:
    """The story: its own data is the lead graphic's (the article's figures), its picture the lead graphic."""
    loc = LANGS[lang]
    tr = i18n.bind(loc)
    lead = F.build_lead(bundle, loc)
    head = bundle.article.lead
    title = tr.field(head, "headline") if head else tr("app_title")
    if lead is None:
        found = [bundle.claim_by_id[c] for ac in bundle.article.claims for c in ac.claim_ids if c in bundle.claim_by_id]
        lead = F.View(
            _cover(title, [tr("export_story_title")]),
            title,
            F.claims_table(bundle, found, loc),
            [claims_credit(found, loc)],
            title,
        )
    view = with_download_table(bundle, lead, loc)
    page = Page(lang, "story", "story", None, F.View(view.figure, view.summary, view.table, view.credits, title), [])
    page.caption = caption(bundle, lead, loc, bundle.article.published)  # the figures as known on the article's day
    page.graphics = [Graphic(f"lead-{size}", lead, WIDE["lead"] if size == "wide" else NARROW) for size in ("wide", "narrow")]
    steps = bundle.story
    for i, step in enumerate(steps, 1):
        kind = SY.step_graphic(bundle, step)  # the one graphic the step names, as on the live page
        claimants, measures = SY.casualty_focus(bundle, step)
        for size in ("wide", "narrow"):
            if kind == SY.MAP:
                height, aspect = STORY_MAP[size]
                shown = F.build_map(bundle, step.date, loc, height=height, aspect=aspect, highlight=SY.step_places(bundle, step))
                width = WIDE["map"] if size == "wide" else NARROW
            else:
                shown = F.build_casualties(
                    bundle,
                    loc,
                    claimants=claimants,
                    measures=measures,
                    selected=step.date,
                    highlight=SY.step_claims(bundle, step),
                    plot_width=F.PLOT_WIDTH_PX if size == "wide" else F.PHONE_WIDTH_PX,
                    also_dates=tuple(s.date for s in steps),
                )
                width = WIDE["cas"] if size == "wide" else NARROW
            page.graphics.append(Graphic(f"step-{i}-{STEP_KEY[kind]}-{size}", shown, width))
    return page


def sources_page(bundle: Bundle, lang: str) -> Page:
    """The sources: its data is every claim (numbers as numbers), its thumbnail a title card."""
    loc = LANGS[lang]
    tr = i18n.bind(loc)
    title = tr("sources_heading")
    claims = list(bundle.claims)
    outlets = {c.outlet for c in claims}
    counts = [i18n.count(loc, "count_claims", len(claims)), i18n.count(loc, "count_sources", len(outlets))]
    card = _cover(title, [" · ".join(counts), tr("export_thumbnail_note")])
    view = F.View(card, " · ".join(counts), F.claims_table(bundle, claims, loc), [claims_credit(claims, loc)], title)
    page = Page(lang, "sources", "sources", None, with_download_table(bundle, view, loc), [])
    page.caption = caption(bundle, view, loc)
    return page


# --------------------------------------------------------------------------- HTML


def _picture(p: Page, key: str, view: F.View, alt: str) -> str:
    """A chart as its wide and narrow pictures (the narrow one on phones), with its text alternative as alt text."""
    wide = next((g for g in p.graphics if g.key == f"{key}-wide"), None)
    narrow = next((g for g in p.graphics if g.key == f"{key}-narrow"), None)
    if wide is None or narrow is None or not (wide.ready and narrow.ready):
        return ""  # an export without images: the text alternative below stands alone
    folder = p.name
    return (
        f'<picture><source media="(max-width: {NARROW_MAX}px)" srcset="{folder}/{narrow.key}.svg" '
        f'width="{narrow.width}" height="{narrow.height}">'
        f'<img src="{folder}/{wide.key}.svg" width="{wide.width}" height="{wide.height}" alt="{esc(alt)}" loading="lazy"></picture>'
    )


def _chart(p: Page, key: str, view: F.View, tr: Bound) -> str:
    """A chart with what travels with it: its text alternative and its source line (charts.chart_extras)."""
    colon = "\u00a0: " if tr.lang == "fr" else ": "
    return (
        f'<figure class="chart" aria-label="{esc(view.title)}">{_picture(p, key, view, tr("chart_alt", title=view.title))}'
        f'<figcaption><p class="summary">{esc(view.summary)}</p>'
        f'<p class="credits">{esc(tr("sources_line"))}{colon}{esc(" · ".join(view.credits))}</p></figcaption></figure>'
    )


def _frame(p: Page, bundle: Bundle, generated: str, ctx: dict[str, Any], title: str, body: str, head: str = "") -> str:
    """The page around ``body``: its language, CSP, style, the explainer's navigation, the version line."""
    loc = LANGS[p.lang]
    tr = i18n.bind(loc)
    other = [lang for lang in LANGS if lang != p.lang]
    langs = " · ".join(
        f'<a href="../{lang}/{p.name}.html" hreflang="{lang}" lang="{lang}">{esc(lang.upper())}</a>' for lang in other
    )
    nav = (
        f'<nav aria-label="{esc(tr("export_explainer_pages"))}"><a href="story.html">{esc(tr("nav_story"))}</a> · '
        f'<a href="sources.html">{esc(tr("nav_sources"))}</a> · <a href="../index.html">{esc(tr("export_more_embeds"))}</a>'
        f" · {langs}</nav>"
    )
    version = tr("export_version", v=bundle.version, d=generated[:10])
    newer = ""
    if ctx.get("latest"):  # a pinned version says where the latest one is (no script: a plain link)
        newer = f' · <a href="{esc(ctx["up"])}latest/{esc(p.path)}.html">{esc(TEXT[p.lang]["latest"])}</a>'
    link = ctx.get("explainer_url") or ""
    if link:
        link = f' · <a href="{esc(link)}">{esc(TEXT[p.lang]["explainer"])}</a>'
    downloads_line = f'<a href="{esc(p.name)}.csv" download>{esc(tr("download_csv"))}</a> · <a href="{esc(p.name)}.json">{esc(tr("export_json"))}</a>'
    return f"""<!doctype html>
<html lang="{p.lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{esc(title)}</title>
<meta name="description" content="{esc(p.built.summary)}">
<style>
{(ASSETS / "explainer.css").read_text("utf-8")}</style>
{head}
</head>
<body class="explainer" data-view="{p.view}" data-version="{esc(bundle.version)}">
<header>{nav}</header>
<main>
{body}
</main>
<footer><p class="credits">{esc(version)} · {downloads_line}{newer}{link}</p></footer>
</body>
</html>
"""


def _chip(kind: str, value: str, label: str) -> str:
    return f'<span class="chip {kind}-{esc(value)}">{esc(label)}</span>'


def render_story(p: Page, bundle: Bundle, generated: str, ctx: dict[str, Any]) -> str:
    loc = LANGS[p.lang]
    tr = i18n.bind(loc)
    art = bundle.article
    head = art.lead
    parts = [f'<p class="kicker">{esc(tr("app_kicker", period=i18n.month_span(*Q.story_period(bundle), loc)))}</p>']
    parts.append(f"<h1>{esc(p.built.title)}</h1>")
    if head:
        parts.append(f'<p class="lead">{esc(tr.field(head, "intro"))}</p>')
    lead = next((g.view for g in p.graphics if g.key == "lead-wide"), None)
    if lead is not None:
        parts.append(_chart(p, "lead", lead, tr))
    # the article, with its own anchor: claims sourced to the article link here
    note = tr.field(art, "published_note")
    published = tr("story_published", outlet=tr.field(art, "outlet"), date=tr.date(art.published))
    parts.append(
        f'<section class="article" id="article" aria-labelledby="article-h"><h2 id="article-h">{esc(tr("article_section"))}</h2>'
        f'<div class="box"><h3>{esc(tr.field(art, "title"))}</h3><p class="caption">{esc(published)}'
        f"{' — ' + esc(note) if note else ''}</p><p>{esc(tr.field(art, 'lead'))}</p></div></section>"
    )
    parts.append(_steps(p, bundle, tr))
    parts.append(_cards(bundle, tr))
    return _frame(p, bundle, generated, ctx, p.built.title, "\n".join(parts))


def _steps(p: Page, bundle: Bundle, tr: Bound) -> str:
    """Each step beside the graphic it names (under it on a phone): the text stays in view beside it."""
    steps = bundle.story
    if not steps:
        return ""
    from ..ui.parts import snapshot_text  # the map's snapshot line, as the app words it

    out = [f'<section class="steps" aria-labelledby="steps-h"><h2 id="steps-h">{esc(tr("story_mode"))}</h2>']
    for i, step in enumerate(steps, 1):
        evs = [e for e in bundle.events if e.id in step.event_ids]
        title = tr.field(step, "title")
        events = "".join(
            f'<li>{esc(tr.field(e, "title"))} — <a href="{esc(_link(e.source_url))}">{esc(tr("claim_card_sources"))}</a></li>'
            for e in evs
        )
        key = f"step-{i}-{STEP_KEY[SY.step_graphic(bundle, step)]}"
        shown = next(g.view for g in p.graphics if g.key == f"{key}-wide")
        said = snapshot_text(bundle, shown, tr)
        snap = f'<p class="snapshot{" warn" if said[1] else ""}">{esc(said[0])}</p>' if said else ""
        if not key.endswith("-map"):  # the chart's name where the map has its snapshot line
            snap = f'<p class="graphic-head"><strong>{esc(shown.title)}</strong></p>'
        day_map = f"map-{step.date.isoformat()}.html"
        out.append(
            f'<section class="step" id="step-{i}" aria-labelledby="step-{i}-h">'
            f'<div class="step-text"><p class="step-n">{esc(tr("story_step", i=i, n=len(steps)))}</p>'
            f'<h3 id="step-{i}-h">{esc(tr.date(step.date))} — {esc(title)}</h3>'
            f"<p>{esc(tr.field(step, 'text'))}</p>"
            + (f'<ul class="events">{events}</ul>' if events else "")
            + f'<p class="step-graphic">{esc(tr("export_step_graphic", i=i, title=title))}</p></div>'
            f'<div class="step-graphics" id="{key}">{snap}{_chart(p, key, shown, tr)}'
            f'<p class="open-map"><a href="{esc(day_map)}">{esc(tr("export_open_map"))}</a></p></div></section>'
        )
    out.append("</section>")
    return "\n".join(out)


def _cards(bundle: Bundle, tr: Bound) -> str:
    """The article's claims as cards (pages/story.py: _claim_cards): its words, who and when, verdicts,
    what is known now, and the context behind a disclosure."""
    lang = tr.lang
    art = bundle.article
    by_id = bundle.claim_by_id
    groups: dict[str, list[Any]] = {}
    for ac in art.claims:
        groups.setdefault(" ".join(ac.excerpt.split()), []).append(ac)
    out = [
        f'<section class="cards" aria-labelledby="cards-h"><h2 id="cards-h">{esc(tr("story_heading"))}</h2>'
        f'<p class="caption">{esc(tr("article_link_note"))}</p>'
    ]
    for excerpt, acs in groups.items():
        claims = [by_id[c] for ac in acs for c in ac.claim_ids if c in by_id]
        quote = i18n.quoted(excerpt, tr.locale, art.language)
        translation = next((getattr(ac, f"excerpt_{lang}", None) for ac in acs if getattr(ac, f"excerpt_{lang}", None)), None)
        card = [f'<article class="card" id="card-{esc(acs[0].id)}"><p class="quote" lang="{art.language}">{esc(quote)}</p>']
        if lang != art.language and translation:
            card.append(f'<p class="caption">{esc(tr("excerpt_translation", text=i18n.prose(translation, tr.locale)))}</p>')
        who = i18n.field(acs[0], "claimant_label", lang)
        when = "; ".join(dict.fromkeys(F.said_when(bundle, c, lang) for c in claims))
        chips = "".join(_chip("verdict", v, tr(f"verdict_{v}")) for v in dict.fromkeys(ac.verdict for ac in acs if ac.verdict))
        card.append(f'<p class="said"><b>{esc(tr("claim_card_said", who=who, date=when))}</b> {chips}</p>')
        for c in (c for c in claims if c.has_number):
            first, *revised = F.known_now_lines(bundle, c, lang)
            card.append(f'<p class="known">{esc(first)}</p>' + "".join(f'<p class="caption">{esc(r)}</p>' for r in revised))
        more = []
        for c in claims:
            claimant = bundle.claimants.get(c.claimant)
            name = i18n.field(claimant, "name", lang) if claimant else c.claimant
            outlet = tr.field(art, "outlet") if F.from_article(c) else c.outlet
            more.append(
                f'<p class="caption">{esc(name)} · {esc(tr(f"measure_{c.measure}"))}: <b>{esc(F.value_text(c, lang))}</b>'
                f' · {esc(outlet)} · <a href="{esc(_link(c.source_url))}">{esc(tr("claim_card_sources"))}</a></p>'
            )
        more += [f"<p>{esc(i18n.field(ac, 'context', lang))}</p>" for ac in acs]
        card.append(f"<details><summary>{esc(tr('more'))}</summary>{''.join(more)}</details></article>")
        out.append("".join(card))
    out.append("</section>")
    return "\n".join(out)


def render_sources(p: Page, bundle: Bundle, generated: str, ctx: dict[str, Any]) -> str:
    loc = LANGS[p.lang]
    tr = i18n.bind(loc)
    colon = "\u00a0: " if tr.lang == "fr" else ": "
    parts = [f"<h1>{esc(tr('sources_heading'))}</h1>"]
    # every claim: the table as the reader sees it (dates in the page's language), the CSV with numbers
    table = F.local_dates(F.claims_table(bundle, bundle.claims, loc), loc)
    source_col = tr("col_source")
    head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in table.columns)
    rows = []
    for _, r in table.iterrows():
        cells = []
        for col in table.columns:
            v = "" if r[col] is None else str(r[col])
            cells.append(
                f'<td><a href="{esc(v)}">{esc(v)}</a></td>'
                if col == source_col and v.startswith("http")
                else f"<td>{esc(v)}</td>"
            )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    parts.append(
        f'<section aria-labelledby="claims-h"><h2 id="claims-h">{esc(tr("sources_claims"))}</h2>'
        f'<p><a href="{esc(p.name)}.csv" download>{esc(tr("download_all_claims"))}</a></p>'
        f'<div class="table" tabindex="0" role="region" aria-labelledby="claims-h"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )
    parts.append(_rereports(bundle, tr))
    cards = []
    for lyr in bundle.manifest.layers:  # cards rather than a wide table: readable at 375 px
        risk = f" — ⚠️ {esc(tr('licence_risk'))}" if lyr.licence_risk else ""
        lines = []
        for label, text in (
            (tr("col_attribution"), tr.field(lyr, "attribution")),
            (tr("col_licence"), tr.field(lyr, "licence")),
            (tr("claim_card_sources"), tr.field(lyr, "source")),
            (tr("col_processing"), tr.field(lyr, "method")),
        ):
            if text:
                link = (
                    f' — <a href="{esc(lyr.source_url)}">{esc(lyr.source_url)}</a>'
                    if lyr.source_url and label == tr("claim_card_sources")
                    else ""
                )
                lines.append(f'<p class="caption">{esc(label)}{colon}{esc(text)}{link}</p>')
        cards.append(f'<div class="box"><p><b>{esc(tr.field(lyr, "title"))}</b>{risk}</p>{"".join(lines)}</div>')
    parts.append(
        f'<section aria-labelledby="layers-h"><h2 id="layers-h">{esc(tr("sources_layers"))}</h2>{"".join(cards)}</section>'
    )
    parts.append(f"<section><h2>{esc(tr('sources_method'))}</h2><p>{esc(tr.field(bundle.site, 'method'))}</p></section>")
    gaps = []
    silent = Q.sides_without_casualty_figure(bundle)
    if silent:
        gaps.append(tr("gaps_no_casualty_figure", sides=", ".join(tr(f"side_{s}") for s in silent)))
    gaps.append(tr.field(bundle.site, "gaps"))
    if bundle.site.missing_layers_fr:
        gaps.append(tr.field(bundle.site, "missing_layers"))
    parts.append(f"<section><h2>{esc(tr('sources_gaps'))}</h2>{''.join(f'<p>{esc(g)}</p>' for g in gaps)}</section>")
    log = "".join(f"<li><b>{esc(tr.date(ch.date))}</b> — {esc(tr.field(ch, 'change'))}</li>" for ch in bundle.changelog)
    parts.append(f"<section><h2>{esc(tr('sources_changelog'))}</h2><ul>{log}</ul></section>")
    dataset = jsonld_script(dataset_jsonld(bundle, p.lang, downloads("../data/")))
    return _frame(p, bundle, generated, ctx, tr("sources_heading"), "\n".join(parts), head=dataset)


def _rereports(bundle: Bundle, tr: Bound) -> str:
    chains = Q.rereport_chains(bundle)
    if not chains:
        return ""
    out = [
        f'<section id="rereports" aria-labelledby="rereports-h"><h2 id="rereports-h">{esc(tr("sources_rereports"))}</h2>'
        f'<p class="caption">{esc(tr("rereports_intro"))}</p>'
    ]
    for claim, reports in chains:
        origin = F.rereport_origin(bundle, claim, tr)
        lines = "".join(_rereport(bundle, r, tr) for r in reports)
        out.append(
            f'<div class="box" id="chain-{esc(claim.id)}"><p><b>{esc(origin)}</b> — '
            f'<a href="{esc(_link(claim.source_url))}">{esc(tr("claim_card_sources"))}</a></p>{lines}</div>'
        )
    out.append("</section>")
    return "\n".join(out)


def _rereport(bundle: Bundle, r: Rereport, tr: Bound) -> str:
    text = tr(
        "rereport_line",
        date=tr.date(r.date),
        outlet=r.outlet,
        figure=r.figure,
        measure=tr(f"measure_{r.measure}"),
        scope=tr(f"scope_{r.scope}"),
    )
    chips = "".join(_chip("drift", label, tr(f"drift_{label}")) for label in r.drift)
    notes = [tr("rereport_attributed", who=r.attributed_to)] if r.attributed_to else []
    newer = Q.newer_than_reported(bundle, r) if "stale" in r.drift else None
    if newer is not None:
        notes.append(tr("rereport_newer", value=F.value_text(newer, tr.lang), date=tr.date(newer.date)))
    note = tr.field(r, "note")
    caption_line = " · ".join(n for n in [*notes, note] if n)
    return f'<p class="rereport">{esc(text)} — <a href="{esc(_link(r.url))}">{esc(tr("rereport_source"))}</a> {chips}</p>' + (
        f'<p class="caption">{esc(caption_line)}</p>' if caption_line else ""
    )


def render_explainer_page(p: Page, bundle: Bundle, generated: str, ctx: dict[str, Any]) -> str:
    return (render_story if p.view == "story" else render_sources)(p, bundle, generated, ctx)
