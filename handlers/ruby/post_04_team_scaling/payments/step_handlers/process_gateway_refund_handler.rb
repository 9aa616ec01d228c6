# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module Payments
  module StepHandlers
    # Sends the refund to the payment gateway (simulated by test payment ids).
    class ProcessGatewayRefundHandler < TaskerCore::StepHandler::Base
      GATEWAY_PROVIDER = 'MockPaymentGateway'
      TIMEOUT_RETRY_SECONDS = 30
      RATE_LIMIT_RETRY_SECONDS = 60
      ARRIVAL_DAYS = 5

      def call(context)
        validation = context.get_dependency_result('validate_payment_eligibility')
        unless validation.is_a?(Hash) && validation['payment_validated']
          raise TaskerCore::Errors::PermanentError.new('No validate_payment_eligibility result',
                                                       error_code: 'MISSING_VALIDATION')
        end

        payment_id = validation['payment_id']
        call_gateway(payment_id)

        now = Time.now
        success(result: {
                  refund_processed: true,
                  refund_id: ExampleSupport.hex_id('rfnd_'),
                  payment_id: payment_id,
                  refund_amount: validation['refund_amount'],
                  refund_status: 'processed',
                  gateway_transaction_id: ExampleSupport.hex_id('gtx_'),
                  gateway_provider: GATEWAY_PROVIDER,
                  processed_at: ExampleSupport.timestamp(now),
                  estimated_arrival: ExampleSupport.days_from_now(ARRIVAL_DAYS, from: now),
                  namespace: 'payments'
                })
      end

      private

      # A timeout or a rate limit says nothing about the refund itself: try
      # again later. A gateway that refuses the refund will refuse it again.
      def call_gateway(payment_id)
        if payment_id.include?('pay_test_gateway_timeout')
          raise TaskerCore::Errors::RetryableError.new(
            'The gateway did not answer in time',
            retry_after: TIMEOUT_RETRY_SECONDS, context: { error_code: 'GATEWAY_TIMEOUT', payment_id: payment_id }
          )
        end
        if payment_id.include?('pay_test_gateway_error')
          raise TaskerCore::Errors::PermanentError.new('The gateway refused the refund',
                                                       error_code: 'GATEWAY_REFUND_FAILED')
        end
        return unless payment_id.include?('pay_test_rate_limit')

        raise TaskerCore::Errors::RetryableError.new(
          'The gateway is rate limiting refunds',
          retry_after: RATE_LIMIT_RETRY_SECONDS, context: { error_code: 'GATEWAY_RATE_LIMITED', payment_id: payment_id }
        )
      end
    end
  end
end
# ANCHOR_END: handler
