# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Ecommerce
  module StepHandlers
    # Last step: tells the customer the order exists. The mail itself is
    # simulated; the result is what a mail service would acknowledge.
    class SendConfirmationHandler < TaskerCore::StepHandler::Base
      # Deliberately loose: one @ and no whitespace. Stricter checks reject
      # real addresses, and the mail server is the final judge anyway.
      EMAIL_FORMAT = ExampleSupport.ascii_pattern('[^@\s]+@[^@\s]+')

      def call(context)
        customer_info = context.get_input('customer_info')
        email = ExampleSupport.present_text(customer_info['email']) if customer_info.is_a?(Hash)
        if email.nil?
          raise TaskerCore::Errors::PermanentError.new('Customer email is required',
                                                       error_code: 'MISSING_CUSTOMER_EMAIL')
        end
        if context.get_dependency_result('create_order').nil?
          raise TaskerCore::Errors::PermanentError.new('No create_order result', error_code: 'MISSING_ORDER_RESULT')
        end
        if context.get_dependency_result('validate_cart').nil?
          raise TaskerCore::Errors::PermanentError.new('No validate_cart result',
                                                       error_code: 'MISSING_CART_VALIDATION')
        end
        # Retrying will not repair a mistyped address, so this is permanent too.
        unless ExampleSupport.matches_whole?(EMAIL_FORMAT, email)
          raise TaskerCore::Errors::PermanentError.new("Not a deliverable address: #{email}",
                                                       error_code: 'INVALID_EMAIL')
        end

        success(result: {
                  email_sent: true,
                  recipient: email,
                  email_type: 'order_confirmation',
                  sent_at: ExampleSupport.timestamp,
                  message_id: ExampleSupport.hex_id('msg_')
                })
      end
    end
  end
end
# ANCHOR_END: handler
