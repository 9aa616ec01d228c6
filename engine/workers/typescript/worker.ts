// The TypeScript half of the book's TypeScript worker. The Rust worker core
// (engine/src/bridge.rs) owns the queue, claims and results; it hands each
// step here as one JSON line, {"id", "callable", "step"}, where `step` is the
// napi-shaped FfiStepEvent tasker-ts receives. This process resolves the
// handler class by its static handlerName (as tasker-ts's registry does),
// builds the SDK's StepContext from the event, runs `call`, and answers
// {"id", "result"}; steps run concurrently and answers go out as they finish.
// TASKER_BOOK_EXTRA_HANDLERS, when set, names a folder whose .ts modules'
// exported handler classes are offered too (the engine suite's probes,
// engine/tests/fixtures/probe); unset, the book's handlers only.

import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

import {
  type FfiStepEvent,
  StepContext,
  StepHandler,
  type StepHandlerResult,
} from '../../../handlers/typescript/sdk/src/index';

import { HANDLER_CLASSES, type HandlerClass } from '../../../handlers/typescript/registry';

interface StepRequest {
  readonly id: number;
  readonly callable: string;
  readonly step: FfiStepEvent;
}

/** The handler's answer in the SDK's terms; the core maps it to the engine's result. */
interface Answer {
  success: boolean;
  result: unknown;
  error_message?: string;
  error_type?: string;
  error_code?: string | null;
  retryable: boolean;
  metadata: Record<string, unknown>;
}

// The protocol owns stdout: anything a handler logs goes to stderr instead.
const writeProtocol = process.stdout.write.bind(process.stdout);
console.log = console.error;
console.info = console.error;
console.debug = console.error;

function send(reply: Record<string, unknown>): void {
  let line: string;
  try {
    line = JSON.stringify(reply);
  } catch (error) {
    line = JSON.stringify({ id: reply.id ?? null, error: `result is not JSON: ${String(error)}` });
  }
  writeProtocol(`${line}\n`);
}

function answerOf(result: StepHandlerResult): Answer {
  if (result.success) {
    return { success: true, result: result.result, retryable: false, metadata: result.metadata };
  }
  return {
    success: false,
    result: null,
    error_message: result.errorMessage ?? 'handler failed',
    error_type: result.errorType ?? undefined,
    error_code: result.errorCode ?? null,
    retryable: result.retryable,
    metadata: result.metadata,
  };
}

function isHandlerClass(value: unknown): value is HandlerClass {
  return (
    typeof value === 'function' &&
    value.prototype instanceof StepHandler &&
    typeof (value as { handlerName?: unknown }).handlerName === 'string'
  );
}

async function extraHandlerClasses(): Promise<HandlerClass[]> {
  const folder = process.env.TASKER_BOOK_EXTRA_HANDLERS;
  if (!folder) {
    return [];
  }
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.ts'))
    .sort();
  const found: HandlerClass[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(resolve(folder, file)).href)) as Record<string, unknown>;
    found.push(...Object.values(module).filter(isHandlerClass));
  }
  // A mistyped folder would otherwise start a worker that fails every step it is sent.
  if (found.length === 0) {
    throw new Error(`TASKER_BOOK_EXTRA_HANDLERS=${folder}: no exported handler class in its .ts files`);
  }
  return found;
}

async function runStep(request: StepRequest, classes: readonly HandlerClass[]): Promise<Record<string, unknown>> {
  const HandlerClass = classes.find((candidate) => candidate.handlerName === request.callable);
  if (!HandlerClass) {
    return { id: request.id, error: `no handler class has static handlerName '${request.callable}'` };
  }
  const context = StepContext.fromFfiEvent(request.step, request.callable);
  try {
    return { id: request.id, result: answerOf(await new HandlerClass().call(context)) };
  } catch (error) {
    // Like tasker-ts: whatever escapes `call` is a retryable failure.
    const message = error instanceof Error ? error.message : String(error);
    const thrown: Answer = {
      success: false,
      result: null,
      error_message: message,
      error_type: 'handler_error',
      error_code: null,
      retryable: true,
      metadata: {},
    };
    return { id: request.id, result: thrown };
  }
}

async function answer(line: string, classes: readonly HandlerClass[]): Promise<void> {
  let id: number | null = null;
  try {
    const request = JSON.parse(line) as StepRequest;
    id = typeof request.id === 'number' ? request.id : null;
    send(await runStep(request, classes));
  } catch (error) {
    send({ id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}

async function main(): Promise<void> {
  // Loaded before the ready line: the core registers exactly the callables it announces.
  const classes = [...HANDLER_CLASSES, ...(await extraHandlerClasses())];
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') void answer(line, classes);
  });
  // stdin closed: the worker core is gone.
  lines.on('close', () => process.exit(0));
  send({ ready: true, language: 'typescript', pid: process.pid, callables: classes.map((c) => c.handlerName) });
}

main().catch((error: unknown) => {
  console.error(`typescript worker: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
