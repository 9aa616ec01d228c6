// What the browser suite's files (tabs.test.js, serve.test.js and
// audit.test.js) share. scripts/test-browser runs the three in one process
// (suite.js), so the book is built once, one static server serves it and one
// Chromium drives every page; each file still runs alone too (node --test
// tests/browser/audit.test.js), setting up only what it uses.
//
// Jobs: the slow work of a test that shares nothing with the others (axe-core
// over every page, the Nu HTML Checker, a live-preview server's start) is a
// job, started when the suite starts, in contexts of its own; the test
// awaits its job and asserts on what it found, while the tests before it run.
// Jobs are started only for the tests --test-name-pattern selects; a test whose
// job did not start starts it itself. Nothing a job does depends on what else
// runs: its pages have their own storage, and every wait is for a condition.
'use strict';

const { after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const BOOK = path.join(ROOT, 'book');
const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/lib/chromium/chromium-headless-shell';
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
// How long a wait for something a test needs may last before it is called
// lost. A bound, never a deadline: each wait ends when its condition holds;
// this only stops a server or page that never answers from hanging the suite
// (a debug rebuild of the book takes seconds with both cores busy).
const PATIENCE = 120000;
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--js-flags=--max-semi-space-size=64',
];
// Pages the audits (audit.test.js) work on at the same time, while the tests
// before them use two more (tabs.test.js: TESTS_AT_ONCE). A page at work keeps about 1.3 cores busy (its
// main thread and V8's helpers): more would only share the same cores.
const PAGES_AT_ONCE = 2;

fs.mkdirSync(SHOTS, { recursive: true });

// ------------------------------------------------------------ housekeeping

const cleanups = [];
// fn runs when the suite ends, last registered first.
function cleanup(fn) { cleanups.push(fn); }

after(async () => {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch { /* already gone */ }
  }
});

// fn's promise, made on the first call and shared by every later one. A
// failure is kept for whoever awaits it, never an unhandled rejection.
// get.started() says whether it was.
function once(fn) {
  let promise;
  const get = () => {
    if (!promise) {
      promise = Promise.resolve().then(fn);
      promise.catch(() => {});
    }
    return promise;
  };
  get.started = () => promise !== undefined;
  return get;
}

// A command's exit status and whole output (spawnSync without blocking).
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    const kill = () => child.kill();
    cleanup(kill);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => {
      const i = cleanups.indexOf(kill);
      if (i >= 0) cleanups.splice(i, 1);
      resolve({ status, stdout, stderr });
    });
  });
}

// ------------------------------------------------------------------- jobs

// The --test-name-pattern values node gave this process, as node reads them.
const patterns = [];
for (let i = 0; i < process.execArgv.length; i++) {
  const a = process.execArgv[i];
  const value = a === '--test-name-pattern' ? process.execArgv[++i]
    : a.startsWith('--test-name-pattern=') ? a.slice('--test-name-pattern='.length) : null;
  if (value === null || value === undefined) continue;
  const m = /^\/(.*)\/([a-z]*)$/s.exec(value);
  patterns.push(m ? new RegExp(m[1], m[2]) : new RegExp(value));
}
const wanted = (name) => !patterns.length || patterns.some((re) => re.test(name));

// A job for the test named testName (or the tests, a list of names):
// started with the suite if one of them runs (once every file has been
// loaded and has told its jobs); returns the function they await.
function job(testName, fn) {
  const get = once(fn);
  const names = [testName].flat();
  setImmediate(() => { if (names.some(wanted)) get(); });
  return get;
}

// ------------------------------------------------------------------ the book

// scripts/build, once for the whole suite.
const build = once(async () => {
  const r = await run(path.join(ROOT, 'scripts', 'build'), [], { cwd: ROOT });
  if (r.status !== 0) throw new Error(`scripts/build failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
});

// Every HTML page of the book, book-relative, sorted.
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

// The chapters: reader pages but the front page, 404 and print.html.
const chapters = () => readerPages().filter((p) => !['404.html', 'print.html', 'index.html'].includes(p));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.txt': 'text/plain',
};

// mdBook names its static files after their content (book-609e4cb8.js,
// fonts/open-sans-…-7736aa35.woff2): a name always means the same bytes.
const CONTENT_NAMED = /-[0-9a-f]{8}(\.min)?\.\w+$/;

// A static server of dir on 127.0.0.1; closed when the suite ends. As a
// book's host would, it lets the browser keep content-named files: a page
// loaded again reuses their compiled scripts (a third of a chapter's load),
// while pages themselves are fetched each time.
function serve(dir) {
  return new Promise((resolve) => {
    const srv = http.createServer((req, res) => {
      let rel;
      try {
        rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      let file = path.join(dir, path.normalize(rel).replace(/^([/\\]|\.\.)+/, ''));
      if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      fs.readFile(file, (err, body) => {
        // Only a missing file is a 404: anything else (too many open files,
        // a read cut short) says what it was.
        if (err?.code === 'ENOENT' || err?.code === 'EISDIR') { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
        if (err) { res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)); return; }
        const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' };
        if (CONTENT_NAMED.test(file)) headers['cache-control'] = 'public, max-age=31536000, immutable';
        res.writeHead(200, headers);
        res.end(body);
      });
    });
    srv.listen(0, '127.0.0.1', () => {
      cleanup(() => new Promise((r) => { srv.closeAllConnections(); srv.close(r); }));
      resolve(srv);
    });
  });
}

// The built book's origin (http://127.0.0.1:port).
const bookOrigin = once(async () => {
  await build();
  const srv = await serve(BOOK);
  return `http://127.0.0.1:${srv.address().port}`;
});

// ---------------------------------------------------------------- Chromium

// Debian's Chromium headless shell, launched once: no browser is downloaded.
const browser = once(async () => {
  const b = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  cleanup(() => b.close());
  return b;
});

// The Chromium's version, as its part of what an audit depends on.
const browserVersion = async () => (await browser()).version();

// A context of its own (storage, permissions, routes), 1280 × 900 unless
// options say otherwise. Playwright's 30 s default wait is a bound too; a
// loaded machine gets more.
async function newContext(options = {}) {
  const ctx = await (await browser()).newContext({ viewport: { width: 1280, height: 900 }, ...options });
  ctx.setDefaultTimeout(PATIENCE);
  return ctx;
}

// The reader's switch to theme through mdBook's theme menu: a click on it
// runs what loading a page in that theme runs (set_theme: the theme's class
// on <html>, its highlight.js style sheet, the choice stored). The colours
// then fade for up to half a second (CSS transitions); the fades are
// finished at once, so what is read next is what the reader ends up with.
async function chooseTheme(p, theme) {
  const applied = await p.evaluate((t) => {
    document.getElementById(`mdbook-theme-${t}`).click();
    for (const a of document.getAnimations()) if (a instanceof CSSTransition) a.finish();
    return document.documentElement.classList.contains(t);
  }, theme);
  assert.ok(applied, `${p.url()}: ${theme} applied`);
}

// ----------------------------------------------------- the live preview

// A copy of the book's sources in a new temporary directory, so that
// breaking it breaks nothing of ours; removed when the suite ends.
async function copyBook(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const copied = await run('sh', ['-c',
    'tar -cf - --exclude=node_modules --exclude=.venv --exclude=target --exclude=__pycache__ ' +
    'book.toml .gitignore codetabs.lock src theme handlers engine/reports | tar -C "$0" -xf -', tmp],
  { cwd: ROOT });
  assert.equal(copied.status, 0, copied.stderr);
  return tmp;
}

// codetabs-serve (a debug build, in cargo's target folder), built once
// (after the book if that is being built: cargo builds one thing at a time).
const serveBinary = once(async () => {
  if (build.started()) await build().catch(() => {});
  const built = await run('cargo', ['build', '--quiet', '--locked', '-p', 'codetabs-serve'], { cwd: ROOT });
  assert.equal(built.status, 0, built.stderr);
  const dir = await run(path.join(ROOT, 'scripts', 'target-dir'), [], { cwd: ROOT });
  assert.equal(dir.status, 0, dir.stderr);
  return path.join(dir.stdout.trim(), 'debug', 'codetabs-serve');
});

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// A child's stdout and stderr as they arrive, whole: `until` waits for text
// that may come split over several chunks, or after what the test saw first.
function outputOf(child) {
  const text = { stdout: '', stderr: '' };
  const waiting = [];
  let exited = null;
  const check = () => {
    for (const w of [...waiting]) {
      if (w.re.test(text[w.stream])) w.resolve(text[w.stream]);
      else if (exited !== null) w.reject(new Error(`exited (${exited}) before ${w.re} on ${w.stream}:\n${text.stderr}`));
      else continue;
      clearTimeout(w.timer);
      waiting.splice(waiting.indexOf(w), 1);
    }
  };
  for (const stream of ['stdout', 'stderr']) child[stream].on('data', (d) => { text[stream] += d; check(); });
  child.on('exit', (code) => { exited = code; check(); });
  child.on('error', (err) => { exited = err.message; check(); });
  return {
    text,
    until: (stream, re) => new Promise((resolve, reject) => {
      const w = { stream, re, resolve, reject };
      // Not a wait: the line settles the promise the moment it arrives. This
      // bound only turns a server that never says it into a failure that
      // shows its output, instead of a suite that hangs.
      w.timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(w), 1);
        reject(new Error(`no ${re} on ${stream} within ${PATIENCE} ms:\n${text[stream]}`));
      }, PATIENCE);
      waiting.push(w);
      check();
    }),
  };
}

// codetabs-serve (what scripts/serve runs) on dir, once it says it serves:
// { child, out (outputOf), origin }. Stopped when the suite ends.
async function startServe(dir) {
  const binary = await serveBinary();
  const port = await freePort();
  const child = spawn(binary, [dir, '-n', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanup(() => child.kill());
  const out = outputOf(child);
  await out.until('stdout', /serving at/);
  return { child, out, origin: `http://127.0.0.1:${port}` };
}

module.exports = {
  ROOT, BOOK, SHOTS, THEMES, PATIENCE,
  PAGES_AT_ONCE, cleanup, run, job, wanted,
  build, pages, readerPages, chapters, serve, bookOrigin,
  newContext, browserVersion, chooseTheme,
  copyBook, startServe,
};
