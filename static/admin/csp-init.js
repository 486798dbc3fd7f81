/* Starts what Wagtail's admin would start from inline scripts (date and time pickers, inline
   panels), which the Content-Security-Policy forbids. The templates that replace those scripts
   (templates/wagtailadmin/) leave a hidden element saying what to start and with what; this
   starts each one once, when the page loads and when a form part is added later (a new inline
   panel child, a dialog loaded into the page). */
(function () {
  "use strict";

  function start(element) {
    if (element.dataset.cspStarted) {
      return;
    }
    var name = element.dataset.cspInit || element.dataset.cspNew;
    var target = window[name];
    if (typeof target !== "function") {
      return;
    }
    element.dataset.cspStarted = "1";
    if (element.dataset.cspInit) {
      target(element.dataset.cspFor, JSON.parse(element.dataset.cspConfig || "{}"));
    } else {
      new target(JSON.parse(element.dataset.cspOptions)); // eslint-disable-line no-new, new-cap
    }
  }

  function startWithin(root) {
    if (root.matches && root.matches("[data-csp-init], [data-csp-new]")) {
      start(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-csp-init], [data-csp-new]").forEach(start);
    }
  }

  function watch() {
    startWithin(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(startWithin);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
