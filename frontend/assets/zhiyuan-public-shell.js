// public.html's app shell, run as the page is parsed (before the wasm has loaded): the list
// pages' real heading (in the language the person chose) and a skeleton of their list, so
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
  // The same words as the app's headings (i18n.rs: activities_title, needs_title).
  var titles = {
    '/activities': ['志愿活动', 'Volunteer activities'],
    '/needs': ['群众需求（供需对接）', "Residents' needs"]
  };
  // The URL exactly as the app builds it (api::activities with no filter, api::activity).
  var api = null;
  var one = path.match(/^\/activities\/([0-9A-Za-z]+)$/);
  if (path === '/activities' && !location.search) {
    api = '/api/activities?limit=50';
  } else if (one && one[1] !== 'new') {
    api = '/api/activities/' + one[1];
  }
  if (api && window.fetch) {
    window.zhiyuanPrefetch = {
      url: api,
      answer: fetch(api, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .catch(function () { return null; })
    };
  }
  var main = document.querySelector('#app-shell .shell-main');
  var title = titles[path];
  if (!main || !title) return;
  var page = document.createElement('section');
  page.className = 'page';
  var h1 = document.createElement('h1');
  h1.textContent = title[en ? 1 : 0];
  page.appendChild(h1);
  // Where the filters and the cards will be: blank boxes, hidden from screen readers (the
  // shell's "loading" status speaks for them).
  var bones = document.createElement('div');
  bones.setAttribute('aria-hidden', 'true');
  var filters = document.createElement('div');
  filters.className = 'filters shell-filters';
  bones.appendChild(filters);
  var list = document.createElement('ul');
  list.className = 'card-list';
  for (var i = 0; i < 4; i++) {
    var card = document.createElement('li');
    card.className = 'card shell-card';
    list.appendChild(card);
  }
  bones.appendChild(list);
  page.appendChild(bones);
  main.insertBefore(page, main.firstChild);
})();
