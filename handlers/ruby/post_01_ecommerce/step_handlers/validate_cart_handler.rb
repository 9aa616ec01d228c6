# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../models/product'
require_relative '../../shared/example_support'

module Ecommerce
  module StepHandlers
    # First step of checkout: turns the raw cart into priced lines and totals
    # that every later step trusts instead of recomputing.
    class ValidateCartHandler < TaskerCore::StepHandler::Base
      TAX_RATE = Rational(8, 100)
      POUNDS_PER_UNIT = Rational(1, 2)
      # [heaviest cart in lb, price in cents]; anything heavier pays HEAVY_SHIPPING_CENTS.
      SHIPPING_TIERS = [[2, 599], [10, 999]].freeze
      HEAVY_SHIPPING_CENTS = 1499
      STOCK_RECHECK_SECONDS = 30

      def call(context)
        cart = checked_cart(context.get_input('cart_items'))

        lines = cart.map { |product_id, quantity| [available_product(product_id, quantity), quantity] }
        subtotal_cents = lines.sum { |product, quantity| product.price_cents * quantity }
        tax_cents = ExampleSupport.apply_rate(subtotal_cents, TAX_RATE)
        shipping_cents = shipping_cents_for(lines.sum { |_, quantity| quantity })

        success(result: {
                  validated_items: lines.map { |product, quantity| validated_item(product, quantity) },
                  subtotal: ExampleSupport.to_dollars(subtotal_cents),
                  tax: ExampleSupport.to_dollars(tax_cents),
                  shipping: ExampleSupport.to_dollars(shipping_cents),
                  total: ExampleSupport.to_dollars(subtotal_cents + tax_cents + shipping_cents),
                  item_count: lines.size,
                  validated_at: ExampleSupport.timestamp
                })
      end

      private

      # Malformed input can never succeed on retry, so every shape problem is
      # permanent, and all lines are checked before any catalogue lookup.
      # Returns [product_id as given, quantity as an Integer] per line.
      def checked_cart(cart_items)
        if !cart_items.is_a?(Array) || cart_items.empty?
          raise TaskerCore::Errors::PermanentError.new('Cart items are required', error_code: 'MISSING_CART_ITEMS')
        end

        cart_items.each.with_index(1).map do |item, line|
          if !item.is_a?(Hash) || item['product_id'].nil?
            raise TaskerCore::Errors::PermanentError.new("Cart line #{line} has no product_id",
                                                         error_code: 'MISSING_PRODUCT_ID')
          end

          # A whole number (2.0 is 2), never text such as "2".
          quantity = ExampleSupport.whole_number(item['quantity'])
          next [item['product_id'], quantity] if quantity&.positive?

          raise TaskerCore::Errors::PermanentError.new(
            "Cart line #{line} has invalid quantity #{item['quantity'].inspect}", error_code: 'INVALID_QUANTITY'
          )
        end
      end

      def available_product(product_id, quantity)
        product = Models::Product.find(ExampleSupport.whole_number(product_id))
        unless product
          raise TaskerCore::Errors::PermanentError.new("Product #{product_id.inspect} not found",
                                                       error_code: 'PRODUCT_NOT_FOUND')
        end
        unless product.active?
          raise TaskerCore::Errors::PermanentError.new("#{product.name} is no longer sold",
                                                       error_code: 'PRODUCT_INACTIVE')
        end

        # ANCHOR: retryable_error
        # Stock is replenished all the time: worth asking again shortly rather
        # than failing the order. RetryableError has no error_code of its own,
        # so the code travels in the context with the details.
        unless product.in_stock?(quantity)
          raise TaskerCore::Errors::RetryableError.new(
            "Only #{product.stock} of #{product.name} in stock, #{quantity} requested",
            retry_after: STOCK_RECHECK_SECONDS,
            context: {
              error_code: 'INSUFFICIENT_STOCK',
              product_id: product.id,
              product_name: product.name,
              available_stock: product.stock,
              requested_quantity: quantity
            }
          )
        end
        # ANCHOR_END: retryable_error

        product
      end

      def shipping_cents_for(units)
        weight = units * POUNDS_PER_UNIT
        SHIPPING_TIERS.find { |max_pounds, _| weight <= max_pounds }&.last || HEAVY_SHIPPING_CENTS
      end

      def validated_item(product, quantity)
        {
          product_id: product.id,
          name: product.name,
          price: product.price,
          quantity: quantity,
          line_total: ExampleSupport.to_dollars(product.price_cents * quantity)
        }
      end
    end
  end
end
# ANCHOR_END: handler
