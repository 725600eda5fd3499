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
