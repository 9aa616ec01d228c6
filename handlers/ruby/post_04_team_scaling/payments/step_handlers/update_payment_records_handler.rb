# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module Payments
  module StepHandlers
    # Writes the refund into the payments ledger: the payment's new status
    # plus one history entry for the payment and one for the refund.
    class UpdatePaymentRecordsHandler < TaskerCore::StepHandler::Base
      LOCK_RETRY_SECONDS = 10
      WRITE_RETRY_SECONDS = 30

      def call(context)
        refund = context.get_dependency_result('process_gateway_refund')
        unless refund.is_a?(Hash) && refund['refund_id']
          raise TaskerCore::Errors::PermanentError.new('No process_gateway_refund result', error_code: 'MISSING_REFUND')
        end

        payment_id = refund['payment_id']
        check_ledger(payment_id)

        success(result: {
                  records_updated: true,
                  payment_id: payment_id,
                  refund_id: refund['refund_id'],
                  record_id: ExampleSupport.hex_id('rec_'),
                  payment_status: 'refunded',
                  refund_status: 'completed',
                  history_entries_created: 2,
                  updated_at: ExampleSupport.timestamp,
                  namespace: 'payments'
                })
      end

      private

      # Both are passing database conditions (test payment ids), so both retry.
      def check_ledger(payment_id)
        if payment_id.include?('pay_test_record_lock')
          raise TaskerCore::Errors::RetryableError.new(
            "The record of #{payment_id} is locked by another update",
            retry_after: LOCK_RETRY_SECONDS, context: { error_code: 'RECORD_LOCKED', payment_id: payment_id }
          )
        end
        return unless payment_id.include?('pay_test_record_error')

        raise TaskerCore::Errors::RetryableError.new(
          "The record of #{payment_id} could not be written",
          retry_after: WRITE_RETRY_SECONDS, context: { error_code: 'RECORD_UPDATE_FAILED', payment_id: payment_id }
        )
      end
    end
  end
end
# ANCHOR_END: handler
