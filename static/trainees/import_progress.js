// Polls the import's status and moves the progress bar; reloads the page when it is done.
// Without JavaScript the page keeps its "Refresh" link.
(function () {
  var box = document.querySelector("[data-import-status]");
  if (!box) return;
  var bar = document.getElementById("import-progress");
  var text = document.getElementById("import-progress-text");
  function poll() {
    fetch(box.getAttribute("data-import-status"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        text.textContent = s.percent + "%";
        if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
