// Language tabs for mdbook-codetabs. Markup works without this script (every
// panel shown under its label); this turns it into WAI-ARIA tabs whose one
// language choice rules every group, survives reloads and never moves the
// group under the reader's pointer.
(function () {
  'use strict';
  var KEY = 'codetabs-lang';
  var groups = [].slice.call(document.querySelectorAll('.codetabs'));
  if (!groups.length) return;

  // Storage throws on file:// and in some privacy modes: tabs still work,
  // the choice is just not remembered.
  function load() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function save(lang) { try { localStorage.setItem(KEY, lang); } catch (e) { /* not remembered */ } }

  function tabsOf(group) { return [].slice.call(group.querySelectorAll('[role="tab"]')); }
  function known(lang) {
    return !!lang && groups.some(function (g) {
      return tabsOf(g).some(function (t) { return t.getAttribute('data-codetabs-lang') === lang; });
    });
  }

  function select(group, lang, focus) {
    var tabs = tabsOf(group);
    if (!tabs.some(function (t) { return t.getAttribute('data-codetabs-lang') === lang; })) return;
    tabs.forEach(function (t) {
      var on = t.getAttribute('data-codetabs-lang') === lang;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) panel.hidden = !on;
      if (on && focus) t.focus();
    });
  }

  // Groups above the clicked one may change height; scrolling by the
  // difference keeps the clicked group where the reader's eyes are.
  function selectEverywhere(lang, origin, focus) {
    var before = origin ? origin.getBoundingClientRect().top : 0;
    groups.forEach(function (g) { select(g, lang, focus && g === origin); });
    if (origin) {
      var moved = origin.getBoundingClientRect().top - before;
      if (moved) window.scrollBy(0, moved);
    }
  }

  function fromUrl() {
    var m = /[?&]lang=([^&#]*)/.exec(location.search);
    var lang = m && decodeURIComponent(m[1]).toLowerCase();
    if (known(lang)) return lang;
    var target = location.hash && document.getElementById(location.hash.slice(1));
    var panel = target && target.closest && target.closest('.codetabs-panel');
    return panel ? panel.getAttribute('data-codetabs-lang') : null;
  }

  var initial = fromUrl() || (known(load()) ? load() : null);
  groups.forEach(function (g) {
    g.classList.add('codetabs-ready');
    var first = tabsOf(g)[0];
    select(g, initial || (first && first.getAttribute('data-codetabs-lang')), false);
  });

  document.addEventListener('click', function (e) {
    var tab = e.target.closest && e.target.closest('.codetabs [role="tab"]');
    if (!tab) return;
    var lang = tab.getAttribute('data-codetabs-lang');
    selectEverywhere(lang, tab.closest('.codetabs'), false);
    save(lang);
  });

  document.addEventListener('keydown', function (e) {
    var tab = e.target.closest && e.target.closest('.codetabs [role="tab"]');
    if (!tab) return;
    var tabs = tabsOf(tab.closest('.codetabs'));
    var i = tabs.indexOf(tab);
    var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    var to = tabs[(next + tabs.length) % tabs.length];
    var lang = to.getAttribute('data-codetabs-lang');
    selectEverywhere(lang, tab.closest('.codetabs'), true);
    save(lang);
  });

  // Another window of the book changed the language.
  window.addEventListener('storage', function (e) {
    if (e.key === KEY && known(e.newValue)) selectEverywhere(e.newValue, null, false);
  });
})();
