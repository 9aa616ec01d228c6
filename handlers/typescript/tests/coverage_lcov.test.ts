// tools/coverage_lcov.ts turns V8's byte-range counts into the line figures
// the book shows under every tab (scripts/coverage): its decoding and its
// notion of "a line with code" are checked here on small known inputs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { compilesToNothing, countAt, decodeMappings, lineHits } from '../tools/coverage_lcov';

describe('V8 coverage to lines', () => {
  test('source-map segments give generated positions and 1-based original lines', () => {
    // "E" maps generated code to no original text: it is skipped.
    const segments = decodeMappings('AAAA,IAAI,E;AACA');
    assert.deepEqual(
      segments.map((s) => [s.generatedLine, s.generatedColumn, s.originalLine]),
      [
        [0, 0, 1],
        [0, 4, 1],
        [1, 0, 2],
      ],
    );
  });

  test('the innermost V8 range decides a position\'s count', () => {
    const ranges = [
      { startOffset: 0, endOffset: 100, count: 5 },
      { startOffset: 10, endOffset: 20, count: 0 },
      { startOffset: 12, endOffset: 15, count: 2 },
    ];
    assert.equal(countAt(ranges, 13), 2);
    assert.equal(countAt(ranges, 11), 0);
    assert.equal(countAt(ranges, 50), 5);
    assert.equal(countAt(ranges, 200), 0);
  });

  test('a line runs when code mapped to it lies in a range that ran', () => {
    const url = 'file:///book/handler.ts';
    const hits = lineHits(
      { url, functions: [{ ranges: [{ startOffset: 0, endOffset: 33, count: 1 }, { startOffset: 11, endOffset: 21, count: 0 }] }] },
      { lineLengths: [10, 10, 10], data: { sources: [url], mappings: 'AAAA;AACA;AACA' } },
    );
    assert.deepEqual([...hits], [
      [1, true],
      [2, false],
      [3, true],
    ]);
  });

  test('a module of types only compiles to nothing; one with a value does not', () => {
    assert.equal(compilesToNothing('export interface Order {\n  readonly id: string;\n}\n'), true);
    assert.equal(compilesToNothing("import type { X } from './x';\nexport type Y = X;\n"), true);
    assert.equal(compilesToNothing('export const TAX = 8;\n'), false);
  });
});
