// TASKER_VECTORS_DIR: the vector runner reads its folder from the environment
// at run time, so anyone can run this suite against a vector set of their own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { DEFAULT_VECTORS_DIR, loadVectors, VECTORS_DIR_VARIABLE, vectorsDir } from './support/vectors';

const TS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// A vector that exists nowhere in handlers/vectors: if it runs, the folder came from the variable.
const DISTINCTIVE_NAME = join('post_99_elsewhere', 'validate_cart__only_in_a_custom_folder.json');
const DISTINCTIVE_VECTOR = {
  description: 'An empty context has no cart: permanent MISSING_CART_ITEMS.',
  namespace: 'ecommerce',
  step: 'validate_cart',
  input: {},
  dependency_results: {},
  expect: { outcome: 'failure', error_code: 'MISSING_CART_ITEMS', retryable: false },
};

const customFolder = mkdtempSync(join(tmpdir(), 'tasker-vectors-'));
mkdirSync(join(customFolder, 'post_99_elsewhere'));
writeFileSync(join(customFolder, DISTINCTIVE_NAME), JSON.stringify(DISTINCTIVE_VECTOR));
const missingFolder = join(customFolder, 'no_such_folder');
after(() => rmSync(customFolder, { recursive: true, force: true }));

/** The real vector test file in a fresh node process, pointed at `folder`. */
function runVectorSuite(folder: string): { status: number | null; output: string } {
  // Without NODE_TEST_CONTEXT the child is a test run of its own, not a
  // subprocess of this one (which node would refuse to run recursively).
  const { NODE_TEST_CONTEXT: _parentRun, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'tests/vectors.test.ts'], {
    cwd: TS_DIR,
    env: { ...env, [VECTORS_DIR_VARIABLE]: folder },
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('TASKER_VECTORS_DIR', () => {
  test('without the variable the shared vectors run', () => {
    assert.equal(vectorsDir({}), DEFAULT_VECTORS_DIR);
    assert.equal(vectorsDir({ [VECTORS_DIR_VARIABLE]: '' }), DEFAULT_VECTORS_DIR);
  });

  test('the variable is read when the vectors load', () => {
    assert.deepEqual(loadVectors(vectorsDir({ [VECTORS_DIR_VARIABLE]: customFolder })).map((file) => file.name), [DISTINCTIVE_NAME]);
  });

  test('a missing folder is an error naming the variable', () => {
    assert.throws(() => vectorsDir({ [VECTORS_DIR_VARIABLE]: missingFolder }), /TASKER_VECTORS_DIR/);
  });

  test('the vector suite runs exactly the vectors of the named folder', () => {
    const { status, output } = runVectorSuite(customFolder);
    assert.equal(status, 0, output);
    const ran = output.split('\n').filter((line) => /^\s*(not )?ok \d+ - post_/.test(line));
    assert.equal(ran.length, 1, output);
    assert.match(ran[0] ?? '', /^\s*ok \d+ - post_99_elsewhere\/validate_cart__only_in_a_custom_folder\.json/);
  });

  test('the vector suite stops on a missing folder', () => {
    const { status, output } = runVectorSuite(missingFolder);
    assert.notEqual(status, 0);
    assert.match(output, /TASKER_VECTORS_DIR/);
  });
});
