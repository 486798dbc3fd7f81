/* Offline study on the pages (docs/offline.md): the service worker, the course's copy on
   the phone, knowledge checks and "done" while offline, and the sync status. Words come
   from #offline-ui (translated by the server); no inline script, nothing from elsewhere. */
(function () {
  "use strict";
  var Q = window.LmsOffline;
  var ui = document.getElementById("offline-ui");
  if (!Q || !ui || !("indexedDB" in window)) return;
  var lang = ui.dataset.language || document.documentElement.lang || "fr";
  var accountMeta = document.querySelector('meta[name="lms-account"]');
  var account = accountMeta ? Number(accountMeta.content) : null;
  var CHECK_EVERY = 5 * 60 * 1000;

  function t(name, values) {
    var text = ui.dataset[name] || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
    return text;
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function size(bytes) {
    var units = [["MB", 1048576], ["KB", 1024]];
    for (var i = 0; i < units.length; i++) {
      if (bytes >= units[i][1]) {
        return new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / units[i][1]) + "\u00a0" + (lang === "fr" ? units[i][0].replace("B", "o") : units[i][0]);
      }
    }
    return bytes + (lang === "fr" ? "\u00a0o" : "\u00a0B");
  }
  function when(ms) {
    return new Date(ms).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }
  /* What happened to a kept course (updated, removed): shown once, in the status area.
     Kept as the name of its words, so the next page says it in its own language. */
  var notes = [];
  function note(name) {
    var kept = JSON.parse(sessionStorage.getItem("lms-offline-notes") || "[]");
    kept.push(name);
    sessionStorage.setItem("lms-offline-notes", JSON.stringify(kept));
  }
  function notesTake() {
    notes = notes.concat(JSON.parse(sessionStorage.getItem("lms-offline-notes") || "[]"));
    sessionStorage.removeItem("lms-offline-notes");
    return notes.map(function (name) { return t(name); }).filter(Boolean);
  }
  /* A refused statement's reason in this page's language: the server's own words when it
     answered in this language, else this page's words for the reason's code. */
  function reasonOf(row) {
    if (!row.language || row.language === lang) return row.reason;
    var code = (row.code || "").replace(/(^|_)([a-z])/g, function (m, s, c) { return c.toUpperCase(); });
    return t("reason" + code) || t("reasonOther");
  }

  /* -- Status: what waits, when it was last sent, what was refused ------------------- */
  var status = document.getElementById("offline-status");
  var syncError = "";
  function statusShow() {
    if (!status || account === null) return Promise.resolve();
    return Promise.all([Q.entries(account), Q.get("meta", "sync:" + account)]).then(function (found) {
      var rows = found[0], last = found[1];
      var waiting = rows.filter(function (r) { return r.status === "waiting"; });
      var refused = rows.filter(function (r) { return r.status === "refused"; });
      status.textContent = "";
      notesTake().forEach(function (text) { status.appendChild(el("p", text, "offline-note")); });
      if (!navigator.onLine && waiting.length) status.appendChild(el("p", t("offline")));
      if (waiting.length) {
        status.appendChild(el("p", waiting.length === 1 ? t("waitingOne") : t("waitingMany", { n: waiting.length }), "offline-waiting"));
      } else if (last) {
        status.appendChild(el("p", t("allSent")));
      }
      if (last) status.appendChild(el("p", t("lastSync", { time: when(last.at) }), "offline-last"));
      if (syncError && waiting.length) status.appendChild(el("p", syncError, "refused"));
      if (refused.length) {
        status.appendChild(el("p", t("refused"), "refused"));
        var list = el("ul", "", "refused");
        refused.forEach(function (r) {
          var name = (r.statement.object.definition && r.statement.object.definition.name) || {};
          var label = name[lang] || name.fr || name.en || r.statement.verb.id.split("/").pop();
          list.appendChild(el("li", label + " — " + reasonOf(r)));
        });
        status.appendChild(list);
      }
      status.hidden = !status.childNodes.length;
    });
  }

  function sync() {
    if (!navigator.onLine || account === null) return Promise.resolve();
    Q.put("meta", { key: "language", value: lang });
    return Q.flush(lang).then(function (outcome) {
      syncError = outcome && outcome.signedOut ? t("signedOut") : "";
    }, function () { syncError = t("syncFailed"); }).then(statusShow);
  }

  /* -- The course's copy on this phone ---------------------------------------------- */
  function packageKey(course) { return account + ":" + course; }

  function fetchKept(cache, url, headers) {
    return fetch(url, { credentials: "same-origin", headers: headers || {}, cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("download " + response.status);
      // Kept as served, headers included: a page shown offline keeps its security policy.
      return response.clone().blob().then(function (blob) {
        return cache.put(new Request(url), response).then(function () { return blob.size; });
      });
    });
  }

  /* Download everything into a new cache; the old copy goes only once the new one is whole. */
  function download(descriptor, packageUrl, videos) {
    var cacheName = "lms-course-" + descriptor.course + "-" + descriptor.version + "-" + Date.now();
    var pageHeaders = { "X-LMS-Offline-Package": "1" };
    return caches.open(cacheName).then(function (cache) {
      var jobs = descriptor.pages.map(function (url) { return [url, pageHeaders]; })
        .concat(descriptor.files.map(function (f) { return [f.url]; }))
        .concat(videos.map(function (url) { return [url]; }));
      var total = 0;
      function next(i) {
        if (i >= jobs.length) return Promise.resolve(total);
        return fetchKept(cache, jobs[i][0], jobs[i][1]).then(function (n) { total += n; return next(i + 1); });
      }
      return next(0);
    }).then(function (bytes) {
      bytes += JSON.stringify(descriptor).length;
      return Q.get("packages", packageKey(descriptor.course)).then(function (old) {
        return Q.put("packages", {
          key: packageKey(descriptor.course), account: account, course: descriptor.course,
          version: descriptor.version, descriptor: descriptor, cache: cacheName, bytes: bytes,
          videos: videos, url: packageUrl, kept: Date.now(), checked: Date.now(),
        }).then(function () { return old && old.cache !== cacheName ? caches.delete(old.cache) : null; });
      });
    }).catch(function (error) {
      return caches.delete(cacheName).then(function () {
        var full = error && (error.name === "QuotaExceededError" || /quota/i.test(String(error.message)));
        throw new Error(full ? t("full") : t("interrupted"));
      });
    });
  }

  function remove(course) {
    return Q.get("packages", packageKey(course)).then(function (row) {
      if (!row) return null;
      return caches.delete(row.cache).then(function () { return Q.del("packages", row.key); });
    });
  }

  /* A new published revision replaces the copy; an unpublished course loses it. */
  function refresh(row, force) {
    if (!navigator.onLine || (!force && Date.now() - (row.checked || 0) < CHECK_EVERY)) return Promise.resolve(row);
    return fetch(row.url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (response.status === 404 || response.status === 403) {
        return remove(row.course).then(function () { note("unpublished"); return null; });
      }
      if (!response.ok) return row;
      return response.json().then(function (descriptor) {
        if (descriptor.version === row.version) {
          row.checked = Date.now();
          return Q.put("packages", row).then(function () { return row; });
        }
        return download(descriptor, row.url, row.videos || []).then(function () {
          note("updated");
          return Q.get("packages", row.key);
        });
      });
    }).catch(function () { return row; });
  }

  function refreshAll(force) {
    if (account === null) return Promise.resolve();
    return Q.all("packages").then(function (rows) {
      // A copy kept by another account is not this trainee's to read: it goes (its
      // statements stay queued for their own trainee).
      return Promise.all(rows.map(function (row) {
        return row.account === account ? refresh(row, force) : remove(row.course).catch(function () { return null; });
      }));
    });
  }

  function coursePanel() {
    var panel = document.getElementById("offline-course");
    if (!panel || account === null) return;
    var course = panel.dataset.course, packageUrl = panel.dataset.package;
    var state = document.getElementById("offline-course-state");
    var keep = document.getElementById("offline-keep");
    var drop = document.getElementById("offline-remove");
    var videoBox = document.getElementById("offline-videos");
    var videoList = document.getElementById("offline-video-list");
    panel.hidden = false;
    if (!("caches" in window) || !("serviceWorker" in navigator)) {
      state.textContent = t("unsupported");
      keep.hidden = true;
      return;
    }
    var descriptor = null;

    function show(row, message) {
      state.textContent = "";
      if (message) state.appendChild(el("span", message + " ", "offline-note"));
      if (row) state.appendChild(el("span", t("stored", { size: size(row.bytes), time: when(row.kept) })));
      drop.hidden = !row;
    }
    function videos(list, chosen) {
      videoList.textContent = "";
      list.forEach(function (video, i) {
        var box = el("div");
        var input = el("input");
        input.type = "checkbox";
        input.id = "offline-video-" + i;
        input.value = video.url;
        input.checked = chosen.indexOf(video.url) >= 0;
        var label = el("label", video.title + (video.size ? " (" + size(video.size) + ")" : ""));
        label.htmlFor = input.id;
        box.appendChild(input);
        box.appendChild(document.createTextNode(" "));
        box.appendChild(label);
        videoList.appendChild(box);
      });
      videoBox.hidden = !list.length;
    }
    function chosenVideos() {
      return Array.prototype.map.call(videoList.querySelectorAll("input:checked"), function (i) { return i.value; });
    }

    Q.get("packages", packageKey(course)).then(function (row) {
      return row ? refresh(row, true) : null;
    }).then(function (row) {
      show(row);
      statusShow();
      if (row) { descriptor = row.descriptor; videos(descriptor.videos, row.videos || []); }
      if (!navigator.onLine) return;
      return fetch(packageUrl, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (found) {
        if (found) { descriptor = found; videos(found.videos, row ? row.videos || [] : []); }
      });
    }).catch(function () { /* shown below on use */ });

    keep.addEventListener("click", function () {
      keep.disabled = true;
      state.textContent = t("downloading");
      var ready = descriptor && navigator.onLine ? Promise.resolve(descriptor)
        : fetch(packageUrl, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
          if (!r.ok) throw new Error(t("interrupted"));
          return r.json();
        });
      ready.then(function (found) {
        descriptor = found;
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
        return download(found, packageUrl, chosenVideos());
      }).then(function () {
        return Q.get("packages", packageKey(course));
      }).then(function (row) { show(row); }, function (error) {
        return Q.get("packages", packageKey(course)).then(function (row) {
          show(row, error && error.message && error.message.indexOf("download") !== 0 ? error.message : t("interrupted"));
        });
      }).then(function () { keep.disabled = false; });
    });
    drop.addEventListener("click", function () {
      remove(course).then(function () { show(null, t("removed")); });
    });
  }

  /* -- Studying a module without a connection --------------------------------------- */
  function progressKey(pkg, module) { return account + ":" + pkg.registration + ":" + module.key; }

  function modulePage() {
    var body = document.querySelector("[data-offline-module]");
    if (!body || account === null) return;
    var course = body.dataset.offlineCourse, moduleKey = body.dataset.offlineModule;
    Q.get("packages", packageKey(course)).then(function (row) {
      if (!row) return;
      var pkg = row.descriptor;
      var index = pkg.modules.findIndex(function (m) { return m.key === moduleKey; });
      if (index < 0) return;
      var module = pkg.modules[index];
      if (!navigator.onLine) videosNotKept(row.videos || []);
      var moduleTarget = { objectType: "Activity", id: module.iri, definition: { type: pkg.module_type, name: {} } };
      moduleTarget.definition.name[pkg.language] = module.title;
      var key = progressKey(pkg, module);
      Q.get("progress", key).then(function (saved) {
        var progress = saved || { key: key, answers: {}, right: {}, launched: false, done: false };
        /* Queue a step with the progress it makes, in one go: when the phone cannot keep it
           (storage full), the progress goes back to what it was, so the step can be done
           again, and nothing queued before is touched. */
        function record(statement, change) {
          var before = JSON.stringify(progress);
          change();
          return Q.enqueue(pkg, statement, progress).catch(function (error) {
            var was = JSON.parse(before);
            Object.keys(progress).forEach(function (k) { delete progress[k]; });
            Object.keys(was).forEach(function (k) { progress[k] = was[k]; });
            throw new Error(Q.isFull(error) ? t("storageFull") : t("notKept"));
          });
        }

        if (!navigator.onLine && !progress.launched) {
          record(Q.statementMake(pkg, "launched", moduleTarget), function () { progress.launched = true; })
            .then(statusShow, function (error) { storageAlert(error.message); });
        }
        module.checks.forEach(function (check) {
          var section = document.getElementById("check-" + check.id);
          if (!section) return;
          if (progress.answers[check.id]) feedback(section, check, progress.answers[check.id], progress.right[check.id]);
          var form = section.querySelector("form");
          if (!form) return;
          form.addEventListener("submit", function (event) {
            if (navigator.onLine) return; // online: the server marks it, as always
            event.preventDefault();
            var chosen = Array.prototype.map.call(form.querySelectorAll("input:checked"), function (i) { return Number(i.value); }).sort();
            var previous = progress.answers[check.id];
            if (!chosen.length) { feedbackMessage(section, t("choose")); return; }
            if (progress.right[check.id]) return;
            if (previous && previous.join(",") === chosen.join(",")) { feedbackMessage(section, t("sameAnswer")); return; }
            var right = chosen.join(",") === check.correct.slice().sort().join(",");
            var target = { objectType: "Activity", id: check.iri, definition: { type: pkg.question_type, name: {} } };
            target.definition.name[pkg.language] = check.question.slice(0, 250);
            var statement = Q.statementMake(pkg, "answered", target, { success: right, response: chosen.join("[,]") });
            var completes = false;
            record(statement, function () {
              progress.answers[check.id] = chosen;
              progress.right[check.id] = right;
              var all = module.checks.every(function (c) { return progress.answers[c.id] || !hasForm(c); });
              completes = all && !progress.done;
              if (completes) progress.done = true;
            }).then(function () {
              feedback(section, check, chosen, right);
              if (completes) doneShow();
            }, function (error) {
              var box = feedbackBox(section);
              var alert = el("p", error.message, "message refused");
              alert.setAttribute("role", "alert");
              box.appendChild(alert);
            }).then(statusShow);
          });
        });

        var doneForm = document.querySelector("#module-end form");
        if (progress.done) doneShow();
        if (doneForm) {
          doneForm.addEventListener("submit", function (event) {
            if (navigator.onLine) return;
            event.preventDefault();
            var missing = module.checks.some(function (c) { return hasForm(c) && !progress.answers[c.id]; });
            if (missing) { endMessage(t("answerAll")); return; }
            var go = function () { window.location.href = nextUrl(); };
            if (progress.done) { go(); return; }
            record(Q.statementMake(pkg, "experienced", moduleTarget), function () { progress.done = true; })
              .then(go, function (error) { endMessage(error.message, true); });
          });
        }

        function hasForm(check) {
          var section = document.getElementById("check-" + check.id);
          return !!(section && section.querySelector("form"));
        }
        function nextUrl() { return index + 1 < pkg.modules.length ? pkg.modules[index + 1].url : pkg.pages[0]; }
        function doneShow() {
          var end = document.getElementById("module-end");
          if (!end || end.querySelector(".offline-done")) return;
          var form = end.querySelector("form");
          if (form) form.hidden = true;
          var box = el("div", "", "offline-done");
          box.appendChild(el("p", t("moduleDone"), "message success"));
          var link = el("a", index + 1 < pkg.modules.length ? t("next") : t("back"), "button");
          link.href = nextUrl();
          box.appendChild(link);
          end.insertBefore(box, end.firstChild);
        }
      });
    });
  }

  /* Offline, a video the trainee did not keep says so instead of failing silently. */
  function videosNotKept(kept) {
    Array.prototype.forEach.call(document.querySelectorAll("video"), function (video) {
      var source = video.querySelector("source");
      var url = source ? source.getAttribute("src") : video.getAttribute("src");
      var figure = video.closest("figure") || video.parentNode;
      if (!url || kept.indexOf(url) >= 0 || figure.querySelector(".offline-video")) return;
      figure.appendChild(el("p", t("videoNotKept"), "offline-video warning"));
    });
  }

  function feedbackBox(section) {
    var box = section.querySelector(".offline-feedback");
    if (!box) {
      box = el("div", "", "offline-feedback");
      box.setAttribute("role", "status");
      section.appendChild(box);
    }
    box.textContent = "";
    return box;
  }
  function feedbackMessage(section, text) { feedbackBox(section).appendChild(el("p", text)); }
  function feedback(section, check, chosen, right) {
    var box = feedbackBox(section);
    box.appendChild(el("p", right ? t("right") : t("notQuite"), right ? "message success" : "message"));
    var list = el("ul");
    chosen.forEach(function (i) {
      var label = section.querySelector('label[for="c-' + check.id + "-" + i + '"]');
      var item = el("li");
      item.appendChild(el("strong", t("yourAnswer")));
      item.appendChild(document.createTextNode(" " + (label ? label.textContent : "")));
      if (check.feedback[i]) { item.appendChild(el("br")); item.appendChild(el("em", check.feedback[i])); }
      list.appendChild(item);
    });
    box.appendChild(list);
    var form = section.querySelector("form");
    if (form && right) form.hidden = true;
  }
  function endMessage(text, alert) {
    var end = document.getElementById("module-end");
    var box = end.querySelector(".offline-end-message") || el("p", "", "offline-end-message message");
    box.textContent = text;
    if (alert) box.setAttribute("role", "alert");
    end.insertBefore(box, end.firstChild);
  }
  /* A step the phone could not keep, said at the top of the page. */
  function storageAlert(text) {
    if (!status) return;
    var box = el("p", text, "refused");
    box.setAttribute("role", "alert");
    status.insertBefore(box, status.firstChild);
    status.hidden = false;
  }

  /* -- The final assessment needs a connection ------------------------------------- */
  function assessmentGuard() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-needs-connection]");
      if (!link || navigator.onLine) return;
      event.preventDefault();
      var message = link.parentNode.querySelector(".offline-assessment") || el("p", "", "offline-assessment warning");
      message.textContent = t("assessment");
      message.setAttribute("role", "alert");
      link.parentNode.appendChild(message);
    });
    var unavailable = document.getElementById("offline-assessment-message");
    if (unavailable && /\/assessment\//.test(window.location.pathname)) {
      unavailable.hidden = false;
      document.getElementById("offline-page-message").hidden = true;
    }
  }

  /* -- Start ----------------------------------------------------------------------- */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* no offline copy */ });
  }
  try {
    new BroadcastChannel("lms-offline").onmessage = function () { statusShow(); };
  } catch (e) { /* old browser: the status updates on the next page */ }
  window.addEventListener("online", function () { refreshAll(true).then(sync); });
  window.addEventListener("offline", statusShow);
  assessmentGuard();
  coursePanel();
  modulePage();
  statusShow().then(function () { return sync(); }).then(function () { return refreshAll(false); })
    .then(statusShow);
})();
