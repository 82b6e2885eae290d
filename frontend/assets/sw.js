// Zhiyuan's service worker: the app shell and public data for a second visit without a
// network. It keeps public data only: never a response to a request that carries an
// Authorization header, never /api/me…, never anything but the public reads listed below.
'use strict';
// v2: station.html and activities.html became entry pages; v1 kept them under the keys of
// the pages that rendered them before (index.html's, public.html's), so it goes.
var SHELL = 'zhiyuan-shell-v2';
var DATA = 'zhiyuan-public-v1';
// Public reads a person may want again offline: the station list (map markers), station
// pages and the regions the filters name. Everything else goes to the network only.
var PUBLIC_API = [/^\/api\/stations(\/[0-9A-Za-z]+)?$/, /^\/api\/regions$/];
// (map.js and pwa.js go by their hashed names, which index.html gives: scripts/spa-full.sh.)
var STATIC = ['/', '/config.js', '/manifest.webmanifest', '/icons/icon-192.png',
  '/leaflet/leaflet.js', '/leaflet/leaflet.css', '/markercluster/leaflet.markercluster.js',
  '/markercluster/MarkerCluster.css', '/markercluster/MarkerCluster.Default.css'];

// Installs with the shell: index.html and the hashed script, wasm and stylesheet it names.
self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return fetch('/', { cache: 'no-cache' }).then(function (res) {
      return res.clone().text().then(function (html) {
        var named = (html.match(/(?:href|src)="(\/[^"]+)"/g) || []).map(function (m) {
          return m.replace(/^(?:href|src)="/, '').replace(/"$/, '');
        });
        return cache.put('/', res).then(function () {
          return cache.addAll(STATIC.slice(1).concat(named).filter(function (u, i, all) {
            return all.indexOf(u) === i;
          }));
        });
      });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== DATA; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function tell(type) {
  self.clients.matchAll().then(function (cs) { cs.forEach(function (c) { c.postMessage({ type: type }); }); });
}

// Trunk's content hash: 64 bits in hex without leading zeros (usually 16 digits).
var HASHED = /-[0-9a-f]{12,16}(_bg)?\.[a-z]+$/;

// The entry pages: the map is index.html (kept as '/'), station pages station.html (the
// map's without Leaflet), the activities list activities.html, the other public pages
// public.html, every other page the full app, app.html. The same rule as
// zhiyuan_shared::entry::entry_of.
var STATION_PAGE = /^\/stations\/[^/]+\/?$/;
var PUBLIC_PAGE = /^\/(activities|needs|verify|perks|exemplary|verify\/[^/]+|activities\/(?!new\/?$)[^/]+|needs\/(?!new\/?$)[^/]+)\/?$/;
var ENTRY_KEYS = ['/', '/station.html', '/activities.html', '/public.html', '/app.html'];
// Offline, an entry page never kept is stood in for by the larger one that renders its
// pages too: the activities list by public.html, a station page by the map's, and any page
// at last by the map's shell, which says it is offline.
var STAND_IN = { '/activities.html': '/public.html', '/station.html': '/' };
function keptPage(key) {
  return caches.match(key).then(function (hit) {
    if (hit || key === '/') return hit;
    return keptPage(STAND_IN[key] || '/');
  });
}
function entryKey(path) {
  if (path === '/') return '/';
  if (STATION_PAGE.test(path)) return '/station.html';
  if (/^\/activities\/?$/.test(path)) return '/activities.html';
  return PUBLIC_PAGE.test(path) ? '/public.html' : '/app.html';
}

// A new entry page names new hashed files: the kept copies of the old ones go, so a phone
// does not keep every past build. Every kept page's files stay.
function pruneShell() {
  return caches.open(SHELL).then(function (cache) {
    return Promise.all(ENTRY_KEYS.map(function (k) {
      return cache.match(k).then(function (res) { return res ? res.text() : ''; });
    })).then(function (pages) {
      // (\s too: activities.html's meta zhiyuan-next names public.html's files in one
      // attribute, and those it fetched ahead are kept.)
      var named = pages.join('').match(/\/[^"'\s]+-[0-9a-f]{12,16}(_bg)?\.[a-z]+/g) || [];
      return cache.keys().then(function (reqs) {
        return Promise.all(reqs.filter(function (r) {
          var path = new URL(r.url).pathname;
          return HASHED.test(path) && named.indexOf(path) < 0;
        }).map(function (r) { return cache.delete(r); }));
      });
    });
  });
}

// Network first; on failure what was kept, and the page is told it is offline.
function networkFirst(request, cacheName, key) {
  return fetch(request).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(cacheName).then(function (c) { return c.put(key || request, copy); })
        .then(function () { if (key) return pruneShell(); });
    }
    tell('online');
    return res;
  }).catch(function () {
    tell('offline');
    return (key ? keptPage(key) : caches.match(request)).then(function (hit) {
      return hit || new Response('', { status: 503, statusText: 'offline' });
    });
  });
}

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.headers.has('Authorization') || url.pathname.indexOf('/api/me') === 0) return;
  if (url.pathname.indexOf('/api/') === 0) {
    if (PUBLIC_API.some(function (p) { return p.test(url.pathname); })) {
      event.respondWith(networkFirst(req, DATA));
    }
    return;
  }
  if (req.mode === 'navigate') {
    // Every client-side route is one of the entry pages: offline, the kept one boots.
    event.respondWith(networkFirst(req, SHELL, entryKey(url.pathname)));
    return;
  }
  // Hashed files never change under their name: kept copy first. The few others
  // (config.js, Leaflet) answer from the copy and are refreshed behind it.
  var hashed = HASHED.test(url.pathname);
  event.respondWith(caches.match(req).then(function (hit) {
    if (hit && hashed) return hit;
    var fresh = fetch(req).then(function (res) {
      if (res.ok) { var copy = res.clone(); caches.open(SHELL).then(function (c) { c.put(req, copy); }); }
      return res;
    });
    if (hit) { event.waitUntil(fresh.catch(function () {})); return hit; }
    return fresh;
  }));
});
