// Audit results kept between runs and reused while nothing they came from has
// changed, as build tools reuse a step's output when its inputs are the same
// (make's dependency files, Gradle's build cache). A page's audit depends on
// the bytes of every file the page loaded (the page, its style sheets,
// scripts and fonts, as the browser's own resource list names them) and on
// the audit itself (its code, the versions of the tools it runs, the themes
// and widths): the record keeps a digest of each, and is used again only if
// every one is unchanged. Editing a handler changes its chapter and
// print.html, so those two are audited again and the rest reused; FRESH_AUDITS=1
// audits every page.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

// FRESH_AUDITS=1: every audit is made, none used again.
const FRESH = process.env.FRESH_AUDITS === '1';

const digest = (data) => crypto.createHash('sha256').update(data).digest('hex');

// The records of one audit (`tool`: a digest of everything but the files)
// over the files under root, kept in dir. `relevant(rel, bytes)` gives what
// of a file the audit can depend on (all of it unless told otherwise).
function reuse({ dir, root, tool, relevant = (rel, bytes) => bytes, fresh = FRESH }) {
  const hashes = new Map(); // file (root-relative) → digest of its bytes, read once a run
  const hashOf = (rel) => {
    if (!hashes.has(rel)) {
      let h = null; // a file that is missing is an input too
      try { h = digest(relevant(rel, fs.readFileSync(path.join(root, rel)))); } catch { /* missing */ }
      hashes.set(rel, h);
    }
    return hashes.get(rel);
  };
  const recordOf = (name) => path.join(dir, `${digest(name)}.json`);
  const counts = { reused: 0 };

  return {
    counts,
    // The value kept for name, if its audit and every file it read are
    // unchanged; undefined otherwise.
    get(name) {
      if (fresh) return undefined;
      let record;
      try { record = JSON.parse(fs.readFileSync(recordOf(name), 'utf8')); } catch { return undefined; }
      if (record.name !== name || record.tool !== tool) return undefined;
      if (!Object.entries(record.files).every(([rel, h]) => hashOf(rel) === h)) return undefined;
      counts.reused++;
      return record.value;
    },
    // Keeps value for name, made from files (root-relative).
    put(name, files, value) {
      const record = { name, tool, files: Object.fromEntries([...new Set(files)].sort().map((f) => [f, hashOf(f)])), value };
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${recordOf(name)}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(record));
      fs.renameSync(tmp, recordOf(name));
    },
  };
}

// Every file of the book that page p loaded from origin, root-relative; null
// if it loaded anything from elsewhere (then nothing is kept).
async function loadedFiles(p, origin) {
  const urls = await p.evaluate(() => [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)]);
  const files = [];
  for (const url of urls) {
    if (/^(data|blob|about):/.test(url)) continue;
    const u = new URL(url);
    if (u.origin !== origin) return null;
    let rel = decodeURIComponent(u.pathname).replace(/^\/+/, '');
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    files.push(rel);
  }
  return files;
}

// The digest of strings and files (a tool's identity).
function identity(parts) {
  const h = crypto.createHash('sha256');
  for (const part of parts) h.update(typeof part === 'string' ? part : fs.readFileSync(part.file)).update('\0');
  return h.digest('hex');
}

module.exports = { FRESH, reuse, loadedFiles, identity };
