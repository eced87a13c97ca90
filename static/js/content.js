// Community videos: nothing is loaded from the video site until the visitor asks for it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-load-video]");
    if (!button) { return; }
    var box = button.closest(".video-consent");
    var src = box && box.getAttribute("data-embed-src");
    if (!src || src.indexOf("https://") !== 0) { return; }
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = box.getAttribute("data-embed-title") || "video";
    frame.setAttribute("allow", "encrypted-media; picture-in-picture; fullscreen");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    frame.setAttribute("loading", "lazy");
    frame.className = "video-frame";
    box.replaceChildren(frame);
    frame.focus();
  });
})();
