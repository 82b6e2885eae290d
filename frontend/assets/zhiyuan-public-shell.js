// public.html's app shell (and activities.html's, the same page), run as the page is parsed (before the wasm has loaded): the list
// pages' real heading (in the language the person chose) and the activities' filter bar, so
// the page is there at its size at once; and the first API read of an activity page started
// now rather than after the wasm: the app takes this answer instead of asking again
// (`prefetched` in src/api/public.rs). A file, not an inline script: the
// Content-Security-Policy runs none (functions/src/security_headers.rs).
(function () {
  var path = location.pathname.replace(/\/+$/, '');
  var en = false;
  try {
    en = localStorage.getItem('zhiyuan.lang') === 'en';
  } catch (e) {
    // Storage refused (private mode): the default language.
  }
  // The same words as the app's (i18n.rs: activities_title, needs_title, service_field,
  // filter_region).
  var titles = {
    '/activities': ['志愿活动', 'Volunteer activities'],
    '/needs': ['群众需求（供需对接）', "Residents' needs"]
  };
  // The URLs exactly as the app builds them (api::activities with no filter and its page
  // of ACTIVITIES_PAGE, and api::regions for its banner filter; api::activity).
  var api = [];
  var one = path.match(/^\/activities\/([0-9A-Za-z]+)$/);
  if (path === '/activities' && !location.search) {
    api = ['/api/activities?limit=20', '/api/regions'];
  } else if (one && one[1] !== 'new') {
    api = ['/api/activities/' + one[1]];
  }
  if (window.fetch) {
    // Answers by URL, each the body's text or null (src/api/mod.rs prefetched_text).
    window.zhiyuanPrefetch = {};
    api.forEach(function (url) {
      window.zhiyuanPrefetch[url] = fetch(url, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .catch(function () { return null; });
    });
  }
  var main = document.querySelector('#app-shell .shell-main');
  var title = titles[path];
  if (!main || !title) return;
  var page = document.createElement('section');
  page.className = 'page';
  var h1 = document.createElement('h1');
  h1.textContent = title[en ? 1 : 0];
  page.appendChild(h1);
  // The activities list's filter bar as the app draws it (same classes, same labels), inert
  // and hidden from screen readers until the app takes over: the list below it then
  // starts where the app's will, and nothing moves.
  if (path === '/activities') {
    var filters = document.createElement('div');
    filters.className = 'filters';
    filters.setAttribute('aria-hidden', 'true');
    [['服务领域', 'Service field'], ['旗区', 'Banner / district']].forEach(function (l) {
      var field = document.createElement('div');
      field.className = 'form-field';
      var label = document.createElement('label');
      label.textContent = l[en ? 1 : 0];
      var select = document.createElement('span');
      select.className = 'shell-select';
      field.appendChild(label);
      field.appendChild(select);
      filters.appendChild(field);
    });
    page.appendChild(filters);
  }
  main.insertBefore(page, main.firstChild);
})();
