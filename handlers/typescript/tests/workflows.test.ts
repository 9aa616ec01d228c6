// Each post's workflow end to end, in-process: the handlers of one template
// must fit together (every step reads what the earlier ones actually wrote),
// and the checked values of the posts come out of a full run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { loadTemplates, type Template } from './support/vectors';
import { runWorkflow } from './support/workflow';

const templates = loadTemplates();

function template(namespace: string): Template {
  const found = templates.find((candidate) => candidate.namespace_name === namespace);
  assert.ok(found, `no template with namespace_name ${namespace}`);
  return found;
}

function stepNames(namespace: string): string[] {
  return template(namespace).steps.map((step) => step.name);
}

describe('post 01: ecommerce_order_processing', () => {
  const order = {
    cart_items: [{ product_id: 1, quantity: 2 }, { product_id: 2, quantity: 1 }],
    customer_info: { email: 'customer@example.com', name: 'John Doe', phone: '+1-555-0123' },
    payment_info: { method: 'credit_card', token: 'tok_test_valid', amount: 124.76 },
  };

  test('success: all five steps complete; totals as the post says', async () => {
    const run = await runWorkflow(template('ecommerce'), order);
    assert.equal(run.failed, undefined);
    assert.deepEqual(run.completed, stepNames('ecommerce'));
    assert.deepEqual(
      [run.results.validate_cart?.subtotal, run.results.validate_cart?.tax, run.results.validate_cart?.shipping, run.results.validate_cart?.total],
      [109.97, 8.8, 5.99, 124.76],
    );
    assert.equal(run.results.create_order?.total_amount, 124.76);
    assert.equal(run.results.send_confirmation?.recipient, 'customer@example.com');
  });

  test('validation failure: an unknown product stops the task at validate_cart', async () => {
    const run = await runWorkflow(template('ecommerce'), { ...order, cart_items: [{ product_id: 999, quantity: 1 }] });
    assert.equal(run.failed?.step, 'validate_cart');
    assert.equal(run.failed.outcome.success === false && run.failed.outcome.error_code, 'PRODUCT_NOT_FOUND');
    assert.equal(run.failed.outcome.success === false && run.failed.outcome.retryable, false);
  });

  test('payment failure: a declined card stops the task at process_payment', async () => {
    const run = await runWorkflow(template('ecommerce'), { ...order, payment_info: { ...order.payment_info, token: 'tok_test_declined' } });
    assert.equal(run.failed?.step, 'process_payment');
    assert.equal(run.failed.outcome.success === false && run.failed.outcome.error_code, 'PAYMENT_DECLINED');
    assert.equal(run.failed.outcome.success === false && run.failed.outcome.retryable, false);
  });
});

describe('post 02: analytics_pipeline', () => {
  test('all eight steps complete with the checked values of the post', async () => {
    const run = await runWorkflow(template('data_pipeline'), {
      pipeline_id: 'pipeline_2025_11',
      date_range: { start_date: '2025-11-01', end_date: '2025-11-30' },
    });
    assert.equal(run.failed, undefined);
    assert.equal(run.completed.length, 8);
    assert.deepEqual(run.results.transform_customers?.value_segments, { high_value: 1, medium_value: 3, low_value: 1 });
    assert.equal(run.results.transform_customers?.avg_customer_value, 6100);
    const aggregate = run.results.aggregate_metrics;
    assert.equal(aggregate?.total_revenue, 3199.73);
    assert.equal(aggregate?.total_inventory_quantity, 575);
    assert.equal(aggregate?.inventory_reorder_alerts, 0);
    assert.equal(aggregate?.total_customers, 5);
    assert.equal(aggregate?.total_customer_lifetime_value, 30500);
    assert.equal(aggregate?.revenue_per_customer, 639.95);
    assert.equal(aggregate?.inventory_turnover_indicator, 5.5647);
    assert.deepEqual(run.results.generate_insights?.health_score, { score: 100, max_score: 100, rating: 'Excellent' });
  });

  test('aggregate_metrics waits for (depends on) all three transforms', () => {
    const aggregate = template('data_pipeline').steps.find((step) => step.name === 'aggregate_metrics');
    assert.deepEqual([...(aggregate?.dependencies ?? [])].sort(), ['transform_customers', 'transform_inventory', 'transform_sales']);
  });
});

describe('post 03: user_registration', () => {
  const cases = [
    { plan: 'pro', email: 'sarah@example.com', channels: ['email', 'in_app'], billed: true },
    { plan: 'free', email: 'tom@example.com', channels: ['email', 'in_app'], billed: false },
    { plan: 'enterprise', email: 'erin@bigcorp.example', channels: ['email', 'in_app', 'sms'], billed: true },
  ];
  for (const { plan, email, channels, billed } of cases) {
    test(`${plan} user: all five steps complete`, async () => {
      const run = await runWorkflow(template('microservices'), { user_info: { email, name: 'Test User', plan } });
      assert.equal(run.failed, undefined);
      assert.deepEqual(run.completed, stepNames('microservices'));
      const summary = run.results.update_user_status?.registration_summary as Record<string, unknown>;
      assert.equal(summary.plan, plan);
      assert.equal(summary.email, email);
      assert.deepEqual(summary.notification_channels, channels);
      assert.equal('billing_id' in summary, billed, 'billing fields only for a paid plan');
      assert.equal(run.results.setup_billing_profile?.status, billed ? 'active' : 'skipped_free_plan');
    });
  }

  test('billing and preferences are parallel branches of the diamond', () => {
    const steps = new Map(template('microservices').steps.map((step) => [step.name, step.dependencies ?? []]));
    assert.deepEqual(steps.get('setup_billing_profile'), ['create_user_account']);
    assert.deepEqual(steps.get('initialize_preferences'), ['create_user_account']);
    assert.deepEqual([...(steps.get('send_welcome_sequence') ?? [])].sort(), ['initialize_preferences', 'setup_billing_profile']);
  });
});

describe('post 04: process_refund in two namespaces', () => {
  const request = {
    ticket_id: 'ticket_cs_789',
    customer_id: 'cust_premium_456',
    refund_amount: 4999,
    refund_reason: 'Product defective',
    customer_email: 'premium@example.com',
  };

  test('customer_success, premium customer: auto-approved, delegated to payments, ticket resolved', async () => {
    const run = await runWorkflow(template('customer_success'), request);
    assert.equal(run.failed, undefined);
    assert.deepEqual(run.completed, stepNames('customer_success'));
    assert.equal(run.results.get_manager_approval?.auto_approved, true);
    assert.equal(run.results.get_manager_approval?.approval_id, null);
    assert.equal(run.results.execute_refund_workflow?.target_namespace, 'payments');
    assert.match(String(run.results.update_ticket_status?.resolution_note), /^Refund of \$49\.99 processed successfully/);
  });

  test('customer_success, standard customer: a manager approves', async () => {
    const run = await runWorkflow(template('customer_success'), { ...request, ticket_id: 'ticket_cs_123', customer_id: 'cust_regular_789' });
    assert.equal(run.failed, undefined);
    assert.equal(run.results.get_manager_approval?.approval_required, true);
    assert.match(String(run.results.get_manager_approval?.manager_id), /^mgr_[1-5]$/);
  });

  test('payments: pay_test_12345abc / 4999 cents is refunded and the customer notified', async () => {
    const run = await runWorkflow(template('payments'), {
      payment_id: 'pay_test_12345abc', refund_amount: 4999, customer_email: 'customer@example.com',
    });
    assert.equal(run.failed, undefined);
    assert.deepEqual(run.completed, stepNames('payments'));
    assert.equal(run.results.notify_customer?.refund_amount, 4999);
    assert.equal(run.results.notify_customer?.refund_id, run.results.process_gateway_refund?.refund_id);
  });

  test('the hand-off: the payment customer success found is refunded by the payments workflow', async () => {
    const support = await runWorkflow(template('customer_success'), request);
    const payments = await runWorkflow(template('payments'), {
      payment_id: support.results.validate_refund_request?.payment_id,
      refund_amount: request.refund_amount,
      refund_reason: request.refund_reason,
      customer_email: request.customer_email,
      correlation_id: support.results.execute_refund_workflow?.correlation_id,
    });
    assert.equal(payments.failed, undefined);
    assert.equal(payments.results.update_payment_records?.payment_status, 'refunded');
  });
});
