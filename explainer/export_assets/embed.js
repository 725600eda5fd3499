/* Kursk explainer static embed: draw the chart from the page's JSON block, then
   tell the host page how tall we are (on load and whenever our size changes).
   Message: {type: "kursk-embed-height", height: <px>, id: <"lang/page">}. */
(function () {
  "use strict";
  var root = document.documentElement;
  var id = document.body.getAttribute("data-embed-id") || location.pathname;
  var last = -1;

  function post() {
    if (window.parent === window) return;
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({type: "kursk-embed-height", height: height, id: id}, "*");
  }

  var block = document.getElementById("figure-data");
  var chart = document.getElementById("chart");
  if (block && chart && window.Plotly) {
    var fig = JSON.parse(block.textContent);
    window.Plotly.newPlot(chart, fig.data, fig.layout, fig.config).then(post, post);
  }
  if (window.ResizeObserver) new ResizeObserver(post).observe(root);
  window.addEventListener("load", function () { last = -1; post(); });
  window.addEventListener("resize", post);
})();
