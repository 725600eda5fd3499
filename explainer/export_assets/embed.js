/* Kursk explainer static embed.
   1. The page already shows its chart as an inline SVG (pre-rendered at export time, the box
      reserved at its exact height); this draws the interactive plotly chart into the same box and
      then removes the SVG: #chart goes from data-state="svg" to data-state="interactive".
   2. Date controls (map and area pages): slider, week buttons, play/pause, keyboard. The map
      fetches only the chosen date's traces (control/<date>.json, relative to the page, so it works
      from any static host and from a versioned path); the area chart moves its selected-date line.
      The date is kept in the URL hash (#date=YYYY-MM-DD), so a link opens the same day.
      Hand-written rather than a library: it is one slider, three buttons and one fetch per date;
      plotly's own sliders and animation frames would need every date's polygons in the page up
      front, and a UI framework would outweigh the page.
   3. A pinned page (v/<version>/...) links to the latest version when the data has changed since
      (one same-origin request for latest/version.json), and names each newer figure a source it
      draws has given since ("Newer figure from this source: ...").
   4. Tells the host page how tall we are (on load and whenever our size changes).
      Message: {type: "kursk-embed-height", height: <px>, id: <"lang/page">}.
   The chart and its date controls are one function, window.KurskExplorer(options): the static page
   calls it on its own document; the live app's map (explainer/ui/live_map.py, a Streamlit
   component) loads this same file and calls it on the component's element, with the live app's
   per-date files and the date kept in the query string (?date=) instead of the hash. */
(function () {
  "use strict";

  function darkChart(f) {
    var layout = f.layout, bg = "#161616", fg = "#e8e8e8", grid = "#3a3a3a";
    (f.data || []).forEach(function (tr) {  // the article-date line's legend entry
      if (tr.line && tr.line.color === "#000") tr.line = Object.assign({}, tr.line, {color: fg});
    });
    layout.paper_bgcolor = bg;
    layout.plot_bgcolor = bg;
    layout.font = Object.assign({}, layout.font, {color: fg});
    if (layout.legend) layout.legend.bgcolor = "rgba(22,22,22,0.85)";
    if (layout.geo) layout.geo.bgcolor = bg;
    Object.keys(layout).forEach(function (k) {
      if (/^[xy]axis\d*$/.test(k)) Object.assign(layout[k], {gridcolor: grid, linecolor: grid, zerolinecolor: grid});
    });
    (layout.annotations || []).forEach(function (a) { a.font = Object.assign({}, a.font, {color: fg}); });
    (layout.shapes || []).forEach(function (s) {
      if (s.line && s.line.color === "#000") s.line = Object.assign({}, s.line, {color: fg});
    });
  }

  /* One chart in its reserved box, with its date controls when it has some.
     o.root: where the elements live (document, or the live app's component element): #chart, #chart-box,
       #title, #summary, #date-slider, #date-label, #date-play, #date-back, #date-fwd;
     o.fig: {data, layout, config}; o.dated: the date controls' settings (export/pages.py: date_controls);
     o.files: URL prefix of the per-date files (".../control/<date>.json"); o.Plotly;
     o.readDate() -> ISO date or null, o.writeDate(iso): where the date is kept (hash or query string);
       o.normalizeDate: the date read is rewritten as the snapshot shown;
     o.post(): the page's height changed; o.onShown(i, file): a date is drawn; o.onMove(iso): the reader moved.
     Returns {show(i), index(iso), current(), playing(), stop()}. */
  function explorer(o) {
    var root = o.root;
    var q = function (id) { return root.querySelector("#" + id); };
    var chart = q("chart");   // plotly's graph div
    var box = q("chart-box");  // its reserved box: data-state, data-date
    var fig = o.fig;
    var Plotly = o.Plotly;
    var post = o.post || function () {};
    var ready = false;
    var alive = true;
    var controls = null;
    if (o.dated && chart && box && fig) controls = dateControls(o.dated);
    // A chart drawn for several widths (fig.fits: [{most, height, layout, data or labels}], the casualty chart, whose
    // labels are placed for a width): draw the one whose widest box holds this box, at its height.
    var fit = null;
    function pickFit() {
      var fits = fig && fig.fits;
      if (!fits || !fits.length || !box) return false;
      var w = box.clientWidth, f = fits[fits.length - 1];
      for (var i = 0; i < fits.length; i++) if (w <= fits[i].most) { f = fits[i]; break; }
      if (f === fit) return false;
      fit = f;
      if (!fig.base) fig.base = fig.data;  // the page's own traces: a fit may carry only its labels
      fig.data = f.data || fig.base.map(function (tr, i) { return Object.assign({}, tr, f.labels[i]); });
      fig.layout = f.layout;
      box.style.setProperty("height", f.height + "px", "important");
      return true;
    }
    pickFit();

    function dateControls(cfg) {
      var dates = cfg.dates, labels = cfg.labels;
      var slider = q("date-slider");
      var label = q("date-label");
      var play = q("date-play");
      var back = q("date-back");
      var fwd = q("date-fwd");
      var title = q("title");
      var summary = q("summary");
      var files = {};          // date -> Promise of its file; each date is fetched at most once
      var current = cfg.index; // the date shown by the controls
      var drawn = cfg.index;   // the date drawn in the chart
      var count = cfg.count || 0;
      var timer = null;
      var debounce = null;
      // before the first snapshot the map is of its own day, not of the first snapshot's: the label names it
      var meta = (fig.layout && fig.layout.meta) || {};
      var dayLabel = cfg.view === "map" && meta.coverage === "before" ? meta.day_label : null;
      if (cfg.view === "map") {
        files[dates[cfg.index]] = Promise.resolve({
          traces: fig.data.slice(cfg.start, cfg.start + count),
          title: title ? title.textContent : "",
          summary: summary ? summary.textContent : ""});
      }
      box.setAttribute("data-date", dates[drawn]);

      function dayOf(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5; }

      function nearest(iso) {  // the last date on or before iso (or the first), as the app does
        var want = dayOf(iso), best = 0;
        for (var i = 0; i < dates.length; i++) if (dayOf(dates[i]) <= want) best = i;
        return best;
      }

      function load(iso) {
        if (!files[iso]) {
          files[iso] = fetch(o.files + iso + ".json").then(function (r) {
            if (!r.ok) throw new Error(r.status + " " + r.url);
            return r.json();
          });
          files[iso].catch(function () { delete files[iso]; });
        }
        return files[iso];
      }

      function draw(i) {
        if (!ready) return Promise.resolve();
        var iso = dates[i];
        var job;
        if (cfg.view === "map") {
          job = load(iso).then(function (file) {
            if (i !== current || !alive) return null;  // the reader has moved on
            fig.data = fig.data.slice(0, cfg.start).concat(file.traces, fig.data.slice(cfg.start + count));
            count = file.traces.length;
            if (title) {
              title.textContent = file.title;
              document.title = file.title;
            }
            if (summary) summary.textContent = file.summary;
            return Plotly.react(chart, fig.data, fig.layout, fig.config).then(declutter).then(function () { return file; });
          });
        } else {
          var upd = {};
          upd["shapes[" + cfg.shape + "].x0"] = iso;
          upd["shapes[" + cfg.shape + "].x1"] = iso;
          job = Plotly.relayout(chart, upd).then(function () {
            return Plotly.restyle(chart, {name: cfg.legend[0] + cfg.short[i] + cfg.legend[1]}, [cfg.trace]);
          });
        }
        return job.then(function (done) {
          if (done !== null && i === current) {
            drawn = i;
            box.setAttribute("data-date", iso);
            if (o.onShown) o.onShown(i, done);
            post();
          }
        }, function () { box.setAttribute("data-error", iso); });
      }

      function show(i, opts) {
        i = Math.max(0, Math.min(dates.length - 1, i));
        opts = opts || {};
        if (i !== current && opts.byReader && o.onMove) o.onMove(dates[i]);
        if (opts.byReader) dayLabel = null;
        current = i;
        var text = dayLabel && i === cfg.index ? dayLabel : labels[i];
        slider.value = String(i);
        slider.setAttribute("aria-valuetext", text);
        label.textContent = text;
        back.disabled = i === 0;
        fwd.disabled = i === dates.length - 1;
        if (!opts.keepDate) o.writeDate(dates[i]);
        clearTimeout(debounce);
        if (opts.later) {  // while the slider is dragged: draw once it rests
          debounce = setTimeout(function () { draw(i); }, 120);
          return Promise.resolve();
        }
        return i === drawn ? Promise.resolve() : draw(i);
      }

      function week(sign) {  // a week on, to the last snapshot on or before that day
        var d = new Date((dayOf(dates[current]) + 7 * sign) * 864e5).toISOString().slice(0, 10);
        var i = nearest(d);
        if (sign > 0 && i <= current) i = current + 1;
        return i;
      }

      function setPlaying(on) {
        clearTimeout(timer);
        timer = null;
        play.textContent = play.getAttribute(on ? "data-pause" : "data-play");
        play.setAttribute("aria-pressed", on ? "true" : "false");
        if (on) tick();
      }

      function tick() {
        if (!alive) return;
        if (current >= dates.length - 1) { setPlaying(false); return; }
        show(week(1), {byReader: true}).then(function () {
          if (alive && play.getAttribute("aria-pressed") === "true") timer = setTimeout(tick, 700);
        });
      }

      var mine = {byReader: true};
      slider.addEventListener("input", function () { show(+slider.value, {later: true, byReader: true}); });
      slider.addEventListener("change", function () { show(+slider.value, mine); });
      slider.addEventListener("keydown", function (e) {  // Page Up/Down: a week (the range's own step is one snapshot)
        if (e.key === "PageUp" || e.key === "PageDown") {
          e.preventDefault();
          show(week(e.key === "PageUp" ? 1 : -1), mine);
        }
      });
      back.addEventListener("click", function () { setPlaying(false); show(week(-1), mine); });
      fwd.addEventListener("click", function () { setPlaying(false); show(week(1), mine); });
      play.addEventListener("click", function () {
        var on = play.getAttribute("aria-pressed") !== "true";
        if (on && current >= dates.length - 1) show(0, mine);
        setPlaying(on);
      });

      return {
        start: function () {  // plotly has drawn the page's own date
          [slider, play, back, fwd].forEach(function (el) { el.disabled = false; });
          var want = o.readDate();
          var i = want === null ? null : nearest(want);
          show(i === null ? current : i, {keepDate: i === null || !o.normalizeDate});
        },
        show: function (i) { return show(i, {keepDate: true}); },
        index: nearest,
        current: function () { return dates[current]; },
        playing: function () { return play.getAttribute("aria-pressed") === "true"; },
        stop: function () { alive = false; clearTimeout(timer); clearTimeout(debounce); }
      };
    }

    // ---------------------------------------------------------------- the frame
    // The frame is the server's (the held area with a margin, at the map's aspect): it never grows for a
    // name, which would shrink the finding; a name that a narrow screen pushes out of it is left off
    // (declutter, below).
    var geoAxis = function (k) { var g = fig && fig.layout.geo; return g && g[k] && g[k].range ? g[k].range.slice() : null; };
    var lonRange = geoAxis("lonaxis"), latRange = geoAxis("lataxis");

    function overflow() {
      var svg = chart.querySelector(".main-svg");
      var clip = chart.querySelector('clipPath[id$="geo"] rect');
      if (!svg || !clip) return null;
      var s = svg.getBoundingClientRect();
      var left = s.left + (+clip.getAttribute("x")), right = left + (+clip.getAttribute("width"));
      var top = s.top + (+clip.getAttribute("y")), bottom = top + (+clip.getAttribute("height"));
      var out = {left: 0, right: 0, top: 0, bottom: 0, width: right - left, height: bottom - top};
      chart.querySelectorAll(".geo .scattergeo text").forEach(function (t) {
        var b = t.getBoundingClientRect();
        if (!b.width) return;
        out.left = Math.max(out.left, left - b.left);
        out.right = Math.max(out.right, b.right - right);
        out.top = Math.max(out.top, top - b.top);
        out.bottom = Math.max(out.bottom, b.bottom - bottom);
      });
      return out;
    }

    // A map drawn in a box of another shape than its frame (a phone's) would leave empty bands above
    // and below: grow the frame's shorter side until the map fills the plot area (Mercator in y).
    var merc = function (lat) { return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)); };
    var unmerc = function (y) { return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) * 180 / Math.PI; };

    function fillFrame() {
      var size = chart._fullLayout && chart._fullLayout._size;  // the plot area, in px
      var o2 = overflow();
      if (!size || !o2 || !lonRange || !latRange || !o2.width || !o2.height) return Promise.resolve();
      var lon = lonRange.slice(), lat = latRange.slice();
      if (o2.height < size.h - 4) {
        var y0 = merc(lat[0]), y1 = merc(lat[1]), grow = (y1 - y0) * (size.h / o2.height - 1) / 2;
        lat = [unmerc(y0 - grow), unmerc(y1 + grow)];
      } else if (o2.width < size.w - 4) {
        var g = (lon[1] - lon[0]) * (size.w / o2.width - 1) / 2;
        lon = [lon[0] - g, lon[1] + g];
      } else {
        return Promise.resolve();
      }
      fig.layout.geo.lonaxis.range = lon.slice();
      fig.layout.geo.lataxis.range = lat.slice();
      return Plotly.relayout(chart, {"geo.lonaxis.range": lon.slice(), "geo.lataxis.range": lat.slice()});
    }

    // ---------------------------------------------------------------- names that do not fit
    // The server places each name where it is clear at the widths the map is drawn for; a map squeezed
    // narrower (a wide map on a phone) can still bring two names, or a name and another place's mark,
    // together, or push a name out of the frame. Then the less important name is left off (its place keeps
    // its dot and its hover):
    // names beside the biggest marks (events) first, then in the layer's order (largest places first).
    var allNames = typeof WeakMap === "function" ? new WeakMap() : null;

    function declutter() {
      if (!allNames || !fig.data) return Promise.resolve();
      var k = -1;
      fig.data.forEach(function (t, i) { if (t.name === "names" && t.type === "scattergeo" && t.text) k = i; });
      if (k < 0) return Promise.resolve();
      var tr = fig.data[k];
      if (!allNames.has(tr)) allNames.set(tr, tr.text.slice());
      var text = allNames.get(tr);
      var group = [].slice.call(chart.querySelectorAll(".geo .trace")).filter(function (g) {  // d3 binds the trace
        var d = g.__data__;
        return d && d[0] && d[0].trace && d[0].trace.index === k;
      })[0];
      var els = group ? [].slice.call(group.querySelectorAll("text")) : [];
      var box = function (el) { var r = el.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
      var meets = function (a, b) { return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 1 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 1; };
      var shown = text.map(function (t) { return t !== ""; });
      var idx = [];
      text.forEach(function (t, i) { if (t !== "") idx.push(i); });
      if (els.length !== idx.length) return Promise.resolve();  // drawn otherwise than expected: leave it
      var size = (tr.marker && tr.marker.size) || [];
      var order = idx.slice().sort(function (a, b) { return ((+size[b] || 0) - (+size[a] || 0)) || a - b; });
      var others = [].slice.call(chart.querySelectorAll(".geo text")).filter(function (el) { return group && !group.contains(el); }).map(box);
      var marks = [].slice.call(chart.querySelectorAll(".geo path.point")).filter(function (el) {
        return !(group && group.contains(el)) && getComputedStyle(el).opacity !== "0";
      }).map(box);
      var o2 = overflow(), svg = chart.querySelector(".main-svg"), clip = chart.querySelector('clipPath[id$="geo"] rect');
      var frame = null;
      if (o2 && svg && clip) {
        var s0 = svg.getBoundingClientRect(), fl = s0.left + (+clip.getAttribute("x")), ft = s0.top + (+clip.getAttribute("y"));
        frame = {left: fl, top: ft, right: fl + o2.width, bottom: ft + o2.height};
      }
      // a line (border, outline, scale bar) through the name: tested on the line's own shape at a grid of
      // the name's points (its box alone would count a diagonal border passing beside a corner)
      var lines = [].slice.call(chart.querySelectorAll(".geo path.js-line")).filter(function (p) {
        return !(group && group.contains(p)) && getComputedStyle(p).opacity !== "0" && p.isPointInStroke;
      });
      var crosses = function (p, b) {
        var m = p.getScreenCTM(), svgEl = p.ownerSVGElement;
        if (!m || !svgEl) return false;
        var inv = m.inverse(), pt = svgEl.createSVGPoint();
        for (var i = 0; i < 8; i++) for (var j = 0; j < 3; j++) {
          pt.x = b.x0 + 1 + (b.x1 - b.x0 - 2) * (i + 0.5) / 8;
          pt.y = b.y0 + 1 + (b.y1 - b.y0 - 2) * (j + 0.5) / 3;
          if (p.isPointInStroke(pt.matrixTransform(inv))) return true;
        }
        return false;
      };
      var kept = [];
      order.forEach(function (i) {
        var b = box(els[idx.indexOf(i)]);
        var own = {x0: b.x0, x1: b.x1, y0: b.y0, y1: b.y1};
        var hit = kept.some(function (o) { return meets(o, own); }) || others.some(function (o) { return meets(o, own); });
        hit = hit || (frame && (own.x0 < frame.left - 1 || own.x1 > frame.right + 1 || own.y0 < frame.top - 1 || own.y1 > frame.bottom + 1));
        hit = hit || lines.some(function (p) { return crosses(p, own); });
        // a mark under the name that is not its own place's (whose dot sits at the name's offset, outside it)
        hit = hit || marks.some(function (m) { return meets(m, {x0: own.x0 + 1, x1: own.x1 - 1, y0: own.y0 + 1, y1: own.y1 - 1}); });
        if (hit) shown[i] = false; else kept.push(own);
      });
      var now = text.map(function (t, i) { return shown[i] ? t : ""; });
      if (now.join("\u0000") === tr.text.join("\u0000")) return Promise.resolve();
      tr.text = now;
      return Plotly.restyle(chart, {text: [now]}, [k]);
    }

    function interactive() {
      if (!alive) return;
      var still = box.querySelector(".chart-static");
      if (still) still.parentNode.removeChild(still);
      box.setAttribute("data-state", "interactive");
      ready = true;
      if (controls) controls.start();
      post();
    }

    function fitHeight() {  // the box's height is set by the page's CSS (smaller for a map on a phone)
      var h = box.clientHeight;
      if (h && h !== fig.layout.height) {
        fig.layout.height = h;
        return true;
      }
      return false;
    }

    var resized = null;
    function onResize() {
      clearTimeout(resized);
      resized = setTimeout(function () {
        if (!ready || !alive) return;
        if (pickFit()) {  // another width, another figure
          fitHeight();
          Plotly.react(chart, fig.data, fig.layout, fig.config).then(post);
          return;
        }
        var upd = {};
        if (fitHeight()) upd.height = fig.layout.height;
        if (lonRange && latRange) {
          fig.layout.geo.lonaxis.range = lonRange.slice();
          fig.layout.geo.lataxis.range = latRange.slice();
          upd["geo.lonaxis.range"] = lonRange.slice();
          upd["geo.lataxis.range"] = latRange.slice();
        }
        fig.data.forEach(function (t) { if (allNames && allNames.has(t)) t.text = allNames.get(t).slice(); });
        if (Object.keys(upd).length) Plotly.relayout(chart, upd).then(fillFrame).then(declutter);
      }, 150);
    }

    if (chart && box && fig && Plotly) {
      fitHeight();
      Plotly.newPlot(chart, fig.data, fig.layout, fig.config).then(fillFrame).then(declutter).then(interactive, post);
      window.addEventListener("resize", onResize);
    }

    var api = controls || {show: function () { return Promise.resolve(); }, index: function () { return 0; },
      current: function () { return null; }, playing: function () { return false; }, stop: function () {}};
    var stopControls = api.stop;
    api.stop = function () {  // the element is going away (the live app replaced it)
      alive = false;
      stopControls();
      clearTimeout(resized);
      window.removeEventListener("resize", onResize);
      if (chart && Plotly && Plotly.purge) Plotly.purge(chart);
    };
    return api;
  }

  window.KurskExplorer = {explorer: explorer, darkChart: darkChart};

  // ================================================================== the static page
  var body = document.body;
  if (!body || !body.hasAttribute("data-embed-id")) return;  // loaded by the live app: it calls explorer() itself
  var root = document.documentElement;
  var id = body.getAttribute("data-embed-id") || location.pathname;
  var last = -1;

  function post() {
    if (window.parent === window) return;
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({type: "kursk-embed-height", height: height, id: id}, "*");
  }

  function readJSON(elementId) {
    var el = document.getElementById(elementId);
    return el ? JSON.parse(el.textContent) : null;
  }

  var fig = readJSON("figure-data");
  var dated = readJSON("dates-data");

  // ------------------------------------------------------------------ theme
  // ?theme=light (default) | dark | auto (follows the reader's system setting), for host pages
  // with a dark design. The page's colours come from CSS variables; the chart gets the same.
  var themeParam = /(?:^\?|&)theme=(light|dark|auto)(?:&|$)/.exec(location.search);
  var theme = themeParam ? themeParam[1] : "light";
  if (theme === "auto") theme = window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  root.setAttribute("data-theme", theme);
  if (theme === "dark" && fig) [fig].concat(fig.fits || []).forEach(darkChart);

  function fromHash() {
    var m = /(?:^#|&)date=(\d{4}-\d{2}-\d{2})(?:&|$)/.exec(location.hash);
    return m ? m[1] : null;
  }

  var page = explorer({
    root: document,
    fig: fig,
    dated: dated,
    files: "control/",
    Plotly: window.Plotly,
    readDate: fromHash,
    normalizeDate: true,  // #date= names a day: the URL then names the snapshot shown
    writeDate: function (iso) { history.replaceState(null, "", "#date=" + iso); },
    post: post
  });
  window.addEventListener("hashchange", function () {
    var want = fromHash();
    if (want === null) return;
    var i = page.index(want);
    if (page.current() !== null && dated.dates[i] !== page.current()) page.show(i);
  });

  // ------------------------------------------------------------------ newer data
  var latest = body.getAttribute("data-latest");
  if (latest && window.fetch) {
    fetch(latest, {cache: "no-cache"}).then(function (r) { return r.ok ? r.json() : null; }).then(function (v) {
      if (!v || !v.data_version || v.data_version === body.getAttribute("data-version")) return;
      var note = document.getElementById("newer");
      var link = note.querySelector("a");
      if (v.pages && v.pages.indexOf(id + ".html") < 0) link.href = link.href.replace(/[^/]+\/[^/]+\.html$/, id.split("/")[0] + "/map.html");
      if (location.hash) link.href += location.hash;
      // a source this page draws has given a newer figure since: name it (export/pinning.py)
      var shown = {};
      try { shown = JSON.parse(document.getElementById("shown-figures").textContent) || {}; } catch (e) { shown = {}; }
      var lang = document.documentElement.lang, items = [];
      Object.keys(shown).forEach(function (k) {
        var f = v.figures && v.figures[k];
        if (f && f.date > shown[k] && f.text && f.text[lang]) items.push(f.text[lang]);
      });
      if (items.length) {
        var template = note.getAttribute(items.length === 1 ? "data-one" : "data-other") || "{items}";
        document.getElementById("newer-figures").textContent = template.replace("{items}", items.join("; ")) + ".";
      }
      note.hidden = false;
      post();
    }).catch(function () {});
  }

  if (window.ResizeObserver) new ResizeObserver(post).observe(root);
  window.addEventListener("load", function () { last = -1; post(); });
  window.addEventListener("resize", post);
})();
