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
