// The e2e harness's TypeScript worker: one long-lived process, many step calls.
//
// Protocol (newline-delimited JSON, see e2e/src/worker.rs): prints
// {"ready": true, ...} once, then answers each {"id", "callable", "context"}
// line with {"id", "outcome"} or {"id", "error"}. Handlers are async, so
// requests run concurrently; replies go out as they finish, matched by id.
//
// Everything handler-specific is reused from the TypeScript test suite: the
// class is found by its static handlerName (registry.ts), the StepContext is
// built and the outcome normalised by tests/support/vectors.ts.

import { createInterface } from 'node:readline';

import { findHandlerClass, HANDLER_CLASSES } from '../../../handlers/typescript/registry';
import {
  buildContext,
  normaliseResult,
  normaliseThrown,
  type Outcome,
  type TemplateStep,
  type Vector,
} from '../../../handlers/typescript/tests/support/vectors';

/** The vector-shaped context the harness sends (e2e/src/runner.rs). */
interface StepRequestContext {
  readonly namespace: string;
  readonly step: string;
  readonly template?: string;
  readonly input?: Record<string, unknown>;
  readonly dependency_results?: Record<string, unknown>;
  readonly step_config?: Record<string, unknown>;
  readonly retry?: { readonly attempts?: number; readonly max_attempts?: number };
}

interface StepRequest {
  readonly id: number;
  readonly callable: string;
  readonly context: StepRequestContext;
}

type Reply = { id: number | null; outcome: Outcome } | { id: number | null; error: string } | Record<string, unknown>;

// The protocol owns stdout: anything a handler logs goes to stderr instead.
const writeProtocol = process.stdout.write.bind(process.stdout);
console.log = console.error;
console.info = console.error;
console.debug = console.error;

function send(reply: Reply): void {
  let line: string;
  try {
    line = JSON.stringify(reply);
  } catch (error) {
    // A result that is not JSON would not survive the real worker either.
    const id = 'id' in reply ? reply.id : null;
    line = JSON.stringify({ id, error: `unserialisable reply: ${String(error)}` });
  }
  writeProtocol(`${line}\n`);
}

async function runStep(request: StepRequest): Promise<Reply> {
  const HandlerClass = findHandlerClass(request.callable);
  if (!HandlerClass) {
    return { id: request.id, error: `no handler class has static handlerName '${request.callable}'` };
  }
  const { context } = request;
  const step: TemplateStep = {
    name: context.step,
    handler: { callable: request.callable, initialization: context.step_config ?? {} },
    retry: { max_attempts: context.retry?.max_attempts ?? 1 },
  };
  // buildContext reads a conformance vector; the request carries the same
  // fields. `expect` is part of the Vector type only, and is not read.
  const vector: Vector = {
    description: `e2e ${context.namespace}.${context.step}`,
    namespace: context.namespace,
    step: context.step,
    input: context.input ?? {},
    dependency_results: context.dependency_results ?? {},
    step_config: context.step_config ?? {},
    retry: context.retry ?? {},
    expect: { outcome: 'success' },
  };
  const stepContext = buildContext(vector, step);
  try {
    return { id: request.id, outcome: normaliseResult(await new HandlerClass().call(stepContext)) };
  } catch (error) {
    // Like the real worker: whatever escapes `call` is a retryable failure.
    return { id: request.id, outcome: normaliseThrown(error) };
  }
}

async function answer(line: string): Promise<void> {
  let id: number | null = null;
  try {
    const request = JSON.parse(line) as StepRequest;
    id = typeof request.id === 'number' ? request.id : null;
    send(await runStep(request));
  } catch (error) {
    send({ id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}

function main(): void {
  const inFlight = new Set<Promise<void>>();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    const call = answer(line);
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  });
  // stdin closed: the harness is gone. Finish what is running, then exit.
  lines.on('close', () => {
    void Promise.allSettled([...inFlight]).then(() => process.exit(0));
  });
  send({ ready: true, language: 'typescript', pid: process.pid, handlers: HANDLER_CLASSES.length });
}

main();
