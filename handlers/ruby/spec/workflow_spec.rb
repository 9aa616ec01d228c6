# frozen_string_literal: true

# End-to-end runs of each post's workflow, in-process (WorkflowRunner): the
# steps are scheduled from the template's dependencies, as Tasker would.
RSpec.describe 'ecommerce_order_processing end to end' do
  let(:input) do
    {
      'cart_items' => [{ 'product_id' => 1, 'quantity' => 2 }, { 'product_id' => 2, 'quantity' => 1 }],
      'customer_info' => { 'email' => 'customer@example.com', 'name' => 'John Doe', 'phone' => '+1-555-0123' },
      'payment_info' => { 'method' => 'credit_card', 'token' => 'tok_test_valid', 'amount' => 124.76 }
    }
  end

  it 'completes all five steps for the example order' do
    run = WorkflowRunner.run('ecommerce', input)

    expect(run).to be_complete
    expect(run.rounds.flatten).to eq(%w[validate_cart process_payment update_inventory create_order send_confirmation])
    expect(run.results['validate_cart']).to include('subtotal' => 109.97, 'tax' => 8.8, 'shipping' => 5.99, 'total' => 124.76)
    expect(run.results['create_order']).to include('total_amount' => 124.76, 'customer_email' => 'customer@example.com')
    expect(run.results['send_confirmation']).to include('email_sent' => true, 'recipient' => 'customer@example.com')
  end

  it 'stops at validate_cart, permanently, for an unknown product' do
    input['cart_items'] = [{ 'product_id' => 999, 'quantity' => 1 }]
    run = WorkflowRunner.run('ecommerce', input)

    expect([run.results, run.failed_step]).to eq([{}, 'validate_cart'])
    expect(run.failure).to include('error_code' => 'PRODUCT_NOT_FOUND', 'retryable' => false)
  end

  it 'stops at process_payment, permanently, for a declined card' do
    input['payment_info']['token'] = 'tok_test_declined'
    run = WorkflowRunner.run('ecommerce', input)

    expect([run.results.keys, run.failed_step]).to eq([%w[validate_cart], 'process_payment'])
    expect(run.failure).to include('error_code' => 'PAYMENT_DECLINED', 'retryable' => false)
  end
end

RSpec.describe 'analytics_pipeline end to end' do
  subject(:pipeline) do
    WorkflowRunner.run('data_pipeline', 'pipeline_id' => 'pipeline_2025_11',
                                        'date_range' => { 'start_date' => '2025-11-01', 'end_date' => '2025-11-30' })
  end

  it 'runs the three extracts together, each transform after its extract, and converges once' do
    expect(pipeline).to be_complete
    expect(pipeline.rounds).to eq([
                               %w[extract_sales_data extract_inventory_data extract_customer_data],
                               %w[transform_sales transform_inventory transform_customers],
                               %w[aggregate_metrics],
                               %w[generate_insights]
                             ])
  end

  it 'produces the checked values of the post' do
    expect(pipeline.results['transform_customers']).to include(
      'value_segments' => { 'high_value' => 1, 'medium_value' => 3, 'low_value' => 1 }, 'avg_customer_value' => 6100.0
    )
    expect(pipeline.results['aggregate_metrics']).to include(
      'total_revenue' => 3199.73, 'total_inventory_quantity' => 575, 'inventory_reorder_alerts' => 0,
      'total_customers' => 5, 'total_customer_lifetime_value' => 30_500.0,
      'revenue_per_customer' => 639.95, 'inventory_turnover_indicator' => 5.5647
    )
    expect(pipeline.results['generate_insights']).to include(
      'health_score' => { 'score' => 100, 'max_score' => 100, 'rating' => 'Excellent' }, 'pipeline_complete' => true
    )
  end
end

RSpec.describe 'user_registration end to end' do
  def register(user_info)
    WorkflowRunner.run('microservices', 'user_info' => user_info)
  end

  it 'runs billing and preferences side by side, between account creation and the welcome' do
    run = register('email' => 'sarah@example.com', 'name' => 'Sarah Chen', 'plan' => 'pro')

    expect(run).to be_complete
    expect(run.rounds).to eq([%w[create_user_account], %w[setup_billing_profile initialize_preferences],
                              %w[send_welcome_sequence], %w[update_user_status]])
  end

  it 'registers a pro user with billing, pro preferences and an email + in-app welcome' do
    results = register('email' => 'sarah@example.com', 'name' => 'Sarah Chen', 'plan' => 'pro',
                       'phone' => '+1-555-0199').results
    summary = results['update_user_status']['registration_summary']

    expect(results['setup_billing_profile']).to include('price' => 29.99, 'status' => 'active')
    expect(summary).to include('plan' => 'pro', 'billing_id' => results['setup_billing_profile']['billing_id'],
                               'preferences_count' => 8, 'notification_channels' => %w[email in_app])
  end

  it 'registers a free user without billing (skipped, not failed)' do
    results = register('email' => 'tom@example.com', 'name' => 'Tom Free',
                       'preferences' => { 'email_notifications' => false }).results
    summary = results['update_user_status']['registration_summary']

    expect(results['setup_billing_profile']).to include('billing_required' => false, 'status' => 'skipped_free_plan')
    expect(summary).not_to include('billing_id', 'next_billing_date')
    expect(summary).to include('plan' => 'free', 'preferences_count' => 7, 'notification_channels' => %w[in_app])
  end

  it 'registers an enterprise user, welcomed on three channels' do
    results = register('email' => 'erin@bigcorp.example', 'name' => 'Erin Corp', 'plan' => 'enterprise').results

    expect(results['setup_billing_profile']).to include('price' => 299.99)
    expect(results['update_user_status']).to include('status' => 'active', 'all_services_coordinated' => true)
    expect(results['update_user_status']['registration_summary'])
      .to include('preferences_count' => 10, 'notification_channels' => %w[email in_app sms])
  end

  it 'stops at the first step, permanently, for an email taken by someone else' do
    run = register('email' => 'existing@example.com', 'name' => 'Someone Else')

    expect(run.failed_step).to eq('create_user_account')
    expect(run.failure).to include('error_code' => 'USER_CONFLICT', 'retryable' => false)
  end
end

RSpec.describe 'process_refund end to end (customer_success hands off to payments)' do
  def refund_request(ticket_id:, customer_id:)
    { 'ticket_id' => ticket_id, 'customer_id' => customer_id, 'refund_amount' => 4999,
      'refund_reason' => 'Product defective', 'customer_email' => 'premium@example.com' }
  end

  # The hand-off request the handler builds (its result carries only the
  # listed output fields), captured where it would be submitted.
  def capture_delegations
    requests = []
    allow_any_instance_of(CustomerSuccess::StepHandlers::ExecuteRefundWorkflowHandler)
      .to receive(:delegate) do |_handler, request|
        requests << JSON.parse(JSON.generate(request))
        'task_00000000-0000-4000-8000-000000000000'
      end
    requests
  end

  it 'auto-approves a premium customer and starts payments process_refund with the handed-off context' do
    requests = capture_delegations
    support = WorkflowRunner.run('customer_success', refund_request(ticket_id: 'ticket_cs_789',
                                                                    customer_id: 'cust_premium_456'))
    expect(support).to be_complete
    expect(support.results['get_manager_approval']).to include('auto_approved' => true, 'approval_id' => nil)

    delegation = support.results['execute_refund_workflow']
    expect(delegation).to include('target_namespace' => 'payments', 'target_workflow' => 'process_refund')
    expect(requests.size).to eq(1)
    request = requests.first
    expect(request).to include('namespace' => 'payments', 'name' => 'process_refund', 'version' => '2.1.0')
    expect(request['context']).to include(
      'payment_id' => support.results['validate_refund_request']['payment_id'], 'refund_amount' => 4999,
      'initiated_by' => 'customer_success', 'correlation_id' => delegation['correlation_id']
    )

    payments = WorkflowRunner.run('payments', request['context'])
    expect(payments).to be_complete
    expect(payments.results['notify_customer']).to include('customer_email' => 'premium@example.com',
                                                           'refund_amount' => 4999)
    expect(support.results['update_ticket_status']['resolution_note']).to start_with('Refund of $49.99 processed')
  end

  it 'routes a standard customer through a manager' do
    requests = capture_delegations
    support = WorkflowRunner.run('customer_success', refund_request(ticket_id: 'ticket_cs_123',
                                                                    customer_id: 'cust_regular_789'))

    expect(support).to be_complete
    expect(support.results['check_refund_policy'])
      .to include('customer_tier' => 'standard', 'requires_approval' => true)
    expect(support.results['get_manager_approval']['manager_id']).to match(/\Amgr_[1-5]\z/)
    expect(requests.map { |request| request['context']['approval_id'] })
      .to eq([support.results['get_manager_approval']['approval_id']])
  end

  it 'waits (retryably) while a manager has not decided' do
    support = WorkflowRunner.run('customer_success', refund_request(ticket_id: 'ticket_pending_007',
                                                                    customer_id: 'cust_regular_789'))

    expect(support.failed_step).to eq('get_manager_approval')
    expect(support.failure).to include('error_code' => 'APPROVAL_PENDING', 'retryable' => true, 'retry_after' => 60)
  end

  it 'refunds pay_test_12345abc / 4999 cents through all four payments steps' do
    payments = WorkflowRunner.run('payments', 'payment_id' => 'pay_test_12345abc', 'refund_amount' => 4999,
                                              'customer_email' => 'customer@example.com')

    expect(payments).to be_complete
    expect(payments.rounds.flatten)
      .to eq(%w[validate_payment_eligibility process_gateway_refund update_payment_records notify_customer])
    expect(payments.results['validate_payment_eligibility']).to include('original_amount' => 5999)
    expect(payments.results['update_payment_records']['refund_id'])
      .to eq(payments.results['process_gateway_refund']['refund_id'])
  end
end
