# frozen_string_literal: true

RSpec.describe 'Ruby handler idioms' do
  describe 'template callables' do
    VectorRunner.templates.each do |namespace, template|
      template.fetch('steps').each do |definition|
        callable = definition.dig('handler', 'callable')

        it "#{namespace}/#{definition['name']}: #{callable} is a step handler class taking call(context)" do
          klass = VectorRunner.handler_class(callable)
          expect(klass.instance_method(:call).arity).to eq(1)
          expect(klass.name).to eq(callable)
        end
      end
    end
  end

  # Post 04: two templates share the name process_refund; the namespace alone
  # decides which team's handlers run.
  describe 'one workflow name in two namespaces' do
    namespaces = { 'customer_success' => 'CustomerSuccess', 'payments' => 'Payments' }

    it 'loads both process_refund templates side by side' do
      loaded = VectorRunner.templates.values_at(*namespaces.keys)
                           .map { |template| template.values_at('name', 'namespace_name', 'version') }

      expect(loaded).to eq([%w[process_refund customer_success 1.3.0], %w[process_refund payments 2.1.0]])
    end

    namespaces.each do |namespace, module_name|
      other = (namespaces.keys - [namespace]).first

      it "#{namespace} resolves only to #{module_name}::StepHandlers, and none of its steps exist in #{other}" do
        steps = VectorRunner.templates.fetch(namespace).fetch('steps')
        classes = steps.map { |definition| VectorRunner.handler_class(definition.dig('handler', 'callable')) }
        short_names = classes.map { |klass| klass.name.split('::').last }
        own = Object.const_get(module_name)::StepHandlers
        foreign = Object.const_get(namespaces.fetch(other))::StepHandlers

        expect(short_names.map { |name| own.const_get(name, false) }).to eq(classes)
        expect(short_names.select { |name| foreign.const_defined?(name, false) }).to be_empty
        steps.each do |definition|
          expect { VectorRunner.step_definition(other, definition['name']) }
            .to raise_error(VectorRunner::ResolutionError)
        end
      end
    end
  end

  # In Ruby a failure is raised and the worker classifies it; returning
  # failure(...) would lose the permanent/retryable distinction the book teaches.
  describe 'failures are raised as TaskerCore errors' do
    def call_step(step, input, dependency_results = {})
      handler, context = VectorRunner.prepare(
        VectorRunner.inline(namespace: 'ecommerce', step: step, input: input, dependency_results: dependency_results)
      )
      handler.call(context)
    end

    let(:cart) { { 'total' => 124.76 } }

    it 'an unknown product is a PermanentError with its error_code' do
      expect { call_step('validate_cart', 'cart_items' => [{ 'product_id' => 999, 'quantity' => 1 }]) }
        .to raise_error(TaskerCore::Errors::PermanentError) { |error| expect(error.error_code).to eq('PRODUCT_NOT_FOUND') }
    end

    it 'missing stock is a RetryableError after 30 s, its code and details in the context' do
      expect { call_step('validate_cart', 'cart_items' => [{ 'product_id' => 4, 'quantity' => 1 }]) }
        .to raise_error(TaskerCore::Errors::RetryableError) { |error|
          expect(error.retry_after).to eq(30)
          expect(error.context).to include(error_code: 'INSUFFICIENT_STOCK', product_id: 4, available_stock: 0)
        }
    end

    it 'a declined card is permanent, a gateway timeout retryable after 15 s' do
      payment = ->(token) { { 'payment_info' => { 'method' => 'credit_card', 'token' => token, 'amount' => 124.76 } } }

      expect { call_step('process_payment', payment['tok_test_declined'], 'validate_cart' => cart) }
        .to raise_error(TaskerCore::Errors::PermanentError) { |error| expect(error.error_code).to eq('PAYMENT_DECLINED') }
      expect { call_step('process_payment', payment['tok_test_network_error'], 'validate_cart' => cart) }
        .to raise_error(TaskerCore::Errors::RetryableError) { |error| expect(error.retry_after).to eq(15) }
    end

    failure_vectors = VectorRunner.vector_paths.map { |path| VectorRunner.read_vector(path) }
                                  .reject(&:not_yet_ported?)
                                  .select { |vector| vector.expectation['outcome'] == 'failure' }

    it "every failure vector of a ported post (#{failure_vectors.size}) is raised, with the expected class" do
      failure_vectors.each do |vector|
        handler, context = VectorRunner.prepare(vector)
        expected = vector.expectation['retryable'] ? TaskerCore::Errors::RetryableError : TaskerCore::Errors::PermanentError
        expect { handler.call(context) }.to raise_error(expected), vector.name
      end
    end
  end
end
