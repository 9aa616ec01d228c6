// One test per shared conformance vector (handlers/vectors/**/*.json, or the
// folder TASKER_VECTORS_DIR names).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { describeMismatch, loadTemplates, loadVectors, NOT_YET_PORTED, runVectorTimed, vectorsDir } from './support/vectors';

const vectors = loadVectors();
const templates = loadTemplates();
const notPorted = vectors.filter(({ vector }) => NOT_YET_PORTED.includes(vector.namespace));

describe('shared conformance vectors', () => {
  test('vectors exist', () => {
    assert.ok(vectors.length > 0, `no vector files under ${vectorsDir()}`);
  });

  for (const { name, vector } of vectors) {
    if (NOT_YET_PORTED.includes(vector.namespace)) {
      test(name, { skip: `namespace '${vector.namespace}' not yet ported to TypeScript` }, () => {});
      continue;
    }
    test(name, async () => {
      const { outcome, clock } = await runVectorTimed(vector, templates);
      const report = describeMismatch(name, vector, outcome, clock);
      assert.equal(report, '', report);
    });
  }
});

if (notPorted.length > 0) {
  console.log(`# ${notPorted.length} vector(s) skipped: namespaces not yet ported (${NOT_YET_PORTED.join(', ')})`);
}
