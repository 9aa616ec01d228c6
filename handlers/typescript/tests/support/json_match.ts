// The vector matching rules of briefs/common.md, implemented once for the
// TypeScript suite: deep partial match of objects, exact-length arrays,
// numbers within 1e-9, {"$match": regex} for generated ids and timestamps.

export interface Mismatch {
  readonly path: string;
  readonly message: string;
}

const NUMBER_TOLERANCE = 1e-9;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function isRegexMatcher(value: unknown): value is { $match: string } {
  return isPlainObject(value) && Object.keys(value).length === 1 && typeof value.$match === 'string';
}

/** All the ways `actual` fails to match `expected`; empty when it matches. */
export function matchJson(expected: unknown, actual: unknown, path = '$'): Mismatch[] {
  if (isRegexMatcher(expected)) {
    if (typeof actual !== 'string') {
      return [{ path, message: `expected a string matching /${expected.$match}/, got ${describe(actual)}` }];
    }
    return new RegExp(expected.$match).test(actual)
      ? []
      : [{ path, message: `expected a string matching /${expected.$match}/, got ${describe(actual)}` }];
  }

  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) {
      return [{ path, message: `expected an object, got ${describe(actual)}` }];
    }
    return Object.entries(expected).flatMap(([key, value]) =>
      key in actual
        ? matchJson(value, actual[key], `${path}.${key}`)
        : [{ path: `${path}.${key}`, message: `missing; expected ${describe(value)}` }],
    );
  }

  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return [{ path, message: `expected an array, got ${describe(actual)}` }];
    }
    if (actual.length !== expected.length) {
      return [{ path, message: `expected ${expected.length} elements, got ${actual.length}: ${describe(actual)}` }];
    }
    return expected.flatMap((item, index) => matchJson(item, actual[index], `${path}[${index}]`));
  }

  if (typeof expected === 'number') {
    return typeof actual === 'number' && Math.abs(actual - expected) <= NUMBER_TOLERANCE
      ? []
      : [{ path, message: `expected ${expected}, got ${describe(actual)}` }];
  }

  // strings, booleans and null compare exactly
  return actual === expected ? [] : [{ path, message: `expected ${describe(expected)}, got ${describe(actual)}` }];
}
