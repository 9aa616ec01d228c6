# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Ecommerce
  module StepHandlers
    # Charges the customer for exactly the total validate_cart computed; the
    # gateway is simulated by well-known test tokens.
    class ProcessPaymentHandler < TaskerCore::StepHandler::Base
      DECLINED_TOKENS = %w[tok_test_declined tok_test_insufficient_funds].freeze
      NETWORK_ERROR_TOKEN = 'tok_test_network_error'
      GATEWAY_RETRY_SECONDS = 15
      FEE_RATE = Rational(29, 1000)
      FEE_FIXED_CENTS = 30
      # A client may round the total it shows; one cent either way is the same charge.
      AMOUNT_TOLERANCE_CENTS = 1

      def call(context)
        payment_info = required_payment_info(context.get_input('payment_info'))

        # ANCHOR: dependency_access
        # The total comes from the validated cart, never from the client, so a
        # tampered payment amount cannot lower the price.
        cart_total = context.get_dependency_field('validate_cart', 'total')
        if cart_total.nil?
          raise TaskerCore::Errors::PermanentError.new('No cart total from validate_cart',
                                                       error_code: 'MISSING_CART_TOTAL')
        end
        # ANCHOR_END: dependency_access

        amount_cents = checked_amount_cents(payment_info['amount'], ExampleSupport.to_cents(cart_total))
        charge(payment_info['token'])

        success(result: {
                  payment_id: ExampleSupport.hex_id('pay_', 24),
                  amount_charged: ExampleSupport.to_dollars(amount_cents),
                  currency: 'USD',
                  payment_method_type: payment_info['method'],
                  transaction_id: ExampleSupport.hex_id('txn_', 24),
                  fees: ExampleSupport.to_dollars(ExampleSupport.apply_rate(amount_cents, FEE_RATE) + FEE_FIXED_CENTS),
                  processed_at: ExampleSupport.timestamp,
                  status: 'completed'
                })
      end

      private

      def required_payment_info(payment_info)
        unless payment_info.is_a?(Hash)
          raise TaskerCore::Errors::PermanentError.new('Payment information is required',
                                                       error_code: 'MISSING_PAYMENT_INFO')
        end
        if ExampleSupport.present_text(payment_info['method']).nil?
          raise TaskerCore::Errors::PermanentError.new('Payment method is required',
                                                       error_code: 'MISSING_PAYMENT_METHOD')
        end
        if ExampleSupport.present_text(payment_info['token']).nil?
          raise TaskerCore::Errors::PermanentError.new('Payment token is required',
                                                       error_code: 'MISSING_PAYMENT_TOKEN')
        end

        payment_info
      end

      def checked_amount_cents(amount, total_cents)
        amount_cents = ExampleSupport.to_cents(amount) if amount.is_a?(Numeric)
        return amount_cents if amount_cents && (amount_cents - total_cents).abs <= AMOUNT_TOLERANCE_CENTS

        raise TaskerCore::Errors::PermanentError.new(
          "Payment amount #{amount.inspect} does not match cart total #{ExampleSupport.to_dollars(total_cents)}",
          error_code: 'PAYMENT_AMOUNT_MISMATCH'
        )
      end

      # ANCHOR: error_classification
      # A decline is the bank's final answer: retrying would only annoy the
      # customer. A network error says nothing about the card, so try again.
      def charge(token)
        if DECLINED_TOKENS.include?(token)
          raise TaskerCore::Errors::PermanentError.new('Payment declined by the card issuer',
                                                       error_code: 'PAYMENT_DECLINED')
        end
        return unless token == NETWORK_ERROR_TOKEN

        raise TaskerCore::Errors::RetryableError.new(
          'Payment gateway did not answer in time',
          retry_after: GATEWAY_RETRY_SECONDS,
          context: { error_code: 'PAYMENT_GATEWAY_TIMEOUT' }
        )
      end
      # ANCHOR_END: error_classification
    end
  end
end
# ANCHOR_END: handler
