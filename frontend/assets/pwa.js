// Registers the service worker (sw.js) and tells the app whether it is showing what was
// kept from an earlier visit (no network). Loaded before the wasm; plain script.
(function () {
  'use strict';
  var KEEP = ['zhiyuan.lang', 'zhiyuan.large_text'];
  function say(offline) {
    window.zhiyuanOffline = offline;
    window.dispatchEvent(new CustomEvent('zhiyuan-connectivity'));
  }
  window.zhiyuanOffline = !navigator.onLine;
  window.addEventListener('online', function () { say(false); });
  window.addEventListener('offline', function () { say(true); });
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', function (e) {
      if (e.data && e.data.type === 'offline') say(true);
      if (e.data && e.data.type === 'online') say(false);
    });
    // Once the page has loaded and its app has started (Trunk's loader says so): on `/`
    // the app's wasm is fetched after the page's load event (map.js firstScreen), and the
    // worker's install, which keeps that wasm, would otherwise download it a second time
    // beside the app. An app that never starts gets the worker 10 s after the load.
    var loaded = false, started = false, registered = false;
    function register() {
      if (registered || !loaded || !started) return;
      registered = true;
      navigator.serviceWorker.register('/sw.js').catch(function () {});
    }
    window.addEventListener('TrunkApplicationStarted', function () { started = true; register(); });
    window.addEventListener('load', function () {
      loaded = true;
      register();
      setTimeout(function () { started = true; register(); }, 10000);
    });
  }
  // Sign-out on a shared phone: nothing of the last person stays. Every cache and every
  // stored item goes, except the language and large-text choices.
  window.zhiyuanForget = function () {
    try {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var k = localStorage.key(i);
        if (KEEP.indexOf(k) < 0) localStorage.removeItem(k);
      }
      sessionStorage.clear();
    } catch (e) { /* storage blocked: nothing was kept there */ }
    if (window.caches) {
      caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
    }
  };
})();
