// Loads the shared conformance vectors and runs one against this language's
// handlers the way a TypeScript worker would: template → callable → class by
// static handlerName → StepContext → call → outcome.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { StepContext, type StepHandlerResult } from '@tasker-systems/tasker';
import { parse as parseYaml } from 'yaml';

import { findHandlerClass } from '../../registry';
import { matchJson, type RunClock } from './json_match';

const HERE = dirname(fileURLToPath(import.meta.url));
export const HANDLERS_DIR = resolve(HERE, '../../..');
export const DEFAULT_VECTORS_DIR = join(HANDLERS_DIR, 'vectors');
/** Names another vector folder to run instead of handlers/vectors (read at run time). */
export const VECTORS_DIR_VARIABLE = 'TASKER_VECTORS_DIR';
export const TEMPLATES_DIR = join(HANDLERS_DIR, 'templates', 'typescript');

/**
 * Namespaces (posts) whose handlers are not written in TypeScript yet. Their
 * vectors are reported as skipped, so the gap stays visible in every run; any
 * other vector without a template or handler FAILS.
 */
export const NOT_YET_PORTED: readonly string[] = [];

export interface Vector {
  readonly description: string;
  readonly namespace: string;
  readonly step: string;
  readonly input: Record<string, unknown>;
  readonly dependency_results?: Record<string, unknown>;
  readonly step_config?: Record<string, unknown>;
  readonly retry?: { readonly attempts?: number; readonly max_attempts?: number };
  readonly expect: Record<string, unknown> & { readonly outcome: 'success' | 'failure' };
}

export interface VectorFile {
  /** Path relative to handlers/vectors, e.g. post_01_ecommerce/validate_cart__success_example.json */
  readonly name: string;
  readonly vector: Vector;
}

export interface TemplateStep {
  readonly name: string;
  readonly handler: { readonly callable: string; readonly initialization?: Record<string, unknown> };
  readonly dependencies?: readonly string[];
  readonly retry?: { readonly max_attempts?: number } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

export interface Template {
  readonly file: string;
  readonly name: string;
  readonly namespace_name: string;
  readonly version: string;
  readonly steps: readonly TemplateStep[];
  readonly [key: string]: unknown;
}

function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return jsonFilesUnder(path);
      return entry.name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

/**
 * The vector folder of this run: $TASKER_VECTORS_DIR if set (relative to the
 * current directory), else handlers/vectors. A folder that does not exist is
 * an error, never an empty and so vacuously passing run.
 */
export function vectorsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[VECTORS_DIR_VARIABLE] ?? '';
  if (configured === '') return DEFAULT_VECTORS_DIR;
  const folder = resolve(configured);
  let isFolder = false;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new Error(`${VECTORS_DIR_VARIABLE}=${JSON.stringify(configured)} is not a folder (${folder} does not exist)`);
  }
  return folder;
}

export function loadVectors(dir: string = vectorsDir()): VectorFile[] {
  return jsonFilesUnder(dir).map((path) => ({
    name: relative(dir, path),
    vector: JSON.parse(readFileSync(path, 'utf8')) as Vector,
  }));
}

export function loadTemplates(): Template[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ ...(parseYaml(readFileSync(join(TEMPLATES_DIR, file), 'utf8')) as Template), file }));
}

/** Replaces {"$now_offset_days": N} anywhere in `value` (input or dependency results) with now + N days. */
export function resolveInputPlaceholders(value: unknown, now: Date = new Date()): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveInputPlaceholders(item, now));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]?.[0] === '$now_offset_days' && typeof entries[0][1] === 'number') {
      return new Date(now.getTime() + entries[0][1] * 86_400_000).toISOString();
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, resolveInputPlaceholders(item, now)]));
  }
  return value;
}

/** The comparable shape of an outcome, the same in every language's runner. */
export type Outcome =
  | { success: true; result: Record<string, unknown> | null }
  | {
      success: false;
      error_code: string | null;
      retryable: boolean;
      retry_after: unknown;
      context: Record<string, unknown>;
      error_type: string | null;
      message: string | null;
    };

export function normaliseResult(result: StepHandlerResult): Outcome {
  if (result.success) return { success: true, result: result.result };
  return {
    success: false,
    error_code: result.errorCode,
    retryable: result.retryable,
    retry_after: result.metadata.retry_after,
    context: result.metadata,
    error_type: result.errorType,
    message: result.errorMessage,
  };
}

/**
 * What the real worker reports when `call` throws instead of returning: a
 * retryable failure with no error code, whatever the error's class. This is
 * why permanent failures are returned, never thrown.
 */
export function normaliseThrown(error: unknown): Outcome {
  return {
    success: false,
    error_code: null,
    retryable: true,
    retry_after: undefined,
    context: {},
    error_type: 'execution_error',
    message: error instanceof Error ? error.message : String(error),
  };
}

export function buildContext(vector: Vector, step: TemplateStep, now: Date = new Date()): StepContext {
  // The worker stores each step's output as {result: ...}; vectors hold the raw
  // results. {"$now_offset_days": N} may stand for a timestamp in either.
  const dependencyResults = Object.fromEntries(
    Object.entries(vector.dependency_results ?? {}).map(([name, result]) => [
      name,
      { result: resolveInputPlaceholders(result, now) },
    ]),
  );
  return new StepContext({
    taskUuid: 'vector-task',
    stepUuid: `vector-step-${vector.step}`,
    correlationId: 'vector-correlation',
    handlerName: step.handler.callable,
    inputData: resolveInputPlaceholders(vector.input ?? {}, now) as Record<string, unknown>,
    dependencyResults,
    stepConfig: vector.step_config ?? step.handler.initialization ?? {},
    stepInputs: {},
    retryCount: vector.retry?.attempts ?? 0,
    maxRetries: vector.retry?.max_attempts ?? step.retry?.max_attempts ?? 1,
  });
}

export async function runVector(vector: Vector, templates: readonly Template[]): Promise<Outcome> {
  return (await runVectorTimed(vector, templates)).outcome;
}

/** The outcome, and the clock of the run for the relative expectations. */
export async function runVectorTimed(
  vector: Vector,
  templates: readonly Template[],
): Promise<{ outcome: Outcome; clock: RunClock }> {
  const template = templates.find((candidate) => candidate.namespace_name === vector.namespace);
  if (!template) {
    throw new Error(`no template in ${relative(HANDLERS_DIR, TEMPLATES_DIR)} has namespace_name '${vector.namespace}'`);
  }
  const step = template.steps.find((candidate) => candidate.name === vector.step);
  if (!step) {
    throw new Error(`template ${template.file} has no step '${vector.step}'`);
  }
  const HandlerClass = findHandlerClass(step.handler.callable);
  if (!HandlerClass) {
    throw new Error(`no handler class has static handlerName '${step.handler.callable}' (step '${vector.step}' of ${template.file})`);
  }
  const start = new Date();
  const context = buildContext(vector, step, start);
  let outcome: Outcome;
  try {
    outcome = normaliseResult(await new HandlerClass().call(context));
  } catch (error) {
    outcome = normaliseThrown(error);
  }
  return { outcome, clock: { start, end: new Date() } };
}

/** The expectation in the Outcome's terms: outcome becomes success, every other key is compared as given. */
export function expectedOutcome(expect: Vector['expect']): Record<string, unknown> {
  const { outcome, ...rest } = expect;
  return { success: outcome === 'success', ...rest };
}

/** Empty string when the outcome matches, else a readable report. */
export function describeMismatch(name: string, vector: Vector, actual: Outcome, clock?: RunClock): string {
  // Relative expectations name fields of the result (or of a failure's context).
  const root = actual.success ? actual.result : actual.context;
  const mismatches = matchJson(expectedOutcome(vector.expect), actual, 'outcome', clock ? { clock, root } : { root });
  if (mismatches.length === 0) return '';
  return [
    `vector ${name} (${vector.description})`,
    `${mismatches.length} mismatch(es):`,
    ...mismatches.map((mismatch) => `  ${mismatch.path}: ${mismatch.message}`),
    'actual outcome:',
    JSON.stringify(actual, null, 2),
  ].join('\n');
}
