// The vector matching rules of handlers/README.md, implemented once for the
// TypeScript suite: deep partial match of objects, exact-length arrays,
// numbers within 1e-9, {"$match": regex} for generated ids, and the relative
// forms {"$timestamp": …} and {"$date": …} for times the spec ties to the
// run's clock or to another field of the same result.

export interface Mismatch {
  readonly path: string;
  readonly message: string;
}

/** The run's clock: the handler ran somewhere between `start` and `end`. */
export interface RunClock {
  readonly start: Date;
  readonly end: Date;
}

/** What relative expectations refer to: the clock and the result's top level. */
export interface Scope {
  readonly clock?: RunClock;
  readonly root?: unknown;
}

const NUMBER_TOLERANCE = 1e-9;
const DAY_MS = 86_400_000;
// The timestamp format of the pattern table: UTC, `Z`, 0 to 6 fractional digits.
const TIMESTAMP = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,6}))?Z$/;
const DATE_TEXT = /^([0-9]{4})-?([0-9]{2})-?([0-9]{2})$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function isForm(value: unknown, key: string): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).length === 1 && key in value;
}

/**
 * A timestamp in the book's format as milliseconds since the epoch (with the
 * sub-millisecond digits as a fraction), or undefined. Parsed by hand: Date.parse
 * would also take local times and other shapes the format forbids.
 */
export function parseTimestamp(value: unknown): number | undefined {
  const found = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!found) return undefined;
  const [year, month, day, hour, minute, second] = found.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  // Date.UTC rolls 31 February over into March; the format does not.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  return ms + Number(`0.${found[7] ?? '0'}`) * 1000;
}

function isoOf(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}

function utcDate(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().slice(0, 10);
}

function checkSpec(spec: unknown, allowed: readonly string[], required: readonly string[]): string {
  if (!isPlainObject(spec)) return 'must be an object';
  const unknown = Object.keys(spec).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) return `unknown keys ${JSON.stringify(unknown.sort())}`;
  const missing = required.filter((key) => !(key in spec));
  if (missing.length > 0) return `missing keys ${JSON.stringify(missing)}`;
  for (const key of ['offset_days', 'tolerance_seconds']) {
    if (key in spec && typeof spec[key] !== 'number') return `${key} must be a number`;
  }
  if (typeof spec.tolerance_seconds === 'number' && spec.tolerance_seconds < 0) {
    return 'tolerance_seconds must not be negative';
  }
  if (typeof spec.from !== 'string' || spec.from === '') return "from must be 'now' or a field name";
  return '';
}

/** The instants an expectation is relative to, or what is wrong with them. */
function anchors(from: string, scope: Scope): number[] | string {
  if (from === 'now') {
    if (!scope.clock) return 'relative to now, but the runner gave no clock';
    return [scope.clock.start.getTime(), scope.clock.end.getTime()];
  }
  let value: unknown = scope.root;
  for (const key of from.split('.')) value = isPlainObject(value) ? value[key] : undefined;
  const moment = parseTimestamp(value);
  return moment === undefined ? `relative to field '${from}', which is not a timestamp: ${describe(value)}` : [moment];
}

function describeAnchor(spec: Record<string, unknown>): string {
  const days = Number(spec.offset_days ?? 0);
  const anchor = spec.from === 'now' ? "the run's clock" : `field '${String(spec.from)}'`;
  const shifted = days ? `${anchor} ${days >= 0 ? '+' : '-'} ${Math.abs(days)} days` : anchor;
  return 'tolerance_seconds' in spec ? `${shifted} (± ${String(spec.tolerance_seconds)} s)` : shifted;
}

function matchTimestamp(spec: unknown, actual: unknown, path: string, scope: Scope): Mismatch[] {
  const problem = checkSpec(spec, ['from', 'offset_days', 'tolerance_seconds'], ['from', 'tolerance_seconds']);
  if (problem || !isPlainObject(spec)) return [{ path, message: `bad $timestamp in the vector: ${problem}` }];
  const moment = parseTimestamp(actual);
  if (moment === undefined) {
    return [{ path, message: `expected a timestamp like 2026-01-31T09:30:00.123Z, got ${describe(actual)}` }];
  }
  const found = anchors(String(spec.from), scope);
  if (typeof found === 'string') return [{ path, message: found }];
  const offset = Number(spec.offset_days ?? 0) * DAY_MS;
  const tolerance = Number(spec.tolerance_seconds) * 1000;
  const earliest = Math.min(...found) + offset - tolerance;
  const latest = Math.max(...found) + offset + tolerance;
  if (earliest <= moment && moment <= latest) return [];
  return [{
    path,
    message: `expected a timestamp ${describeAnchor(spec)}, i.e. between ${isoOf(earliest)} and ${isoOf(latest)}, got ${describe(actual)}`,
  }];
}

function matchDate(spec: unknown, actual: unknown, path: string, scope: Scope): Mismatch[] {
  const problem = checkSpec(spec, ['pattern', 'from', 'offset_days'], ['pattern', 'from']);
  if (problem || !isPlainObject(spec)) return [{ path, message: `bad $date in the vector: ${problem}` }];
  const pattern = String(spec.pattern);
  const group = typeof actual === 'string' ? new RegExp(pattern).exec(actual)?.[1] : undefined;
  if (group === undefined) {
    return [{ path, message: `expected a string matching /${pattern}/, got ${describe(actual)}` }];
  }
  const found = anchors(String(spec.from), scope);
  if (typeof found === 'string') return [{ path, message: found }];
  const offset = Number(spec.offset_days ?? 0) * DAY_MS;
  const allowed = [...new Set(found.map((moment) => utcDate(moment + offset)))].sort();
  const written = DATE_TEXT.exec(group);
  const date = written ? `${written[1]}-${written[2]}-${written[3]}` : undefined;
  if (date !== undefined && allowed.includes(date)) return [];
  return [{ path, message: `expected the date ${allowed.join(' or ')} (${describeAnchor(spec)}) in ${describe(actual)}` }];
}

/** All the ways `actual` fails to match `expected`; empty when it matches. */
export function matchJson(expected: unknown, actual: unknown, path = '$', scope: Scope = {}): Mismatch[] {
  if (isForm(expected, '$match') && typeof expected.$match === 'string') {
    if (typeof actual !== 'string') {
      return [{ path, message: `expected a string matching /${expected.$match}/, got ${describe(actual)}` }];
    }
    return new RegExp(expected.$match).test(actual)
      ? []
      : [{ path, message: `expected a string matching /${expected.$match}/, got ${describe(actual)}` }];
  }
  if (isForm(expected, '$timestamp')) return matchTimestamp(expected.$timestamp, actual, path, scope);
  if (isForm(expected, '$date')) return matchDate(expected.$date, actual, path, scope);

  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) {
      return [{ path, message: `expected an object, got ${describe(actual)}` }];
    }
    return Object.entries(expected).flatMap(([key, value]) =>
      key in actual
        ? matchJson(value, actual[key], `${path}.${key}`, scope)
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
    return expected.flatMap((item, index) => matchJson(item, actual[index], `${path}[${index}]`, scope));
  }

  if (typeof expected === 'number') {
    return typeof actual === 'number' && Math.abs(actual - expected) <= NUMBER_TOLERANCE
      ? []
      : [{ path, message: `expected ${expected}, got ${describe(actual)}` }];
  }

  // strings, booleans and null compare exactly
  return actual === expected ? [] : [{ path, message: `expected ${describe(expected)}, got ${describe(actual)}` }];
}
