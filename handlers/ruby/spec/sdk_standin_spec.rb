# frozen_string_literal: true

# The stand-in must behave like the real tasker-rb where handlers rely on it,
# or a snippet that passes here could fail in a real project.
RSpec.describe 'tasker_core stand-in' do
  subject(:context) do
    TaskerCore::Types::StepContext.new(
      {
        task: { task: { task_uuid: 't-1', context: { cart_items: [{ product_id: 1 }], note: nil } },
                namespace_name: 'ecommerce' },
        workflow_step: { workflow_step_uuid: 's-1', name: 'process_payment', attempts: 1, max_attempts: 2 },
        dependency_results: { 'validate_cart' => { 'result' => { 'total' => 124.76, 'lines' => [{ 'id' => 1 }] } },
                              'raw_step' => 42 },
        step_definition: { name: 'process_payment',
                           handler: { callable: 'Ecommerce::StepHandlers::ProcessPaymentHandler',
                                      initialization: { gateway: 'test' } } }
      }
    )
  end

  it 'reads task inputs and step config with string keys' do
    expect(context.get_input('cart_items')).to eq([{ 'product_id' => 1 }])
    expect(context.get_input_or('note', 'none')).to eq('none')
    expect(context.get_config('gateway')).to eq('test')
    expect(context.handler_name).to eq('Ecommerce::StepHandlers::ProcessPaymentHandler')
  end

  it 'unwraps {"result" => ...} dependency results and digs into them' do
    expect(context.get_dependency_result('validate_cart')).to include('total' => 124.76)
    expect(context.get_dependency_result('raw_step')).to eq(42)
    expect(context.get_dependency_result('missing')).to be_nil
    expect(context.get_dependency_field('validate_cart', :total)).to eq(124.76)
    expect(context.get_dependency_field('missing', 'total')).to be_nil
  end

  it 'answers the retry questions from attempts and max_attempts' do
    expect([context.retry_count, context.max_retries, context.is_retry?, context.is_last_retry?])
      .to eq([1, 2, true, true])
  end

  it 'builds call results through the base helpers' do
    handler = TaskerCore::StepHandler::Base.new
    expect(handler.success(result: { ok: true })).to have_attributes(success?: true, result: { ok: true }, metadata: {})
    expect(handler.failure(message: 'no')).to have_attributes(
      success?: false, error_type: 'UnexpectedError', error_code: nil, retryable: false
    )
    expect { TaskerCore::Types::StepHandlerCallResult.error(error_type: 'Oops', message: 'x') }
      .to raise_error(ArgumentError)
  end

  it 'keeps error_code on PermanentError only; RetryableError has retry_after' do
    permanent = TaskerCore::Errors::PermanentError.new('x', error_code: 'CODE', context: { a: 1 })
    retryable = TaskerCore::Errors::RetryableError.new('y', retry_after: 5)

    expect(permanent).to have_attributes(error_code: 'CODE', context: { a: 1 }, error_class: 'PermanentError')
    expect(retryable).to have_attributes(retry_after: 5, context: {}, error_class: 'RetryableError')
    expect(retryable).not_to respond_to(:error_code)
  end
end
