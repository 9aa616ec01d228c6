# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module Payments
  module StepHandlers
    # Tells the customer the money is on its way (the mail service is
    # simulated by test domains).
    class NotifyCustomerHandler < TaskerCore::StepHandler::Base
      # One @ and no whitespace; the mail service is the real judge.
      EMAIL_FORMAT = ExampleSupport.ascii_pattern('[^@\s]+@[^@\s]+')
      RATE_LIMIT_RETRY_SECONDS = 60

      def call(context)
        refund = context.get_dependency_result('process_gateway_refund')
        unless refund.is_a?(Hash) && refund['refund_id']
          raise TaskerCore::Errors::PermanentError.new('No process_gateway_refund result', error_code: 'MISSING_REFUND')
        end
        email = ExampleSupport.present_text(context.get_input('customer_email'))
        if email.nil?
          raise TaskerCore::Errors::PermanentError.new('No customer_email to notify',
                                                       error_code: 'MISSING_CUSTOMER_EMAIL')
        end
        unless ExampleSupport.matches_whole?(EMAIL_FORMAT, email)
          raise TaskerCore::Errors::PermanentError.new("Not a deliverable address: #{email}",
                                                       error_code: 'INVALID_EMAIL_FORMAT')
        end
        deliver(email)

        success(result: {
                  notification_sent: true,
                  customer_email: email,
                  message_id: ExampleSupport.hex_id('msg_'),
                  notification_type: 'refund_confirmation',
                  sent_at: ExampleSupport.timestamp,
                  delivery_status: 'delivered',
                  refund_id: refund['refund_id'],
                  refund_amount: refund['refund_amount'],
                  namespace: 'payments'
                })
      end

      private

      # A bounce or a rejected address will not change on retry; a rate
      # limit will lift.
      def deliver(email)
        if email.include?('@test_bounce')
          raise TaskerCore::Errors::PermanentError.new("Mail to #{email} bounced", error_code: 'EMAIL_BOUNCED')
        end
        if email.include?('@test_invalid')
          raise TaskerCore::Errors::PermanentError.new("The mail service rejected #{email}",
                                                       error_code: 'INVALID_EMAIL')
        end
        return unless email.include?('@test_rate_limit')

        raise TaskerCore::Errors::RetryableError.new(
          'The mail service is rate limiting',
          retry_after: RATE_LIMIT_RETRY_SECONDS, context: { error_code: 'EMAIL_RATE_LIMITED' }
        )
      end
    end
  end
end
# ANCHOR_END: handler
