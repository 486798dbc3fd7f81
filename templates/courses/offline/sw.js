{% load static %}/* Service worker (docs/offline.md): served from /sw.js so that its scope is the whole site.
   Pages: network first, the copy kept on the phone when the network fails. Static files,
   images and documents: the copy kept on the phone first. Nothing from another site. */
"use strict";
var SHELL = "lms-shell-{{ shell_version }}";
var SHELL_FILES = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
importScripts("{% static 'offline/queue.js' %}");

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_FILES); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("lms-shell-") === 0 && n !== SHELL; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

var MATCH = { ignoreVary: true };

/* The fallback page in the language of the page asked for, never in another one (every
   package keeps it in each language). */
function fallbackPage(url) {
  var language = url.pathname.split("/")[1] === "en" ? "en" : "fr";
  return caches.match("/" + language + "/learn/offline/unavailable/", MATCH);
}

/* A page kept on the phone waits at most PATIENCE for the network (a link that is "up" but
   carries nothing is common in the field), then the kept copy is shown. */
var PATIENCE = 3000;

function page(request) {
  var url = new URL(request.url);
  return caches.match(url.pathname, MATCH).then(function (kept) {
    var network = fetch(request);
    if (!kept) {
      return network.catch(function () {
        return fallbackPage(url).then(function (fallback) { return fallback || Response.error(); });
      });
    }
    return new Promise(function (resolve) {
      var timer = setTimeout(function () { resolve(kept); }, PATIENCE);
      network.then(function (response) { clearTimeout(timer); resolve(response); },
        function () { clearTimeout(timer); resolve(kept); });
    });
  });
}

/* Another width of the same image kept on the phone (the page's srcset may ask for a
   rendition the package did not keep: it keeps phone sizes only). */
function otherRendition(url) {
  var stem = url.pathname.replace(/\.width-\d+\.(\w+)$/, "");
  if (stem === url.pathname) return Promise.resolve(undefined);
  return caches.keys().then(function (names) {
    return names.filter(function (n) { return n.indexOf("lms-course-") === 0; })
      .reduce(function (found, name) {
        return found.then(function (hit) {
          if (hit) return hit;
          return caches.open(name).then(function (cache) {
            return cache.keys().then(function (keys) {
              var key = keys.find(function (k) { return new URL(k.url).pathname.indexOf(stem + ".width-") === 0; });
              return key ? cache.match(key, MATCH) : undefined;
            });
          });
        });
      }, Promise.resolve(undefined));
  });
}

function kept(request) {
  var url = new URL(request.url);
  return caches.match(url.pathname + url.search, MATCH).then(function (hit) {
    if (hit) return hit;
    return fetch(request).catch(function (error) {
      return otherRendition(url).then(function (other) { if (other) return other; throw error; });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (/^\/(admin|xapi|django-admin)\//.test(url.pathname) || url.pathname === "/sw.js") return;
  if (/\/learn\/offline\/(session|sync)\//.test(url.pathname) || /\/offline\/$/.test(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (/^\/(static|media|documents)\//.test(url.pathname)) {
    event.respondWith(kept(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "lms-offline-sync") return;
  event.waitUntil(LmsOffline.get("meta", "language").then(function (row) {
    return LmsOffline.flush(row ? row.value : "fr");
  }));
});
