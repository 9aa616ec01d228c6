// Language tabs for mdbook-codetabs. The markup works without this script
// (every panel shown under its label); this turns it into WAI-ARIA tabs whose
// one language choice rules every group, survives reloads and never moves the
// group under the reader's pointer.
(function () {
  'use strict';
  var KEY = 'codetabs-lang';
  var ATTR = 'data-codetabs-lang';
  var groups = [].slice.call(document.querySelectorAll('.codetabs'));
  if (!groups.length) return;

  // Storage throws on file:// and in some privacy modes: tabs still work,
  // the choice is just not remembered.
  function load() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function save(lang) { try { localStorage.setItem(KEY, lang); } catch (e) { /* not remembered */ } }

  function tabsOf(group) { return [].slice.call(group.querySelectorAll('[role="tab"]')); }
  function langOf(el) { return el.getAttribute(ATTR); }
  function known(lang) {
    return !!lang && groups.some(function (g) {
      return tabsOf(g).some(function (t) { return langOf(t) === lang; });
    });
  }

  function select(group, lang, focus) {
    var tabs = tabsOf(group);
    if (!tabs.some(function (t) { return langOf(t) === lang; })) return;
    tabs.forEach(function (t) {
      var on = langOf(t) === lang;
      t.setAttribute('aria-selected', on);
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
      if (on && focus) t.focus({ preventScroll: true });
    });
  }

  // Groups above the clicked one may change height; scrolling by the
  // difference keeps the clicked group where the reader's eyes are.
  function selectEverywhere(lang, origin, focus) {
    var before = origin && origin.getBoundingClientRect().top;
    groups.forEach(function (g) { select(g, lang, focus && g === origin); });
    if (origin) {
      var moved = origin.getBoundingClientRect().top - before;
      if (moved) window.scrollBy(0, moved);
    }
  }

  // A `#` link to a group's tab or panel (or anything inside one) names its
  // language; it is shown and scrolled to.
  function fromHash() {
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return null; }
    var target = id && document.getElementById(id);
    var el = target && target.closest('.codetabs [' + ATTR + ']');
    return el && { lang: langOf(el), target: target };
  }
  function fromQuery() {
    var m = /[?&]lang=([^&#]*)/.exec(location.search);
    try { var lang = m && decodeURIComponent(m[1]).toLowerCase(); } catch (e) { return null; }
    return known(lang) ? lang : null;
  }
  function followHash() {
    var link = fromHash();
    if (!link) return;
    selectEverywhere(link.lang, null, false);
    link.target.scrollIntoView();
  }

  var link = fromHash();
  var stored = load();
  var initial = (link && link.lang) || fromQuery() || (known(stored) ? stored : null);
  if (initial && !known(stored)) save(initial); // a first visit by a ?lang= link
  groups.forEach(function (g) {
    g.classList.add('codetabs-ready');
    select(g, langOf(tabsOf(g)[0]), false); // also for a group without `initial`
    select(g, initial, false);
    g.querySelector('[role="tablist"]').addEventListener('keydown', onKey);
  });
  if (link) link.target.scrollIntoView();
  window.addEventListener('hashchange', followHash);

  document.addEventListener('click', function (e) {
    var tab = e.target.closest && e.target.closest('.codetabs [role="tab"]');
    if (!tab) return;
    selectEverywhere(langOf(tab), tab.closest('.codetabs'), false);
    save(langOf(tab));
  });

  // On the tab list itself, so mdBook's page-wide arrow keys (previous/next
  // chapter) never see the arrows that move between tabs.
  function onKey(e) {
    var tab = e.target.closest('[role="tab"]');
    if (!tab || e.altKey || e.ctrlKey || e.metaKey) return;
    var group = tab.closest('.codetabs');
    var tabs = tabsOf(group);
    var i = tabs.indexOf(tab);
    var step = document.documentElement.dir === 'rtl' ? -1 : 1;
    var next = { ArrowRight: i + step, ArrowLeft: i - step, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    var lang = langOf(tabs[(next + tabs.length) % tabs.length]);
    selectEverywhere(lang, group, true);
    save(lang);
  }

  // Another window of the book changed the language.
  window.addEventListener('storage', function (e) {
    if (e.key === KEY && known(e.newValue)) selectEverywhere(e.newValue, null, false);
  });
})();
