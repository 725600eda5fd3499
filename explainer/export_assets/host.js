/* Host-page snippet for the Kursk explainer embeds: resizes every
   <iframe data-explainer-embed> to the height its page reports by postMessage.
   Only a message from the iframe's own window and origin is accepted. */
(function () {
  "use strict";
  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (!msg || msg.type !== "kursk-embed-height") return;
    var height = Number(msg.height);
    if (!isFinite(height) || height < 50 || height > 20000) return;
    var frames = document.querySelectorAll("iframe[data-explainer-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, location.href).origin !== event.origin) return;
      frame.style.height = Math.ceil(height) + "px";
      return;
    }
  });
})();
