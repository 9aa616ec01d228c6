// Audits of the built book as readers get it: the Nu HTML Checker (vnu-jar,
// on the machine's Java) over every page; axe-core's WCAG 2.1 A and AA rules
// over every page in the five themes at 1,280 and 375 px; text alternatives
// of diagrams and timelines; and every table against its column at both
// widths. Each fails on any problem of ours; what comes from mdBook's own
// theme is named below, left as it is, and counted in the output. A page's
// audit is made again only when the page or a file it loaded changed (or the
// audit itself): an earlier run's findings for the same bytes, failures
// included, are used as they are (reuse.js; FRESH_AUDITS=1 makes them all).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  BOOK, SHOTS, THEMES, PAGES_AT_ONCE, job, run, wanted, build, pages, readerPages, bookOrigin, newContext, browserVersion, chooseTheme,
} = require('./support');
const { FRESH, reuse, loadedFiles, identity } = require('./reuse');

const WIDTHS = [1280, 375];
const VNU = path.join(__dirname, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const AXE = require.resolve('axe-core/axe.min.js');
// Where a page's audit is kept for the next run (reuse.js).
const KEPT = path.join(__dirname, 'node_modules', '.cache', 'codetabs-audits');
// Every page and mdBook's searcher script name the search index's file,
// whose name changes with every word of the book; a page loads that file
// only when the reader searches, and then it is an input of the visit in its
// own right. So their digests leave the name out: a prose edit in one
// chapter leaves the other pages' audits standing.
const SEARCH_INDEX_NAME = /searchindex-[0-9a-f]+\.js/g;
const relevant = (rel, bytes) => (/\.(html|js)$/.test(rel) ? bytes.toString('latin1').replace(SEARCH_INDEX_NAME, 'searchindex.js') : bytes);
// The kept records of the audit `tool` (reuse.js: identity) over the book.
const keptFor = (tool) => reuse({ dir: KEPT, root: BOOK, relevant, tool });
// The checker's answer does not depend on how Java compiles it: the quick
// compiler alone (C1) halves its CPU time, and needs a larger stack.
const JAVA = ['-XX:TieredStopAtLevel=1', '-Xss16m'];

build(); // the book, first of all

// Loads page into p at width, in theme (stored as the reader's choice, as
// mdBook reads it, by the context's init script: see visitAll).
async function load(p, page, width, theme) {
  await p.setViewportSize({ width, height: 900 });
  await p.goto(`${await bookOrigin()}/${page}`);
  assert.ok(await p.evaluate((t) => document.documentElement.classList.contains(t), theme), `${width}px ${page}: ${theme} applied`);
}

// ------------------------------------------------------- Nu HTML Checker

// mdBook 0.5.4's own page template, which we leave as it is: the sidebar
// toggle is a <label> for a checkbox that also carries aria-label and
// aria-controls (on every page), and toc.html (the sidebar for readers
// without JavaScript) has no <title> and closes list items twice.
function vnuFromMdbook(m) {
  const file = m.url.split('/book/').pop();
  return (/“aria-(label|controls)” attribute must not be used on any “label” element/.test(m.message) &&
      /id="mdbook-sidebar-toggle"/.test(m.extract || '')) ||
    (file === 'toc.html' && /missing a required instance of child element “title”|No “li” element in scope but a “li” end tag seen/.test(m.message));
}

// It runs on Java while the pages are checked in Chromium; its answer is
// kept, and used again while every page is unchanged (reuse.js).
const VNU_TEST = 'the Nu HTML Checker finds no error of ours on any page';
const VNU_ARGS = [...JAVA, '-jar', VNU, '--errors-only', '--format', 'json'];
const vnu = job(VNU_TEST, async () => {
  await build();
  const files = pages();
  if (files.length < 10) return { files };
  const kept = keptFor(identity([{ file: require.resolve('vnu-jar/package.json') }, JSON.stringify(VNU_ARGS)]));
  // The list of pages is part of the name: a new page is checked.
  const name = `vnu ${files.join(' ')}`;
  let r = kept.get(name);
  if (!r) {
    const { status, stderr, stdout } = await run('java', [...VNU_ARGS, ...files.map((p) => path.join(BOOK, p))]);
    r = { status, stderr, stdout };
    // It exits 1 when it found errors; anything else did not check.
    if (status === 0 || status === 1) kept.put(name, files, r);
  }
  return { files, r, reused: kept.counts.reused > 0 };
});

test(VNU_TEST, async () => {
  const { files, r, reused } = await vnu();
  assert.ok(files.length >= 10, `${files.length} pages`);
  // It answers on stderr, and exits 1 when it found errors.
  let messages;
  try { messages = JSON.parse(r.stderr).messages; } catch { assert.fail(`vnu did not answer (exit ${r.status}):\n${r.stderr}${r.stdout}`); }
  const theirs = messages.filter(vnuFromMdbook);
  const ours = messages.filter((m) => !vnuFromMdbook(m))
    .map((m) => `${m.url.split('/book/').pop()}:${m.lastLine}: ${m.message} [${(m.extract || '').trim()}]`);
  console.log(`# vnu: ${files.length} pages${reused ? ' (its answer kept from a run on the same pages)' : ''}, ` +
    `${ours.length} errors of ours, ${theirs.length} from mdBook's theme (left as they are)`);
  assert.deepEqual(ours, []);
});

// ------------------------------------------------------------ axe-core

// mdBook's sidebar toggle again, as axe sees it (aria-label and
// aria-expanded on a <label>): its template, not ours.
const AXE_FROM_MDBOOK = (rule, target) => ['aria-allowed-attr', 'aria-prohibited-attr'].includes(rule) &&
  target === '#mdbook-sidebar-toggle';

// axe-core's whole WCAG 2.1 A and AA rule set over p in each of the five
// themes in turn. The page was loaded in the first, and is switched to the
// others as a reader switches (support.js: chooseTheme). One load instead of
// five also lets axe's code warm up over the five scans.
async function axeInThemes(p) {
  await p.addScriptTag({ path: AXE });
  const found = [];
  for (const theme of THEMES) {
    if (theme !== THEMES[0]) await chooseTheme(p, theme);
    const r = await p.evaluate(() => window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    }));
    found.push({
      theme,
      violations: r.violations.map((v) => ({
        id: v.id, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), failureSummary: n.failureSummary })),
      })),
    });
  }
  return found;
}

// ------------------------------------------------------------- diagrams

async function diagramsOn(p) {
  const found = [];
  const imgs = p.locator('main svg[role="img"]');
  for (let i = 0; i < await imgs.count(); i++) {
    const svg = imgs.nth(i);
    // The name the accessibility tree gives it (from aria-labelledby).
    const snapshot = await svg.ariaSnapshot();
    const info = await svg.evaluate((s) => ({
      figure: s.closest('figure').className,
      id: s.closest('figure').id,
      // A diagram draws its steps' names; its text must say each of them.
      steps: s.closest('.codetabs-dag') ? [...s.querySelectorAll('text')].map((t) => t.textContent) : [],
    }));
    found.push({ snapshot, info });
  }
  return found;
}

// --------------------------------------------------------------- tables

const tablesOn = (p) => p.evaluate(() => {
  const main = document.querySelector('main');
  const column = main.getBoundingClientRect();
  return [...main.querySelectorAll('table')].map((t) => {
    const box = t.getBoundingClientRect();
    const scroller = t.parentElement;
    return {
      title: (t.closest('.codetabs-mapping')?.querySelector('.codetabs-title')?.textContent) ||
        t.querySelector('th')?.textContent || '',
      width: Math.round(box.width),
      column: Math.round(column.width),
      fits: box.left >= column.left - 0.5 && box.right <= column.right + 0.5,
      scrolls: scroller.scrollWidth > scroller.clientWidth + 1,
    };
  });
});

async function apiTableShot(p) {
  await load(p, 'reference/step-context-api.html', 1280, 'light');
  await p.addStyleTag({ content: '#mdbook-menu-bar { position: static !important; }' });
  await p.locator('.codetabs-mapping').first().screenshot({ path: path.join(SHOTS, 'api-table-1280.png') });
}

// ------------------------------------------------- every page, once a width

const AXE_TEST = 'axe-core: no WCAG 2.1 A/AA violation of ours on any page, in five themes, at 1,280 and 375 px';
const DIAGRAMS_TEST = 'diagrams and timelines have text alternatives a screen reader reads';
const TABLES_TEST = 'every table fits its column at 1,280 and 375 px (no sideways scrolling)';
const CHECKS = { axe: AXE_TEST, diagrams: DIAGRAMS_TEST, tables: TABLES_TEST };

// Each reader page is loaded once at each width, in light, and read by the
// checks in turn, each leaving the page as it found it but axe, last, which
// switches themes: the tables are measured (both widths) and the diagrams'
// names read (1,280 px) as a fresh load shows them, then axe scans. A check
// that fails on a page fails its own test only.
const settle = (fn) => Promise.resolve().then(fn).then((value) => ({ value }), (error) => ({ error }));

async function visit(p, page, width, checks) {
  const loaded = await settle(() => load(p, page, width, 'light'));
  if (loaded.error) return Object.fromEntries(checks.map((c) => [c, loaded]));
  const found = {};
  if (checks.includes('tables')) found.tables = await settle(() => tablesOn(p));
  if (checks.includes('diagrams') && width === 1280) found.diagrams = await settle(() => diagramsOn(p));
  if (checks.includes('axe')) found.axe = await settle(() => axeInThemes(p));
  return found;
}

// What checks found on every reader page at both widths, keyed
// `${width} ${page}`; a visit whose page and every file it loaded are
// unchanged since a run that kept it, under the same audit, is not made
// again (reuse.js). PAGES_AT_ONCE workers (support.js) take the visits in
// turn, the biggest pages first (print.html holds every chapter) so that the
// last to finish are small ones. Each worker has a context and a page of its
// own, going from one visit to the next: one renderer whose code (axe's
// above all) stays compiled and warm. Every load starts from the state a
// new context has: the init script empties the page's storage before
// mdBook's scripts run, then stores light as the reader's theme; the
// browser's cache holds only the book's unchanging files, and which links
// were visited is hidden from scripts (getComputedStyle, thus axe, reads
// every link as unvisited).
async function visitAll(checks) {
  await build();
  const size = (page) => fs.statSync(path.join(BOOK, page)).size;
  const tasks = [];
  for (const page of readerPages().sort((a, b) => size(b) - size(a))) for (const width of WIDTHS) tasks.push({ page, width });
  if (checks.includes('tables')) tasks.push({ shot: true });
  const found = new Map();
  let shot;
  const origin = await bookOrigin();
  const kept = keptFor(identity([
    { file: __filename }, { file: require.resolve('./support') }, { file: require.resolve('./reuse') },
    { file: require.resolve('axe-core/package.json') }, { file: require.resolve('playwright-core/package.json') },
    await browserVersion(),
    JSON.stringify({ THEMES, WIDTHS, checks: [...checks].sort() }),
  ]));
  const queue = [...tasks];
  await Promise.all(Array.from({ length: PAGES_AT_ONCE }, async () => {
    const ctx = await newContext();
    try {
      await ctx.addInitScript((theme) => {
        if (!/^https?:$/.test(location.protocol)) return;
        sessionStorage.clear();
        localStorage.clear();
        localStorage.setItem('mdbook-theme', theme);
        // Room for every file the page loads: the list names a visit's inputs.
        performance.setResourceTimingBufferSize(100000);
      }, 'light');
      const p = await ctx.newPage();
      for (let task = queue.shift(); task; task = queue.shift()) {
        if (task.shot) { shot = await settle(() => apiTableShot(p)); continue; }
        const name = `${task.width} ${task.page}`;
        const value = kept.get(name);
        if (value) {
          found.set(name, Object.fromEntries(Object.entries(value).map(([check, v]) => [check, { value: v }])));
          continue;
        }
        const f = await visit(p, task.page, task.width, checks);
        found.set(name, f);
        // What failed to run (a page that did not load) is not kept.
        const files = !Object.values(f).some((r) => r.error) && await loadedFiles(p, origin);
        if (files) kept.put(name, files, Object.fromEntries(Object.entries(f).map(([check, r]) => [check, r.value])));
      }
    } finally {
      await ctx.close();
    }
  }));
  return { shot, found, kept: kept.counts };
}

// The checks whose tests run (support.js: wanted) share the visits, started
// with the suite; a test whose check was not planned visits on its own.
const planned = Object.keys(CHECKS).filter((c) => wanted(CHECKS[c]));
const visits = job(Object.values(CHECKS), () => visitAll(planned));
const visitsFor = (check) => (planned.includes(check) ? visits() : visitAll([check]));

// What check found at width on page, in the order of the test's loops; its
// failure there, if it failed.
function foundBy(all, check, width, page) {
  const r = all.found.get(`${width} ${page}`)[check];
  if (r.error) throw r.error;
  return r.value;
}

test(AXE_TEST, async () => {
  const all = await visitsFor('axe');
  const ours = [];
  const counts = {};
  let scans = 0;
  let theirs = 0;
  for (const width of WIDTHS) {
    for (const theme of THEMES) {
      for (const page of readerPages()) {
        const { violations } = foundBy(all, 'axe', width, page).find((f) => f.theme === theme);
        scans++;
        for (const v of violations) {
          for (const n of v.nodes) {
            if (AXE_FROM_MDBOOK(v.id, n.target)) { theirs++; continue; }
            counts[v.id] = (counts[v.id] || 0) + 1;
            ours.push(`${width}px ${theme} ${page}: ${v.id} at ${n.target}: ${n.failureSummary.replace(/\s+/g, ' ')}`);
          }
        }
      }
    }
  }
  const made = FRESH ? 'FRESH_AUDITS=1: all made now'
    : `${all.kept.reused * THEMES.length} kept from a run on the same inputs; FRESH_AUDITS=1 makes them all`;
  console.log(`# axe: ${scans} scans (${made}), ` +
    `${ours.length} violations of ours ${JSON.stringify(counts)}, ${theirs} from mdBook's sidebar toggle (left as it is)`);
  assert.deepEqual(ours.slice(0, 40), [], `${ours.length} violations`);
});

test(DIAGRAMS_TEST, async () => {
  const all = await visitsFor('diagrams');
  let figures = 0;
  for (const page of readerPages()) {
    for (const { snapshot, info } of foundBy(all, 'diagrams', 1280, page)) {
      const name = (/img "(.*)"/.exec(snapshot) || [])[1] || '';
      assert.ok(name.length > 20, `${page} ${info.id}: an accessible name (${snapshot})`);
      for (const step of info.steps) assert.ok(name.includes(step), `${page} ${info.id}: "${step}" in "${name}"`);
      figures++;
    }
  }
  assert.ok(figures >= 8, `${figures} diagrams and timelines`);
});

test(TABLES_TEST, async () => {
  const all = await visitsFor('tables');
  let tables = 0;
  for (const width of WIDTHS) {
    for (const page of readerPages()) {
      for (const t of foundBy(all, 'tables', width, page)) {
        tables++;
        assert.ok(t.fits && !t.scrolls, `${width}px ${page}: table "${t.title}" is ${t.width} px in a ${t.column} px column`);
      }
    }
  }
  if (all.shot.error) throw all.shot.error;
  assert.ok(tables >= 20, `${tables} tables measured`);
});

test('a kept audit is used again only while the audit and every file it read are unchanged', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'codetabs-reuse-'));
  try {
    const dir = path.join(root, 'kept');
    fs.writeFileSync(path.join(root, 'page.html'), 'one');
    fs.writeFileSync(path.join(root, 'style.css'), 'a {}');
    const open = (tool, fresh = false) => reuse({ dir, root, tool, fresh });
    open('audit 1').put('1280 page.html', ['page.html', 'style.css', 'gone.woff2'], { axe: ['found'] });
    assert.deepEqual(open('audit 1').get('1280 page.html'), { axe: ['found'] }, 'all unchanged');
    assert.equal(open('audit 1').get('375 page.html'), undefined, 'another width');
    assert.equal(open('audit 2').get('1280 page.html'), undefined, 'another audit');
    assert.equal(open('audit 1', true).get('1280 page.html'), undefined, 'FRESH_AUDITS=1');
    fs.writeFileSync(path.join(root, 'gone.woff2'), 'now here');
    assert.equal(open('audit 1').get('1280 page.html'), undefined, 'a file that was missing appeared');
    fs.rmSync(path.join(root, 'gone.woff2'));
    assert.ok(open('audit 1').get('1280 page.html'), 'missing again');
    fs.writeFileSync(path.join(root, 'style.css'), 'a { color: red }');
    assert.equal(open('audit 1').get('1280 page.html'), undefined, 'a style sheet changed');
    // The search index's name in a page, as mdBook writes it, is not an input.
    const page = (index, text) => `<script>window.path_to_searchindex_js = "${index}";</script><p>${text}</p>`;
    fs.writeFileSync(path.join(root, 'page.html'), page('searchindex-1.js', 'one'));
    const masked = (tool) => reuse({ dir, root, tool, relevant, fresh: false });
    masked('audit 3').put('1280 page.html', ['page.html'], { axe: [] });
    fs.writeFileSync(path.join(root, 'page.html'), page('searchindex-2.js', 'one'));
    assert.ok(masked('audit 3').get('1280 page.html'), 'only the search index was renamed');
    fs.writeFileSync(path.join(root, 'page.html'), page('searchindex-2.js', 'two'));
    assert.equal(masked('audit 3').get('1280 page.html'), undefined, 'the page changed');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
