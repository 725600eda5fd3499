/* The live app's timeline (explainer/ui/live_timeline.py): a Streamlit component (v2) that draws the
   category filter, the chart (with the page's one plotly.js, shared with the map's components), the
   chosen event's card, the event picker and the event list. Choosing an event or a category runs no
   script: the chosen day's line and ring, the filtered lanes (keepLanes: figures/timeline.py keep_lanes,
   the same steps) and the filter's text alternative and sources line (computed by the server for
   every filter) are drawn here, and the state goes to the URL (?date=, ?cats=, history.replaceState).
   The server learns it only when it needs it: as the reader heads for anything else in the app that
   can be pressed (the pointer over it, the focus on it, at the latest the press), as the map's date
   (live_map.js); a page link pressed meanwhile waits for that run.
   On a touch screen a tap on a point chooses its event (no tooltip: it would not fit beside the
   point) and brings its card into view. Every text comes from the component's data and is set as
   text (textContent), never as markup. */

// ---- the figure for a filter and a date, from the figure with every lane (figures/timeline.py)
function vline(iso, line, y) {
  return {type: "line", xref: "x", yref: y ? "y" : "y domain", x0: iso, x1: iso,
    y0: y ? y[0] : 0, y1: y ? y[1] : 1, line: line, layer: "below"};
}

function vlines(layout, iso, line, gaps) {  // figures/axes.py: vlines (one panel)
  const holes = gaps.filter((g) => g[1] <= iso && iso <= g[2]).map((g) => [g[3], g[4]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const rng = (layout.yaxis || {}).range;
  if (!holes.length || !rng) return [vline(iso, line)];
  const out = [];
  let at = +rng[0];
  holes.forEach(([lo, hi]) => {
    if (lo > at) out.push(vline(iso, line, [at, lo]));
    at = Math.max(at, hi);
  });
  if (at < rng[1]) out.push(vline(iso, line, [at, +rng[1]]));
  return out;
}

function gapDays(g, plotPx, range) {  // figures/timeline.py: gap_days
  const day = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5;
  const dayPx = plotPx / Math.max(day(String(range[1])) - day(String(range[0])), 1);
  const iso = (d) => new Date(d * 864e5).toISOString().slice(0, 10);
  return [iso(day(g[0]) + Math.floor(g[1] / dayPx)), iso(day(g[0]) + Math.ceil(g[2] / dayPx))];
}

function keepLanes(base, cats, style, plotPx) {
  const layout = Object.assign({}, base.layout);
  const meta = Object.assign({}, layout.meta || {});
  const all = meta.lanes || [];
  const lanes = all.filter((l) => !cats.length || cats.includes(l.cat));
  const keptTraces = new Set(lanes.map((l) => l.trace));
  const laneTraces = new Set(all.map((l) => l.trace));
  const keptNotes = new Set(lanes.flatMap((l) => l.annotations));
  layout.annotations = (layout.annotations || []).filter((a, i) => keptNotes.has(i));
  const n = lanes.length;
  layout.yaxis = Object.assign({}, layout.yaxis, {categoryorder: "array", categoryarray: lanes.map((l) => l.name).reverse(),
    range: [-0.6, n - 0.2], type: "category"});
  layout.height = meta.lane_px * n + meta.extra_px;
  const gaps = [];
  const range = (layout.xaxis || {}).range;
  // the top lane's name row reaches the plot's top: no stub of line above it
  if (range) lanes.forEach((l, i) => l.gaps.forEach((g) => gaps.push([1, ...gapDays(g, plotPx, range), n - 1 - i + g[3],
    n - 1 - i + (i === 0 && g[2] >= meta.name_row_px ? 1 : g[4])])));
  meta.line_gaps = gaps;
  layout.meta = meta;
  layout.shapes = meta.article ? vlines(layout, meta.article, style.article, gaps) : [];
  const data = base.data.filter((tr, i) => keptTraces.has(i) || !laneTraces.has(i));
  return {data: data, layout: layout};
}

function mount(el, first, report) {
  const $ = (sel) => el.querySelector(sel);
  const root = $(".kursk-live-timeline");
  const box = $(".chart-box");
  const chart = $(".chart");
  let data = first;
  const T = data.text;
  const byId = {};
  let parts = null;              // the figure with every lane, the filters' texts, the cards: fetched (data.parts)
  let date = data.date;          // the chosen date, here
  let cats = data.cats.slice();  // the categories shown (none: all)
  let server = JSON.stringify([data.date, data.cats]);  // the state the app last ran with
  let pending = null;            // the state reported, until the app has run with it
  let gd = null;
  let Plotly = null;
  let alive = true;
  const phone = data.phone || window.matchMedia("(hover: none)").matches;
  let touched = false;           // the last pointer on the chart was a finger
  let chosen = false;            // the reader chose a date here: the page's default day stays out of the URL

  const key = () => JSON.stringify([date, cats]);
  const shown = (e) => !cats.length || cats.includes(e.cat);

  // ---- the filter
  $(".tl-filter-name").textContent = T.filter;
  $(".tl-filter").setAttribute("aria-label", T.filter);
  const pills = $(".tl-pills");
  pills.replaceChildren();
  data.categories.forEach((c) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "tl-pill";
    b.textContent = c.label;
    b.setAttribute("data-cat", c.id);
    b.addEventListener("click", () => {
      cats = cats.includes(c.id) ? cats.filter((x) => x !== c.id) : data.categories.map((x) => x.id).filter((x) => x === c.id || cats.includes(x));
      render();
    });
    pills.appendChild(b);
  });
  $(".tl-pick-name").textContent = T.pick;
  const pick = $(".tl-pick");
  pick.id = "tl-pick-" + Math.random().toString(36).slice(2);
  $(".tl-pick-name").htmlFor = pick.id;
  pick.addEventListener("change", () => { if (byId[pick.value]) choose(pick.value, false); });
  box.setAttribute("aria-label", data.alt);
  const summary = $(".summary");
  summary.id = "tl-summary-" + Math.random().toString(36).slice(2);
  box.setAttribute("aria-describedby", summary.id);

  function figure() {
    // the labels' reach in days on this plot's own width (the layout's margins aside)
    const m = parts.base.layout.margin || {};
    const plotPx = box.clientWidth ? box.clientWidth - (m.l || 0) - (m.r || 0) : data.narrowest;
    const f = keepLanes(parts.base, cats, data.style, plotPx);
    if (date) {
      f.layout.shapes = f.layout.shapes.concat(vlines(f.layout, date, data.style.selected, f.layout.meta.line_gaps));
      f.data = f.data.concat([{type: "scatter", x: [null], y: [null], mode: "lines", line: data.style.selected,
        name: T.selected[0] + (data.short[date] || date) + T.selected[1], hoverinfo: "skip"}]);
      const on = parts.events.filter((e) => e.date === date && shown(e));
      if (on.length) {
        const lanes = {};
        f.layout.meta.lanes.forEach((l) => { lanes[l.cat] = l.name; });
        f.data.push(Object.assign({}, data.style.ring, {x: on.map((e) => e.date), y: on.map((e) => lanes[e.cat])}));
      }
    }
    if (phone) {  // no tooltip on a touch screen: a tap chooses the event, its card says the rest
      f.data = f.data.map((tr) => (tr.customdata ? Object.assign({}, tr, {hoverinfo: "none"}) : tr));
    }
    return f;
  }

  function cardOf(e, full) {
    const art = document.createElement(full ? "article" : "li");
    art.className = full ? "tl-card tl-chosen-card" : "tl-item";
    art.setAttribute("data-event", e.id);
    const head = document.createElement("p");
    head.className = "tl-head";
    const when = document.createElement("strong");
    when.textContent = e.when;
    const title = document.createElement("strong");
    title.textContent = e.title;
    head.append(when, document.createTextNode(" · " + e.category + " — "), title);
    const body = document.createElement("p");
    body.className = "tl-summary";
    body.textContent = e.summary + " ";
    const link = document.createElement("a");
    link.href = e.source;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = T.source;
    body.appendChild(link);
    art.append(head);
    if (full) {
      e.quotes.forEach((q) => {
        const fig = document.createElement("figure");
        fig.className = "tl-quote";
        const bq = document.createElement("blockquote");
        if (q.lang) bq.lang = q.lang;
        bq.textContent = q.text;
        const cap = document.createElement("figcaption");
        cap.textContent = "— " + q.who + (q.language ? " " + q.language : "");
        fig.append(bq, cap);
        if (q.translation) {
          const tr = document.createElement("p");
          tr.className = "tl-translation";
          tr.textContent = q.translation;
          fig.appendChild(tr);
        }
        art.appendChild(fig);
      });
    }
    art.appendChild(body);
    return art;
  }

  function texts() {
    if (!parts) return;
    const own = parts.texts[data.categories.map((c) => c.id).filter((c) => cats.includes(c)).join(",")] || parts.texts[""];
    summary.textContent = own.summary;
    $(".credit").textContent = T.sources_line + " " + own.credit;
    pills.querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", cats.includes(b.getAttribute("data-cat")) ? "true" : "false"));
    const events = parts.events.filter(shown);
    const chosen = events.filter((e) => e.date === date);
    const place = $(".tl-chosen");
    place.replaceChildren(...chosen.map((e) => cardOf(e, true)));
    place.setAttribute("data-date", date || "");
    place.setAttribute("aria-label", T.chosen);
    pick.replaceChildren();
    const none = document.createElement("option");
    none.value = "";
    none.textContent = T.choose;
    pick.appendChild(none);
    events.forEach((e) => {
      const o = document.createElement("option");
      o.value = e.id;
      o.textContent = e.pick;
      pick.appendChild(o);
    });
    pick.value = chosen.length ? chosen[0].id : "";
    const list = $(".tl-list");
    list.setAttribute("aria-label", T.all);
    list.replaceChildren(...events.map((e) => {
      const item = cardOf(e, false);
      if (e.date === date) item.classList.add("tl-on");
      return item;
    }));
  }

  function draw() {
    if (!Plotly || !parts || !alive) return Promise.resolve();
    const f = figure();
    box.style.height = f.layout.height + "px";
    width = box.clientWidth;
    return Plotly.react(chart, f.data, f.layout, data.config).then((div) => {
      if (!gd) {
        gd = div;
        gd.on("plotly_click", (ev) => { const p = ev && ev.points && ev.points[0]; if (p && byId[p.customdata]) choose(p.customdata, true); });
        gd.on("plotly_hover", (ev) => {  // a finger's tap: choose at once, with no tooltip first
          const p = ev && ev.points && ev.points[0];
          if (touched && p && byId[p.customdata]) choose(p.customdata, true);
        });
      }
      box.setAttribute("data-state", "interactive");
      box.setAttribute("data-date", date || "");
      box.setAttribute("data-cats", cats.join(","));
    });
  }
  let width = 0;
  const resized = new ResizeObserver(() => {
    if (box.clientWidth && Math.abs(box.clientWidth - width) > 1 && gd) { width = box.clientWidth; draw(); }
  });
  resized.observe(box);
  chart.addEventListener("pointerdown", (e) => { touched = e.pointerType === "touch"; }, true);
  chart.addEventListener("touchstart", () => { touched = true; }, {capture: true, passive: true});

  function writeUrl() {
    const url = new URL(window.location.href);
    const before = url.search;
    if (date && (chosen || url.searchParams.has("date"))) url.searchParams.set("date", date);
    if (cats.length) url.searchParams.set("cats", cats.join(",")); else url.searchParams.delete("cats");
    if (url.search !== before) window.history.replaceState(window.history.state, "", url);
    document.querySelectorAll("a[data-testid=stPageLink-NavLink]").forEach((a) => {
      const href = a.getAttribute("href") || "";
      let next = date ? href.replace(/([?&]date=)[^&#]*/, "$1" + date) : href;
      next = next.replace(/([?&])cats=[^&#]*&?/, "$1").replace(/[?&]$/, "");
      if (cats.length) next += (next.includes("?") ? "&" : "?") + "cats=" + cats.join(",");
      if (next !== href) a.setAttribute("href", next);
    });
    root.setAttribute("data-synced", key() === server ? "true" : "false");
  }

  function render() {
    texts();
    writeUrl();
    return draw();
  }

  function choose(id, tapped) {
    const e = byId[id];
    if (!e || !alive) return;
    date = e.date;
    chosen = true;
    render().then(() => {
      // the chosen card is right under the chart: bring it into view, where the reader's eyes go
      const card = $(".tl-chosen-card");
      if (tapped && card) card.scrollIntoView({block: "nearest", behavior: "smooth"});
    });
  }

  // ---- the app learns the state before anything else reruns it (as live_map.js does for the map's date)
  const unsynced = () => key() !== server && key() !== pending;
  function sync() {
    pending = key();
    report({date: date, cats: cats});
  }
  const stopEarly = reportEarly(el, {alive: () => alive, unsynced: unsynced, sync: sync, pending: () => pending});

  writeUrl();
  const fetched = fetcher()(data.parts).then((got) => {
    parts = got;
    parts.events.forEach((e) => { byId[e.id] = e; });
    if (alive) texts();
  });
  fetched.catch(() => { box.setAttribute("data-error", "parts"); });
  loadPlotly(data.plotly).then((P) => { Plotly = P; return fetched.then(draw); }, () => { box.setAttribute("data-error", "plotly"); });

  return {
    key: data.key,
    update(next) {  // the app ran again (same data version and language)
      const was = server;
      data = next;
      server = JSON.stringify([next.date, next.cats]);
      if (pending !== null && server === pending) {
        pending = null;
        followHeld(server);
      } else if (server !== was && server !== key()) {  // the app's state changed (a link, the back button): follow it
        date = next.date;
        chosen = true;
        cats = next.cats.slice();
        render();
      }
      root.setAttribute("data-synced", key() === server ? "true" : "false");
    },
    destroy() {
      alive = false;
      resized.disconnect();
      stopEarly();
      if (gd && Plotly) Plotly.purge(gd);
    }
  };
}

export default function (component) {
  const {parentElement: el, data, setStateValue} = component;
  return keyed(el, data, () => mount(el, data, (state) => setStateValue("state", state)));
}
