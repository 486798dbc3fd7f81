// Dashboard breakdowns: folded in <details> (which opens without script); when one is opened,
// its chart (on a screen wide enough for it) or its long table is fetched from the breakdown
// endpoint and put in place of the folded body. Nothing is fetched for a breakdown not opened.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 40rem)");

  function load(details) {
    if (details.dataset.loaded || !details.open) return;
    if (details.hasAttribute("data-inline") && !wide.matches) return; // the table is enough
    details.dataset.loaded = "loading";
    fetch(details.dataset.src, {
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var body = details.querySelector(".breakdown-body");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector(".breakdown-body");
        if (body && fresh) body.replaceWith(fresh);
        details.dataset.loaded = "yes";
      })
      .catch(function () {
        delete details.dataset.loaded; // try again when opened again
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("details.breakdown[data-src]").forEach(function (details) {
      details.addEventListener("toggle", function () { load(details); });
      load(details);
    });
  });
})();
