# frozen_string_literal: true

# The three end-to-end cases of post 01, run in-process: each step gets the
# task context and the results of every step before it, as Tasker would give
# a linear workflow's step its ancestors' results.
RSpec.describe 'ecommerce_order_processing end to end' do
  def run_workflow(input)
    results = {}
    VectorRunner.templates.fetch('ecommerce').fetch('steps').each do |definition|
      step = definition['name']
      outcome = VectorRunner.run(
        VectorRunner.inline(namespace: 'ecommerce', step: step, input: input, dependency_results: results.dup)
      )
      return [results, step, outcome] unless outcome['success']

      results[step] = outcome['result']
    end
    [results, nil, nil]
  end

  let(:input) do
    {
      'cart_items' => [{ 'product_id' => 1, 'quantity' => 2 }, { 'product_id' => 2, 'quantity' => 1 }],
      'customer_info' => { 'email' => 'customer@example.com', 'name' => 'John Doe', 'phone' => '+1-555-0123' },
      'payment_info' => { 'method' => 'credit_card', 'token' => 'tok_test_valid', 'amount' => 124.76 }
    }
  end

  it 'completes all five steps for the example order' do
    results, failed_step, = run_workflow(input)

    expect(failed_step).to be_nil
    expect(results.keys).to eq(%w[validate_cart process_payment update_inventory create_order send_confirmation])
    expect(results['validate_cart']).to include('subtotal' => 109.97, 'tax' => 8.8, 'shipping' => 5.99, 'total' => 124.76)
    expect(results['create_order']).to include('total_amount' => 124.76, 'customer_email' => 'customer@example.com')
    expect(results['send_confirmation']).to include('email_sent' => true, 'recipient' => 'customer@example.com')
  end

  it 'stops at validate_cart, permanently, for an unknown product' do
    input['cart_items'] = [{ 'product_id' => 999, 'quantity' => 1 }]
    results, failed_step, outcome = run_workflow(input)

    expect([results, failed_step]).to eq([{}, 'validate_cart'])
    expect(outcome).to include('error_code' => 'PRODUCT_NOT_FOUND', 'retryable' => false)
  end

  it 'stops at process_payment, permanently, for a declined card' do
    input['payment_info']['token'] = 'tok_test_declined'
    results, failed_step, outcome = run_workflow(input)

    expect([results.keys, failed_step]).to eq([%w[validate_cart], 'process_payment'])
    expect(outcome).to include('error_code' => 'PAYMENT_DECLINED', 'retryable' => false)
  end
end
