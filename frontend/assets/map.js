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
    m.getContainer().focus();
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
    addTiles(m);
    early = { map: m, box: box };
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
    cluster = newCluster().addTo(map);
    needLayer = L.layerGroup().addTo(map);
    if (onClick) {
      map.on('click', function (e) { onClick(e.latlng.lat, e.latlng.lng); });
    }
    return true;
  }

  // The stations' layer. Markers are added in slices of at most 30 ms with the page
  // answering between them (markercluster's chunked loading), so a slow phone is never
  // frozen while a city's markers go on the map.
  function newCluster() {
    return (typeof L.markerClusterGroup === 'function')
      ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45,
          chunkedLoading: true, chunkInterval: 30, chunkDelay: 10 })
      : L.layerGroup();
  }

  function destroy() {
    // The notice goes with its map (not with the early map, which create() adopts).
    if (map) { map.remove(); notice = null; }
    map = null; cluster = null; needLayer = null; userMarker = null;
  }

  // list: array of [name, lat, lng, type label, demonstration, five-have complete, href,
  // view label] (components/map.rs).
  function setStations(list) {
    if (!map || !cluster) return 0;
    // A new layer rather than clearLayers(): slices of the last list still to come (its
    // chunked loading cannot be stopped) go to the old layer, off the map.
    map.removeLayer(cluster);
    cluster = newCluster().addTo(map);
    var markers = list.map(function (a) {
      var s = { name: a[0], lat: a[1], lng: a[2], type_label: a[3], demo: a[4], five: a[5], href: a[6], view_label: a[7] };
      var icon = L.divIcon({
        className: 'zy-marker' + (s.demo ? ' zy-marker-demo' : '') + (s.five ? ' zy-marker-five' : ''),
        html: '<span aria-hidden="true"></span>',
        iconSize: [22, 22]
      });
      var m = L.marker([s.lat, s.lng], { icon: icon, title: s.name, alt: s.name, keyboard: true });
      var box = document.createElement('div');
      box.className = 'zy-popup';
      var title = document.createElement('strong');
      title.textContent = s.name;
      var type = document.createElement('div');
      type.textContent = s.type_label;
      var link = document.createElement('a');
      link.href = s.href;
      link.textContent = s.view_label;
      link.className = 'zy-popup-link';
      box.appendChild(title); box.appendChild(type); box.appendChild(link);
      m.bindPopup(box);
      return m;
    });
    if (cluster.addLayers) { cluster.addLayers(markers); } else { markers.forEach(function (m) { cluster.addLayer(m); }); }
    return markers.length;
  }

  // list: array of [title, lat, lng, detail, href, view label]; drawn apart from the
  // stations (not clustered with them) as diamond markers.
  function setNeeds(list) {
    if (!map || !needLayer) return 0;
    needLayer.clearLayers();
    list.forEach(function (a) {
      var n = { title: a[0], lat: a[1], lng: a[2], detail: a[3], href: a[4], view_label: a[5] };
      var icon = L.divIcon({ className: 'zy-need-marker', html: '<span aria-hidden="true"></span>', iconSize: [18, 18] });
      var m = L.marker([n.lat, n.lng], { icon: icon, title: n.title, alt: n.title, keyboard: true });
      var box = document.createElement('div');
      box.className = 'zy-popup';
      var title = document.createElement('strong');
      title.textContent = n.title;
      var detail = document.createElement('div');
      detail.textContent = n.detail;
      var link = document.createElement('a');
      link.href = n.href;
      link.textContent = n.view_label;
      link.className = 'zy-popup-link';
      box.appendChild(title); box.appendChild(detail); box.appendChild(link);
      m.bindPopup(box);
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
  return { create: create, destroy: destroy, setStations: setStations, setNeeds: setNeeds, showUser: showUser, setView: setView, invalidate: invalidate, setNoticeText: setNoticeText };
})();
