// The habits the book teaches, checked on every handler rather than trusted.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, test } from 'node:test';

import { ErrorType, PermanentError, StepHandler, StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { ValidateCartHandler } from '../post_01_ecommerce/step_handlers/validate_cart_handler';
import { HANDLER_CLASSES, findHandlerClass } from '../registry';
import { HANDLERS_DIR, loadTemplates, normaliseResult, normaliseThrown, runVector, type TemplateStep } from './support/vectors';

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

  // Retry and timeout per step as posts 02-04 give them; where a post is
  // silent the templates use exponential backoff from 1000 ms (max 30000 ms,
  // 20000 ms for post 03's last two steps) and 30 s timeouts.
  const expectedShapes: Record<string, { name: string; version: string; steps: Array<[string, string[], number, number, number, number]> }> = {
    data_pipeline: {
      name: 'analytics_pipeline', version: '1.0.0',
      steps: [
        ['extract_sales_data', [], 3, 2000, 30000, 30],
        ['extract_inventory_data', [], 3, 2000, 30000, 30],
        ['extract_customer_data', [], 3, 2000, 30000, 30],
        ['transform_sales', ['extract_sales_data'], 2, 2000, 20000, 20],
        ['transform_inventory', ['extract_inventory_data'], 2, 2000, 20000, 20],
        ['transform_customers', ['extract_customer_data'], 2, 2000, 20000, 20],
        ['aggregate_metrics', ['transform_sales', 'transform_inventory', 'transform_customers'], 2, 2000, 20000, 30],
        ['generate_insights', ['aggregate_metrics'], 2, 2000, 20000, 20],
      ],
    },
    microservices: {
      name: 'user_registration', version: '1.0.0',
      steps: [
        ['create_user_account', [], 3, 1000, 30000, 30],
        ['setup_billing_profile', ['create_user_account'], 3, 1000, 30000, 30],
        ['initialize_preferences', ['create_user_account'], 3, 1000, 30000, 30],
        ['send_welcome_sequence', ['setup_billing_profile', 'initialize_preferences'], 2, 1000, 20000, 20],
        ['update_user_status', ['send_welcome_sequence'], 2, 1000, 20000, 20],
      ],
    },
    customer_success: {
      name: 'process_refund', version: '1.3.0',
      steps: [
        ['validate_refund_request', [], 3, 1000, 30000, 30],
        ['check_refund_policy', ['validate_refund_request'], 3, 1000, 30000, 30],
        ['get_manager_approval', ['check_refund_policy'], 3, 1000, 30000, 30],
        ['execute_refund_workflow', ['get_manager_approval'], 3, 1000, 30000, 30],
        ['update_ticket_status', ['execute_refund_workflow'], 3, 1000, 30000, 30],
      ],
    },
    payments: {
      name: 'process_refund', version: '2.1.0',
      steps: [
        ['validate_payment_eligibility', [], 3, 1000, 30000, 30],
        ['process_gateway_refund', ['validate_payment_eligibility'], 2, 1000, 30000, 30],
        ['update_payment_records', ['process_gateway_refund'], 3, 1000, 30000, 30],
        ['notify_customer', ['update_payment_records'], 5, 1000, 30000, 30],
      ],
    },
  };
  for (const [namespace, shape] of Object.entries(expectedShapes)) {
    test(`${shape.name} (${namespace}): steps, dependencies, retry and timeout as the post says`, () => {
      const template = templates.find((candidate) => candidate.namespace_name === namespace);
      assert.ok(template, `no template for namespace ${namespace}`);
      assert.equal(template.name, shape.name);
      assert.equal(String(template.version), shape.version);
      assert.deepEqual(template.steps.map((step) => step.name), shape.steps.map(([name]) => name));
      for (const [name, dependencies, maxAttempts, base, max, timeout] of shape.steps) {
        const step: TemplateStep | undefined = template.steps.find((candidate) => candidate.name === name);
        assert.ok(step, `missing step ${name}`);
        assert.deepEqual(step.dependencies ?? [], dependencies, `${name}: dependencies`);
        assert.deepEqual(step.retry, { retryable: true, max_attempts: maxAttempts, backoff: 'exponential', backoff_base_ms: base, max_backoff_ms: max }, `${name}: retry`);
        assert.equal(step.timeout_seconds, timeout, `${name}: timeout_seconds`);
      }
    });
  }

  test('a vector whose namespace has no template fails instead of passing silently', async () => {
    await assert.rejects(
      runVector({ description: 'x', namespace: 'no_such_namespace', step: 'x', input: {}, expect: { outcome: 'success' } }, templates),
      /no template/,
    );
  });
});

describe('post 04: one workflow name, two namespaces', () => {
  const templates = loadTemplates();
  const refundTemplates = templates.filter((template) => template.name === 'process_refund');
  const namespaceDirs: Record<string, { prefix: string; dir: string }> = {
    customer_success: { prefix: 'CustomerSuccess.StepHandlers.', dir: 'post_04_team_scaling/customer_success/step_handlers' },
    payments: { prefix: 'Payments.StepHandlers.', dir: 'post_04_team_scaling/payments/step_handlers' },
  };

  test('both process_refund templates load side by side, told apart by namespace and version', () => {
    assert.deepEqual(
      refundTemplates.map((template) => [template.namespace_name, String(template.version)]).sort(),
      [['customer_success', '1.3.0'], ['payments', '2.1.0']],
    );
    const keys = templates.map((template) => `${template.namespace_name}/${template.name}`);
    assert.deepEqual([...new Set(keys)], keys, 'namespace + name identifies a template');
  });

  for (const [namespace, { prefix, dir }] of Object.entries(namespaceDirs)) {
    test(`${namespace}: every step resolves to a ${prefix}* class from ${dir}, and to nothing of the other team`, async () => {
      const template = refundTemplates.find((candidate) => candidate.namespace_name === namespace);
      assert.ok(template);
      const ownFiles = handlerFiles().filter((file) => relative(TS_DIR, file).startsWith(`${dir}/`));
      const ownClasses = new Set<unknown>();
      for (const file of ownFiles) for (const value of Object.values(await import(file))) ownClasses.add(value);
      assert.equal(ownFiles.length, template.steps.length, `one handler file per ${namespace} step`);
      for (const step of template.steps) {
        assert.ok(step.handler.callable.startsWith(prefix), `${step.name}: callable ${step.handler.callable}`);
        const handlerClass = findHandlerClass(step.handler.callable);
        assert.ok(handlerClass && ownClasses.has(handlerClass), `${step.name} resolves outside ${dir}`);
      }
    });
  }

  test("a step of one namespace is not found in the other's template", async () => {
    await assert.rejects(
      runVector({ description: 'x', namespace: 'payments', step: 'validate_refund_request', input: {}, expect: { outcome: 'success' } }, refundTemplates),
      /has no step 'validate_refund_request'/,
    );
    await assert.rejects(
      runVector({ description: 'x', namespace: 'customer_success', step: 'notify_customer', input: {}, expect: { outcome: 'success' } }, refundTemplates),
      /has no step 'notify_customer'/,
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
    'post_02_data_pipeline/models/sample_data.ts': ['sales_records', 'inventory_records', 'customer_records'],
    'post_02_data_pipeline/step_handlers/aggregate_metrics_handler.ts': ['handler', 'convergence'],
    'post_02_data_pipeline/step_handlers/generate_insights_handler.ts': ['handler', 'health_score'],
    'post_03_microservices/step_handlers/create_user_account_handler.ts': ['handler', 'idempotency'],
    'post_03_microservices/step_handlers/setup_billing_profile_handler.ts': ['handler', 'graceful_degradation'],
    'post_03_microservices/step_handlers/initialize_preferences_handler.ts': ['handler', 'plan_defaults'],
    'post_03_microservices/step_handlers/send_welcome_sequence_handler.ts': ['handler', 'branch_results'],
    'post_04_team_scaling/customer_success/step_handlers/get_manager_approval_handler.ts': ['handler', 'approval_pending'],
    'post_04_team_scaling/customer_success/step_handlers/execute_refund_workflow_handler.ts': ['handler', 'cross_namespace'],
    'blog_common.ts': ['rounding'],
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
