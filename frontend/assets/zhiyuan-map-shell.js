// index.html's app shell, run as the page is parsed (before the wasm has loaded). On the
// home page it starts the markers' first reads. On a station page (a link shared in a chat
// lands there first) it paints that page's own frame (back to the map, "loading") rather
// than the home page's map, starts the station's read, and paints the station's name as
// soon as that read answers, where the app draws it. The app takes these answers instead
// of asking again (`prefetched_text` in src/api/mod.rs). A file, not an inline script: the
// Content-Security-Policy runs none (functions/src/security_headers.rs).
(function () {
  // Answers by URL, each the body's text or null (src/api/mod.rs prefetched_text).
  function ask(url) {
    if (!window.fetch) return null;
    window.zhiyuanPrefetch = window.zhiyuanPrefetch || {};
    var answer = fetch(url, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .catch(function () { return null; });
    window.zhiyuanPrefetch[url] = answer;
    return answer;
  }
  var path = location.pathname.replace(/\/+$/, '');
  // The home page's first reads, the URLs exactly as the app builds them for the whole
  // city (pages/home.rs: api::regions, api::stations_in_region's first page): the markers'
  // data is then on its way while the wasm loads. (The home page reads no query: a link
  // shared in a chat arrives with one, ?from=singlemessage….)
  if (path === '') {
    ask('/api/regions');
    ask('/api/stations?limit=100&region=150600');
    return;
  }
  var one = path.match(/^\/stations\/([0-9A-Za-z]+)$/);
  var main = document.querySelector('#app-shell .shell-main');
  if (!one || !main) return;
  var en = false;
  try {
    en = localStorage.getItem('zhiyuan.lang') === 'en';
  } catch (e) {
    // Storage refused (private mode): the default language.
  }
  // The app's words (i18n.rs: back_to_map, loading).
  var words = en ? ['Back to the map', 'Loading…'] : ['返回地图', '加载中…'];
  var page = document.createElement('section');
  page.className = 'page narrow';
  var back = document.createElement('a');
  back.className = 'back';
  back.href = '/';
  back.textContent = words[0];
  var status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.textContent = words[1];
  page.appendChild(back);
  page.appendChild(status);
  main.textContent = '';
  main.appendChild(page);
  // The URL exactly as the app builds it (api::station).
  var answer = ask('/api/stations/' + one[1]);
  if (!answer) return;
  answer.then(function (text) {
    // Gone when the app has taken over; then the app draws the name itself.
    if (!text || !page.isConnected) return;
    var name = null;
    try { name = JSON.parse(text).name; } catch (e) { return; }
    if (typeof name !== 'string') return;
    // The app's heading (pages/station.rs), as text, in the same place: the app's own
    // copy replaces it without a move.
    var article = document.createElement('article');
    article.className = 'station';
    var h1 = document.createElement('h1');
    h1.textContent = name;
    article.appendChild(h1);
    page.replaceChild(article, status);
  });
})();
