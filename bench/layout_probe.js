/* The layout rules a graphics desk checks by eye, read from what the browser drew.
   Called as a Playwright evaluate() function with the CSS selector of the charts to check
   (default: every plotly chart on the page); returns a list of violations:
     {chart, rule, a, b?, kind}
   Rules:
     text over text          two labels' boxes overlap (a label's own lines excepted)
     cut by the chart        a label's box leaves its chart's box (plotly clips it there)
     cut by the viewport     a label's box leaves the window's width (the reader cannot scroll to it)
     text over a date line   a label (not an axis tick or legend entry) crosses a vertical line shape
     text over a mark        a label covers a marker that is not its own (a text point's own marker excepted)
     text crossed by a line  a map label crossed by a drawn line (border, outline, scale bar)
     inset over data         the locator inset covers a map trace with a legend entry (areas, places, events)
     number not grouped      a value tick of four digits or more without the locale's thousands separator
                             (1500 where the prose writes 1'500 or 1,500)
   Boxes are the browser's own (getBoundingClientRect); lines and fills are tested with the SVG
   geometry API (isPointInStroke / isPointInFill) at a grid of points, so a diagonal border
   passing beside a label's box corner is not counted. Tolerance: 1 px. */
(selector) => {
  const TOL = 1;
  const out = [];
  const vw = document.documentElement.clientWidth;
  const box = r => ({x0: r.left, y0: r.top, x1: r.right, y1: r.bottom});
  const overlap = (a, b, tol) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > tol && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > tol;
  const visible = el => {
    const s = getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity !== 0 && +(el.getAttribute('opacity') ?? 1) !== 0;
  };
  const KINDS = ['gtitle', 'g-xtitle', 'g-ytitle', 'xtick', 'ytick', 'annotation', 'legend', 'textpoint', 'geo'];
  const kindOf = el => {
    for (let n = el; n && n.classList; n = n.parentNode) {
      const k = KINDS.find(c => n.classList.contains(c));
      if (k) return k === 'geo' ? 'map label' : k;
      if (n.classList.contains('trace')) return 'textpoint';
    }
    return 'text';
  };
  const traceOf = el => {  // the plotly trace a drawn element belongs to (d3 binds calcdata to its group)
    const g = el.closest('.trace');
    const d = g && g.__data__;
    return d && d[0] && d[0].trace ? d[0].trace : null;
  };
  const grid = (b, nx, ny) => {  // points inside a box, in screen coordinates
    const pts = [];
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++)
      pts.push([b.x0 + (b.x1 - b.x0) * (i + 0.5) / nx, b.y0 + (b.y1 - b.y0) * (j + 0.5) / ny]);
    return pts;
  };
  const hits = (path, pts, test) => {
    const m = path.getScreenCTM();
    if (!m) return false;
    const inv = m.inverse();
    const svg = path.ownerSVGElement;
    return pts.some(([x, y]) => {
      const p = svg.createSVGPoint();
      p.x = x; p.y = y;
      return path[test](p.matrixTransform(inv));
    });
  };
  const charts = [...document.querySelectorAll(selector || '.js-plotly-plot')]
    .flatMap(e => e.classList.contains('js-plotly-plot') ? [e] : [...e.querySelectorAll('.js-plotly-plot')]);
  charts.forEach((gd, gi) => {
    const host = gd.closest('[class*="st-key-"]');
    const chart = host ? [...host.classList].find(c => c.startsWith('st-key-')).slice(7) : (gd.id || 'chart' + gi);
    const add = (rule, a, b) => out.push(Object.assign({chart, rule, a: a.text, kind: a.kind}, b ? {b: b.text, kind: a.kind + '/' + b.kind} : {}));
    const frame = box(gd.getBoundingClientRect());
    const texts = [...gd.querySelectorAll('svg text')]
      .filter(t => !t.closest('.hoverlayer') && t.textContent.trim() && visible(t))
      .map(t => ({el: t, text: t.textContent.trim().slice(0, 48), kind: kindOf(t), trace: traceOf(t), b: box(t.getBoundingClientRect())}))
      .filter(t => t.b.x1 - t.b.x0 > 0 && t.b.y1 - t.b.y0 > 0);
    const dateLines = [...gd.querySelectorAll('.shapelayer path')].filter(visible).map(p => box(p.getBoundingClientRect()))
      .filter(b => b.x1 - b.x0 < 4 && b.y1 - b.y0 > 10);
    const marks = [...gd.querySelectorAll('.scatterlayer path.point, .layer path.point')].filter(visible)
      .map(p => ({el: p, trace: traceOf(p), b: box(p.getBoundingClientRect())}))
      .filter(m => m.b.x1 - m.b.x0 > 0);
    const geos = [...gd.querySelectorAll('.geolayer > g.geo, g.geo')];
    const mapLines = [...gd.querySelectorAll('.geo path.js-line')].filter(visible);
    texts.forEach((a, i) => {
      if (a.b.x0 < frame.x0 - TOL || a.b.x1 > frame.x1 + TOL || a.b.y0 < frame.y0 - TOL || a.b.y1 > frame.y1 + TOL) add('cut by the chart', a);
      if (a.b.x0 < -TOL || a.b.x1 > vw + TOL) add('cut by the viewport', a);
      if (a.kind === 'ytick' && /\d{4,}/.test(a.text)) add('number not grouped', a);
      for (let j = i + 1; j < texts.length; j++) {
        const b = texts[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        if (overlap(a.b, b.b, TOL)) add('text over text', a, b);
      }
      const label = !['xtick', 'ytick', 'legend', 'gtitle', 'g-xtitle', 'g-ytitle'].includes(a.kind);
      if (label && dateLines.some(l => overlap(a.b, {x0: l.x0 - 0.5, x1: l.x1 + 0.5, y0: l.y0, y1: l.y1}, 0))) add('text over a date line', a);
      if (label) {  // the marker's own shape (a ring's circle, not its square box) against points of the label
        const pts = grid({x0: a.b.x0 + TOL, x1: a.b.x1 - TOL, y0: a.b.y0 + TOL, y1: a.b.y1 - TOL}, 8, 3);
        const over = m => !(a.kind === 'textpoint' && m.trace && m.trace === a.trace) && overlap(a.b, m.b, 0)
          && (hits(m.el, pts, 'isPointInFill') || hits(m.el, pts, 'isPointInStroke'));
        if (marks.some(over)) add('text over a mark', a);
      }
      if (a.el.closest('.geo')) {
        const pts = grid({x0: a.b.x0 + TOL, x1: a.b.x1 - TOL, y0: a.b.y0 + TOL, y1: a.b.y1 - TOL}, 8, 3);
        if (mapLines.some(p => traceOf(p) !== a.trace && hits(p, pts, 'isPointInStroke'))) add('text crossed by a line', a);
      }
    });
    // the locator inset (a second geo subplot) must not cover the main map's data
    if (geos.length > 1 && gd._fullLayout && gd._fullLayout.geo2) {
      const inset = geos.find(g => g.classList.contains('geo2'));
      const main = geos.find(g => g !== inset && g.classList.contains('geo'));
      const bg = inset && inset.querySelector('.bg rect, rect.bg');
      const ib = box((bg || inset).getBoundingClientRect());
      const pts = grid(ib, 12, 8);
      const data = el => { const t = traceOf(el); return t && t.showlegend !== false && t.visible !== false; };
      const covered = [
        ...[...main.querySelectorAll('path.choroplethlocation')].filter(p => data(p) && visible(p) && hits(p, pts, 'isPointInFill')),
        ...[...main.querySelectorAll('path.point, text')].filter(p => data(p) && visible(p) && overlap(box(p.getBoundingClientRect()), ib, 0)),
      ];
      covered.slice(0, 3).forEach(el => add('inset over data', {text: (traceOf(el) || {}).name || el.textContent || '', kind: 'inset'}));
    }
  });
  return out;
}
