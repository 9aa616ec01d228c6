// The pieces every handler and the vector runner rely on: the matcher, the
// shared money/id/time helpers and the stand-in SDK's documented behaviour.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { ErrorType, StepContext, StepHandlerResult } from '@tasker-systems/tasker';

import { asciiLower, asciiPattern, averageCents, compactUtcDate, formatDollars, hexId, isoDaysFrom, matchesWhole, parseTimestamp as parseInputTimestamp, percentOfCents, presentText, roundHalfAwayFromZero, taskId, toCents, toDollars, wholeNumber } from '../blog_common';
import { matchJson, parseTimestamp, type RunClock } from './support/json_match';
import { buildContext, describeMismatch, resolveInputPlaceholders, type Vector } from './support/vectors';

describe('vector matcher', () => {
  test('objects match partially; extra actual keys are allowed', () => {
    assert.deepEqual(matchJson({ a: 1 }, { a: 1, b: 2 }), []);
    assert.deepEqual(matchJson({ a: 1, c: 3 }, { a: 1 }).map((m) => m.path), ['$.c']);
  });

  test('arrays need the same length and match element-wise', () => {
    assert.deepEqual(matchJson([{ x: 1 }], [{ x: 1, y: 2 }]), []);
    assert.equal(matchJson([1, 2], [1]).length, 1);
    assert.deepEqual(matchJson([1, 2], [1, 3]).map((m) => m.path), ['$[1]']);
  });

  test('numbers within 1e-9; strings, booleans and null exactly', () => {
    assert.deepEqual(matchJson(5, 5.0), []);
    assert.deepEqual(matchJson(8.8, 8.8 + 1e-12), []);
    assert.equal(matchJson(8.8, 8.79).length, 1);
    assert.equal(matchJson('1', 1).length, 1);
    assert.equal(matchJson(null, undefined).length, 1);
    assert.equal(matchJson(false, null).length, 1);
  });

  test('{"$match": regex} searches a string', () => {
    assert.deepEqual(matchJson({ $match: '^pay_[0-9a-f]{24}$' }, hexId('pay_', 24)), []);
    assert.deepEqual(matchJson({ $match: 'b' }, 'abc'), []);
    assert.equal(matchJson({ $match: '^x' }, 'abc').length, 1);
    assert.equal(matchJson({ $match: '.' }, 5).length, 1);
  });

  const clock: RunClock = { start: new Date('2026-01-31T23:59:59.500Z'), end: new Date('2026-02-01T00:00:00.200Z') };

  test('{"$timestamp"} relative to the run clock allows the stated tolerance', () => {
    const scope = { clock, root: {} };
    const near = { $timestamp: { from: 'now', tolerance_seconds: 1 } };
    assert.deepEqual(matchJson(near, '2026-02-01T00:00:00Z', '$', scope), []);
    assert.deepEqual(matchJson(near, '2026-01-31T23:59:58.600Z', '$', scope), []);
    assert.equal(matchJson(near, '2026-01-31T23:59:58.400Z', '$', scope).length, 1);
    assert.equal(matchJson(near, '2026-02-01T00:00:01.300Z', '$', scope).length, 1);
    // Across a month end: 7 days after 31 January is 7 February.
    const week = { $timestamp: { from: 'now', offset_days: 7, tolerance_seconds: 1 } };
    assert.deepEqual(matchJson(week, '2026-02-08T00:00:00.100Z', '$', scope), []);
    assert.equal(matchJson(week, '2026-03-07T00:00:00Z', '$', scope).length, 1);
    // The format is part of the expectation: no +00:00, no nanoseconds, no 31 February.
    assert.equal(matchJson(near, '2026-02-01T00:00:00+00:00', '$', scope).length, 1);
    assert.equal(matchJson(near, '2026-02-01T00:00:00.000000001Z', '$', scope).length, 1);
    assert.equal(parseTimestamp('2026-02-31T00:00:00Z'), undefined);
    assert.equal(matchJson(near, 5, '$', scope).length, 1);
    assert.equal(matchJson(near, '2026-02-01T00:00:00Z').length, 1); // no clock, no match
  });

  test('{"$timestamp"} relative to another field of the result', () => {
    const scope = { clock, root: { created_at: '2026-01-31T10:00:00.000Z', nested: { at: '2026-01-01T00:00:00Z' } } };
    const plus30 = { $timestamp: { from: 'created_at', offset_days: 30, tolerance_seconds: 0 } };
    assert.deepEqual(matchJson(plus30, '2026-03-02T10:00:00Z', '$', scope), []);
    assert.equal(matchJson(plus30, '2026-02-28T10:00:00Z', '$', scope).length, 1); // a month is not 30 days
    const minus1 = { $timestamp: { from: 'nested.at', offset_days: -1, tolerance_seconds: 0 } };
    assert.deepEqual(matchJson(minus1, '2025-12-31T00:00:00Z', '$', scope), []);
    const missing = { $timestamp: { from: 'updated_at', tolerance_seconds: 0 } };
    assert.match(matchJson(missing, '2026-01-31T10:00:00Z', '$', scope)[0]?.message ?? '', /not a timestamp/);
  });

  test('{"$date"} reads a date inside a string and compares it with its anchor', () => {
    const scope = { clock, root: { created_at: '2026-01-31T23:59:59.900Z' } };
    const number = { $date: { pattern: '^ORD-([0-9]{8})-[0-9A-F]{8}$', from: 'created_at' } };
    assert.deepEqual(matchJson(number, 'ORD-20260131-0A1B2C3D', '$', scope), []);
    assert.equal(matchJson(number, 'ORD-20260201-0A1B2C3D', '$', scope).length, 1);
    assert.equal(matchJson(number, 'ORD-2026013-0A1B2C3D', '$', scope).length, 1);
    // A run across midnight may carry either date; a dashed date reads the same.
    const today = { $date: { pattern: '^([0-9-]{10})$', from: 'now' } };
    assert.deepEqual(matchJson(today, '2026-01-31', '$', scope), []);
    assert.deepEqual(matchJson(today, '2026-02-01', '$', scope), []);
    assert.equal(matchJson(today, '2026-02-02', '$', scope).length, 1);
  });

  test('relative forms refuse malformed expectations', () => {
    const scope = { clock, root: {} };
    for (const spec of [
      { from: 'now' },
      { from: 'now', tolerance_seconds: -1 },
      { from: 'now', tolerance_seconds: 1, days: 7 },
      { tolerance_seconds: 1 },
    ]) {
      assert.match(matchJson({ $timestamp: spec }, '2026-02-01T00:00:00Z', '$', scope)[0]?.message ?? '', /bad \$timestamp/);
    }
    assert.match(matchJson({ $date: { from: 'now' } }, 'x', '$', scope)[0]?.message ?? '', /bad \$date/);
  });

  test('a mismatch report names the vector file and the path of each difference', () => {
    const vector = {
      description: 'demo', namespace: 'ecommerce', step: 'validate_cart', input: {},
      expect: { outcome: 'success', result: { tax: 8.8, items: [1, 2] } },
    } as Vector;
    const report = describeMismatch('post_01_ecommerce/demo.json', vector, { success: true, result: { tax: 8.79, items: [1] } });
    assert.match(report, /post_01_ecommerce\/demo\.json/);
    assert.match(report, /outcome\.result\.tax: expected 8\.8, got 8\.79/);
    assert.match(report, /outcome\.result\.items: expected 2 elements, got 1/);
  });

  test('{"$now_offset_days": N} in dependency results is resolved too, inside the {result} wrapper', () => {
    const now = new Date('2026-11-26T09:30:00.000Z');
    const vector = {
      description: 'demo', namespace: 'customer_success', step: 'check_refund_policy', input: {},
      dependency_results: { validate_refund_request: { original_purchase_date: { $now_offset_days: -30 } } },
      expect: { outcome: 'success' },
    } as Vector;
    const context = buildContext(vector, { name: 'check_refund_policy', handler: { callable: 'x' } }, now);
    assert.deepEqual(context.getDependencyResult('validate_refund_request'), { original_purchase_date: '2026-10-27T09:30:00.000Z' });
  });

  test('{"$now_offset_days": N} inputs become ISO-8601 UTC timestamps', () => {
    const now = new Date('2026-11-26T09:30:00.000Z');
    assert.deepEqual(resolveInputPlaceholders({ a: [{ $now_offset_days: -3 }], b: 1 }, now), {
      a: ['2026-11-23T09:30:00.000Z'],
      b: 1,
    });
  });
});

describe('blog_common', () => {
  test('patterns are ASCII and match the whole string', () => {
    const email = asciiPattern(String.raw`[^@\s]+@[^@\s]+`);
    assert.equal(matchesWhole(email, 'jane@example.com'), true);
    assert.equal(matchesWhole(email, 'jane@example.com\n'), false);
    assert.equal(matchesWhole(email, 'jane\vdoe@example.com'), false);
    // Not whitespace by the book's \s, although JavaScript's \s takes U+00A0 and U+FEFF.
    for (const odd of ['\u00a0', '\u0085', '\ufeff', '\u001c']) {
      assert.equal(matchesWhole(email, `jane${odd}doe@example.com`), true, JSON.stringify(odd));
    }
    assert.equal(matchesWhole(asciiPattern(String.raw`\S+`), 'a\u00a0b'), true);
    assert.equal(matchesWhole(asciiPattern(String.raw`\d+`), '\u0663'), false);
    assert.equal(matchesWhole(asciiPattern('[A-Za-z]+'), '\u212a'), false);
    assert.equal(matchesWhole(email, 42), false);
    assert.throws(() => asciiPattern(String.raw`[^\S]`));
    assert.equal(asciiLower('VIP-\u212a-\u0130'), 'vip-\u212a-\u0130');
  });

  test('text and whole numbers are read the one way every language does', () => {
    assert.equal(presentText('  '), '  ');
    for (const missing of [null, undefined, '', 0, false, []]) assert.equal(presentText(missing), undefined);
    assert.deepEqual([2, 2.0, -3, 2 ** 53 - 1].map(wholeNumber), [2, 2, -3, 2 ** 53 - 1]);
    for (const notWhole of [true, '2', 2.5, null, 2 ** 53, Infinity]) assert.equal(wholeNumber(notWhole), undefined);
  });

  test('timestamps parse with a zone and nothing else', () => {
    assert.equal(parseInputTimestamp('2025-11-20T12:00:00.5+02:00'), Date.UTC(2025, 10, 20, 10, 0, 0, 500));
    for (const text of ['2025-11-20T10:00:00', '2025-11-20', '2025-02-31T00:00:00Z', '2025-11-20T23:59:60Z', '2025-11-20T10:00:00Z\n']) {
      assert.equal(parseInputTimestamp(text), undefined, JSON.stringify(text));
    }
  });

  test('dollars to cents and back without float drift', () => {
    assert.equal(toCents(29.99), 2999);
    assert.equal(toCents(1.005), 101);
    assert.equal(toCents(124.76), 12476);
    assert.equal(toDollars(12476), 124.76);
  });

  test('percentages of cents round half away from zero', () => {
    assert.equal(percentOfCents(10997, 8), 880); // 879.76
    assert.equal(percentOfCents(59980, 8), 4798); // 4798.4
    assert.equal(percentOfCents(12476, 2.9), 362); // 361.804
    assert.equal(percentOfCents(50, 1), 1); // 0.5 exactly: away from zero
    assert.equal(percentOfCents(-50, 1), -1);
  });

  test('averages of cents round half away from zero to a whole cent', () => {
    assert.equal(averageCents(30015, 2), 15008); // 15007.5
    assert.equal(averageCents(199999, 2), 100000); // 99999.5
    assert.equal(averageCents(1199999, 3), 400000); // 399999.67
    assert.equal(averageCents(319973, 5), 63995); // 63994.6: 639.95 per customer
    assert.equal(averageCents(100, 0), 0);
  });

  test('the post 02 ratios come out exactly', () => {
    assert.equal(roundHalfAwayFromZero(toDollars(319973) / 575, 4), 5.5647);
    assert.equal(roundHalfAwayFromZero(toDollars(30045) / 55, 4), 5.4627);
  });

  test('cents are written as dollars with two decimals', () => {
    assert.equal(formatDollars(4999), '$49.99');
    assert.equal(formatDollars(12000), '$120.00');
    assert.equal(formatDollars(5), '$0.05');
    assert.equal(formatDollars(123456789), '$1234567.89');
    assert.equal(formatDollars(-250), '-$2.50');
  });

  test('ratios round half away from zero, including negatives', () => {
    assert.equal(roundHalfAwayFromZero(2.5, 0), 3);
    assert.equal(roundHalfAwayFromZero(-2.5, 0), -3);
    assert.equal(roundHalfAwayFromZero(1.005, 2), 1.01);
    assert.equal(roundHalfAwayFromZero(0.12345, 4), 0.1235);
  });

  test('ids and timestamps have the conventional shapes', () => {
    assert.match(hexId('rsv_'), /^rsv_[0-9a-f]{16}$/);
    assert.match(hexId('', 8, true), /^[0-9A-F]{8}$/);
    assert.match(taskId(), /^task_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const moment = new Date('2026-11-26T23:59:59.000Z');
    assert.equal(isoDaysFrom(7, moment), '2026-12-03T23:59:59.000Z');
    assert.equal(compactUtcDate(moment), '20261126');
  });
});

describe('@tasker-systems/tasker stand-in', () => {
  const context = new StepContext({
    taskUuid: 't', stepUuid: 's', correlationId: 'c', handlerName: 'h',
    inputData: { present: 0, nothing: null },
    dependencyResults: { wrapped: { result: { a: { b: 2 } } }, bare: 7 },
    stepConfig: { rate: 3 }, stepInputs: {}, retryCount: 1, maxRetries: 2,
  });

  test('getInputOr falls back only when the key is undefined', () => {
    assert.equal(context.getInputOr('present', 5), 0);
    assert.equal(context.getInputOr('nothing', 5), null);
    assert.equal(context.getInputOr('absent', 5), 5);
    assert.equal(context.getInput('absent'), undefined);
    assert.equal(context.getConfig<number>('rate'), 3);
  });

  test('dependency results are unwrapped from {result: ...}', () => {
    assert.deepEqual(context.getDependencyResult('wrapped'), { a: { b: 2 } });
    assert.equal(context.getDependencyResult('bare'), 7);
    assert.equal(context.getDependencyResult('absent'), null);
    assert.equal(context.getDependencyField('wrapped', 'a', 'b'), 2);
    assert.equal(context.getDependencyField('wrapped', 'a', 'b', 'c'), null);
    assert.equal(context.getDependencyField('absent', 'a'), null);
  });

  test('retry state', () => {
    assert.equal(context.isRetry(), true);
    assert.equal(context.isLastRetry(), true);
  });

  test('results: failure defaults to a retryable handler_error', () => {
    const failure = StepHandlerResult.failure('boom');
    assert.equal(failure.isSuccess(), false);
    assert.equal(failure.retryable, true);
    assert.equal(failure.errorType, ErrorType.HANDLER_ERROR);
    assert.equal(failure.errorCode, null);
    assert.deepEqual(failure.metadata, {});
    assert.deepEqual(Object.values(ErrorType).sort(), ['handler_error', 'permanent_error', 'retryable_error', 'timeout', 'validation_error']);
    assert.equal(StepHandlerResult.success({ ok: true }).isSuccess(), true);
  });
});
