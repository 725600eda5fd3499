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
      (one same-origin request for latest/version.json).
   4. Tells the host page how tall we are (on load and whenever our size changes).
      Message: {type: "kursk-embed-height", height: <px>, id: <"lang/page">}. */
(function () {
  "use strict";
  var root = document.documentElement;
  var body = document.body;
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

  var chart = document.getElementById("chart");   // plotly's graph div
  var box = document.getElementById("chart-box");  // its reserved box: data-state, data-date
  var fig = readJSON("figure-data");
  var dated = readJSON("dates-data");
  var Plotly = window.Plotly;
  var ready = false;

  // ------------------------------------------------------------------ theme
  // ?theme=light (default) | dark | auto (follows the reader's system setting), for host pages
  // with a dark design. The page's colours come from CSS variables; the chart gets the same.
  var themeParam = /(?:^\?|&)theme=(light|dark|auto)(?:&|$)/.exec(location.search);
  var theme = themeParam ? themeParam[1] : "light";
  if (theme === "auto") theme = window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  root.setAttribute("data-theme", theme);
  if (theme === "dark" && fig) darkChart(fig);

  function darkChart(f) {
    var layout = f.layout, bg = "#161616", fg = "#e8e8e8", grid = "#3a3a3a";
    f.data.forEach(function (tr) {  // the article-date line's legend entry
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

  // ------------------------------------------------------------------ date controls
  var controls = null;
  if (dated && chart && box && fig) controls = dateControls(dated);

  function dateControls(cfg) {
    var dates = cfg.dates, labels = cfg.labels;
    var slider = document.getElementById("date-slider");
    var label = document.getElementById("date-label");
    var play = document.getElementById("date-play");
    var back = document.getElementById("date-back");
    var fwd = document.getElementById("date-fwd");
    var title = document.getElementById("title");
    var summary = document.getElementById("summary");
    var files = {};          // date -> Promise of its file; each date is fetched at most once
    var current = cfg.index; // the date shown by the controls
    var drawn = cfg.index;   // the date drawn in the chart
    var count = cfg.count || 0;
    var timer = null;
    var debounce = null;
    if (cfg.view === "map") {
      files[dates[cfg.index]] = Promise.resolve({
        traces: fig.data.slice(cfg.start, cfg.start + count), title: title.textContent, summary: summary.textContent});
    }
    box.setAttribute("data-date", dates[drawn]);

    function dayOf(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5; }

    function nearest(iso) {  // the last date on or before iso (or the first), as the app does
      var want = dayOf(iso), best = 0;
      for (var i = 0; i < dates.length; i++) if (dayOf(dates[i]) <= want) best = i;
      return best;
    }

    function fromHash() {
      var m = /(?:^#|&)date=(\d{4}-\d{2}-\d{2})(?:&|$)/.exec(location.hash);
      return m ? nearest(m[1]) : null;
    }

    function load(iso) {
      if (!files[iso]) {
        files[iso] = fetch("control/" + iso + ".json").then(function (r) {
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
          if (i !== current) return null;  // the reader has moved on
          fig.data = fig.data.slice(0, cfg.start).concat(file.traces, fig.data.slice(cfg.start + count));
          count = file.traces.length;
          title.textContent = file.title;
          document.title = file.title;
          summary.textContent = file.summary;
          return Plotly.react(chart, fig.data, fig.layout, fig.config);
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
          post();
        }
      }, function () { box.setAttribute("data-error", iso); });
    }

    function show(i, opts) {
      i = Math.max(0, Math.min(dates.length - 1, i));
      opts = opts || {};
      current = i;
      slider.value = String(i);
      slider.setAttribute("aria-valuetext", labels[i]);
      label.textContent = labels[i];
      back.disabled = i === 0;
      fwd.disabled = i === dates.length - 1;
      if (!opts.keepHash) history.replaceState(null, "", "#date=" + dates[i]);
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
      if (current >= dates.length - 1) { setPlaying(false); return; }
      show(week(1)).then(function () {
        if (play.getAttribute("aria-pressed") === "true") timer = setTimeout(tick, 700);
      });
    }

    slider.addEventListener("input", function () { show(+slider.value, {later: true}); });
    slider.addEventListener("change", function () { show(+slider.value); });
    slider.addEventListener("keydown", function (e) {  // Page Up/Down: a week (the range's own step is one snapshot)
      if (e.key === "PageUp" || e.key === "PageDown") {
        e.preventDefault();
        show(week(e.key === "PageUp" ? 1 : -1));
      }
    });
    back.addEventListener("click", function () { setPlaying(false); show(week(-1)); });
    fwd.addEventListener("click", function () { setPlaying(false); show(week(1)); });
    play.addEventListener("click", function () {
      var on = play.getAttribute("aria-pressed") !== "true";
      if (on && current >= dates.length - 1) show(0);
      setPlaying(on);
    });
    window.addEventListener("hashchange", function () {
      var i = fromHash();
      if (i !== null && i !== current) show(i, {keepHash: true});
    });

    return {
      start: function () {  // plotly has drawn the page's own date
        [slider, play, back, fwd].forEach(function (el) { el.disabled = false; });
        var i = fromHash();
        show(i === null ? current : i, {keepHash: i === null});
      }
    };
  }

  // ------------------------------------------------------------------ interactive chart
  // ------------------------------------------------------------------ map labels inside the frame
  // Place names keep their pixel size while a narrow screen shrinks the map, so a name beside a
  // place near the edge can run out of the map's frame and be cut. Measure the drawn names and,
  // if one sticks out, widen the longitude (or latitude) range by just that much (mercator x is
  // linear in longitude; y nearly so over a region this small, and the loop re-measures). The data
  // and the projection are unchanged; only the frame grows.
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
    var o = overflow();
    if (!size || !o || !lonRange || !latRange || !o.width || !o.height) return Promise.resolve();
    var lon = lonRange.slice(), lat = latRange.slice();
    if (o.height < size.h - 4) {
      var y0 = merc(lat[0]), y1 = merc(lat[1]), grow = (y1 - y0) * (size.h / o.height - 1) / 2;
      lat = [unmerc(y0 - grow), unmerc(y1 + grow)];
    } else if (o.width < size.w - 4) {
      var g = (lon[1] - lon[0]) * (size.w / o.width - 1) / 2;
      lon = [lon[0] - g, lon[1] + g];
    } else {
      return Promise.resolve();
    }
    fig.layout.geo.lonaxis.range = lon.slice();
    fig.layout.geo.lataxis.range = lat.slice();
    return Plotly.relayout(chart, {"geo.lonaxis.range": lon.slice(), "geo.lataxis.range": lat.slice()});
  }

  function fitLabels() {
    if (!lonRange || !latRange) return Promise.resolve();
    var lon = lonRange.slice(), lat = latRange.slice();
    var step = function (n) {
      var o = overflow();
      if (!o || n > 3 || (o.left <= 0 && o.right <= 0 && o.top <= 0 && o.bottom <= 0)) return Promise.resolve();
      var x = o.width / (lon[1] - lon[0]), y = o.height / (lat[1] - lat[0]);  // px per degree
      if (o.left > 0) lon[0] -= (o.left + 4) / x;
      if (o.right > 0) lon[1] += (o.right + 4) / x;
      if (o.bottom > 0) lat[0] -= (o.bottom + 4) / y;
      if (o.top > 0) lat[1] += (o.top + 4) / y;
      fig.layout.geo.lonaxis.range = lon.slice();
      fig.layout.geo.lataxis.range = lat.slice();
      return Plotly.relayout(chart, {"geo.lonaxis.range": lon.slice(), "geo.lataxis.range": lat.slice()})
        .then(function () { return step(n + 1); });
    };
    return step(0);
  }

  function interactive() {
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

  if (chart && box && fig && Plotly) {
    fitHeight();
    Plotly.newPlot(chart, fig.data, fig.layout, fig.config).then(fillFrame).then(fitLabels).then(interactive, post);
    var resized = null;
    window.addEventListener("resize", function () {
      clearTimeout(resized);
      resized = setTimeout(function () {
        if (!ready) return;
        var upd = {};
        if (fitHeight()) upd.height = fig.layout.height;
        if (lonRange && latRange) {
          fig.layout.geo.lonaxis.range = lonRange.slice();
          fig.layout.geo.lataxis.range = latRange.slice();
          upd["geo.lonaxis.range"] = lonRange.slice();
          upd["geo.lataxis.range"] = latRange.slice();
        }
        if (Object.keys(upd).length) Plotly.relayout(chart, upd).then(fillFrame).then(fitLabels);
      }, 150);
    });
  }

  // ------------------------------------------------------------------ newer data
  var latest = body.getAttribute("data-latest");
  if (latest && window.fetch) {
    fetch(latest, {cache: "no-cache"}).then(function (r) { return r.ok ? r.json() : null; }).then(function (v) {
      if (!v || !v.data_version || v.data_version === body.getAttribute("data-version")) return;
      var note = document.getElementById("newer");
      var link = note.querySelector("a");
      if (v.pages && v.pages.indexOf(id + ".html") < 0) link.href = link.href.replace(/[^/]+\/[^/]+\.html$/, id.split("/")[0] + "/map.html");
      if (location.hash) link.href += location.hash;
      note.hidden = false;
      post();
    }).catch(function () {});
  }

  if (window.ResizeObserver) new ResizeObserver(post).observe(root);
  window.addEventListener("load", function () { last = -1; post(); });
  window.addEventListener("resize", post);
})();
