// The service worker of Community Space (served at /sw.js, so its scope is the whole site).
//
// Pages are fetched from the network first. When the network is gone, a visit to
// /me/reservations answers the copy of that list last fetched online (every successful visit
// keeps one), and any other page answers the offline page, kept at installation with what it
// needs to look right. Signing out, or being sent to the sign-in page, deletes the kept list.
"use strict";

var VERSION = "v1";
var SHELL = "cs-shell-" + VERSION; // the offline page and its styles, scripts and icons
var PAGES = "cs-pages-" + VERSION; // the last-seen list of my reservations
var ASSETS = "cs-assets-" + VERSION; // styles, scripts, fonts and icons as last fetched
var OFFLINE = "/offline";
var RESERVATIONS = "/me/reservations";
var SHELL_FILES = [
  OFFLINE,
  "/vendor/krds/css/component/output.css",
  "/static/app.css",
  "/static/me.css",
  "/static/app.js",
  "/vendor/htmx/htmx.min.js",
  "/static/icon.svg",
  "/static/icon-192.png",
  "/manifest.webmanifest",
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll(SHELL_FILES.map(function (url) { return new Request(url, { cache: "reload" }); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  var kept = [SHELL, PAGES, ASSETS];
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return kept.indexOf(name) < 0; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    if (url.pathname === "/logout") event.waitUntil(caches.delete(PAGES)); // nothing of mine stays behind
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/vendor/") === 0) {
    event.respondWith(asset(request));
  }
});

function page(request, url) {
  var mine = url.pathname === RESERVATIONS;
  return fetch(request).then(function (response) {
    if (mine) keep(request, response);
    return response;
  }).catch(function () {
    return offline(request, mine);
  });
}

function keep(request, response) {
  // a navigation's redirect comes back unfollowed ("opaqueredirect"): from here, only to the sign-in page
  if (response.type === "opaqueredirect" || response.redirected) return caches.delete(PAGES);
  if (!response.ok) return Promise.resolve();
  var copy = response.clone();
  return caches.open(PAGES).then(function (cache) {
    // under its own address (this tab or filter) and as "the list last seen", which the offline page links to
    return Promise.all([cache.put(request.url, copy.clone()), cache.put(RESERVATIONS, copy)]);
  });
}

function offline(request, mine) {
  var found = mine
    ? caches.open(PAGES).then(function (cache) {
        return cache.match(request.url, { ignoreVary: true }).then(function (exact) {
          return exact || cache.match(RESERVATIONS, { ignoreVary: true });
        });
      })
    : Promise.resolve(undefined);
  return found.then(function (kept) {
    return kept || caches.match(OFFLINE, { ignoreVary: true, ignoreSearch: true });
  }).then(function (answer) {
    return answer || new Response("You are offline.", { status: 503, headers: { "Content-Type": "text/plain" } });
  });
}

// styles, scripts and fonts: the network's copy when there is one (they are not fingerprinted), else the last kept
function asset(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(ASSETS).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreVary: true }).then(function (kept) {
      return kept || Response.error();
    });
  });
}
