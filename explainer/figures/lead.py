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
from .text import claims_credit, claims_table, known_now_lines, said_when, text_of, value_of, value_text
from .theme import base_layout, separators
from .view import View


def build_lead(bundle: Bundle, locale: str, compact: bool = True, known_on: dt.date | None = None) -> View | None:
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
    return cached_base(bundle, locale, ("lead", compact, on), lambda: _lead(bundle, locale, rows, compact, on))[0]


def _lead(
    bundle: Bundle, locale: str, rows: list[tuple[Claim, list[Claim]]], compact: bool = False, on: dt.date | None = None
) -> View:
    """``compact`` (the default): each line's name goes above its dot, so the chart reads at any
    width (Streamlit gives the script no viewport width); otherwise in a left margin.

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
    sizes = [1 + len(known) + len(later[quoted.id]) for quoted, known in rows]
    titles = [
        f"{t(locale, f'measure_{quoted.measure}')} — {t(locale, 'lead_panel', who=_article_who(bundle, quoted, locale))}"
        for quoted, _ in rows
    ]
    line = 52 if compact else 34
    height = 80 * len(rows) + line * sum(sizes)
    fig = make_subplots(rows=len(rows), cols=1, row_heights=sizes, vertical_spacing=66 / height, subplot_titles=titles)
    value = value_of
    lines, table = [], []
    for r, (quoted, known) in enumerate(rows, start=1):
        now = later[quoted.id]
        claims = [quoted, *sorted(known, key=lambda c: c.date), *now]
        first_now = len(claims) - len(now)
        labels = [t(locale, "lead_article_line")] + [
            (lambda who: t(locale, "lead_now_line", who=who) if i >= first_now else who)(
                text_of(i18n.field(bundle.claimants[c.claimant], "short", locale))
            )
            for i, c in enumerate(claims[1:], start=1)
        ]
        # distinct y labels even when one claimant speaks twice: add the date
        ys = [f"{lab} · {said_when(bundle, c, locale, short=True)}" for lab, c in zip(labels, claims)]
        for i, c in enumerate(claims):
            style = styles.get(c.claimant, K.Style(K.FALLBACK))
            text = f"  <b>{value_text(c, locale)}</b>" + ("" if compact else f" · {t(locale, f'scope_short_{c.scope}')}")
            if i == 0:
                fig.add_trace(
                    go.Scatter(
                        x=[value(c)],
                        y=[ys[i]],
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
                    y=[ys[i]],
                    mode="markers+text",
                    text=[text],
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
                        y=[ys[i], ys[i]],
                        mode="lines",
                        line=dict(color=style.colour, width=3, dash=style.dash),
                        hoverinfo="skip",
                        showlegend=False,
                    ),
                    row=r,
                    col=1,
                )
        top = max(value(c) or 0 for c in claims)
        fig.update_xaxes(
            range=[0, top * (1.7 if compact else 1.45)],
            gridcolor=K.GRID,
            tickformat=",d",
            row=r,
            col=1,
            nticks=4 if compact else None,
        )
        fig.update_yaxes(
            categoryorder="array",
            categoryarray=list(reversed(ys)),
            automargin=True,
            row=r,
            col=1,
            tickfont=dict(size=12),
            showticklabels=not compact,
        )
        if compact:
            suffix = "" if r == 1 else str(r)
            for y, c in zip(ys, claims):
                said = said_when(bundle, c, locale, short=True)  # the article's row: its two days say it
                label = said[:1].upper() + said[1:] if c is claims[0] and said != i18n.date(c.date, locale, short=True) else y
                fig.add_annotation(
                    text=f"{label} · {t(locale, f'scope_short_{c.scope}')}",
                    x=0,
                    xref=f"x{suffix} domain",
                    y=y,
                    yref=f"y{suffix}",
                    yshift=15,
                    xanchor="left",
                    showarrow=False,
                    font=dict(size=11, color=K.MUTED),
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
    fig.update_layout(margin=dict(l=8, r=8, t=28, b=8))
    for ann in fig.layout.annotations:  # subplot titles: left-aligned, like a graphics desk's panel heads
        ann.update(x=0, xanchor="left", font=dict(size=13, color=K.INK))
    return View(fig, " ".join(lines), claims_table(bundle, table, locale), [claims_credit(table, locale)], t(locale, "view_lead"))


def _article_who(bundle: Bundle, claim: Claim, locale: str) -> str:
    """How the article named the source of one of its figures (article.yaml claimant_label)."""
    for ac in bundle.article.claims:
        if claim.id in ac.claim_ids:
            return text_of(i18n.field(ac, "claimant_label", locale))
    return text_of(i18n.field(bundle.claimants[claim.claimant], "short", locale))
