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
