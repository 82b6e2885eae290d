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

  // Leaflet and markercluster: app.html loads both with the page, index.html (the map)
  // Leaflet alone, and markercluster here once the first screen has painted (firstScreen);
  // a station page (station.html, where a shared link lands) does not draw a map, so both
  // come here only when the person goes on to the map. done() runs once what was missing
  // has loaded, or failed to (offline, never kept): create() then says the map cannot be
  // drawn, or draws the markers unclustered. What failed once is not asked for again.
  var LEAFLET_CSS = ['/leaflet/leaflet.css', '/markercluster/MarkerCluster.css', '/markercluster/MarkerCluster.Default.css'];
  var LEAFLET_JS = ['/leaflet/leaflet.js', '/markercluster/leaflet.markercluster.js'];
  // A file that never answers (a request hung on a weak signal, a browser that fires no
  // load event for a stylesheet) holds the map back this long at most.
  var LEAFLET_WAIT_MS = 15000;
  var leafletWaiting = null, leafletAsked = false;
  function whenReady(done) {
    // While they load (Leaflet may have run before markercluster has), wait for all.
    if (leafletWaiting) { leafletWaiting.push(done); return; }
    var haveLeaflet = typeof L !== 'undefined';
    if (leafletAsked || (haveLeaflet && typeof L.markerClusterGroup === 'function')) { done(); return; }
    leafletAsked = true;
    leafletWaiting = [done];
    // With Leaflet there (index.html), only markercluster's files.
    var css = haveLeaflet ? LEAFLET_CSS.slice(1) : LEAFLET_CSS;
    var js = haveLeaflet ? LEAFLET_JS.slice(1) : LEAFLET_JS;
    var left = css.length + js.length;
    function release() {
      var waiting = leafletWaiting;
      leafletWaiting = null;
      if (waiting) waiting.forEach(function (f) { f(); });
    }
    function settled() {
      if (--left === 0) release();
    }
    setTimeout(release, LEAFLET_WAIT_MS);
    css.forEach(function (href) {
      var link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = href;
      link.onload = link.onerror = settled;
      document.head.appendChild(link);
    });
    // In this order (markercluster extends Leaflet), each as soon as it arrives.
    js.forEach(function (src) {
      var script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.onload = script.onerror = settled;
      document.head.appendChild(script);
    });
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
      tiles.once('load', function () {
        requestAnimationFrame(function () { setTimeout(resolve, 0); });
      });
      setTimeout(resolve, FIRST_SCREEN_WAIT_MS);
    });
    firstScreenPainted.then(function () {
      // For the browser tests and a field measurement: what loaded after this moment.
      if (window.performance && performance.mark) performance.mark('zhiyuan-first-screen');
      whenReady(function () {});
    });
  }

  var FIRST_SCREEN_WAIT_MS = 1500, firstScreenPainted = null;
  // Resolves when the app may load: at once on any page but the home page's first load.
  function firstScreen() {
    return firstScreenPainted || Promise.resolve();
  }

  function create(elementId, lat, lng, zoom, onClick, tilesFailedText, closeLabel) {
    destroy();
    var el = document.getElementById(elementId);
    if (!el || typeof L === 'undefined') return false;
    noticeText = tilesFailedText || null;
    closeText = closeLabel || null;
    if (early) {
      // Adopt the shell's map: its box moves into the app's, filling it.
      map = early.map;
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
    cluster = (typeof L.markerClusterGroup === 'function')
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 })
      : L.layerGroup();
    cluster.addTo(map);
    needLayer = L.layerGroup().addTo(map);
    if (onClick) {
      map.on('click', function (e) { onClick(e.latlng.lat, e.latlng.lng); });
    }
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
  // by every marker rather than made 200 times while the page is starting.
  var stationIcons = {};
  function stationIcon(demo, five) {
    var key = (demo ? 'd' : '') + (five ? 'f' : '');
    if (!stationIcons[key]) {
      stationIcons[key] = L.divIcon({
        className: 'zy-marker' + (demo ? ' zy-marker-demo' : '') + (five ? ' zy-marker-five' : ''),
        html: '<span aria-hidden="true"></span>',
        iconSize: [22, 22]
      });
    }
    return stationIcons[key];
  }

  // A marker's popup: name, a line under it, and a link, as text (never HTML).
  function popup(title, line, href, label) {
    var box = document.createElement('div');
    box.className = 'zy-popup';
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
    if (!map || !cluster) return 0;
    stationsRun++;
    cluster.clearLayers();
    pending = list.slice();
    drain();
    return list.length;
  }

  function addStations(list) {
    if (!map || !cluster) return 0;
    pending = pending.concat(list);
    if (!slicing) drain();
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
