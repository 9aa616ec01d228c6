// The live preview (codetabs-serve, what scripts/serve runs) in a real
// headless Chromium: a broken edit shows its problems over the open page, in
// every theme, and a fix takes them away.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { SHOTS, THEMES, job, copyBook, startServe, newContext, chooseTheme } = require('./support');

const CHAPTER = 'posts/01-ecommerce.html';
const OVERLAY = '#codetabs-serve-problems';

// A copy of the book, so that breaking it breaks nothing of ours, and
// codetabs-serve on it: started with the suite.
const TEST = 'a broken edit shows its problems over the open page until it is fixed';
const server = job(TEST, async () => {
  const tmp = await copyBook('codetabs-serve-');
  return { tmp, ...(await startServe(tmp)) };
});

test(TEST, async () => {
  const { tmp, out, origin } = await server();
  const ctx = await newContext();
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

  // A page opened while the book is broken shows the problems too.
  await p.reload();
  await overlay.waitFor({ state: 'visible' });
  for (const theme of THEMES) {
    await chooseTheme(p, theme);
    const colours = await overlay.evaluate((el) => {
      const s = getComputedStyle(el);
      return { fg: s.color, bg: s.backgroundColor };
    });
    assert.notEqual(colours.fg, colours.bg, `${theme}: readable`);
    await p.screenshot({ path: path.join(SHOTS, `serve-problems-${theme}.png`) });
  }

  fs.writeFileSync(file, good);
  fs.writeFileSync(chapter, chapterText);
  await overlay.waitFor({ state: 'detached' });
  await p.waitForFunction(() => document.querySelector('[role="tabpanel"]') !== null);
  // The server tells the page before it writes its line: wait for the line.
  await out.until('stderr', /rebuilt in/);
  assert.deepEqual(errors, []);
  await ctx.close();
});
