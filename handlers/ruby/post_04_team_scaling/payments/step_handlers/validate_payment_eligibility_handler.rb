# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module Payments
  module StepHandlers
    # The payments team's own gate: whoever asks for a refund (a customer,
    # the support team's workflow), the payment must be refundable.
    class ValidatePaymentEligibilityHandler < TaskerCore::StepHandler::Base
      PAYMENT_ID_FORMAT = ExampleSupport.ascii_pattern('pay_[a-zA-Z0-9_]+')
      PROCESSING_RETRY_SECONDS = 30
      # The mock ledger: every payment was 10.00 more than the refund asked for.
      ORIGINAL_MARGIN_CENTS = 1000

      def call(context)
        payment_id = ExampleSupport.present_text(context.get_input('payment_id'))
        amount = context.get_input('refund_amount')
        if payment_id.nil? || amount.nil?
          raise TaskerCore::Errors::PermanentError.new('payment_id and refund_amount are required',
                                                       error_code: 'MISSING_REQUIRED_FIELDS')
        end
        # Whole cents, and something to give back.
        refund_amount = ExampleSupport.whole_number(amount)
        unless refund_amount&.positive?
          raise TaskerCore::Errors::PermanentError.new("Not a positive amount of cents: #{amount.inspect}",
                                                       error_code: 'INVALID_REFUND_AMOUNT')
        end
        unless ExampleSupport.matches_whole?(PAYMENT_ID_FORMAT, payment_id)
          raise TaskerCore::Errors::PermanentError.new("Not a payment id: #{payment_id}",
                                                       error_code: 'INVALID_PAYMENT_ID')
        end
        check_payment_state(payment_id)

        success(result: {
                  payment_validated: true,
                  payment_id: payment_id,
                  original_amount: refund_amount + ORIGINAL_MARGIN_CENTS,
                  refund_amount: refund_amount,
                  payment_method: 'credit_card',
                  gateway_provider: 'MockPaymentGateway',
                  eligibility_status: 'eligible',
                  namespace: 'payments'
                })
      end

      private

      # Test payment ids simulate what the ledger might say about a payment.
      def check_payment_state(payment_id)
        if payment_id.include?('pay_test_insufficient')
          raise TaskerCore::Errors::PermanentError.new('Not enough captured funds left to refund',
                                                       error_code: 'INSUFFICIENT_FUNDS')
        end
        if payment_id.include?('pay_test_processing')
          # Still settling: it becomes refundable shortly, so ask again.
          raise TaskerCore::Errors::RetryableError.new(
            "Payment #{payment_id} is still being processed",
            retry_after: PROCESSING_RETRY_SECONDS, context: { error_code: 'PAYMENT_PROCESSING', payment_id: payment_id }
          )
        end
        return unless payment_id.include?('pay_test_ineligible')

        raise TaskerCore::Errors::PermanentError.new("Payment #{payment_id} cannot be refunded",
                                                     error_code: 'PAYMENT_INELIGIBLE')
      end
    end
  end
end
# ANCHOR_END: handler
