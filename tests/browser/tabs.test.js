// Reader-experience tests of the code tabs, in a real headless Chromium.
//
// Builds the book (scripts/build), serves ./book from a tiny static server on
// 127.0.0.1, and drives Debian's Chromium headless shell through
// playwright-core: no browser is downloaded, no request may leave the origin
// (support.js: shared with serve.test.js and audit.test.js). Each test has a
// context of its own (storage, cache, permissions), as a new reader would,
// so TESTS_AT_ONCE of them run at the same time; the two checks of what
// every context saw run after all of them.
// Screenshots go to artifacts/screenshots/.
'use strict';

const { test, describe, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const {
  ROOT, BOOK, SHOTS, THEMES, PATIENCE, cleanup, job, run, build, chapters, serve, bookOrigin, newContext, chooseTheme, startServe, copyBook,
} = require('./support');

build(); // the book, first of all
const CHAPTER = 'posts/01-ecommerce.html';
const OTHER_CHAPTER = 'posts/02-data-pipeline.html';
const KEY = 'codetabs-lang';

let origin;
const offOrigin = []; // requests to anything but the book's own origin(s)
const origins = []; // more origins of ours (the live-preview server)
const consoleErrors = []; // console errors and uncaught exceptions
const failedLoads = []; // answers of 400 and above, to explain such errors

// ---------------------------------------------------------------- helpers

// A context of these tests: every request and console error it sees is
// checked at the end (the last two tests).
async function context(options = {}) {
  const ctx = await newContext({ permissions: ['clipboard-read', 'clipboard-write'], ...options });
  ctx.on('request', (req) => {
    const url = req.url();
    const ours = [origin, ...origins].some((o) => url.startsWith(o + '/'));
    if (!ours && !/^(data|blob|about):/.test(url)) offOrigin.push(url);
  });
  // The console names a failed load's page only; the answer names the file.
  ctx.on('response', (res) => {
    if (res.status() >= 400) failedLoads.push(`${res.status()} ${res.url()} (for ${res.frame().url()})`);
  });
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });
    page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  };
  ctx.pages().forEach(watch);
  ctx.on('page', watch);
  return ctx;
}

// A page in a context of its own (JavaScript on), closed with the page.
async function page(url, { width = 1280, height = 900 } = {}) {
  const ctx = await context({ viewport: { width, height } });
  const p = await ctx.newPage();
  p.once('close', () => { ctx.close().catch(() => {}); });
  if (url) await p.goto(origin + '/' + url);
  return p;
}

// Everything the tests need to know about the groups on a page, in DOM order.
function groupsState(p) {
  return p.evaluate(() => [...document.querySelectorAll('.codetabs')].map((g) => ({
    id: g.id,
    selected: [...g.querySelectorAll('[role="tab"]')]
      .filter((t) => t.getAttribute('aria-selected') === 'true')
      .map((t) => t.dataset.codetabsLang),
    visible: [...g.querySelectorAll('[role="tabpanel"]')]
      .filter((el) => el.checkVisibility())
      .map((el) => el.dataset.codetabsLang),
    tabindex: [...g.querySelectorAll('[role="tab"]')].map((t) => t.tabIndex),
  })));
}

function assertAll(groups, lang, what) {
  assert.ok(groups.length > 1, 'the chapter has several tab groups');
  for (const g of groups) {
    const langs = g.visible.length; // a group may lack a language (langs=…)
    if (!langs) assert.fail(`${g.id}: no visible panel`);
    assert.deepEqual(g.selected, g.visible, `${g.id}: the selected tab is the visible panel (${what})`);
    assert.equal(g.visible.length, 1, `${g.id}: exactly one panel visible (${what})`);
  }
  const has = groups.filter((g) => g.visible[0] === lang);
  assert.ok(has.length >= groups.length - 1, `${what}: every group shows ${lang} (${JSON.stringify(groups.map((g) => g.visible[0]))})`);
}

// Serves the chapter to p as edit(html) makes it; returns the function that
// loads a URL into p. An assertion that fails in edit fails the test at once:
// the load is aborted and throws that assertion (rather than leaving the page
// waiting for an answer until PATIENCE runs out).
async function routeChapter(p, edit) {
  let failed;
  await p.route(`${origin}/${CHAPTER}*`, async (route) => {
    const res = await route.fetch();
    let body;
    try {
      body = edit(await res.text());
    } catch (err) {
      failed = err;
      await route.abort();
      return;
    }
    await route.fulfill({ response: res, body });
  });
  return async (url) => {
    await p.goto(url).catch((err) => { throw failed || err; });
    if (failed) throw failed;
  };
}

const frames = (p) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

// ---------------------------------------------------------------- setup

before(async () => {
  origin = await bookOrigin(); // after scripts/build
  assert.ok(fs.existsSync(path.join(BOOK, CHAPTER)), `${CHAPTER} was built`);
});

// ---------------------------------------------------------------- tests

// Two at a time: a test keeps its renderer busy about half of its time (the
// rest is this process, the server and the round trips between them), so a
// second fills the other half; a third only shares the same two cores.
const TESTS_AT_ONCE = 2;
describe('reading the book', { concurrency: TESTS_AT_ONCE }, () => {
  test('markup follows the WAI-ARIA tabs pattern', async () => {
    const p = await page(CHAPTER);
    const problems = await p.evaluate(() => {
      const bad = [];
      for (const g of document.querySelectorAll('.codetabs')) {
        const list = g.querySelector('[role="tablist"]');
        if (!list || !list.getAttribute('aria-label')) bad.push(`${g.id}: tablist with a label`);
        const tabs = [...g.querySelectorAll('[role="tab"]')];
        if (tabs.filter((t) => t.getAttribute('aria-selected') === 'true').length !== 1) bad.push(`${g.id}: one selected tab`);
        if (tabs.filter((t) => t.tabIndex === 0).length !== 1) bad.push(`${g.id}: roving tabindex`);
        for (const t of tabs) {
          const panel = document.getElementById(t.getAttribute('aria-controls'));
          if (!panel || panel.getAttribute('role') !== 'tabpanel') bad.push(`${t.id}: aria-controls → tabpanel`);
          else if (panel.getAttribute('aria-labelledby') !== t.id) bad.push(`${panel.id}: aria-labelledby → its tab`);
          if (t.parentElement !== list) bad.push(`${t.id}: owned by the tablist`);
        }
      }
      return bad;
    });
    assert.deepEqual(problems, []);
    await p.close();
  });

  test('clicking a tab shows its panel', async () => {
    const p = await page(CHAPTER);
    const first = (await groupsState(p))[0];
    assert.deepEqual(first.selected, ['ruby'], 'Ruby is first by default');
    await p.locator('.codetabs').first().getByRole('tab', { name: 'Python' }).click();
    const g = (await groupsState(p))[0];
    assert.deepEqual(g.selected, ['python']);
    assert.deepEqual(g.visible, ['python']);
    assert.deepEqual(g.tabindex, [-1, 0, -1, -1], 'roving tabindex follows the selection');
    await p.close();
  });

  test('one choice switches every group on the page', async () => {
    const p = await page(CHAPTER);
    await p.locator('.codetabs').nth(2).getByRole('tab', { name: 'TypeScript' }).click();
    assertAll(await groupsState(p), 'typescript', 'after one click');
    await p.close();
  });

  test('the choice persists across chapters and reloads', async () => {
    const p = await page(CHAPTER);
    await p.locator('.codetabs').first().getByRole('tab', { name: 'Rust' }).click();
    assert.equal(await p.evaluate((k) => localStorage.getItem(k), KEY), 'rust');
    await p.goto(origin + '/' + OTHER_CHAPTER);
    assertAll(await groupsState(p), 'rust', 'on another chapter');
    await p.reload();
    assertAll(await groupsState(p), 'rust', 'after a reload');
    await p.close();
  });

  test('?lang= wins over the stored choice; an unknown value is ignored', async () => {
    const p = await page(CHAPTER);
    await p.evaluate((k) => localStorage.setItem(k, 'rust'), KEY);
    await p.goto(`${origin}/${CHAPTER}?lang=python`);
    assertAll(await groupsState(p), 'python', '?lang=python');
    await p.goto(`${origin}/${CHAPTER}?lang=Python`);
    assertAll(await groupsState(p), 'python', '?lang=Python');
    await p.goto(`${origin}/${CHAPTER}?lang=cobol`);
    assertAll(await groupsState(p), 'rust', '?lang=cobol falls back to the stored choice');
    await p.goto(`${origin}/${CHAPTER}?lang=%E0%A4%A`); // malformed escape
    assertAll(await groupsState(p), 'rust', 'a malformed ?lang= is ignored');
    await p.goto(`${origin}/${CHAPTER}?lang=%22%5D%0A`); // would break a selector
    assertAll(await groupsState(p), 'rust', 'a hostile ?lang= is ignored');
    await p.close();
  });

  test('a group without the chosen language keeps one panel of its own', async () => {
    // Serve the chapter with Python cut out of its second group, as a
    // `langs=` restriction would.
    const p = await page();
    let gid;
    const load = await routeChapter(p, (html) => {
      gid = [...html.matchAll(/ codetabs-group-([^\s"]+)/g)][1][1];
      // The served page holds, per language, a label (a paragraph with an id
      // only where a link points to it), a fence and a source line.
      const at = html.indexOf(` codetabs-group-${gid}`);
      const label = new RegExp(`<p(?: id="${gid}-python")?><strong>Python</strong></p>`, 'g');
      label.lastIndex = at;
      const start = label.exec(html)?.index ?? -1;
      const end = html.indexOf('</p>', html.indexOf('</code></pre>', start)) + 4;
      assert.ok(start > at && end < html.indexOf(' codetabs-group-', at + 1), 'Python is in the second group');
      return html.slice(0, start) + html.slice(end);
    });
    await load(`${origin}/${CHAPTER}?lang=python`);
    const groups = await groupsState(p);
    const cut = groups.find((g) => g.id === gid);
    assert.deepEqual(cut.tabindex.length, 3, 'Python was cut from the group');
    assert.deepEqual(cut.visible, ['ruby'], 'the group shows its first language only');
    assert.deepEqual(cut.selected, ['ruby']);
    assertAll(groups, 'python', 'the other groups');
    await p.close();
  });

  test('a group without a title is built from its first fence, with the same ids', async () => {
    // Serve the chapter with the third group's title marker removed: the
    // markup the preprocessor writes for an untitled group.
    const p = await page();
    let gid;
    const load = await routeChapter(p, (html) => {
      gid = [...html.matchAll(/ codetabs-group-([^\s"]+)/g)][2][1];
      const marker = new RegExp(`<div class="codetabs" id="${gid}">[^<]*</div>`);
      assert.ok(marker.test(html), 'the titled group has a marker to remove');
      html = html.replace(marker, '');
      assert.ok(!html.includes(`id="${gid}"`), 'no element carries the group id any more');
      return html;
    });
    await load(`${origin}/${CHAPTER}?lang=rust`);
    const groups = await groupsState(p);
    const g = groups.find((x) => x.id === gid);
    assert.ok(g, `a group with id ${gid} was built`);
    assert.equal(groups.indexOf(g), 2, 'in its place, third on the page');
    assertAll(groups, 'rust', 'the untitled group follows the page-wide choice');
    const built = await p.evaluate((id) => {
      const group = document.getElementById(id);
      return {
        tabs: [...group.querySelectorAll('[role="tab"]')].map((t) => t.textContent),
        title: !!group.querySelector('.codetabs-title'),
        label: group.querySelector('[role="tablist"]').getAttribute('aria-label'),
        python: !!document.getElementById(id + '-python'),
      };
    }, gid);
    assert.deepEqual(built.tabs, ['Ruby', 'Python', 'TypeScript', 'Rust']);
    assert.equal(built.title, false, 'no title line');
    assert.equal(built.label, 'Code in each language');
    assert.ok(built.python, 'panel ids follow the group id, as mapping tables link them');
    await p.evaluate((id) => { location.hash = id + '-python'; }, gid);
    await frames(p);
    assert.deepEqual((await groupsState(p)).find((x) => x.id === gid).visible, ['python'], 'a # link to its panel works');
    await p.close();
  });

  test('a # link to a panel or tab selects its language and shows it', async () => {
    const p = await page(CHAPTER);
    await p.evaluate((k) => localStorage.setItem(k, 'ruby'), KEY);
    const ids = await p.evaluate(() => {
      const g = document.querySelectorAll('.codetabs')[4];
      return { panel: g.querySelector('[data-codetabs-lang="typescript"][role="tabpanel"]').id,
        tab: g.querySelector('[data-codetabs-lang="python"][role="tab"]').id };
    });
    await p.goto(`${origin}/${CHAPTER}?lang=rust#${ids.panel}`);
    assertAll(await groupsState(p), 'typescript', '# deep link to a panel beats ?lang=');
    const inView = await p.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return r.top >= -1 && r.top < innerHeight;
    }, ids.panel);
    assert.ok(inView, 'the linked panel is scrolled into view');
    await p.evaluate((id) => { location.hash = id; }, ids.tab);
    await frames(p);
    assertAll(await groupsState(p), 'python', 'a later # link to a tab');
    await p.close();
  });

  test('keyboard: arrows, Home and End move the selection; focus is visible', async () => {
    const p = await page(CHAPTER);
    const url = p.url();
    const g = p.locator('.codetabs').first();
    await g.getByRole('tab', { name: 'Ruby' }).focus();
    const focused = () => p.evaluate(() => document.activeElement.dataset.codetabsLang || document.activeElement.id);
    await p.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'python');
    assertAll(await groupsState(p), 'python', 'ArrowRight');
    assert.equal(p.url(), url, 'ArrowRight on a tab does not turn mdBook\'s page');
    await p.keyboard.press('End');
    assert.equal(await focused(), 'rust');
    await p.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'ruby', 'ArrowRight wraps to the first tab');
    await p.keyboard.press('ArrowLeft');
    assert.equal(await focused(), 'rust', 'ArrowLeft wraps to the last tab');
    await p.keyboard.press('Home');
    assert.equal(await focused(), 'ruby');
    assertAll(await groupsState(p), 'ruby', 'Home');
    assert.equal(p.url(), url, 'still on the same chapter');
    const outline = await p.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.notEqual(outline.style, 'none', 'the focused tab shows an outline');
    assert.ok(outline.width >= 2, 'outline at least 2px');
    // The panel's code block is its focusable content (it scrolls sideways,
    // so the keyboard must reach it): Tab goes there, and shows it.
    await p.keyboard.press('Tab');
    const inPanel = await p.evaluate(() => {
      const a = document.activeElement;
      const panel = a.closest('[role="tabpanel"]');
      const s = getComputedStyle(a);
      return { tag: a.tagName, lang: panel && !panel.hidden && panel.dataset.codetabsLang, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    assert.deepEqual(inPanel, { tag: 'CODE', lang: 'ruby', outline: true }, 'Tab moves from the tab list into the visible panel\'s code, with a visible focus');
    await p.close();
  });

  test('tabs work where storage throws (no persistence, no errors)', async () => {
    const p = await page();
    const errors = [];
    p.on('pageerror', (e) => errors.push(e.message + '\n' + (e.stack || '')));
    await p.addInitScript(() => {
      const deny = { get() { throw new DOMException('storage is disabled', 'SecurityError'); } };
      Object.defineProperty(window, 'localStorage', deny);
    });
    await p.goto(`${origin}/${CHAPTER}`);
    await p.locator('.codetabs').first().getByRole('tab', { name: 'TypeScript' }).click();
    assertAll(await groupsState(p), 'typescript', 'with storage throwing');
    await p.goto(`${origin}/${CHAPTER}?lang=rust`);
    assertAll(await groupsState(p), 'rust', '?lang= with storage throwing');
    const ours = errors.filter((e) => /codetabs/.test(e));
    assert.deepEqual(ours, [], 'codetabs.js raised no error');
    await p.close();
    // mdBook's own scripts may complain about the missing storage; that is
    // theirs, and not a console error of a normal visit.
    for (let i = consoleErrors.length - 1; i >= 0; i--) {
      if (/storage is disabled/.test(consoleErrors[i])) consoleErrors.splice(i, 1);
    }
  });

  // Chromium's scroll anchoring alone may hold the group still; browsers
  // without it (Safari) rely on codetabs.js, so both are checked.
  for (const anchoring of [true, false]) {
    test(`no layout jump: the clicked group keeps its screen position (scroll anchoring ${anchoring ? 'on' : 'off'})`, async () => {
      const p = await page(CHAPTER, { width: 1280, height: 800 });
      if (!anchoring) await p.addStyleTag({ content: '* { overflow-anchor: none !important; }' });
      // Measure every panel's height, to find a group below groups whose height
      // changes between Ruby and some other language.
      const pick = await p.evaluate(() => {
        const groups = [...document.querySelectorAll('.codetabs')];
        const heights = groups.map((g) => {
          const h = {};
          for (const panel of g.querySelectorAll('[role="tabpanel"]')) {
            const was = panel.hidden;
            panel.hidden = false;
            h[panel.dataset.codetabsLang] = panel.getBoundingClientRect().height;
            panel.hidden = was;
          }
          return h;
        });
        let best = null;
        for (const lang of ['python', 'typescript', 'rust']) {
          let delta = 0;
          for (let k = 1; k < groups.length; k++) {
            delta += (heights[k - 1][lang] || 0) - (heights[k - 1].ruby || 0);
            if (Math.abs(delta) >= 40 && (!best || Math.abs(delta) > Math.abs(best.delta))) best = { k, lang, delta };
          }
        }
        return best;
      });
      assert.ok(pick, 'some group sits below groups whose height changes with the language');
      const tab = p.locator('.codetabs').nth(pick.k).locator(`[role="tab"][data-codetabs-lang="${pick.lang}"]`);
      await p.evaluate((k) => {
        const g = document.querySelectorAll('.codetabs')[k];
        window.scrollTo(0, window.scrollY + g.getBoundingClientRect().top - 200);
      }, pick.k);
      await frames(p);
      const top = () => tab.evaluate((t) => t.getBoundingClientRect().top);
      const scrollY = () => p.evaluate(() => window.scrollY);
      const [before, scrollBefore] = [await top(), await scrollY()];
      await tab.click();
      // The click's work is synchronous (select, then scrollBy) and Chromium's
      // scroll anchoring runs at the next layout: once the tab is selected, two
      // frames later everything has moved that will move.
      await p.waitForFunction((t) => t.getAttribute('aria-selected') === 'true', await tab.elementHandle());
      await frames(p);
      const [afterTop, scrollAfter] = [await top(), await scrollY()];
      assert.ok(Math.abs(afterTop - before) <= 2,
        `group ${pick.k} moved ${afterTop - before}px on screen (groups above changed by ${pick.delta}px)`);
      assert.ok(Math.abs(scrollAfter - scrollBefore - pick.delta) <= 2,
        `the page scrolled by the height change above (${scrollAfter - scrollBefore} vs ${pick.delta})`);
      await p.close();
    });
  }

  test('without JavaScript every language is shown under its label', async () => {
    const nojs = await context({ javaScriptEnabled: false });
    const p = await nojs.newPage();
    await p.goto(`${origin}/${CHAPTER}`);
    // The served markup: a marker per group, then per language a label, a
    // fence whose classes name the language, and a source line.
    const r = await p.evaluate(() => ({
      tabs: document.querySelectorAll('[role="tab"], [role="tablist"], .codetabs-tab').length,
      groups: [...document.querySelectorAll('.codetabs')].map((g) => {
        const panels = [];
        let label = g.nextElementSibling;
        let pre;
        while (label && label.tagName === 'P' && (pre = label.nextElementSibling) && pre.tagName === 'PRE' &&
            pre.querySelector('code.codetabs-code')) {
          const source = pre.nextElementSibling;
          panels.push({
            lang: /codetabs-lang-(\S+)/.exec(pre.querySelector('code').className)[1],
            visible: pre.checkVisibility(),
            label: label.checkVisibility() ? label.textContent.trim() : null,
            source: source.checkVisibility() ? source.textContent : '',
          });
          label = source.nextElementSibling;
        }
        return { id: g.id, panels };
      }),
    }));
    const NAMES = { ruby: 'Ruby', python: 'Python', typescript: 'TypeScript', rust: 'Rust' };
    assert.equal(r.tabs, 0, 'no dead tab buttons without JavaScript');
    assert.ok(r.groups.length > 1);
    assert.ok(r.groups.some((g) => g.panels.length === 4), 'four-language groups');
    for (const g of r.groups) {
      assert.match(g.id, /^codetabs-src-posts-01-ecommerce-\d+$/, 'the group id is on the marker');
      assert.ok(g.panels.length >= 1, `${g.id}: has languages`);
      for (const panel of g.panels) {
        assert.ok(panel.visible, `${g.id}: ${panel.lang} code shown`);
        assert.equal(panel.label, NAMES[panel.lang], `${g.id}: ${panel.lang} code under its label`);
        assert.match(panel.source, /handlers\/\S+\.\w+\s+lines? \d+(–\d+)?/, `${g.id}: ${panel.lang} source line shown`);
      }
    }
    await p.screenshot({ path: path.join(SHOTS, '01-ecommerce-no-js.png') });
    await p.close();
  });

  test('before codetabs.js runs only the first language shows (no jump on load)', async () => {
    const p = await page();
    await p.route(`${origin}/theme/codetabs*.js`, (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await p.goto(`${origin}/${CHAPTER}`);
    const r = await p.evaluate(() => [...document.querySelectorAll('.codetabs')].map((g) => {
      const shown = [];
      for (let e = g.nextElementSibling; e && !e.matches('.codetabs'); e = e.nextElementSibling) {
        const code = e.querySelector(':scope > code.codetabs-code');
        if (code && e.checkVisibility()) shown.push(/codetabs-lang-(\S+)/.exec(code.className)[1]);
      }
      return { id: g.id, shown };
    }));
    assert.ok(r.length > 1);
    assert.equal(await p.locator('[role="tab"]').count(), 0, 'codetabs.js did not run');
    for (const g of r) assert.deepEqual(g.shown, ['ruby'], `${g.id}: the first language only`);
    await p.close();
  });

  async function assertPrintsAll(p, what) {
    await p.emulateMedia({ media: 'print' });
    const r = await p.evaluate(() => [...document.querySelectorAll('.codetabs')].map((g) => ({
      id: g.id,
      tablist: g.querySelector('[role="tablist"]').checkVisibility(),
      hiddenPanels: [...g.querySelectorAll('[role="tabpanel"]')].filter((el) => !el.checkVisibility()).map((el) => el.id),
      hiddenLabels: [...g.querySelectorAll('.codetabs-label')].filter((el) => !el.checkVisibility()).length,
    })));
    assert.ok(r.length > 1, `${what}: has tab groups`);
    for (const g of r) {
      assert.deepEqual(g.hiddenPanels, [], `${what}: ${g.id} prints every panel`);
      assert.equal(g.hiddenLabels, 0, `${what}: ${g.id} prints every label`);
      assert.equal(g.tablist, false, `${what}: ${g.id} prints no tab buttons`);
    }
    await p.emulateMedia({ media: 'screen' });
  }

  test('printing shows every language (chapter and print.html)', async () => {
    const p = await page(`${CHAPTER}?lang=python`);
    await assertPrintsAll(p, CHAPTER);
    await p.goto(`${origin}/print.html`);
    await assertPrintsAll(p, 'print.html');
    await p.close();
  });

  test('a panel\'s code is coloured as it is first shown, and all of it for printing', async () => {
    const p = await page(CHAPTER);
    // Per panel: shown or not, and whether its code is what highlight.js
    // makes of its text in its language (as mdBook colours every block).
    const panels = () => p.evaluate(() => [...document.querySelectorAll('[role="tabpanel"]')].map((panel) => {
      const code = panel.querySelector('code.codetabs-code');
      const lang = /\blanguage-(\S+)/.exec(code.className)[1];
      const expected = document.createElement('code');
      if (lang !== 'plaintext') expected.innerHTML = window.hljs.highlight(lang, code.textContent).value;
      return {
        id: panel.id,
        shown: !panel.hidden,
        lang,
        coloured: lang !== 'plaintext' && code.querySelector('[class^="hljs-"]') !== null &&
          code.innerHTML === expected.innerHTML,
      };
    }));
    const uncoloured = (list) => list.filter((x) => !x.coloured).map((x) => x.id);
    let all = await panels();
    assert.deepEqual(uncoloured(all.filter((x) => x.shown)), [], 'every shown panel is coloured');
    assert.ok(all.filter((x) => !x.shown && x.lang === 'plaintext').length >= 20, 'the hidden panels wait');
    await p.locator('.codetabs').first().getByRole('tab', { name: 'Python' }).click();
    all = await panels();
    assert.ok(all.some((x) => x.id.endsWith('-python') && x.shown));
    assert.deepEqual(uncoloured(all.filter((x) => x.shown)), [], 'Python, shown: coloured');
    await p.pdf(); // printing: every panel prints
    assert.deepEqual(uncoloured(await panels()), [], 'all coloured for printing');
    await p.close();
  });

  test('element ids are unique across print.html and ARIA references resolve', async () => {
    const html = fs.readFileSync(path.join(BOOK, 'print.html'), 'utf8');
    const ids = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    const seen = new Set();
    const dup = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
    assert.deepEqual([...new Set(dup)], [], 'duplicate ids in print.html');
    assert.ok(ids.some((id) => id.startsWith('codetabs-')), 'print.html holds tab groups');
    // The tabs, panels and their ids are built by codetabs.js: check the page.
    const p = await page('print.html');
    const r = await p.evaluate(() => {
      const all = [...document.querySelectorAll('[id]')].map((e) => e.id);
      const dups = all.filter((id, i) => all.indexOf(id) !== i);
      const refs = [...document.querySelectorAll('[aria-controls], [aria-labelledby]')]
        .map((e) => e.getAttribute('aria-controls') || e.getAttribute('aria-labelledby'));
      return { dups, broken: refs.filter((id) => !document.getElementById(id)), panels: document.querySelectorAll('[role="tabpanel"]').length };
    });
    assert.deepEqual([...new Set(r.dups)], [], 'duplicate ids in print.html after codetabs.js');
    assert.deepEqual(r.broken, [], 'aria references resolve in print.html');
    assert.ok(r.panels >= 8, 'print.html holds tab panels');
    await p.close();
  });

  test('each panel has a working copy button and names its source file and lines', async () => {
    const p = await page(CHAPTER);
    const r = await p.evaluate(() => [...document.querySelectorAll('[role="tabpanel"]')].map((el) => ({
      id: el.id,
      copy: el.querySelectorAll('pre button.clip-button').length,
      source: (el.querySelector('.codetabs-source') || {}).textContent || '',
    })));
    assert.ok(r.length >= 8);
    for (const panel of r) {
      assert.ok(panel.copy >= 1, `${panel.id}: copy button`);
      assert.match(panel.source, /handlers\/\S+\.\w+\s+lines? \d+(–\d+)?/, `${panel.id}: source file and lines`);
    }
    // The visible panel's button copies its code.
    const g = p.locator('.codetabs').nth(1);
    await g.getByRole('tab', { name: 'Python' }).click();
    const panel = g.locator('[role="tabpanel"][data-codetabs-lang="python"]');
    await panel.locator('pre').hover();
    const button = panel.locator('pre button.clip-button');
    await button.waitFor({ state: 'visible' });
    await button.click();
    await p.waitForFunction((el) => el.classList.contains('tooltipped'), await button.elementHandle());
    const copied = await p.evaluate(() => navigator.clipboard.readText());
    const shown = await panel.locator('pre code').innerText();
    assert.equal(copied.trim(), shown.trim(), 'the copy button copies the panel\'s code');
    await p.close();
  });

  test('no heading sits inside a tab panel; the heading nav never points into one', async () => {
    const p = await page(CHAPTER);
    for (const ch of chapters()) {
      await p.goto(`${origin}/${ch}`);
      const bad = await p.evaluate(() => {
        const out = [...document.querySelectorAll('[role="tabpanel"] :is(h1,h2,h3,h4,h5,h6)')].map((h) => h.textContent);
        for (const a of document.querySelectorAll('#mdbook-sidebar a[href*="#"], .on-this-page a[href*="#"]')) {
          const id = decodeURIComponent(a.hash.slice(1));
          const t = id && document.getElementById(id);
          if (t && t.closest('[role="tabpanel"]')) out.push(`nav → #${id}`);
        }
        return out;
      });
      assert.deepEqual(bad, [], ch);
    }
    await p.close();
  });

  test('375 px wide: no horizontal overflow in any of the five themes', async () => {
    const p = await page(CHAPTER, { width: 375, height: 812 });
    for (const theme of THEMES) {
      await chooseTheme(p, theme);
      const r = await p.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll('.codetabs, .codetabs-tablist, .codetabs-tab, .codetabs-dag, .codetabs-timeline')]
          .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map((el) => el.id || el.className),
      }));
      assert.ok(r.page <= r.view, `${theme}: page ${r.page}px wide in a ${r.view}px view`);
      assert.deepEqual(r.wide, [], `${theme}: elements past the right edge`);
    }
    await p.close();
  });

  test('screenshots of one chapter in each theme and at 375 px', async () => {
    const p = await page(CHAPTER, { width: 1280, height: 1000 });
    const shoot = async (theme, name, focusRing = false) => {
      await chooseTheme(p, theme);
      await p.evaluate(() => {
        const h = document.querySelector('.codetabs-dag').previousElementSibling;
        window.scrollTo(0, window.scrollY + h.getBoundingClientRect().top - 60);
      });
      await p.locator('.codetabs').first().getByRole('tab', { name: 'Python' }).focus();
      await p.keyboard.press('ArrowRight'); // TypeScript selected by keyboard
      if (!focusRing) await p.evaluate(() => document.activeElement.blur());
      await p.mouse.move(0, 0);
      await frames(p);
      await p.screenshot({ path: path.join(SHOTS, name) });
    };
    for (const theme of THEMES) await shoot(theme, `01-ecommerce-${theme}.png`);
    // mdBook lays a page out for a narrow window as it loads.
    await p.setViewportSize({ width: 375, height: 812 });
    await p.reload();
    await shoot('light', '01-ecommerce-375px.png');
    await shoot('navy', '01-ecommerce-375px-navy-focus.png', true);
    await p.close();
    for (const f of ['light', 'rust', 'coal', 'navy', 'ayu', '375px'].map((t) => `01-ecommerce-${t}.png`)) {
      assert.ok(fs.statSync(path.join(SHOTS, f)).size > 10000, `${f} saved`);
    }
  });

  // 4 KB held the tabs alone (3,994 B). Issue 13's accessibility and reader
  // work needs more: contrast corrections for four of mdBook's themes, focus
  // for scrolling code blocks, the mapping tables' layout, underlined links in
  // running text, and showing the tab a search hit is in (5,440 B with the
  // coverage figures' style). The budget leaves some room and stops quiet
  // growth.
  const BUDGET = 6144;
  test('theme JS + CSS together are at most 6 KB gzipped', () => {
    const sizes = ['codetabs.js', 'codetabs.css'].map((f) =>
      zlib.gzipSync(fs.readFileSync(path.join(ROOT, 'theme', f)), { level: 9 }).length);
    const total = sizes[0] + sizes[1];
    console.log(`# gzipped: codetabs.js ${sizes[0]} B + codetabs.css ${sizes[1]} B = ${total} B (budget ${BUDGET} B)`);
    assert.ok(total <= BUDGET, `${total} bytes gzipped`);
  });

  // A copy of the book, served by codetabs-serve (what scripts/serve runs),
  // started with the suite.
  const LIVE = 'live preview: saving a handler reloads the open page with the new code, language kept';
  const liveServer = job(LIVE, async () => {
    const dir = await copyBook('codetabs-live-');
    return { dir, ...(await startServe(dir)) };
  });

  test(LIVE, async () => {
    const { dir: tmp, child: live, out, origin: liveOrigin } = await liveServer();
    try {
      origins.push(liveOrigin);
      const p = await page();
      await p.goto(`${liveOrigin}/${CHAPTER}?lang=python`);
      await p.evaluate(() => { window.beforeTheEdit = true; });
      // mdBook's live-reload script (its global `socket`) connects as the
      // page loads: an edit saved before the server has the page's socket
      // would reload nothing, so the edit waits for the socket to be open.
      await p.waitForFunction(() => typeof socket !== 'undefined' && socket.readyState === WebSocket.OPEN);

      const file = path.join(tmp, 'handlers/python/post_01_ecommerce/models/product.py');
      const token = `live_reload_probe_${process.pid}`;
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(text.includes('# ANCHOR: catalogue\n'));
      fs.writeFileSync(file, text.replace('# ANCHOR: catalogue\n', `# ANCHOR: catalogue\n# ${token}\n`));

      // What the assertion reads: the reloaded page with its tabs built and the
      // new line in a panel. The text alone can be there before codetabs.js
      // has made the panels. How soon is the benchmark's business
      // (BENCHMARKS.md, "Edit to page"), not this test's.
      await p.waitForFunction((t) => !window.beforeTheEdit && !!document.querySelector('.codetabs-ready') &&
        [...document.querySelectorAll('[role="tabpanel"] code')].some((c) => c.textContent.includes(t)),
      token, { timeout: PATIENCE });
      const state = await p.evaluate((t) => {
        const code = [...document.querySelectorAll('[role="tabpanel"] code')].find((c) => c.textContent.includes(t));
        const panel = code.closest('[role="tabpanel"]');
        return { lang: panel.dataset.codetabsLang, visible: panel.checkVisibility() };
      }, token);
      assert.deepEqual(state, { lang: 'python', visible: true }, 'the new line shows in the Python tab, still selected');
      // The server says so after it has told the page; the page may be faster.
      await out.until('stderr', /rebuilt in .* \(handlers\/python\/post_01_ecommerce\/models\/product\.py changed\); reloading 1 open page/);
      await p.close();
    } finally {
      live.kill();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  // The preprocessor's fixture book of directives in lists, quotes and
  // admonitions, built with the real theme (started with the suite) and served
  // on an origin of its own.
  const NESTED = 'a tab group inside a list item or a quote works: tabs switch and sync, the list stays whole';
  const nestedBook = job(NESTED, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codetabs-nested-'));
    cleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
    fs.cpSync(path.join(ROOT, 'preprocessor', 'tests', 'fixtures', 'nested'), tmp, { recursive: true });
    fs.cpSync(path.join(ROOT, 'theme'), path.join(tmp, 'theme'), { recursive: true });
    if (build.started()) await build().catch(() => {}); // cargo builds one thing at a time
    const built = await run('cargo', ['run', '--quiet', '--locked', '-p', 'mdbook-codetabs', '--', 'build', tmp], { cwd: ROOT });
    assert.equal(built.status, 0, built.stderr);
    return tmp;
  });

  test(NESTED, async () => {
    const tmp = await nestedBook();
    const srv = await serve(path.join(tmp, 'book', 'html'));
    const fixtureOrigin = `http://127.0.0.1:${srv.address().port}`;
    origins.push(fixtureOrigin);
    try {
      const p = await page();
      await p.goto(`${fixtureOrigin}/lists.html`);
      const where = await p.evaluate(() => [...document.querySelectorAll('.codetabs')].map((g) => ({
        id: g.id,
        item: !!g.closest('li'),
        // The group's tab list and panels were built inside the item.
        whole: !!g.querySelector('[role="tablist"]') && g.querySelectorAll('[role="tabpanel"]').length === 2,
      })));
      assert.deepEqual(where.map((g) => g.id), ['codetabs-src-lists-1', 'codetabs-src-lists-3', 'codetabs-src-lists-4']);
      assert.ok(where.every((g) => g.item && g.whole), JSON.stringify(where));
      const items = await p.evaluate(() => [...document.querySelectorAll('main ol')].map((ol) => ol.children.length));
      assert.deepEqual(items, [4], 'one numbered list of four steps: the tabs did not end it');

      let groups = await groupsState(p);
      assertAll(groups, 'ruby', 'Ruby first by default');
      await p.locator('#codetabs-src-lists-1').getByRole('tab', { name: 'Python' }).click();
      groups = await groupsState(p);
      assertAll(groups, 'python', 'a click in the first step switches every group');
      await p.locator('#codetabs-src-lists-4').getByRole('tab', { name: 'Ruby' }).focus();
      await p.keyboard.press('ArrowRight');
      assertAll(await groupsState(p), 'python', 'arrow keys in a nested item');
      await p.keyboard.press('Home');
      assertAll(await groupsState(p), 'ruby', 'Home in a nested item');
      // mdBook's sticky menu bar would sit over the middle of a full-page shot.
      await p.addStyleTag({ content: '#mdbook-menu-bar { position: static !important; }' });
      await p.locator('main').screenshot({ path: path.join(SHOTS, 'nested-list.png') });

      // The choice carries over to the groups in quotes and admonitions.
      await p.locator('#codetabs-src-lists-3').getByRole('tab', { name: 'Python' }).click();
      for (const chapter of ['quotes', 'admonitions']) {
        await p.goto(`${fixtureOrigin}/${chapter}.html`);
        const quoted = await p.evaluate(() => [...document.querySelectorAll('.codetabs')].every((g) => !!g.closest('blockquote')));
        assert.ok(quoted, `${chapter}: every group sits in its quote`);
        groups = await groupsState(p);
        assert.ok(groups.length >= 2, `${chapter}: its groups were built`);
        assertAll(groups, 'python', `${chapter}: the stored choice`);
      }
      await p.close();
    } finally {
      await new Promise((r) => srv.close(r));
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('a search hit in a hidden tab: that tab is shown and the word scrolled to; the saved choice stays', async () => {
    const p = await page(CHAPTER);
    await p.evaluate((k) => localStorage.setItem(k, 'ruby'), KEY);
    await p.reload();
    // A word that only Rust panels hold on this chapter (hidden while Ruby is
    // chosen), found on the page rather than written into the test.
    const word = await p.evaluate(() => {
      const words = (el) => new Set((el.textContent.match(/[A-Za-z]{9,}/g) || []).map((w) => w.toLowerCase()));
      const rust = [...document.querySelectorAll('[role="tabpanel"][data-codetabs-lang="rust"]')];
      const clone = document.querySelector('main').cloneNode(true);
      clone.querySelectorAll('[role="tabpanel"][data-codetabs-lang="rust"]').forEach((e) => e.remove());
      const elsewhere = words(clone);
      const only = new Set();
      for (const panel of rust) for (const w of words(panel)) if (!elsewhere.has(w)) only.add(w);
      return [...only].sort()[0];
    });
    assert.ok(word, 'a word only the Rust tabs hold');
    // Search as a reader does, and open the hit on this chapter.
    await p.locator('#mdbook-search-toggle').click();
    // mdBook searches on keyup, or when its index arrives if that is later.
    await p.locator('#mdbook-searchbar').fill(word);
    await p.locator('#mdbook-searchbar').press('End');
    const hit = p.locator(`#mdbook-searchresults a[href*="${CHAPTER}?highlight="]`).first();
    await hit.waitFor();
    assert.match(await hit.getAttribute('href'), /\?highlight=/);
    await hit.click();
    // The marks come once mdBook's search has loaded its index; then the tab.
    await p.waitForFunction(() => [...document.querySelectorAll('main mark')]
      .some((m) => m.closest('[role="tabpanel"]') && m.checkVisibility()));
    // The tab shows at once; the scroll to the word waits for the page's load
    // (after the browser's own scroll to the #heading), which may come later.
    await p.waitForFunction(() => document.readyState === 'complete');
    await frames(p);
    const r = await p.evaluate((k) => {
      // The hit the link leads to: the first mark after the linked heading.
      const at = document.getElementById(location.hash.slice(1));
      const marks = [...document.querySelectorAll('main mark')];
      const m = marks.find((x) => !at || at.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING) || marks[0];
      const panel = m.closest('[role="tabpanel"]');
      const box = m.getBoundingClientRect();
      const code = m.closest('code').getBoundingClientRect(); // it scrolls sideways
      return {
        text: m.textContent.toLowerCase(),
        lang: panel.dataset.codetabsLang,
        inView: m.checkVisibility() && box.top >= 0 && box.bottom <= innerHeight &&
          box.left >= code.left && box.right <= code.right,
        stored: localStorage.getItem(k),
        query: location.search,
      };
    }, KEY);
    assert.equal(r.text, word);
    assert.match(r.query, /highlight=/);
    assert.equal(r.lang, 'rust', 'the Rust tab, where the word is, is shown');
    assert.ok(r.inView, 'the word is scrolled into view');
    assert.equal(r.stored, 'ruby', 'the reader\'s saved choice is unchanged');
    assertAll(await groupsState(p), 'rust', 'the page shows Rust for this visit');
    await p.screenshot({ path: path.join(SHOTS, 'search-hit-rust-tab.png') });
    // The same word behind a link to the chapter's first heading, far above
    // it: the word, not the heading, ends in view once the page has loaded.
    await p.goto(`${origin}/${CHAPTER}`);
    const first = await p.evaluate(() => document.querySelector('main h2[id]').id);
    await p.goto(`${origin}/${CHAPTER}?highlight=${encodeURIComponent(word)}#${first}`);
    await p.waitForFunction(() => document.readyState === 'complete');
    await frames(p);
    const far = await p.evaluate(() => {
      const m = document.querySelector('main mark');
      const box = m.getBoundingClientRect();
      return { visible: m.checkVisibility(), top: box.top, bottom: box.bottom, height: innerHeight };
    });
    assert.ok(far.visible && far.top >= 0 && far.bottom <= far.height, `the word in view: ${JSON.stringify(far)}`);
    assert.equal(await p.evaluate((k) => localStorage.getItem(k), KEY), 'ruby', 'still the saved choice');
    await p.close();
  });
});

// What every context of the tests above saw.
test('no request left the book\'s origin', () => {
  assert.ok(origin);
  assert.deepEqual(offOrigin, []);
});

test('no console errors', () => {
  assert.deepEqual(consoleErrors, [], `failed loads: ${JSON.stringify(failedLoads)}`);
});
