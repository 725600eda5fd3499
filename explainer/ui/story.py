"""The story's steps (pages/story.py, and the static story page, export/article.py): which graphic tells
each step, what it marks, and the frame the live page shows them in.

A step names its graphic in data/story.csv (``graphic``); left blank, it is chosen from what the step
is about: the casualty chart when one of the events it cites carries a casualty figure, else the map.
The casualty chart of a step shows the step's own measures and sources, so it fits a screen beside or
under the step's text.

Nothing here calls Streamlit: the page and the export share it.
"""

from __future__ import annotations

import html

from .. import i18n
from ..i18n import Bound
from ..load import Bundle
from ..model import CASUALTY_MEASURES, Claim, Event, StoryStep
from .text import html_text

MAP, CASUALTIES = "map", "casualties"


def step_events(bundle: Bundle, step: StoryStep) -> list[Event]:
    return [e for e in bundle.events if e.id in step.event_ids]


def step_places(bundle: Bundle, step: StoryStep) -> tuple[str, ...]:
    """The places ringed on the step's map."""
    return tuple(dict.fromkeys(e.place for e in step_events(bundle, step) if e.place))


def step_claims(bundle: Bundle, step: StoryStep) -> tuple[str, ...]:
    """The claims the step's events cite: marked on its casualty chart."""
    return tuple(dict.fromkeys(c for e in step_events(bundle, step) for c in e.claims))


def _casualty_figures(bundle: Bundle, step: StoryStep) -> list[Claim]:
    """The step's claims that the casualty chart draws (a casualty measure, with a number)."""
    found = (bundle.claim_by_id.get(c) for c in step_claims(bundle, step))
    return [c for c in found if c is not None and c.measure in CASUALTY_MEASURES and c.has_number]


def step_graphic(bundle: Bundle, step: StoryStep) -> str:
    """The graphic that tells the step: the one it names, else the casualty chart for a step citing a
    casualty figure, else the map."""
    if step.graphic:
        return step.graphic
    return CASUALTIES if _casualty_figures(bundle, step) else MAP


def casualty_focus(bundle: Bundle, step: StoryStep) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(claimants, measures) the step's casualty chart keeps: those of the step's casualty figures, in
    the chart's order of measures; none (the whole chart) for a step that cites none."""
    found = _casualty_figures(bundle, step)
    claimants = tuple(dict.fromkeys(c.claimant for c in found))
    measures = tuple(m for m in CASUALTY_MEASURES if any(c.measure == m for c in found))
    return claimants, measures


def _text(text: str) -> str:
    """Data text as an HTML text node: escaped, its apostrophes and quotes kept as typed, one line."""
    return html.escape(text, quote=False).replace("\n", " ")


def card_html(step: StoryStep, tr: Bound, links: list[tuple[str, str]], folded: bool) -> str:
    """One step's text as HTML: its day and title, its text whole, and the events that source it with
    their links (``links``: (event title, url)); ``folded`` (a phone): the sources under a "Sources" toggle,
    so the text and the graphic share the screen."""
    head = f"<p class='step-title'><strong>{_text(tr.date(step.date))} — {_text(tr.field(step, 'title'))}</strong></p>"
    body = f"<p class='step-body'>{_text(tr.field(step, 'text'))}</p>"
    items = "".join(
        f"<li>{_text(title)} — <a href='{html_text(url)}' target='_blank' rel='noopener'>"
        f"{_text(tr('claim_card_sources'))}</a></li>"
        for title, url in links
    )
    if not items:
        return head + body
    if folded:
        summary = _text(i18n.count(tr.locale, "count_step_sources", len(links)))
        return head + body + f"<details class='step-events'><summary>{summary}</summary><ul>{items}</ul></details>"
    return head + body + f"<ul class='step-events'>{items}</ul>"


def stack_html(cards: list[str], current: int) -> str:
    """Every step's text in one grid cell, only the current one shown: the box is as tall as the longest
    step at any width, so the frame keeps its size from step to step. The others are hidden from
    sight and from screen readers (visibility), the current one first in the document."""
    order = [current, *(j for j in range(len(cards)) if j != current)]
    shown, hidden = "<div class='story-card now'>", "<div class='story-card' aria-hidden='true'>"
    parts = [f"{shown if j == current else hidden}{cards[j]}</div>" for j in order]
    return "<div class='story-stack'>" + "".join(parts) + "</div>"


def frame_css(graphic_px: int, phone: bool) -> str:
    """The frame's style: the text stack, and the graphic box as tall as the tallest step graphic."""
    return (
        "<style>"
        ".story-stack{display:grid}"
        ".story-stack>.story-card{grid-area:1/1;min-width:0}"
        ".story-stack>.story-card:not(.now){visibility:hidden}"
        ".story-card p{margin:0 0 0.5rem 0}"
        ".story-card ul.step-events,.story-card details ul{margin:0;padding-left:1.1rem;font-size:0.85rem}"
        ".story-card details summary{cursor:pointer;font-size:0.9rem}"
        + (
            ".story-card p.step-body{font-size:0.9rem;line-height:1.4}.story-card p.step-title{font-size:0.95rem}"
            if phone
            else ""
        )
        + ".st-key-story-bar{scroll-margin-top:8px}"
        ".story-count{display:inline-block;text-align:center;font-variant-numeric:tabular-nums}"
        f".st-key-story-graphic{{min-height:{graphic_px}px}}"
        "</style>"
    )


# After Prev or Next, once the run is over: when the step's text or the top half of its graphic is off
# screen, the frame's bar is brought to the top of the window; when they are on screen nothing moves, so
# the buttons stay under the reader's finger. Once per page load (reruns re-run st.html's script).
# No "<" before a letter, "/" or "!" (Streamlit's sanitiser would drop the script).
FRAME_JS = """<script>(function(){
  const w = window, d = document;
  if (w.__explainerStoryFrame) return;
  w.__explainerStoryFrame = true;
  // after Next or Previous: wait until the step in the URL has changed and the run is over (polled: a
  // quick run may never show as a change of the run state), then place the frame
  const after = (from, left) => {
    const app = d.querySelector('[data-testid=stApp]');
    const done = app && app.getAttribute('data-test-script-state') === 'notRunning' && w.location.search !== from;
    if (done || left <= 0) { settle(600, null, 0); return; }
    w.requestAnimationFrame(() => after(from, left - 1));
  };
  d.addEventListener('click', e => {
    if (e.target.closest && e.target.closest('.st-key-story_next, .st-key-story_prev')) {
      d.documentElement.dataset.storyFrame = 'moving';  // 'settled' once the frame is placed (tests wait for it)
      after(w.location.search, 1800);
    }
  }, true);
  // the decision waits for the frame to settle: the step's chart drawn, the bar still for a few frames
  const settle = (left, last, still) => {
    const bar = d.querySelector('.st-key-story-bar'), text = d.querySelector('.st-key-story-step');
    const plot = d.querySelector('.st-key-story-graphic .js-plotly-plot');
    const at = bar ? bar.getBoundingClientRect().top : null;
    still = at !== null && at === last ? still + 1 : 0;
    if (left > 0 && (!plot || !plot.querySelector('.main-svg') || still < 3)) {
      w.requestAnimationFrame(() => settle(left - 1, at, still));
      return;
    }
    d.documentElement.dataset.storyFrame = 'settled';
    if (!bar || !text) return;
    const vh = w.innerHeight, b = bar.getBoundingClientRect(), t = text.getBoundingClientRect();
    const g = (plot || d.querySelector('.st-key-story-graphic') || text).getBoundingClientRect();
    const seen = Math.min(g.bottom, vh) - Math.max(g.top, 0);
    if (b.top >= 0 && t.bottom <= vh && seen >= Math.min(g.height, vh) / 2) return;
    bar.scrollIntoView({block: 'start'});
  };
})();</script>"""
