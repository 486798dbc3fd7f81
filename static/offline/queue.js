/* The phone's own store for offline study (docs/offline.md), shared by the pages and the
   service worker: IndexedDB "lms-offline" with
   - queue:    statements made offline, each tied to the account that made it;
   - packages: courses kept on the phone (descriptor, cache name, size);
   - progress: knowledge-check answers and modules done, per account and module;
   - meta:     last successful sync per account.
   Statements leave the queue only when the server has answered for them: accepted ones are
   removed, refused ones stay with the server's reason and never block the others. */
(function (scope) {
  "use strict";

  var DB_NAME = "lms-offline";
  var BATCH = 10;
  var LOCK = "lms-offline-sync";
  var dbPromise = null;

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var base = request.result;
          base.createObjectStore("queue", { keyPath: "id" });
          base.createObjectStore("packages", { keyPath: "key" });
          base.createObjectStore("progress", { keyPath: "key" });
          base.createObjectStore("meta", { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(store, mode, work) {
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction(store, mode);
        var result;
        var request = work(tx.objectStore(store));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function get(store, key) { return run(store, "readonly", function (s) { return s.get(key); }); }
  function put(store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); }
  function del(store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); }
  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }

  function uuid4() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function changed() {
    try { new BroadcastChannel("lms-offline").postMessage("changed"); } catch (e) { /* old browser */ }
  }

  /* One statement as the platform expects it from a phone: the trainee's own account, the
     course as parent, the enrolment as registration, the time the learning happened. */
  function statementMake(pkg, verb, target, result) {
    var statement = {
      id: uuid4(),
      actor: pkg.actor,
      verb: { id: "http://adlnet.gov/expapi/verbs/" + verb, display: { en: verb } },
      object: target,
      context: {
        registration: pkg.registration,
        contextActivities: { parent: [pkg.course_activity], grouping: [pkg.programme_activity] },
      },
      timestamp: new Date().toISOString(),
    };
    if (result) statement.result = result;
    return statement;
  }

  /* Queue a statement, and with it the progress it makes (``progress``, optional), in one
     transaction: both are kept or neither is. A full storage rejects with
     ``QuotaExceededError``; what was queued before stays as it was. */
  function enqueue(pkg, statement, progress) {
    var row = {
      id: statement.id, account: pkg.account, statement: statement,
      status: "waiting", reason: "", made: Date.now(),
    };
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction(progress ? ["queue", "progress"] : ["queue"], "readwrite");
        tx.objectStore("queue").put(row);
        if (progress) tx.objectStore("progress").put(progress);
        tx.oncomplete = function () { resolve(); };
        tx.onabort = function () { reject(tx.error || new DOMException("aborted", "AbortError")); };
      });
    }).then(function () {
      changed();
      if (scope.registration && scope.registration.sync) return;
      if (typeof navigator !== "undefined" && navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) return reg.sync.register(LOCK);
        }).catch(function () { /* Background Sync refused: online event and page load */ });
      }
    });
  }

  function entries(account) {
    return all("queue").then(function (rows) {
      return rows.filter(function (r) { return r.account === account; })
        .sort(function (a, b) { return a.made - b.made; });
    });
  }

  function withLock(work) {
    var locks = scope.navigator && scope.navigator.locks;
    // Two tabs (or a tab and the service worker) never send the same queue at once.
    return locks ? locks.request(LOCK, work) : work();
  }

  /* Send what waits for the signed-in account, in batches; returns a summary. */
  function flush(language) {
    return withLock(function () {
      var base = "/" + (language || "fr") + "/learn/offline/";
      return fetch(base + "session/", { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.json(); })
        .then(function (session) {
          if (!session.account) return { signedOut: true };
          return entries(session.account).then(function (rows) {
            var waiting = rows.filter(function (r) { return r.status === "waiting"; });
            var sent = 0;
            function next(start) {
              if (start >= waiting.length) return Promise.resolve();
              var batch = waiting.slice(start, start + BATCH);
              return fetch(base + "sync/", {
                method: "POST", credentials: "same-origin", cache: "no-store",
                headers: { "Content-Type": "application/json", "X-CSRFToken": session.csrf },
                body: JSON.stringify({ statements: batch.map(function (r) { return r.statement; }) }),
              }).then(function (response) {
                if (!response.ok) throw new Error("sync " + response.status);
                return response.json();
              }).then(function (body) {
                var byId = {};
                batch.forEach(function (r) { byId[r.id] = r; });
                return Promise.all(body.results.map(function (result) {
                  var row = byId[result.id];
                  if (!row) return null;
                  if (result.status === "accepted") { sent += 1; return del("queue", row.id); }
                  row.status = "refused";
                  row.reason = result.reason || "";
                  // The reason is in the language of this send; the code lets a page in
                  // another language say it in its own words.
                  row.code = result.code || "";
                  row.language = language || "fr";
                  return put("queue", row);
                }));
              }).then(function () {
                return put("meta", { key: "sync:" + session.account, at: Date.now() });
              }).then(function () { changed(); return next(start + BATCH); });
            }
            return next(0).then(function () { return { sent: sent }; });
          });
        });
    });
  }

  function isFull(error) {
    return !!error && (error.name === "QuotaExceededError" || /quota/i.test(String(error.message)));
  }

  scope.LmsOffline = {
    get: get, put: put, del: del, all: all, uuid4: uuid4, changed: changed,
    statementMake: statementMake, enqueue: enqueue, entries: entries, flush: flush,
    isFull: isFull,
  };
})(self);
