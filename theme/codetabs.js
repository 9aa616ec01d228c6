// Language tabs for mdbook-codetabs. The page holds, per language of a group,
// a label <p> (with id="<group id>-<lang>" if a link points at it), a <pre><code class="codetabs-code
// codetabs-lang-…"> and a source <p>; the group's first fence also has the class codetabs-group-<group id>,
// the others codetabs-more, and a titled group starts with a marker
// <div class="codetabs" id=…> holding its title. Without this script every
// language is shown under its label. This builds WAI-ARIA tabs from it whose
// one language choice rules every group, survives reloads and never moves the
// group under the reader's pointer. The code of a group's later languages
// comes as plain text (class language-plaintext, its language named by
// codetabs-highlight-…), so that highlight.js, which colours every block as
// the page loads, passes it over: it is coloured here as its panel is first
// shown, and all of it before printing.
(function () {
  'use strict';
  var KEY = 'codetabs-lang';
  var ATTR = 'data-codetabs-lang';
  // An untitled group has no marker yet: give it one, before its first label.
  [].forEach.call(document.querySelectorAll('code[class*=" codetabs-group-"]'), function (code) {
    var id = /\bcodetabs-group-(\S+)/.exec(code.className)[1];
    var label = code.parentNode.previousElementSibling;
    if (!label || document.getElementById(id)) return;
    var marker = document.createElement('div');
    marker.className = 'codetabs';
    marker.id = id;
    label.parentNode.insertBefore(marker, label);
  });
  // A code block scrolls sideways when its lines are long: the keyboard must
  // reach it to scroll it (WCAG 2.1.1), in a tab panel or not.
  [].forEach.call(document.querySelectorAll('pre > code'), function (c) { c.tabIndex = 0; });
  var groups = [].slice.call(document.querySelectorAll('div.codetabs'));

  function colour(code) {
    var m = code && /\bcodetabs-highlight-(\S+)/.exec(code.className);
    if (!m) return;
    code.classList.remove(m[0]);
    code.classList.replace('language-plaintext', 'language-' + m[1]);
    var hljs = window.hljs;
    if (hljs) (hljs.highlightElement || hljs.highlightBlock).call(hljs, code);
  }
  function uncoloured() {
    return [].slice.call(document.querySelectorAll('code[class*="codetabs-highlight-"]'));
  }
  addEventListener('beforeprint', function () { uncoloured().forEach(colour); });

  function el(tag, cls, attrs) {
    var e = document.createElement(tag);
    e.className = cls;
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  // Marker → group: title, tab list, one panel per language.
  groups.forEach(function (g) {
    var title = g.textContent.trim();
    var list = el('div', 'codetabs-tablist', { role: 'tablist', 'aria-label': title || 'Code in each language' });
    g.textContent = '';
    if (title) g.appendChild(el('p', 'codetabs-title')).textContent = title;
    g.appendChild(list);
    var label, pre, code, m;
    while ((label = g.nextElementSibling) && label.tagName === 'P' &&
        (pre = label.nextElementSibling) && pre.tagName === 'PRE' &&
        (code = pre.querySelector('code.codetabs-code')) &&
        (m = /\bcodetabs-lang-(\S+)/.exec(code.className)) &&
        !(g.lastChild !== list && code.className.indexOf('codetabs-more') < 0)) {
      var id = g.id + '-' + m[1];
      label.removeAttribute('id'); // links to the language now land on its panel
      var tab = el('button', 'codetabs-tab', { type: 'button', role: 'tab', id: id + '-tab', 'aria-controls': id });
      // No tabindex: its code block is the panel's focusable content.
      var panel = el('div', 'codetabs-panel', { role: 'tabpanel', id: id, 'aria-labelledby': id + '-tab' });
      tab.setAttribute(ATTR, m[1]);
      panel.setAttribute(ATTR, m[1]);
      tab.textContent = label.textContent.trim();
      list.appendChild(tab);
      label.className = 'codetabs-label';
      var source = pre.nextElementSibling;
      panel.appendChild(label);
      panel.appendChild(pre);
      if (source && source.tagName === 'P') panel.appendChild(source).className = 'codetabs-source';
      g.appendChild(panel);
    }
  });

  // Storage throws on file:// and in some privacy modes: tabs still work,
  // the choice is just not remembered.
  function load() { try { return localStorage.getItem(KEY); } catch (e) { return null; } }
  function save(lang) { try { localStorage.setItem(KEY, lang); } catch (e) { /* not remembered */ } }

  function tabsOf(group) { return [].slice.call(group.querySelectorAll('[role="tab"]')); }
  function langOf(e) { return e.getAttribute(ATTR); }
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
      if (on) colour(panel.querySelector('code.codetabs-code'));
      panel.hidden = !on;
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
    var e = target && target.closest('.codetabs [' + ATTR + ']');
    return e && { lang: langOf(e), target: target };
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
    var first = tabsOf(g)[0];
    if (first) select(g, langOf(first), false); // also for a group without `initial`
    select(g, initial, false);
    g.querySelector('[role="tablist"]').addEventListener('keydown', onKey);
    g.classList.add('codetabs-ready');
  });
  // Code no group took in (markup this script does not know) shows as is.
  uncoloured().forEach(function (code) {
    if (!code.closest('[role="tabpanel"]')) colour(code);
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

  // mdBook's search opens a page with ?highlight=… and marks the words (as
  // its script runs, before this one, or later: both are handled). When the
  // first mark after the linked heading is in a hidden panel, that language
  // is shown for this visit (not saved: only the reader's own choice is) and
  // the word scrolled to.
  function showMark() {
    var all = [].slice.call(document.querySelectorAll('main mark'));
    if (!all.length) return false;
    var at = document.getElementById(location.hash.slice(1));
    var m = all.filter(function (x) { return !at || at.compareDocumentPosition(x) & 4; })[0] || all[0];
    var panel = m.closest('.codetabs [' + ATTR + ']');
    if (panel && panel.hidden) {
      var i = all.indexOf(m);
      selectEverywhere(langOf(panel), null, false);
      // Colouring its code built the marks again, in the same order.
      m = document.querySelectorAll('main mark')[i];
      // After the browser's own scroll to the #heading, which lasts until load.
      var show = function () { m.scrollIntoView({ block: 'center' }); };
      if (document.readyState === 'complete') show(); else addEventListener('load', show);
    }
    return true;
  }
  if (/[?&]highlight=/.test(location.search) && !showMark()) {
    var marks = new MutationObserver(function () { if (showMark()) marks.disconnect(); });
    marks.observe(document.body, { childList: true, subtree: true });
  }

  // Another window of the book changed the language.
  window.addEventListener('storage', function (e) {
    if (e.key === KEY && known(e.newValue)) selectEverywhere(e.newValue, null, false);
  });
})();
