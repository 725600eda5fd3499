"""Widgets bound to the shared state: the language picker, buttons that survive a reconnect, and
the date bar (slider, week steps, play)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from .. import i18n
from ..i18n import LOCALES
from ..load import Bundle
from ..queries import span
from . import state as S
from .session import set_from, set_state
from .text import html_text

WEEK = 7  # days moved by the week buttons and by each frame of the animation


def language_picker(state: S.State) -> None:
    key = "w_lang"

    def changed() -> None:  # .get: a run interrupted by another one may not have this widget's value
        set_state(lang=st.session_state.get(key) or state.lang)

    if st.session_state.get(key) != state.lang:
        st.session_state[key] = state.lang
    st.segmented_control(
        i18n.t(state.lang, "language"),
        options=list(LOCALES),
        key=key,
        format_func=lambda v: i18n.t(v, f"locale_{v}"),
        label_visibility="collapsed",
        on_change=changed,
    )


def bound_widget(key: str, value: Any) -> None:
    """Before a keyed widget is drawn, align its value with the shared state."""
    if st.session_state.get(key) != value:
        st.session_state[key] = value


def action_button(
    where: DeltaGenerator, label: str, key: str, action: Callable[..., Any], *args: Any, width: Any = "stretch", **kw: Any
) -> None:
    """A button that runs ``action(*args)`` before the next run (an on_click callback, so what it
    changes is drawn at once), and also when the callback is missing: after a server restart the
    reconnected page's first click reaches a new session that has not registered any callback yet,
    but the button still reports the click. Then the action runs here and the page is redrawn."""
    done = f"_done_{key}"

    def run() -> None:
        action(*args)
        st.session_state[done] = True

    if where.button(label, key=key, on_click=run, width=width, **kw) and not st.session_state.pop(done, False):
        action(*args)
        st.rerun()


def date_controls(bundle: Bundle, state: S.State, key: str = "date") -> dt.date | None:
    """Slider over every day of the data (with or without a map snapshot), week steps, play."""
    tr = i18n.bind(state.lang)
    lo, hi = span(bundle)
    if lo == hi or state.date is None:
        return state.date
    wkey = f"w_{key}"
    bound_widget(wkey, min(max(state.date, lo), hi))
    day = state.date

    # One compact bar: the slider, then the buttons in a row that stays a row on a phone.
    left, right = st.columns([5, 3], vertical_alignment="bottom")
    # a select slider over the days, so that its value reads as every other date of the page
    # ("4 février 2025"); the plain slider's moment.js format has no French month names
    left.select_slider(
        tr("date"),
        options=[lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)],
        key=wkey,
        format_func=tr.date,
        on_change=set_from(wkey, "date", lambda d: d),
    )
    left.html(date_marks_html(bundle, tr))
    bar = right.container(horizontal=True, key=f"{key}_bar")

    def shift(days: int) -> None:
        set_state(date=min(max(day + dt.timedelta(days=days), lo), hi))
        st.session_state["playing"] = False

    playing = bool(st.session_state.get("playing", False))
    action_button(bar, tr("step_back"), f"{key}_back", shift, -WEEK)
    action_button(bar, tr("pause" if playing else "play"), f"{key}_play", lambda: st.session_state.update(playing=not playing))
    action_button(bar, tr("step_forward"), f"{key}_fwd", shift, WEEK)
    return state.date


def date_marks(bundle: Bundle) -> list[tuple[str, dt.date, float, Any]]:
    """Where the story's steps and the article's day sit on the date slider: ``(kind, day, share of
    the span, record)``, kind ``"step"`` (record: the step) or ``"article"`` (record: the article)."""
    lo, hi = span(bundle)
    width = max((hi - lo).days, 1)

    def at(d: dt.date) -> float:
        return min(max((d - lo).days / width, 0.0), 1.0)

    marks: list[tuple[str, dt.date, float, Any]] = [("step", s.date, at(s.date), s) for s in bundle.story]
    return [*marks, ("article", bundle.article.published, at(bundle.article.published), bundle.article)]


def date_marks_html(bundle: Bundle, tr: i18n.Bound) -> str:
    """Tick marks under the slider's track (same insets: the thumb's centre runs from 6 px to
    width - 6 px), then a legend that wraps like text, so nothing collides at any width."""
    ticks = []
    for kind, day, share, rec in date_marks(bundle):
        tip = tr("date_mark_step", i=rec.step, title=tr.field(rec, "title"), date=tr.date(day)) if kind == "step" else ""
        title = f' title="{html_text(tip)}"' if tip else ""
        ticks.append(f'<span class="mark mark-{kind}" style="left:{share * 100:.2f}%"{title}></span>')
    article = tr("date_marks_article", date=tr.date(bundle.article.published))
    return (
        f'<div class="date-marks" aria-hidden="true"><div class="date-marks-track">{"".join(ticks)}</div>'
        f'<div class="date-marks-legend"><span><span class="swatch mark-step"></span>{html_text(tr("date_marks_steps"))}</span>'
        f'<span><span class="swatch mark-article"></span>{html_text(article)}</span></div></div>'
    )


def advance_if_playing(bundle: Bundle, state: S.State, scope: Literal["app", "fragment"] = "app") -> None:
    """Called last on the page (or its fragment): one frame of the animation, then a rerun."""
    if not st.session_state.get("playing"):
        return
    _, hi = span(bundle)
    if state.date is None or state.date >= hi:
        st.session_state["playing"] = False
        return
    import time

    time.sleep(0.6)
    set_state(date=min(state.date + dt.timedelta(days=WEEK), hi))
    st.rerun(scope=scope)
