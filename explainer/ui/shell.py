"""The page frame: one router (``st.navigation``) over the views, then page config, data
banner, navigation links, language, and the view.

The views come from one registry, :mod:`explainer.ui.registry`: one file per view in ``pages/``
(its ``render`` function) and a ``nav_<id>`` catalogue key. Each is served at ``/<id>``; the story is also the home page
(``/``), where ``?view=<id>`` names another view (the form embeds and old links use).
The built-in navigation menu is hidden: the links are drawn by :func:`nav`, translated,
carrying the shared state, and absent in embed mode.
"""

from __future__ import annotations

import html
import json
from functools import partial

import streamlit as st

from .. import colours as K
from .. import i18n, paths
from ..load import Bundle
from . import state as S
from .data import bundle_or_stop
from .registry import hidden_views, views
from .session import current_locale, get_state, read_state, sync_params
from .theme import theme_css
from .widgets import language_picker

HOME = "home"  # url_path of the home page, served at "/": every view also has its own /<id>


def page(view: str | None) -> None:
    """Render one view; ``None`` (the home page) renders the view named in ``?view=``."""
    bundle = bundle_or_stop()
    state = read_state(bundle)
    state = state.with_(view=view or state.view)
    st.session_state["_state"] = state
    _page_config(state, bundle)
    sync_params(state, bundle)
    if not state.embed:
        nav(state, bundle)
    views()[state.view](bundle, get_state())


def hidden_page(view: str) -> None:
    """A page no navigation links to (``HIDDEN = True`` in its file): the page frame and the language
    picker, no reader's navigation, no state in the URL beyond its own."""
    bundle = bundle_or_stop()
    state = read_state(bundle)
    st.session_state["_state"] = state
    _page_config(state, bundle, title=view)
    language_picker(state)
    hidden_views()[view](bundle, get_state())


def _page_config(state: S.State, bundle: Bundle, title: str | None = None) -> None:
    # A local file icon: an emoji or :material: icon would fetch a favicon from a CDN.
    tr = i18n.bind(state.lang)
    st.set_page_config(
        page_title=f"{tr(f'nav_{title or state.view}')} · {tr('app_title')}",
        page_icon=str(paths.ICON),
        layout="wide",
    )
    # Captions carry sources and text alternatives: darker than Streamlit's default (60 % opacity grey)
    # (about 4:1 on white) to reach WCAG AA contrast (colours.CAPTION on white is 8.9:1).
    # st.html, not st.markdown: markdown would read the CSS's "*" as emphasis
    st.html(
        f"<style>[data-testid='stCaptionContainer']{{color:{K.CAPTION};opacity:1}}"
        # one heading scale: h1 fits a phone in two lines, h2 sections, h3 inside cards
        "h1{font-size:clamp(1.7rem,4.2vw,2.5rem)!important;line-height:1.15!important}"
        "h2{font-size:clamp(1.3rem,3vw,1.7rem)!important}"
        "p.lead{font-size:1.15rem;line-height:1.5;max-width:46rem}"
        "p.quote{font-size:1.12rem;line-height:1.45;font-family:Georgia,'Times New Roman',serif;margin:0}"
        # focus always visible; the current page's link readable (it is a disabled link)
        "a:focus-visible,button:focus-visible,[role=radio]:focus-visible,input:focus-visible,"
        f"summary:focus-visible{{outline:3px solid {K.FOCUS}!important;outline-offset:2px}}"
        f".st-key-nav a[disabled],.st-key-nav a[disabled] *{{color:{K.INK}!important;opacity:1!important}}"
        ".st-key-nav a[disabled] p{font-weight:650;text-decoration:underline;text-underline-offset:4px}"
        # the story's steps and the article's day under the date slider (widgets.date_marks_html)
        ".date-marks{padding:0 6px;margin-top:-0.25rem}"
        ".date-marks-track{position:relative;height:14px}"
        ".date-marks .mark{position:absolute;top:0;transform:translateX(-50%)}"
        f".mark-step{{width:2px;height:8px;background:{K.EVENT}}}"
        f".mark-article{{width:3px;height:14px;background:{K.INK}}}"
        f".date-marks-legend{{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:0.8rem;color:{K.CAPTION};margin-top:2px}}"
        ".date-marks-legend .swatch{display:inline-block;vertical-align:-1px;margin-right:5px}"
        f"{theme_css(state)}"
        "</style>"
    )
    lead = bundle.article.lead
    _document(state, tr.field(lead, "intro") if lead else tr("app_title"))


def _js(value: object) -> str:
    """A value as a JavaScript literal that no HTML parser or sanitiser reads as markup."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _document(state: S.State, description: str) -> None:
    """What Streamlit leaves to the page: <html lang> follows the reader's language (so a screen
    reader speaks French in French), the current view's link says so (aria-current), and the
    story step and the map's snapshot line are announced when they change (aria-live), the
    story's Prev/Next keep the keyboard focus at the ends of the story, and the page has a meta
    description (the editors' intro) for search engines and link previews.

    Streamlit passes the script through DOMPurify, which drops a script whose text holds "<" before
    a letter, "/" or "!": no HTML tag names in the script, not even in its comments."""
    lang, embed = _js(state.lang), _js(state.embed)
    # data text stays out of the script: the description travels in an attribute the script reads
    about = html.escape(description, quote=True)
    st.html(
        f"""<div hidden data-explainer-about="{about}"></div><script>(function(){{
  const w = window, d = document;  // st.html runs its scripts in the app's own document
  d.documentElement.lang = {lang};
  let meta = d.head.querySelector('meta[name=description]');
  if (!meta) {{ meta = d.createElement('meta'); meta.name = 'description'; d.head.appendChild(meta); }}
  const about = d.querySelector('[data-explainer-about]');
  if (about) meta.content = about.getAttribute('data-explainer-about');
  const mark = () => {{
    d.querySelectorAll('.st-key-nav a').forEach(a => a.hasAttribute('disabled')
      ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current'));
    d.querySelectorAll('.st-key-story-step, .st-key-snapshot-line').forEach(e => e.setAttribute('aria-live', 'polite'));
  }};
  // Prev/Next at the ends of the story: the pressed button becomes disabled, and a disabled button
  // drops the keyboard focus (to the document body). The focus moves to the other step button instead (or, for
  // a one-step story, to the step's text), so the reader stays in the story.
  const keepStoryFocus = () => {{
    const from = w.__explainerStoryKey;
    if (!from || (d.activeElement && d.activeElement !== d.body && !d.activeElement.disabled)) return;
    const pressed = d.querySelector('.st-key-' + from + ' button');
    if (!pressed || !pressed.disabled) return;
    const other = d.querySelector('.st-key-' + (from === 'story_next' ? 'story_prev' : 'story_next') + ' button');
    const box = d.querySelector('.st-key-story-step');
    const to = other && !other.disabled ? other : box;
    if (!to) return;
    if (to === box) box.setAttribute('tabindex', '-1');
    to.focus();
    w.__explainerStoryKey = to === other ? (from === 'story_next' ? 'story_prev' : 'story_next') : null;
  }};
  mark();
  if (!w.__explainerMarks) {{  // once per page load: reruns replace the nodes, the observer re-marks them
    w.__explainerMarks = new MutationObserver(() => {{ mark(); keepStoryFocus(); }});
    w.__explainerMarks.observe(d.body, {{subtree: true, childList: true, attributes: true, attributeFilter: ['disabled']}});
    // which story button the reader last used; anything else focused or pressed forgets it
    const story = e => {{ const k = e.target.closest && e.target.closest('.st-key-story_prev, .st-key-story_next');
      w.__explainerStoryKey = k ? (k.classList.contains('st-key-story_next') ? 'story_next' : 'story_prev') : null; }};
    d.addEventListener('focusin', story, true);
    d.addEventListener('pointerdown', story, true);
  }}
  // A live embed (?embed=true) tells the page around it how tall its content is, in the static
  // embeds' message ({{type: "kursk-embed-height", height, id}}): the share panel's snippet (the
  // export's host.js) sizes the iframe to it, so nothing is cut and nothing scrolls inside.
  if ({embed} && w.parent !== w && !w.__explainerHeight) {{
    let last = -1, watched = null;
    const post = () => {{
      const c = d.querySelector('[data-testid=stMainBlockContainer]');
      if (!c) return;
      if (c !== watched) {{ watched = c; w.__explainerHeight.observe(c); }}
      const h = Math.ceil(c.getBoundingClientRect().bottom + w.scrollY);
      if (h === last) return;
      last = h;
      w.parent.postMessage({{type: 'kursk-embed-height', height: h, id: location.pathname + location.search}}, '*');
    }};
    w.__explainerHeight = new ResizeObserver(post);
    new MutationObserver(post).observe(d.body, {{subtree: true, childList: true}});
    post();
  }}
}})();</script>""",
        unsafe_allow_javascript=True,
        width="content",
    )


def pages() -> dict[str, st.Page]:
    """One st.Page per view, plus the home page; built once per script run."""
    tr = i18n.bind(current_locale())
    out = {HOME: st.Page(partial(page, None), title=tr("nav_story"), url_path=HOME, default=True)}
    for v in views():
        out[v] = st.Page(
            partial(page, v),
            title=tr(f"nav_{v}"),
            url_path=v,
            visibility="hidden" if v == "story" else "visible",
        )
    for v in hidden_views():  # served at /<id>, never linked
        out[v] = st.Page(partial(hidden_page, v), title=tr(f"nav_{v}"), url_path=v, visibility="hidden")
    return out


def main() -> None:
    """The app's entry point (``app.py``): route the URL to its page and run it."""
    registry = pages()
    st.session_state["_pages"] = registry
    st.navigation(list(registry.values()), position="hidden").run()


def nav(state: S.State, bundle: Bundle) -> None:
    tr = i18n.bind(state.lang)
    registry: dict[str, st.Page] = st.session_state.get("_pages") or {}
    cols = st.columns([5, 2], vertical_alignment="center")
    with cols[0], st.container(horizontal=True, key="nav"):
        for v in views():
            params = S.encode(state.with_(view=v), bundle)
            params.pop("view", None)
            target = registry.get(HOME if v == "story" else v)
            if target is None:
                continue
            st.page_link(target, label=tr(f"nav_{v}"), query_params=params, disabled=(v == state.view))
    with cols[1]:
        language_picker(state)
