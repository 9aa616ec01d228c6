# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../models/order'

module Ecommerce
  module StepHandlers
    # Records the order only once the cart is priced, paid for and reserved:
    # the three earlier results together are the proof that it may exist.
    class CreateOrderHandler < TaskerCore::StepHandler::Base
      def call(context)
        customer_info = context.get_input('customer_info')
        unless customer_info.is_a?(Hash)
          raise TaskerCore::Errors::PermanentError.new('Customer information is required',
                                                       error_code: 'MISSING_CUSTOMER_INFO')
        end

        # ANCHOR: ancestor_results
        # validate_cart is not this step's parent, but Tasker hands a step the
        # results of every ancestor, so nothing has to be passed along by hand.
        cart = context.get_dependency_result('validate_cart')
        payment = context.get_dependency_result('process_payment')
        inventory = context.get_dependency_result('update_inventory')
        # ANCHOR_END: ancestor_results

        # A result without its key field is as good as missing: the order
        # would point at a payment or reservation that cannot be found.
        require_field(cart, 'total', 'MISSING_CART_VALIDATION', 'validate_cart')
        require_field(payment, 'payment_id', 'MISSING_PAYMENT_RESULT', 'process_payment')
        require_field(inventory, 'updated_products', 'MISSING_INVENTORY_RESULT', 'update_inventory')

        order = Models::Order.confirm(total_amount: cart['total'], customer_email: customer_info['email'])
        success(result: order.to_h)
      end

      private

      def require_field(result, field, error_code, step)
        return if result.is_a?(Hash) && !result[field].nil?

        raise TaskerCore::Errors::PermanentError.new("No #{field} in the #{step} result", error_code: error_code)
      end
    end
  end
end
# ANCHOR_END: handler
