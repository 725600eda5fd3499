"""The lead graphic: the article's key figures against what was known on its day (article.yaml ``lead``)."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import colours as K
from .. import i18n
from .. import queries as Q
from ..i18n import t
from ..load import Bundle
from ..model import Claim
from .cache import cached_base
from .text import claims_credit, claims_table, known_now_lines, said_when, text_of, value_of, value_text, wrap_parts
from .theme import base_layout, separators
from .view import View

LABEL_CHARS = 44  # a row label's line, at most: 11 px type (under 6 px a character) in the narrowest plot (272 px at 320)
TITLE_CHARS = 40  # a panel title's line: 13 px type (under 6.5 px a character)
LINE_PX = 15  # one line of an 11 px label
RING_PX = 13  # the article's ring, from the dot's centre to its outer edge (22 px wide, 2.5 px line)
TITLE_PX = 22  # a panel title's line, over the panel
AXIS_PX = 26  # a panel's value axis, under it
PANEL_GAP_PX = 16


def build_lead(bundle: Bundle, locale: str, known_on: dt.date | None = None) -> View | None:
    """The article's key figures against what was known on its day (article.yaml ``lead.compare``).

    One panel per compared figure, one line per claim: the article's figure first (ringed), then
    the others, each labelled with its value, date and scope. A panel holds one measure only.
    ``known_on`` (the reader's "known on" day, default now): the later figures are those known by
    then; before the article's day, only what was known by then is drawn.
    """
    lead = bundle.article.lead
    by_id = bundle.claim_by_id
    rows = [
        (by_id[c.claim], [by_id[k] for k in c.known if k in by_id]) for c in (lead.compare if lead else ()) if c.claim in by_id
    ]
    if not rows:
        return None
    on = known_on if known_on is not None and known_on < Q.now(bundle) else None
    if on is not None:
        rows = [(quoted, [k for k in known if k.date <= on]) for quoted, known in rows]
    return cached_base(bundle, locale, ("lead", on), lambda: _lead(bundle, locale, rows, on))[0]


def _lead(bundle: Bundle, locale: str, rows: list[tuple[Claim, list[Claim]]], on: dt.date | None = None) -> View:
    """Each line's name goes above its dot, wrapped to the narrowest phone's width, so the chart
    reads at any width (Streamlit gives the script no viewport width). Lines are placed in pixels:
    a name on two lines takes one line more, not every row's share.

    Under what was known on the article's day, what is known now: each source's latest figure for the
    same measure and scope since the article (queries.known_now), drawn as a diamond."""
    styles = K.claimant_styles(bundle)
    published = bundle.article.published
    later = {
        quoted.id: [c for c in Q.known_now(bundle, quoted, published, on) if c not in known]
        if on is None or on >= published
        else []
        for quoted, known in rows
    }
    titles = [
        wrap_parts(
            [t(locale, f"measure_{quoted.measure}"), t(locale, "lead_panel", who=_article_who(bundle, quoted, locale))],
            TITLE_CHARS,
            " — ",
        )
        for quoted, _ in rows
    ]
    panels = []  # per panel: its claims, their labels, the dots' y (px from the panel's top, downward), its height
    for quoted, known in rows:
        now = later[quoted.id]
        claims = [quoted, *sorted(known, key=lambda c: c.date), *now]
        first_now = len(claims) - len(now)
        labels = []
        for i, c in enumerate(claims):
            said = said_when(bundle, c, locale, short=True)
            if i == 0:  # the article's row: its two days say it
                who = (
                    said[:1].upper() + said[1:]
                    if said != i18n.date(c.date, locale, short=True)
                    else t(locale, "lead_article_line")
                )
                parts = [who] if who != t(locale, "lead_article_line") else [who, said]
            else:
                name = text_of(i18n.field(bundle.claimants[c.claimant], "short", locale))
                parts = [t(locale, "lead_now_line", who=name) if i >= first_now else name, said]
            labels.append(wrap_parts([*parts, t(locale, f"scope_short_{c.scope}")], LABEL_CHARS))
        ys, top = [], 8.0
        for label in labels:
            n = label.count("<br>") + 1
            ys.append(top + n * LINE_PX + 4 + RING_PX)
            top = ys[-1] + RING_PX + 8
        panels.append((quoted, known, claims, first_now, labels, ys, top))
    heights = [p[-1] for p in panels]
    title_px = [TITLE_PX * (1 + ti.count("<br>")) for ti in titles]
    gaps = [title_px[0]] + [AXIS_PX + PANEL_GAP_PX + tp for tp in title_px[1:]]
    top_margin, bottom_margin = 8, AXIS_PX + 8
    height = int(top_margin + bottom_margin + sum(heights) + sum(gaps))
    # each panel's domain in paper units, from the top
    domains, at = [], float(height - top_margin)
    for h, g in zip(heights, gaps):
        at -= g
        domains.append(
            (
                (at - h - bottom_margin) / (height - top_margin - bottom_margin),
                (at - bottom_margin) / (height - top_margin - bottom_margin),
            )
        )
        at -= h
    fig = make_subplots(rows=len(rows), cols=1)
    value = value_of
    lines, table = [], []
    for r, (quoted, known, claims, first_now, labels, ys, panel_h) in enumerate(panels, start=1):
        now = later[quoted.id]
        y_of = [-y for y in ys]
        for i, c in enumerate(claims):
            style = styles.get(c.claimant, K.Style(K.FALLBACK))
            text = f"  <b>{value_text(c, locale)}</b>"
            if i == 0:
                fig.add_trace(
                    go.Scatter(
                        x=[value(c)],
                        y=[y_of[i]],
                        mode="markers",
                        hoverinfo="skip",
                        showlegend=False,
                        marker=dict(size=22, color="rgba(0,0,0,0)", line=dict(width=2.5, color=K.ARTICLE_RING)),
                    ),
                    row=r,
                    col=1,
                )
            fig.add_trace(
                go.Scatter(
                    x=[value(c)],
                    y=[y_of[i]],
                    mode="markers+text",
                    text=[("\u00a0\u00a0" if i == 0 else "") + text],  # clear of the ring
                    textposition="middle right",
                    textfont=dict(size=12, color=K.INK),
                    showlegend=False,
                    customdata=[c.id],
                    marker=dict(
                        size=12,
                        color=style.colour,
                        symbol=style.symbol("diamond" if i >= first_now else "circle"),
                        line=dict(width=1.5, color=style.line),
                    ),
                    hovertext=[
                        f"<b>{text_of(i18n.field(bundle.claimants[c.claimant], 'name', locale))}</b><br>"
                        f"{said_when(bundle, c, locale)}<br>{value_text(c, locale)} · {t(locale, f'scope_short_{c.scope}')}"
                        f"<br>{text_of(c.outlet)}"
                    ],
                    hoverinfo="text",
                ),
                row=r,
                col=1,
            )
            if c.bound == "range":
                fig.add_trace(
                    go.Scatter(
                        x=[c.value_low, c.value_high],
                        y=[y_of[i], y_of[i]],
                        mode="lines",
                        line=dict(color=style.colour, width=3, dash=style.dash),
                        hoverinfo="skip",
                        showlegend=False,
                    ),
                    row=r,
                    col=1,
                )
        top = max(value(c) or 0 for c in claims)
        fig.update_xaxes(range=[0, top * 1.7], gridcolor=K.GRID, tickformat=",d", row=r, col=1, nticks=4)
        fig.update_yaxes(
            range=[-panel_h, 0],
            domain=list(domains[r - 1]),
            tickvals=y_of,
            showticklabels=False,
            zeroline=False,
            fixedrange=True,
            row=r,
            col=1,
        )
        suffix = "" if r == 1 else str(r)
        for y, label in zip(y_of, labels):
            fig.add_annotation(
                text=label,
                x=0,
                xref=f"x{suffix} domain",
                y=y,
                yref=f"y{suffix}",
                yanchor="bottom",
                yshift=RING_PX + 1,
                xanchor="left",
                align="left",
                showarrow=False,
                font=dict(size=11, color=K.MUTED),
            )
        fig.add_annotation(  # the panel's title, left-aligned over it, like a graphics desk's panel heads
            text=titles[r - 1],
            x=0,
            xref="paper",
            y=1,
            yref=f"y{suffix} domain",
            yanchor="bottom",
            yshift=4,
            xanchor="left",
            align="left",
            showarrow=False,
            font=dict(size=13, color=K.INK),
        )
        numbered = [c for c in known if value(c) is not None and value(quoted) is not None]
        hi = max(numbered, key=lambda c: value(c) or 0, default=None)
        lines.append(
            t(
                locale,
                "lead_summary_row",
                measure=t(locale, f"measure_{quoted.measure}"),
                value=value_text(quoted, locale),
                who=_article_who(bundle, quoted, locale),
                date=said_when(bundle, quoted, locale),
                scope=t(locale, f"scope_{quoted.scope}"),
                n=len(known),
                high=value_text(hi, locale) if hi else "–",
                high_who=i18n.field(bundle.claimants[hi.claimant], "name", locale) if hi else "–",
            )
        )
        if now:
            lines.extend(known_now_lines(bundle, quoted, locale, on))
        table.extend(claims)
    fig.update_layout(separators=separators(locale), showlegend=False, hovermode="closest", dragmode=False)
    base_layout(fig, t(locale, "view_lead"), height)
    fig.update_layout(margin=dict(l=8, r=8, t=top_margin, b=bottom_margin))
    return View(fig, " ".join(lines), claims_table(bundle, table, locale), [claims_credit(table, locale)], t(locale, "view_lead"))


def _article_who(bundle: Bundle, claim: Claim, locale: str) -> str:
    """How the article named the source of one of its figures (article.yaml claimant_label)."""
    for ac in bundle.article.claims:
        if claim.id in ac.claim_ids:
            return text_of(i18n.field(ac, "claimant_label", locale))
    return text_of(i18n.field(bundle.claimants[claim.claimant], "short", locale))
