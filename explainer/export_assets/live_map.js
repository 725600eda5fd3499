/* The live app's map explorer (explainer/ui/live_map.py): a Streamlit component (v2) whose module is
   embed.js (above: window.KurskExplorer) followed by this part. It fills the component's element with
   the date bar, the map and its texts, and runs the static explorer on it: a date move fetches one
   per-date file and redraws, without a server round trip.
   - paint first: the map's pre-rendered SVG (when the server has one) shows until plotly.js has drawn;
   - the date is kept in the URL's query string (?date=, history.replaceState), where the app reads it;
   - the server learns the moved date only when it needs it: as the reader heads for anything else
     in the app that can be pressed (a link, a button, the language: the pointer over it, the focus on
     it, at the latest the press), the date is reported (setStateValue), so the run that press causes,
     and every other view, has the moved date; a page link pressed meanwhile waits for that run. The
     element says whether the app has the date shown (data-synced).
   The same module draws the map page's area chart (data.kind "chart", a second component in live_map.py)
   with the page's one plotly.js; the map announces each date it draws ("kursk-live-date") and the chart's
   selected-date line and legend follow.
   Every text comes from the component's data and is set as text (textContent), never as markup. */
const DATE_EVENT = "kursk-live-date";  // the map has drawn a date: {detail: {date}} (the area chart's date line follows)

// The page's map, while its pre-rendered picture loads: another chart on the page asks for plotly.js
// only once the map has painted (or could not), so the reader sees the map first.
const PAINTED = "__kurskMapPainted";
const MAP_WAIT_MS = 5000;  // at most: a map whose script failed does not hold the chart back for good

// Resolves once the page's map has painted; at once on a page without a map. The map's module (with
// embed.js) can load after the chart's: its element is there before its script has run.
function mapPainted() {
  if (window[PAINTED]) return window[PAINTED];
  if (!document.querySelector(".st-key-map_explorer")) return Promise.resolve();
  return new Promise((resolve) => {
    const until = Date.now() + MAP_WAIT_MS;
    const poll = () => {
      if (window[PAINTED]) window[PAINTED].then(resolve);
      else if (!document.querySelector(".st-key-map_explorer") || Date.now() > until) resolve();
      else requestAnimationFrame(poll);
    };
    poll();
  });
}

function mount(el, first, report) {
  const $ = (sel) => el.querySelector(sel);
  // a fresh set of controls: an explorer drawn here before (another language, other layers) keeps none of its listeners
  ["#date-back", "#date-play", "#date-fwd", "#date-slider"].forEach((id) => { const n = $(id); n.replaceWith(n.cloneNode(true)); });
  const box = $("#chart-box");
  let data = first;
  let server = data.date;   // the date the app last ran with
  let moved = false;        // the reader has moved the date here since
  let pending = null;       // the date reported, until the app has run with it
  let explorer = null;
  let alive = true;
  const T = data.text;

  // ---- the texts and the date marks (all set as text)
  $("#date-back").textContent = T.back;
  $("#date-fwd").textContent = T.fwd;
  const play = $("#date-play");
  play.textContent = T.play;
  play.setAttribute("data-play", T.play);
  play.setAttribute("data-pause", T.pause);
  $("#controls").setAttribute("aria-label", T.controls);
  $(".date-name").textContent = T.date;
  const slider = $("#date-slider");
  const cfg = data.dated;
  slider.max = String(cfg.dates.length - 1);
  slider.value = String(cfg.index);
  const dayText = data.day || cfg.labels[cfg.index];  // the map's own day (before the first snapshot), else the snapshot's
  slider.setAttribute("aria-valuetext", dayText);
  $("#date-label").textContent = dayText;
  const track = $(".date-marks-track");
  track.replaceChildren();
  data.marks.forEach((m) => {
    const tick = document.createElement("span");
    tick.className = "mark mark-" + m.kind;
    tick.style.left = (m.share * 100).toFixed(2) + "%";
    if (m.title) tick.title = m.title;
    track.appendChild(tick);
  });
  $(".legend-steps").textContent = T.steps;
  $(".legend-article").textContent = T.article;
  const line = $(".snapshot-line strong");
  line.textContent = data.snapshot;
  line.parentNode.classList.toggle("warn", !!data.warn);  // no snapshot covers the app's date
  $("#summary").textContent = data.summary;
  box.setAttribute("aria-label", T.chart);
  box.style.height = data.height + "px";
  // paint first: the pre-rendered map, then plotly.js (1.4 MB) once it shows (or failed to)
  const img = $(".chart-static img");
  const painted = new Promise((resolve) => {
    if (!data.svg || box.getAttribute("data-state") !== "loading") { resolve(); return; }
    img.addEventListener("load", () => {
      if (box.getAttribute("data-state") === "loading") box.setAttribute("data-state", "svg");
      resolve();
    }, {once: true});
    img.addEventListener("error", () => resolve(), {once: true});
    img.src = data.svg;
  });
  window[PAINTED] = painted;

  // ---- the date in the URL, and in the app's page links (opened in a new tab, copied)
  function writeDate(iso) {
    if (explorer) mark();
    const url = new URL(window.location.href);
    if (url.searchParams.get("date") !== iso) {
      url.searchParams.set("date", iso);
      window.history.replaceState(window.history.state, "", url);
    }
    document.querySelectorAll("a[data-testid=stPageLink-NavLink]").forEach((a) => {
      const href = a.getAttribute("href") || "";
      const next = href.replace(/([?&]date=)[^&#]*/, "$1" + iso);
      if (next !== href) a.setAttribute("href", next);
    });
  }

  // ---- the server learns the date before anything else reruns the app: as the reader heads for
  // something else to press (pointer over it, focus on it), at the latest as the press starts. The app
  // applies the reported date even when the press's own run carries the older URL (explainer/ui/session.py).
  function unsynced() {
    return moved && explorer && explorer.current() !== null && explorer.current() !== server && explorer.current() !== pending;
  }

  function sync() {
    if (!explorer || explorer.current() === null) return;
    pending = explorer.current();
    report(pending);
  }

  const root = $(".kursk-live-map");
  function mark() {  // whether the app has the date shown
    const shown = explorer ? explorer.current() : null;
    root.setAttribute("data-synced", shown === null || shown === server ? "true" : "false");
  }

  const stopEarly = reportEarly(el, {alive: () => alive, unsynced: unsynced, sync: sync, pending: () => pending});

  const figure = fetcher()(data.fig);  // fetched while the picture paints
  painted.then(() => Promise.all([loadPlotly(data.plotly), figure])).then(([Plotly, fig]) => {
    if (!alive) return;
    explorer = window.KurskExplorer.explorer({
      root: el,
      fig: Object.assign(fig, {config: data.config}),
      dated: data.dated,
      files: data.files,
      Plotly: Plotly,
      readDate: () => null,  // the app's date (cfg.index) is where the map opens
      writeDate: writeDate,
      onMove: () => { moved = true; },
      onShown: (i) => {
        const own = (cfg.sources || {})[String(i)];  // a snapshot with its own source (added at the desk)
        line.textContent = own ? T.snapshot_of.replace("\u0001", own).replace("\u0000", cfg.labels[i])
          : T.snapshot[0] + cfg.labels[i] + T.snapshot[1];
        line.parentNode.classList.remove("warn");
        window.dispatchEvent(new CustomEvent(DATE_EVENT, {detail: {date: cfg.dates[i]}}));
      }
    });
    mark();
  }, (e) => { box.setAttribute("data-error", String(e && e.message).startsWith("plotly") ? "plotly" : "figure"); });

  followHeld(server);  // this element replaces one whose report the app has now run with

  return {
    key: data.key,
    update(next) {  // the app ran again with the same files (same data version, locale, layers, size)
      data = next;
      server = next.date;
      mark();
      if (pending !== null && server === pending) {
        pending = null;
        followHeld(server);
      } else if (pending === null && explorer && moved && server !== explorer.current()) {
        sync();  // a new server session (a restart) ran with an older date: give it the reader's
      }
    },
    destroy() {
      alive = false;
      if (window[PAINTED] === painted) window[PAINTED] = null;
      stopEarly();
      if (explorer) explorer.stop();
    }
  };
}

// ---- a chart drawn with the page's one plotly.js (kind "chart": the map page's area chart), whose
// selected-date line follows the map's date in the browser, as on the export's area page
function mountChart(el, first) {
  const root = el.querySelector(".kursk-live-chart");
  const box = root.querySelector(".chart-box");
  const chart = root.querySelector(".chart");
  let data = first;
  let shown = data.date;  // the date the line is drawn at
  let gd = null;
  let alive = true;
  box.setAttribute("aria-label", data.alt);
  box.style.height = data.height + "px";

  function moveTo(iso) {
    if (!gd || !alive || !data.line || !iso || iso === shown || !(iso in data.line.short)) return Promise.resolve();
    const s = data.line.shape, upd = {};
    upd["shapes[" + s + "].x0"] = iso;
    upd["shapes[" + s + "].x1"] = iso;
    shown = iso;
    return Plotly.relayout(gd, upd)
      .then(() => Plotly.restyle(gd, {name: data.line.legend[0] + data.line.short[iso] + data.line.legend[1]}, [data.line.trace]))
      .then(() => box.setAttribute("data-date", iso));
  }
  const onDate = (e) => { moveTo(e.detail && e.detail.date); };
  window.addEventListener(DATE_EVENT, onDate);
  let Plotly = null;
  let redrawn = 0;  // redraws for a width that changed while drawing (a few at most)
  let fitted = null;  // the variant drawn (data.variants: the chart for several widths, see drawn_chart)
  const figureAt = fetcher();
  function pick() {  // the variant for the box's width, else the one figure (their files' names)
    const vs = data.variants || [];
    if (!vs.length) return {fig: data.fig, height: data.height};
    const w = box.clientWidth || root.clientWidth;
    const v = vs.find((x) => w <= x.most) || vs[vs.length - 1];
    return {fig: v.fig, height: v.height, most: v.most};
  }
  function draw() {
    const f = pick();
    fitted = f.most;
    const config = data.config;
    return figureAt(f.fig).then((fig) => {
      if (!alive) return null;
      shown = data.date;
      box.style.height = f.height + "px";  // a filter may change the figure's height
      return Plotly.react(chart, fig.data, fig.layout, config);
    }).then((div) => {
      if (!div) return null;
      gd = div;
      // the box may have changed width while this drew (the page's columns settling): draw the right one
      if (alive && f.most !== undefined && pick().most !== fitted && redrawn++ < 3) return draw();
      box.setAttribute("data-state", "interactive");
      if (shown) box.setAttribute("data-date", shown);
      // the map may already show another day than the one the app ran with
      const map = data.line ? document.querySelector(".kursk-live-map .chart-box[data-state=interactive]") : null;
      return moveTo(map ? map.getAttribute("data-date") : null);
    });
  }
  const redraw = () => draw().catch(() => { box.setAttribute("data-error", "figure"); });
  figureAt(pick().fig).catch(() => null);  // fetched while the map paints
  mapPainted().then(() => loadPlotly(data.plotly))
    .then((P) => { Plotly = P; if (alive) return redraw(); }, () => { box.setAttribute("data-error", "plotly"); });
  let resized = null;
  const watch = window.ResizeObserver ? new ResizeObserver(() => {  // another width may call for another variant
    clearTimeout(resized);
    resized = setTimeout(() => { if (gd && alive && (data.variants || []).length && pick().most !== fitted) redraw(); }, 150);
  }) : null;
  if (watch) watch.observe(box);
  return {
    key: data.key,
    update(next) {  // the app ran again: the same chart, perhaps another figure (a filter) or date
      const same = next.rev === data.rev;
      data = next;
      box.setAttribute("aria-label", data.alt);
      if (!same && Plotly && alive) redraw();
    },
    destroy() {
      alive = false;
      clearTimeout(resized);
      if (watch) watch.disconnect();
      window.removeEventListener(DATE_EVENT, onDate);
      if (gd && Plotly) Plotly.purge(gd);
    }
  };
}

export default function (component) {
  const {parentElement: el, data, setStateValue} = component;
  if (data.kind === "chart") return keyed(el, data, () => mountChart(el, data));
  return keyed(el, data, () => mount(el, data, (iso) => setStateValue("date", iso)));
}
