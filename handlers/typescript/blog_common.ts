// Helpers shared by every post's handlers: money, rounding, generated ids and
// timestamps. They live once so that all handlers, and through the shared
// vectors all four languages, round and format the same way.

import { randomBytes, randomUUID } from 'node:crypto';

// ---- Money: integer cents inside, dollars only at the edges ----------------
// Binary floats cannot hold most cent values (29.99 * 100 = 2998.9999...), so
// amounts are converted to cents once and all arithmetic is on integers.

/** Dollars as a reader or JSON writes them (29.99) to integer cents (2999). */
export function toCents(dollars: number): number {
  return roundHalfAwayFromZero(dollars * 100, 0);
}

/** Integer cents to the dollar number emitted in results. */
export function toDollars(cents: number): number {
  return cents / 100;
}

/**
 * `percent`% of an amount in cents, rounded half away from zero to a cent.
 * The rate is turned into integer hundredths of a percent first, so 2.9% of
 * 12476 cents is 12476 * 290 / 10000 = 361.804 -> 362.
 */
export function percentOfCents(cents: number, percent: number): number {
  const hundredthsOfPercent = Math.round(percent * 100);
  return roundHalfAwayFromZero((cents * hundredthsOfPercent) / 10_000, 0);
}

/**
 * The mean of `count` amounts whose sum is `totalCents`, rounded half away
 * from zero to a whole cent: 30015 cents over 2 orders is 15007.5 -> 15008
 * cents, i.e. 150.08 (the exact half is only exact because the sum is in cents).
 */
export function averageCents(totalCents: number, count: number): number {
  return count === 0 ? 0 : roundHalfAwayFromZero(totalCents / count, 0);
}

/** Integer cents as a reader expects to see them in text: 4999 -> "$49.99", 12000 -> "$120.00". */
export function formatDollars(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(Math.trunc(cents));
  return `${sign}$${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

// ---- Rounding: the one rule for cents and ratios alike --------------------------

// ANCHOR: rounding
/**
 * Round half away from zero, the book's one rounding rule: 2.5 -> 3 and
 * -2.5 -> -3. Math.round alone rounds halves up (-2.5 -> -2), so it is applied
 * to the absolute value and the sign put back. toPrecision(15) first drops the
 * binary noise that would turn 1.005 * 100 into 100.49999999999999.
 */
export function roundHalfAwayFromZero(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  return (Math.sign(value) * Math.round(scaled)) / factor;
}
// ANCHOR_END: rounding

// ---- Generated ids -------------------------------------------------------------
// Vectors match ids by pattern, so only the shape is a contract.

/** `prefix` followed by `length` random hex digits (lowercase unless asked). */
export function hexId(prefix: string, length = 16, upper = false): string {
  const digits = randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
  return prefix + (upper ? digits.toUpperCase() : digits);
}

/** A `task_<uuid v4>` identifier. */
export function taskId(): string {
  return `task_${randomUUID()}`;
}

// ---- Timestamps: ISO-8601 UTC with a Z ------------------------------------------

/** e.g. 2026-11-26T09:30:00.123Z (toISOString is always UTC and always ends in Z). */
export function isoUtc(moment: Date): string {
  return moment.toISOString();
}

export function nowIso(): string {
  return isoUtc(new Date());
}

/** `days` whole days after `from` (default now), as an ISO-8601 UTC timestamp. */
export function isoDaysFrom(days: number, from: Date = new Date()): string {
  return isoUtc(new Date(from.getTime() + days * 86_400_000));
}

/** YYYYMMDD of `moment` in UTC, as used in human-readable order numbers. */
export function compactUtcDate(moment: Date): string {
  return moment.toISOString().slice(0, 10).replaceAll('-', '');
}

// ---- Reading inputs and validating text: one meaning in every language ---------
// A task context is JSON, but each language's defaults read JSON differently:
// JavaScript cannot tell 2.0 from 2, Python's True is an int, and \s, \w, \d,
// $ and case-insensitivity mean different characters in each regex dialect.
// These helpers pin the book's one reading (handlers/README.md); the Python,
// Ruby and Rust handlers have the same helpers under the same names.

const ASCII_SPACE = ' \\t\\n\\v\\f\\r';

/**
 * A validation pattern with the same meaning in all four languages, matched
 * against the whole string (^…$ without the m flag). JavaScript's \d and \w
 * are ASCII already (no u flag here), but its \s also takes U+00A0, U+FEFF and
 * every Unicode space, with no flag to stop it: \s is spelled out as the six
 * ASCII whitespace characters.
 */
export function asciiPattern(source: string): RegExp {
  let rewritten = '';
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const char = source.charAt(index);
    if (char === '\\') {
      const escaped = source.charAt(index + 1);
      index += 1;
      if (escaped === 's') {
        rewritten += inClass ? ASCII_SPACE : `[${ASCII_SPACE}]`;
      } else if (escaped === 'S' && !inClass) {
        rewritten += `[^${ASCII_SPACE}]`;
      } else if (escaped === 'S' || escaped === 'p' || escaped === 'P') {
        throw new Error(`asciiPattern: \\${escaped} cannot be made ASCII here: ${source}`);
      } else {
        rewritten += `\\${escaped}`;
      }
      continue;
    }
    if (char === '[') inClass = true;
    if (char === ']') inClass = false;
    rewritten += char;
  }
  return new RegExp(`^(?:${rewritten})$`);
}

/** True when `value` is a string the pattern matches from first to last character. */
export function matchesWhole(pattern: RegExp, value: unknown): value is string {
  return typeof value === 'string' && pattern.test(value);
}

/** `value` with A-Z lowered and every other character kept (toLowerCase is Unicode-wide). */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * A text field's value when it is present: a non-empty JSON string. Absent,
 * null, '' and values of another JSON type count as missing; spaces are text.
 */
export function presentText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * An integer field's value: a JSON number with a whole value within
 * ±(2^53 − 1), the integers every language holds exactly. '2' is text, not a number.
 */
export function wholeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

// RFC 3339 with Z or an offset, the way every language's handler reads it.
const TIMESTAMP_FORMAT = asciiPattern(
  String.raw`(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)`,
);

/**
 * A timestamp with Z or an offset, as milliseconds since the epoch; undefined
 * for anything else. Date.parse alone would read a time without a zone as
 * local time and roll 31 February over into March.
 */
export function parseTimestamp(value: unknown): number | undefined {
  const found = typeof value === 'string' ? TIMESTAMP_FORMAT.exec(value) : null;
  if (!found) return undefined;
  const [year, month, day] = [Number(found[1]), Number(found[2]), Number(found[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return Date.parse(found[0]);
}
