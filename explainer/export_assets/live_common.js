/* What the live app's components share (live_map.js, live_timeline.js): each component's module starts
   with this file (explainer/ui/live_map.py, module_js), so each module has its own copy of these names
   and the page has one plotly.js (the load's promise is on window). */
const instances = new WeakMap();  // the instance drawn in each component element
const LOADING = "__kurskPlotly";  // the one load of plotly.js, on window: every component's module sees it
// what the reader does on heading for a control (the pointer over it, the focus on it, the press), and
// the controls it counts for: the state is reported to the server before that control's run
const EARLY = ["pointerover", "focusin", "pointerdown", "keydown", "click"];
const INTERACTIVE = "a, button, summary, input, select, textarea, label, [role=radio], [role=button], [role=option], [role=tab], [role=combobox], [role=switch], [role=checkbox]";

function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window[LOADING]) {
    window[LOADING] = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.addEventListener("load", () => resolve(window.Plotly));
      s.addEventListener("error", () => { window[LOADING] = null; reject(new Error("plotly.js did not load: " + src)); });
      document.head.appendChild(s);
    });
  }
  return window[LOADING];
}

// The large parts of a component's data (figures, the timeline's cards) are static files named by their
// content (live_map.py: json_url): a run sends their names, not their bytes. Each instance fetches a name
// once; a failed fetch is tried again the next time it is asked for.
function fetcher() {
  const got = new Map();
  return (url) => {
    if (!got.has(url)) {
      const job = fetch(url).then((r) => {
        if (!r.ok) throw new Error(r.status + " " + url);
        return r.json();
      });
      got.set(url, job);
      job.catch(() => got.delete(url));
    }
    return got.get(url);
  };
}

// One instance per component element and data key: another key (data version, locale, layers, size)
// starts afresh, the same key takes the new data. Returns the component's unmount function.
function keyed(el, data, make) {
  let inst = instances.get(el);
  if (inst && inst.key !== data.key) {
    inst.destroy();
    inst = null;
  }
  if (!inst) {
    inst = make();
    instances.set(el, inst);
  } else {
    inst.update(data);
  }
  const mine = inst;
  return () => {
    mine.destroy();
    if (instances.get(el) === mine) instances.delete(el);
  };
}

// ---- The server learns a component's state (the map's date; the timeline's date and filter) only when it
// needs it: as the reader heads for anything else in the app that can be pressed (the pointer over it, the
// focus on it, at the latest the press), so the run that press causes has it. A page link pressed while
// the app has not run with the reported state would be lost (Streamlit drops a page change asked for
// during a run): it is held, then pressed once the app has run with that state.
let held = null;  // {state, link, text}

// The held page link goes on once the app has run with ``state`` (its run over); found again by its text
// if the app drew the links anew meanwhile.
function followHeld(state) {
  if (!held || held.state !== state) return;
  const what = held;
  held = null;
  const app = () => document.querySelector("[data-testid=stApp]");
  const idle = () => { const a = app(); return !a || a.getAttribute("data-test-script-state") !== "running"; };
  const go = () => {
    const link = what.link.isConnected ? what.link
      : [...document.querySelectorAll("a[data-testid=stPageLink-NavLink]")].find((a) => a.textContent === what.text);
    if (link) link.click();
  };
  if (idle()) { go(); return; }
  const watch = new MutationObserver(() => {
    if (!idle()) return;
    watch.disconnect();
    go();
  });
  watch.observe(app(), {attributes: true, attributeFilter: ["data-test-script-state"]});
}

// Reports the component's state (o.sync) as the reader heads for a control of the app outside ``el``
// when o.unsynced(), and holds a page link pressed before the app has run with it (o.pending(): the
// state reported and not yet run with, or null). Returns the function that stops listening.
function reportEarly(el, o) {
  function early(e) {
    if (!o.alive()) return;
    const target = e.target instanceof Element ? e.target.closest(INTERACTIVE) : null;
    if (!target || el.contains(target) || !target.closest("[data-testid=stApp]")) return;
    if (e.type === "click") {
      const link = target.closest("a[data-testid=stPageLink-NavLink]");
      if (link && (o.pending() !== null || o.unsynced())) {
        e.preventDefault();
        e.stopImmediatePropagation();
        if (o.pending() === null) o.sync();
        held = {state: o.pending(), link: link, text: link.textContent};
      }
      return;
    }
    if (e.type === "keydown" && e.key !== "Enter" && e.key !== " ") return;
    if (o.unsynced()) {
      o.sync();
      if (held) held.state = o.pending();  // the held link waits for the newest report
    }
  }
  EARLY.forEach((type) => document.addEventListener(type, early, true));
  return () => EARLY.forEach((type) => document.removeEventListener(type, early, true));
}
