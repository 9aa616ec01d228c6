// Audits of the built book as readers get it: the Nu HTML Checker (vnu-jar,
// on the machine's Java) over every page; axe-core's WCAG 2.1 A and AA rules
// over every page in the five themes at 1,280 and 375 px; text alternatives
// of diagrams and timelines; and every table against its column at both
// widths. Each fails on any problem of ours; what comes from mdBook's own
// theme is named below, left as it is, and counted in the output.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const BOOK = path.join(ROOT, 'book');
const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
const WIDTHS = [1280, 375];
const VNU = path.join(__dirname, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const AXE = require.resolve('axe-core/axe.min.js');
// A bound on each wait, never a deadline (see tabs.test.js).
const PATIENCE = 120000;

let server;
let origin;
let ctx;
let profile;

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
};

// Every HTML page of the book, book-relative.
function pages() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else if (e.name.endsWith('.html')) out.push(path.relative(BOOK, f).split(path.sep).join('/'));
    }
  };
  walk(BOOK);
  return out.sort();
}

// The pages a reader opens: toc.html is mdBook's sidebar for readers without
// JavaScript, shown inside the other pages (vnu still reads it).
const readerPages = () => pages().filter((p) => p !== 'toc.html');

before(async () => {
  const built = spawnSync(path.join(ROOT, 'scripts', 'build'), { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`scripts/build failed (exit ${built.status}):\n${built.stderr}${built.stdout}`);
  server = http.createServer((req, res) => {
    let rel;
    try { rel = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    let file = path.join(BOOK, path.normalize(rel).replace(/^([/\\]|\.\.)+/, ''));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'codetabs-audit-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  ctx.setDefaultTimeout(PATIENCE);
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await ctx?.close();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
  if (server) await new Promise((r) => server.close(r));
});

async function open(p, page, theme, width) {
  await p.setViewportSize({ width, height: 900 });
  await p.goto(`${origin}/${page}`);
  await p.evaluate((t) => localStorage.setItem('mdbook-theme', t), theme);
  await p.goto(`${origin}/${page}`);
  assert.ok(await p.evaluate((t) => document.documentElement.classList.contains(t), theme), `${theme} applied`);
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

test('the Nu HTML Checker finds no error of ours on any page', () => {
  const files = pages().map((p) => path.join(BOOK, p));
  assert.ok(files.length >= 10, `${files.length} pages`);
  const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files],
    { encoding: 'utf8', maxBuffer: 256 << 20 });
  // It answers on stderr, and exits 1 when it found errors.
  let messages;
  try { messages = JSON.parse(r.stderr).messages; } catch { assert.fail(`vnu did not answer (exit ${r.status}):\n${r.stderr}${r.stdout}`); }
  const theirs = messages.filter(vnuFromMdbook);
  const ours = messages.filter((m) => !vnuFromMdbook(m))
    .map((m) => `${m.url.split('/book/').pop()}:${m.lastLine}: ${m.message} [${(m.extract || '').trim()}]`);
  console.log(`# vnu: ${files.length} pages, ${ours.length} errors of ours, ${theirs.length} from mdBook's theme (left as they are)`);
  assert.deepEqual(ours, []);
});

// ------------------------------------------------------------ axe-core

// mdBook's sidebar toggle again, as axe sees it (aria-label and
// aria-expanded on a <label>): its template, not ours.
const AXE_FROM_MDBOOK = (rule, target) => ['aria-allowed-attr', 'aria-prohibited-attr'].includes(rule) &&
  target === '#mdbook-sidebar-toggle';

test('axe-core: no WCAG 2.1 A/AA violation of ours on any page, in five themes, at 1,280 and 375 px', async () => {
  const p = await ctx.newPage();
  const ours = [];
  const counts = {};
  let scans = 0;
  let theirs = 0;
  for (const width of WIDTHS) {
    for (const theme of THEMES) {
      for (const page of readerPages()) {
        await open(p, page, theme, width);
        await p.addScriptTag({ path: AXE });
        const r = await p.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        }));
        scans++;
        for (const v of r.violations) {
          for (const n of v.nodes) {
            const target = n.target.join(' ');
            if (AXE_FROM_MDBOOK(v.id, target)) { theirs++; continue; }
            counts[v.id] = (counts[v.id] || 0) + 1;
            ours.push(`${width}px ${theme} ${page}: ${v.id} at ${target}: ${n.failureSummary.replace(/\s+/g, ' ')}`);
          }
        }
      }
    }
  }
  await p.evaluate(() => localStorage.setItem('mdbook-theme', 'light'));
  await p.close();
  console.log(`# axe: ${scans} scans, ${ours.length} violations of ours ${JSON.stringify(counts)}, ${theirs} from mdBook's sidebar toggle (left as it is)`);
  assert.deepEqual(ours.slice(0, 40), [], `${ours.length} violations`);
});

test('diagrams and timelines have text alternatives a screen reader reads', async () => {
  const p = await ctx.newPage();
  let figures = 0;
  for (const page of readerPages()) {
    await p.goto(`${origin}/${page}`);
    const imgs = p.locator('main svg[role="img"]');
    for (let i = 0; i < await imgs.count(); i++) {
      const svg = imgs.nth(i);
      // The name the accessibility tree gives it (from aria-labelledby).
      const snapshot = await svg.ariaSnapshot();
      const name = (/img "(.*)"/.exec(snapshot) || [])[1] || '';
      const info = await svg.evaluate((s) => ({
        figure: s.closest('figure').className,
        id: s.closest('figure').id,
        // A diagram draws its steps' names; its text must say each of them.
        steps: s.closest('.codetabs-dag') ? [...s.querySelectorAll('text')].map((t) => t.textContent) : [],
      }));
      assert.ok(name.length > 20, `${page} ${info.id}: an accessible name (${snapshot})`);
      for (const step of info.steps) assert.ok(name.includes(step), `${page} ${info.id}: "${step}" in "${name}"`);
      figures++;
    }
  }
  assert.ok(figures >= 8, `${figures} diagrams and timelines`);
  await p.close();
});

// --------------------------------------------------------------- tables

test('every table fits its column at 1,280 and 375 px (no sideways scrolling)', async () => {
  const p = await ctx.newPage();
  let tables = 0;
  for (const width of WIDTHS) {
    for (const page of readerPages()) {
      await open(p, page, 'light', width);
      const r = await p.evaluate(() => {
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
      for (const t of r) {
        tables++;
        assert.ok(t.fits && !t.scrolls, `${width}px ${page}: table "${t.title}" is ${t.width} px in a ${t.column} px column`);
      }
      if (width === 1280 && page === 'reference/step-context-api.html') {
        await p.addStyleTag({ content: '#mdbook-menu-bar { position: static !important; }' });
        await p.locator('.codetabs-mapping').first().screenshot({ path: path.join(SHOTS, 'api-table-1280.png') });
      }
    }
  }
  assert.ok(tables >= 20, `${tables} tables measured`);
  await p.close();
});
