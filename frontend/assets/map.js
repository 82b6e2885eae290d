// Thin glue between the Rust app and Leaflet (+ markercluster), loaded before the wasm.
// Everything from the API is inserted as text, never as HTML.
window.zhiyuanMap = (function () {
  var map = null, cluster = null, needLayer = null, userMarker = null, tileFailed = false;

  function config() {
    return window.ZHIYUAN_CONFIG || {};
  }

  // The map started from the shell's map box (index.html) before the wasm arrived: on the
  // home page the first screen's real map, with its tiles, paints before the app; the
  // app's map adopts it instead of making another (create below).
  var early = null;

  // When the tiles cannot load (no network, a blocked tile host), the map says so on
  // itself: a notice in its corner, drawn here as soon as a tile fails, before the app
  // has loaded on the home page, and carried with the map when the app adopts it (so
  // nothing is drawn twice). The app hands its words to create(); the map started before
  // it takes i18n.rs "map_tiles_unavailable" in the language the person chose.
  var TILES_FAILED = [
    '地图底图暂时无法加载，站点标记和列表仍可使用。',
    'Map tiles cannot load right now; markers and the list still work.'
  ];
  // Its close button's name (i18n.rs "map_notice_close"): once closed, the notice stays
  // away for the rest of the visit, on every map, so it never hides markers a person wants
  // to tap (on a phone it covers part of the map).
  var CLOSE = ['关闭提示', 'Dismiss notice'];
  var CLOSED_KEY = 'zhiyuan.mapNoticeClosed';
  var noticeText = null, closeText = null, notice = null;

  function english() {
    try { return localStorage.getItem('zhiyuan.lang') === 'en'; } catch (e) { return false; /* storage refused */ }
  }

  function chosenText() {
    return noticeText || TILES_FAILED[english() ? 1 : 0];
  }

  function chosenClose() {
    return closeText || CLOSE[english() ? 1 : 0];
  }

  function closedThisVisit() {
    try { return sessionStorage.getItem(CLOSED_KEY) === '1'; } catch (e) { return false; }
  }

  // The notice's words in the language now chosen (the app calls this when it changes).
  function setNoticeText(text, close) {
    if (text) noticeText = text;
    if (close) closeText = close;
    if (!notice) return;
    var box = notice.getContainer();
    box.querySelector('.map-notice-text').textContent = chosenText();
    var button = box.querySelector('.map-notice-close');
    button.setAttribute('aria-label', chosenClose());
    button.title = chosenClose();
  }

  function closeNotice(m) {
    try { sessionStorage.setItem(CLOSED_KEY, '1'); } catch (e) { /* storage refused: closed for this map only */ }
    if (notice) { m.removeControl(notice); notice = null; }
    // The button is gone: the keyboard's focus goes to the map it sat on, not to the page's top.
    m.getContainer().focus({ preventScroll: true });
  }

  function showTilesFailed(m) {
    if (notice || closedThisVisit()) return;
    var Notice = L.Control.extend({
      onAdd: function () {
        var box = L.DomUtil.create('div', 'notice map-notice');
        var p = L.DomUtil.create('p', 'map-notice-text', box);
        p.setAttribute('role', 'status');
        p.textContent = chosenText();
        var button = L.DomUtil.create('button', 'map-notice-close', box);
        button.type = 'button';
        button.setAttribute('aria-label', chosenClose());
        button.title = chosenClose();
        button.textContent = '\u00d7';
        L.DomEvent.on(button, 'click', function () { closeNotice(m); });
        // A tap on the notice is not a tap on the map (which would set the location).
        L.DomEvent.disableClickPropagation(box);
        return box;
      }
    });
    notice = new Notice({ position: 'topright' });
    notice.addTo(m);
  }

  function addTiles(m) {
    var cfg = config();
    var tiles = L.tileLayer(cfg.tileUrl || 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 18,
      subdomains: cfg.subdomains || 'abc',
      attribution: cfg.attribution || '&copy; OpenStreetMap contributors'
    });
    tileFailed = false;
    tiles.on('tileerror', function () {
      if (!tileFailed) { tileFailed = true; showTilesFailed(m); }
    });
    tiles.addTo(m);
    return tiles;
  }

  // Leaflet and markercluster: app.html loads both with the page; index.html (the map)
  // Leaflet alone, markercluster coming once the first screen has painted (firstScreen); a
  // station page (station.html, where a shared link lands) draws no map and loads neither
  // until the person goes on to the map. whenReady(done) calls done once Leaflet is there:
  // at once where the page has it, else after loading it (and markercluster beside it), or
  // failing to (offline, never kept: create() then says the map cannot be drawn). The map
  // does not wait for markercluster; its stations do (withCluster), and go on clustered.
  var LEAFLET = { css: ['/leaflet/leaflet.css'], js: ['/leaflet/leaflet.js'] };
  var CLUSTER = {
    css: ['/markercluster/MarkerCluster.css', '/markercluster/MarkerCluster.Default.css'],
    js: ['/markercluster/leaflet.markercluster.js']
  };
  // A file that never answers (a request hung on a weak signal, a browser that fires no
  // load event for a stylesheet) holds things back this long at most.
  var LOAD_WAIT_MS = 15000;

  // Loads the files (the scripts run in this order: markercluster extends Leaflet) and
  // calls done once each has answered, loaded or failed, or LOAD_WAIT_MS at most.
  function load(set, done) {
    var left = set.css.length + set.js.length, called = false;
    function finish() {
      if (!called) { called = true; done(); }
    }
    function settled() {
      if (--left === 0) finish();
    }
    setTimeout(finish, LOAD_WAIT_MS);
    set.css.forEach(function (href) {
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.onload = link.onerror = settled;
      document.head.appendChild(link);
    });
    set.js.forEach(function (src) {
      var script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = script.onerror = settled;
      document.head.appendChild(script);
    });
  }

  // Calls done when ready() holds, loading the files once for every caller meanwhile;
  // what failed is asked for again by the next caller (the network may be back).
  function loader(ready, set) {
    var waiting = null;
    return function (done) {
      if (ready()) { done(); return; }
      if (waiting) { waiting.push(done); return; }
      waiting = [done];
      load(set, function () {
        var callers = waiting;
        waiting = null;
        callers.forEach(function (f) { f(); });
      });
    };
  }
  var CLUSTER_OPTIONS = { showCoverageOnHover: false, maxClusterRadius: 45 };
  function haveCluster() {
    return typeof L !== 'undefined' && typeof L.markerClusterGroup === 'function';
  }
  var leafletLoaded = loader(function () { return typeof L !== 'undefined'; }, LEAFLET);
  var withCluster = loader(haveCluster, CLUSTER);
  function whenReady(done) {
    var missing = typeof L === 'undefined';
    leafletLoaded(done);
    // markercluster beside Leaflet, not after it (inserted after it, it runs after it).
    if (missing) withCluster(function () {});
  }

  function startEarly() {
    if (location.pathname !== '/' || typeof L === 'undefined') return;
    var box = document.querySelector('#app-shell .shell-map');
    if (!box) return;
    var lat = parseFloat(box.getAttribute('data-lat'));
    var lng = parseFloat(box.getAttribute('data-lng'));
    var zoom = parseFloat(box.getAttribute('data-zoom'));
    if (isNaN(lat) || isNaN(lng) || isNaN(zoom)) return;
    // From here the box holds the real map, so screen readers are told of it as the app's is.
    box.removeAttribute('aria-hidden');
    var m = L.map(box, { zoomControl: true, keyboard: true }).setView([lat, lng], zoom);
    var tiles = addTiles(m);
    early = { map: m, box: box };
    // The first screen is the map's tiles: on a phone's few hundred kB a second, the app's
    // script and wasm (index.html's loader waits on firstScreen) and markercluster come
    // after them rather than sharing the network with them. Once every tile of the first
    // view has answered (loaded or failed) and the frame showing them has painted, or
    // FIRST_SCREEN_WAIT_MS at most when a tile host is slow.
    firstScreenPainted = new Promise(function (resolve) {
      // (The second frame's callback runs once the first, with the tiles, has been
      // presented: the frame's own callback runs before it is painted.)
      tiles.once('load', function () {
        requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(resolve, 0); }); });
      });
      setTimeout(resolve, FIRST_SCREEN_WAIT_MS);
    });
    firstScreenPainted.then(function () {
      // For the browser tests and a field measurement: what loaded after this moment.
      if (window.performance && performance.mark) performance.mark('zhiyuan-first-screen');
    });
    // The city's first page of stations, which the shell asked for while the page was
    // parsed (zhiyuan-map-shell.js): on the map as soon as markercluster is there, before
    // the app, which adopts them and then draws its own list over them.
    var firstPage = window.zhiyuanPrefetch && window.zhiyuanPrefetch[FIRST_PAGE];
    firstScreen().then(function () {
      withCluster(function () {
        if (firstPage) firstPage.then(drawEarlyStations);
      });
    });
  }

  // The URL exactly as the shell and the app ask it (zhiyuan-map-shell.js, home.rs).
  var FIRST_PAGE = '/api/stations?limit=100&region=150600';
  // The link's words in a popup before the app has handed its own (i18n.rs view_station).
  var VIEW_STATION = ['查看站点', 'View station'];

  // Markers for the stations of an API answer on the early map, clustered, each popup the
  // station's name, address and a link (the app's, drawn over them, say its type instead).
  function drawEarlyStations(text) {
    if (!early || !text || !haveCluster()) return;
    var items;
    try { items = JSON.parse(text).items; } catch (e) { return; }
    if (!Array.isArray(items)) return;
    var view = VIEW_STATION[english() ? 1 : 0];
    var markers = items.filter(function (s) {
      return s && typeof s.name === 'string' && typeof s.id === 'string'
        && typeof s.lat === 'number' && isFinite(s.lat) && typeof s.lng === 'number' && isFinite(s.lng);
    }).map(function (s) {
      var m = L.marker([s.lat, s.lng], { icon: stationIcon(!!s.demonstration, !!s.five_have_complete, true), title: s.name, alt: s.name, keyboard: true });
      m.bindPopup(function () { return popup(s.name, String(s.address || ''), '/stations/' + encodeURIComponent(s.id), view, true); });
      return m;
    });
    early.cluster = L.markerClusterGroup(CLUSTER_OPTIONS).addTo(early.map);
    early.cluster.addLayers(markers);
    // Until the app hands its own list (setStations), the map says whose stations it shows.
    early.box.setAttribute('data-early-stations', String(markers.length));
  }

  var FIRST_SCREEN_WAIT_MS = 1500, firstScreenPainted = null;
  // Resolves when the app may load: at once on any page but the home page, and there at
  // once too when a service worker controls the page.
  function firstScreen() {
    // A service worker answers the app's files from what it kept: nothing to share the
    // network with, so no reason to wait. (Right after a deploy its copies are of the
    // build before, and the new wasm does share the network with the tiles, once.)
    var kept = navigator.serviceWorker && navigator.serviceWorker.controller;
    return (!kept && firstScreenPainted) || Promise.resolve();
  }

  function create(elementId, lat, lng, zoom, onClick, tilesFailedText, closeLabel) {
    destroy();
    var el = document.getElementById(elementId);
    if (!el || typeof L === 'undefined') return false;
    noticeText = tilesFailedText || null;
    closeText = closeLabel || null;
    var earlyCluster = null;
    if (early) {
      // Adopt the shell's map: its box moves into the app's, filling it, with the markers
      // it may already show (the app's list replaces them in the same slices).
      map = early.map;
      earlyCluster = early.cluster || null;
      var box = early.box;
      early = null;
      box.classList.remove('map');
      box.classList.remove('shell-map');
      box.style.height = '100%';
      el.appendChild(box);
      map.invalidateSize();
      map.setView([lat, lng], zoom);
      setNoticeText(noticeText, closeText);
    } else {
      map = L.map(el, { zoomControl: true, keyboard: true }).setView([lat, lng], zoom);
      addTiles(map);
    }
    needLayer = L.layerGroup().addTo(map);
    if (onClick) {
      map.on('click', function (e) { onClick(e.latlng.lat, e.latlng.lng); });
    }
    // The stations' layer once markercluster is there (at once where it is): stations
    // handed over before then wait in `pending`. Without it (it could not be had), plain.
    var made = map;
    withCluster(function () {
      if (map !== made) return;
      cluster = earlyCluster || (haveCluster()
        ? L.markerClusterGroup(CLUSTER_OPTIONS)
        : L.layerGroup());
      cluster.addTo(map);
      if (pending.length) drain();
    });
    return true;
  }

  function destroy() {
    // The notice goes with its map (not with the early map, which create() adopts).
    if (map) { map.remove(); notice = null; }
    map = null; cluster = null; needLayer = null; userMarker = null;
    stationsRun++;
    pending = []; slicing = false;
  }

  // The station markers' icons, one per look (demonstration, five-have complete), shared
  // by every marker rather than made 200 times while the page is starting. Those drawn
  // before the app (drawEarlyStations) say so in a class, which the tests look for.
  var stationIcons = {};
  function stationIcon(demo, five, beforeApp) {
    var key = (demo ? 'd' : '') + (five ? 'f' : '') + (beforeApp ? 'e' : '');
    if (!stationIcons[key]) {
      stationIcons[key] = L.divIcon({
        className: 'zy-marker' + (demo ? ' zy-marker-demo' : '') + (five ? ' zy-marker-five' : '')
          + (beforeApp ? ' zy-marker-early' : ''),
        html: '<span aria-hidden="true"></span>',
        iconSize: [22, 22]
      });
    }
    return stationIcons[key];
  }

  // A marker's popup: name, a line under it, and a link, as text (never HTML).
  function popup(title, line, href, label, beforeApp) {
    var box = document.createElement('div');
    box.className = beforeApp ? 'zy-popup zy-popup-early' : 'zy-popup';
    var strong = document.createElement('strong');
    strong.textContent = title;
    var detail = document.createElement('div');
    detail.textContent = line;
    var link = document.createElement('a');
    link.href = href;
    link.textContent = label;
    link.className = 'zy-popup-link';
    box.appendChild(strong); box.appendChild(detail); box.appendChild(link);
    return box;
  }

  // list: array of [name, lat, lng, type label, demonstration, five-have complete, href,
  // view label] (components/map.rs). A popup's content is made when it is opened.
  //
  // A province's thousands of stations go on in slices of SLICE, one task each with the
  // page answering between them, so a phone is never frozen; a city's first slice is on
  // the map at once. A newer list (a filter, the language) or another map stops the
  // slices of the last one: `stationsRun` counts the lists. addStations() puts the next
  // page of the same list on after what is waiting (`pending`), in the same slices.
  var SLICE = 100, stationsRun = 0, pending = [], slicing = false;
  function setStations(list) {
    if (!map) return 0;
    stationsRun++;
    pending = list.slice();
    slicing = false;
    map.getContainer().removeAttribute('data-early-stations');
    if (cluster) { cluster.clearLayers(); drain(); }
    return list.length;
  }

  function addStations(list) {
    if (!map) return 0;
    pending = pending.concat(list);
    if (cluster && !slicing) drain();
    return list.length;
  }

  function drain() {
    var run = stationsRun, layer = cluster;
    slicing = true;
    function slice() {
      // A newer list or map took over, with slices of its own.
      if (run !== stationsRun) return;
      var markers = pending.splice(0, SLICE).map(function (a) {
        var m = L.marker([a[1], a[2]], { icon: stationIcon(a[4], a[5]), title: a[0], alt: a[0], keyboard: true });
        m.bindPopup(function () { return popup(a[0], a[3], a[6], a[7]); });
        return m;
      });
      if (layer.addLayers) { layer.addLayers(markers); } else { markers.forEach(function (m) { layer.addLayer(m); }); }
      if (pending.length) { setTimeout(slice, 0); } else { slicing = false; }
    }
    slice();
  }

  // list: array of [title, lat, lng, detail, href, view label]; drawn apart from the
  // stations (not clustered with them) as diamond markers.
  function setNeeds(list) {
    if (!map || !needLayer) return 0;
    needLayer.clearLayers();
    var icon = L.divIcon({ className: 'zy-need-marker', html: '<span aria-hidden="true"></span>', iconSize: [18, 18] });
    list.forEach(function (a) {
      var m = L.marker([a[1], a[2]], { icon: icon, title: a[0], alt: a[0], keyboard: true });
      m.bindPopup(function () { return popup(a[0], a[3], a[4], a[5]); });
      needLayer.addLayer(m);
    });
    return list.length;
  }

  function showUser(lat, lng, label) {
    if (!map) return;
    if (userMarker) { map.removeLayer(userMarker); }
    userMarker = L.circleMarker([lat, lng], { radius: 9, color: '#1565c0', fillColor: '#42a5f5', fillOpacity: 0.9 });
    userMarker.bindTooltip(label);
    userMarker.addTo(map);
    map.setView([lat, lng], Math.max(map.getZoom(), 12));
  }

  function setView(lat, lng, zoom) {
    if (map) map.setView([lat, lng], zoom);
  }

  function invalidate() {
    if (map) map.invalidateSize();
  }

  startEarly();
  return { firstScreen: firstScreen, whenReady: whenReady, create: create, destroy: destroy, setStations: setStations, addStations: addStations, setNeeds: setNeeds, showUser: showUser, setView: setView, invalidate: invalidate, setNoticeText: setNoticeText };
})();
