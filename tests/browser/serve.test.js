// The live preview (codetabs-serve, what scripts/serve runs) in a real
// headless Chromium: a broken edit shows its problems over the open page, in
// every theme, and a fix takes them away.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'artifacts', 'screenshots');
const CHAPTER = 'posts/01-ecommerce.html';
const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
const OVERLAY = '#codetabs-serve-problems';
// A bound on each wait, never a deadline: waits end when their condition
// holds; this only stops a server that never answers from hanging the suite.
// A debug rebuild of the book takes seconds when both cores are busy.
const PATIENCE = 120000;

let tmp;
let live;
let log = '';
let origin;
let ctx;
let profile;

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  // A copy of the book, so that breaking it breaks nothing of ours.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codetabs-serve-'));
  const copied = spawnSync('sh', ['-c',
    'tar -cf - --exclude=node_modules --exclude=.venv --exclude=target --exclude=__pycache__ ' +
    'book.toml .gitignore codetabs.lock src theme handlers engine/reports | tar -C "$0" -xf -', tmp],
  { cwd: ROOT, encoding: 'utf8' });
  assert.equal(copied.status, 0, copied.stderr);
  const built = spawnSync('cargo', ['build', '--quiet', '--locked', '-p', 'codetabs-serve'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  const port = await freePort();
  live = spawn(path.join(ROOT, 'target', 'debug', 'codetabs-serve'), [tmp, '-n', '127.0.0.1', '-p', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  live.stderr.on('data', (d) => { log += d; });
  // The line may arrive in pieces: look at all of stdout so far.
  let out = '';
  await new Promise((resolve, reject) => {
    live.stdout.on('data', (d) => { out += d; if (out.includes('serving at')) resolve(); });
    live.on('exit', (code) => reject(new Error(`codetabs-serve exited (${code}): ${log}`)));
  });
  origin = `http://127.0.0.1:${port}`;
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'codetabs-chromium-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  ctx.setDefaultTimeout(PATIENCE);
  fs.mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await ctx?.close();
  live?.kill();
  for (const dir of [tmp, profile]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a broken edit shows its problems over the open page until it is fixed', async () => {
  const p = await ctx.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${origin}/${CHAPTER}`);
  // Wait for the page's problems socket to have said "all good".
  await p.waitForFunction(() => performance.getEntriesByType('resource')
    .some((r) => r.name.endsWith('/__codetabs/overlay.js')));
  assert.equal(await p.locator(OVERLAY).count(), 0, 'no overlay after a good build');

  const file = path.join(tmp, 'handlers/ruby/post_01_ecommerce/step_handlers/validate_cart_handler.rb');
  const good = fs.readFileSync(file, 'utf8');
  assert.ok(good.includes('# ANCHOR_END: retryable_error\n'));
  fs.writeFileSync(file, good.replace('# ANCHOR_END: retryable_error\n', ''));
  // And a directive whose problem quotes markup, which must show as text.
  const chapter = path.join(tmp, 'src/posts/01-ecommerce.md');
  const chapterText = fs.readFileSync(chapter, 'utf8');
  fs.writeFileSync(chapter, `${chapterText}\n{{#codetabs post_01_ecommerce/<b>bold</b>:handler}}\n`);

  const overlay = p.locator(OVERLAY);
  // Two saves, two rebuilds: wait for the one that reports both.
  await p.waitForFunction((sel) => {
    const box = document.querySelector(sel);
    return box && box.textContent.includes('<b>bold</b>') && box.textContent.includes('validate_cart_handler.rb');
  }, OVERLAY);
  const text = await overlay.innerText();
  assert.match(text, /The book does not build/);
  assert.match(text, /src\/posts\/01-ecommerce\.md:\d+/, 'the chapter line, to copy');
  assert.match(text, /handlers\/ruby\/post_01_ecommerce\/step_handlers\/validate_cart_handler\.rb:\d+/, 'the source line');
  assert.ok(text.includes('<b>bold</b>'), `the marker's name, shown as written: ${text}`);
  assert.equal(await overlay.locator('b').count(), 0, 'messages are text, never HTML');
  assert.equal(await overlay.getAttribute('role'), 'alert');

  for (const theme of THEMES) {
    await p.evaluate((t) => localStorage.setItem('mdbook-theme', t), theme);
    await p.reload();
    await overlay.waitFor({ state: 'visible' });
    const colours = await overlay.evaluate((el) => {
      const s = getComputedStyle(el);
      return { fg: s.color, bg: s.backgroundColor };
    });
    assert.notEqual(colours.fg, colours.bg, `${theme}: readable`);
    await p.screenshot({ path: path.join(SHOTS, `serve-problems-${theme}.png`) });
  }
  await p.evaluate(() => localStorage.setItem('mdbook-theme', 'light'));

  fs.writeFileSync(file, good);
  fs.writeFileSync(chapter, chapterText);
  await overlay.waitFor({ state: 'detached' });
  await p.waitForFunction(() => document.querySelector('[role="tabpanel"]') !== null);
  // The server tells the page before it writes its line: wait for the line.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "rebuilt in" on stderr:\n${log}`)), PATIENCE);
    const check = () => {
      if (!/rebuilt in/.test(log)) return;
      clearTimeout(timer);
      live.stderr.off('data', check);
      resolve();
    };
    live.stderr.on('data', check); // after the listener that appends to log
    check();
  });
  assert.deepEqual(errors, []);
  await p.close();
});
