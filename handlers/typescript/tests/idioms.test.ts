// The habits the book teaches, checked on every handler rather than trusted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, test } from 'node:test';

import { ErrorType, PermanentError, StepHandler, StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { ValidateCartHandler } from '../post_01_ecommerce/step_handlers/validate_cart_handler';
import { HANDLER_CLASSES, findHandlerClass } from '../registry';
import { HANDLERS_DIR, loadTemplates, normaliseResult, normaliseThrown, runVector } from './support/vectors';

const TS_DIR = join(HANDLERS_DIR, 'typescript');

function contextWith(inputData: Record<string, unknown>): StepContext {
  return new StepContext({
    taskUuid: 't', stepUuid: 's', correlationId: 'c', handlerName: 'h', inputData,
    dependencyResults: {}, stepConfig: {}, stepInputs: {}, retryCount: 0, maxRetries: 2,
  });
}

function handlerFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (dir.endsWith('step_handlers') && entry.name.endsWith('_handler.ts')) files.push(path);
    }
  };
  for (const entry of readdirSync(TS_DIR)) {
    if (entry.startsWith('post_')) walk(join(TS_DIR, entry));
  }
  return files.sort();
}

function snakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

describe('returned failure vs thrown error', () => {
  test('a permanent failure is returned with retryable false and an error code', async () => {
    const result = await new ValidateCartHandler().call(contextWith({ cart_items: [] }));
    assert.equal(result.isSuccess(), false);
    assert.equal(result.retryable, false);
    assert.equal(result.errorType, ErrorType.PERMANENT_ERROR);
    assert.equal(result.errorCode, 'MISSING_CART_ITEMS');
  });

  test('the worker turns ANY thrown error into a retryable failure, PermanentError included', async () => {
    class ThrowingHandler extends StepHandler {
      static override handlerName = 'Idioms.ThrowingHandler';
      async call(_context: StepContext): Promise<StepHandlerResult> {
        throw new PermanentError('card declined', { error_code: 'PAYMENT_DECLINED' });
      }
    }
    let outcome;
    try {
      outcome = normaliseResult(await new ThrowingHandler().call(contextWith({})));
    } catch (error) {
      outcome = normaliseThrown(error);
    }
    assert.equal(outcome.success, false);
    assert.equal(outcome.success === false && outcome.retryable, true, 'a thrown error must come out retryable');
    assert.equal(outcome.success === false && outcome.error_code, null, 'a thrown error carries no error code');
  });

  for (const file of handlerFiles()) {
    test(`${relative(TS_DIR, file)} never throws (returns every failure)`, () => {
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\bthrow\b/);
    });
  }
});

describe('handler classes', () => {
  test('every static handlerName is unique', () => {
    const names = HANDLER_CLASSES.map((handlerClass) => handlerClass.handlerName);
    assert.deepEqual([...new Set(names)], names);
  });

  for (const handlerClass of HANDLER_CLASSES) {
    test(`${handlerClass.name}: handlerName is <Namespace>.StepHandlers.<Class>, version 1.0.0`, () => {
      assert.match(handlerClass.handlerName, /^[A-Z][A-Za-z]*\.StepHandlers\.[A-Z]\w*Handler$/);
      assert.equal(handlerClass.handlerName.split('.').at(-1), handlerClass.name);
      assert.equal(handlerClass.handlerVersion, '1.0.0');
      assert.ok(new handlerClass() instanceof StepHandler);
    });
  }

  test('every handler file is registered, and is named after its class', async () => {
    const registered = new Set(HANDLER_CLASSES.map((handlerClass) => handlerClass.name));
    for (const file of handlerFiles()) {
      const exported = Object.values(await import(file)).filter(
        (value): value is typeof StepHandler => typeof value === 'function' && value.prototype instanceof StepHandler,
      );
      assert.equal(exported.length, 1, `${basename(file)} must export exactly one handler class`);
      const [handlerClass] = exported;
      assert.equal(`${snakeCase(handlerClass!.name)}.ts`, basename(file));
      assert.ok(registered.has(handlerClass!.name), `${handlerClass!.name} is missing from registry.ts`);
    }
  });
});

describe('task templates', () => {
  const templates = loadTemplates();
  const allowedRetryKeys = new Set(['retryable', 'max_attempts', 'backoff', 'backoff_base_ms', 'max_backoff_ms']);

  test('there is at least one template and namespaces are unique', () => {
    assert.ok(templates.length > 0);
    const namespaces = templates.map((template) => template.namespace_name);
    assert.deepEqual([...new Set(namespaces)], namespaces);
  });

  for (const template of templates) {
    test(`${template.file}: every callable resolves to a handler class`, () => {
      for (const step of template.steps) {
        assert.ok(findHandlerClass(step.handler.callable), `step ${step.name}: no class with handlerName ${step.handler.callable}`);
      }
    });

    test(`${template.file}: follows the real template schema`, () => {
      for (const key of ['name', 'namespace_name', 'version', 'description', 'metadata', 'input_schema', 'steps']) {
        assert.ok(key in template, `missing top-level ${key}`);
      }
      assert.ok(template.namespace_name.length <= 29, 'namespace_name is at most 29 characters');
      const seen = new Set<string>();
      for (const step of template.steps) {
        for (const dependency of step.dependencies ?? []) {
          assert.ok(seen.has(dependency), `${step.name} depends on ${dependency}, which is not an earlier step`);
        }
        seen.add(step.name);
        const retry = (step.retry ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(retry)) assert.ok(allowedRetryKeys.has(key), `${step.name}: retry.${key} is not a template field`);
        const maxAttempts = retry.max_attempts as number;
        assert.ok(Number.isInteger(maxAttempts) && maxAttempts >= 1 && maxAttempts <= 100, `${step.name}: max_attempts 1..100`);
        assert.ok(['none', 'linear', 'exponential', 'fibonacci'].includes(retry.backoff as string), `${step.name}: backoff`);
      }
    });
  }

  test('ecommerce_order_processing: linear chain, retry and timeout as post 01 says', () => {
    const template = templates.find((candidate) => candidate.name === 'ecommerce_order_processing');
    assert.ok(template);
    assert.equal(template.namespace_name, 'ecommerce');
    assert.equal(String(template.version), '1.0.0');
    const names = ['validate_cart', 'process_payment', 'update_inventory', 'create_order', 'send_confirmation'];
    assert.deepEqual(template.steps.map((step) => step.name), names);
    template.steps.forEach((step, index) => {
      assert.deepEqual(step.dependencies ?? [], index === 0 ? [] : [names[index - 1]]);
      assert.deepEqual(step.retry, { retryable: true, max_attempts: 2, backoff: 'exponential', backoff_base_ms: 100, max_backoff_ms: 5000 });
      assert.equal(step.timeout_seconds, 10);
    });
  });

  test('a vector whose namespace has no template fails instead of passing silently', async () => {
    await assert.rejects(
      runVector({ description: 'x', namespace: 'no_such_namespace', step: 'x', input: {}, expect: { outcome: 'success' } }, templates),
      /no template/,
    );
  });
});

describe('book anchors', () => {
  const required: Record<string, string[]> = {
    'post_01_ecommerce/step_handlers/validate_cart_handler.ts': ['handler', 'retryable_error'],
    'post_01_ecommerce/step_handlers/process_payment_handler.ts': ['handler', 'dependency_access', 'error_classification'],
    'post_01_ecommerce/step_handlers/create_order_handler.ts': ['handler', 'ancestor_results'],
    'post_01_ecommerce/models/product.ts': ['product_model', 'catalogue'],
    'post_01_ecommerce/models/order.ts': ['order_model'],
  };
  const anchorFiles = [...new Set([...handlerFiles().map((file) => relative(TS_DIR, file)), ...Object.keys(required)])];

  for (const file of anchorFiles) {
    test(`${file}: anchors balanced, unique, non-empty, handler anchor from the imports`, () => {
      const lines = readFileSync(join(TS_DIR, file), 'utf8').split('\n');
      const open = new Map<string, number>();
      const closed = new Set<string>();
      lines.forEach((line, index) => {
        const marker = /^\s*\/\/ ANCHOR(_END)?: (\w+)\s*$/.exec(line);
        if (!marker) {
          assert.doesNotMatch(line, /ANCHOR/, `line ${index + 1}: malformed anchor marker`);
          return;
        }
        const [, end, name] = marker as unknown as [string, string | undefined, string];
        if (!end) {
          assert.ok(!open.has(name) && !closed.has(name), `anchor ${name} opened twice`);
          open.set(name, index);
          return;
        }
        const start = open.get(name);
        assert.ok(start !== undefined, `ANCHOR_END ${name} without ANCHOR`);
        const body = lines.slice(start + 1, index).filter((text) => text.trim() !== '' && !/ANCHOR/.test(text));
        assert.ok(body.length > 0, `anchor ${name} is empty`);
        open.delete(name);
        closed.add(name);
      });
      assert.deepEqual([...open.keys()], [], 'unclosed anchors');
      for (const name of required[file] ?? ['handler']) assert.ok(closed.has(name), `missing anchor ${name}`);
      if (file.includes('step_handlers')) {
        assert.match(lines[0] ?? '', /^\/\/ ANCHOR: handler$/, 'the handler anchor starts the file');
        assert.match(lines[1] ?? '', /^import /, 'the handler anchor begins with the imports');
      }
    });
  }
});
