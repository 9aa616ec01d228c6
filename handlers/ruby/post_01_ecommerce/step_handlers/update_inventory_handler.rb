# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../models/product'
require_relative '../../shared/example_support'

module Ecommerce
  module StepHandlers
    # Reserves stock for each validated line once payment has gone through,
    # and records every change so it can be audited or released later.
    class UpdateInventoryHandler < TaskerCore::StepHandler::Base
      STOCK_RECHECK_SECONDS = 30

      def call(context)
        items = context.get_dependency_field('validate_cart', 'validated_items')
        if !items.is_a?(Array) || items.empty?
          raise TaskerCore::Errors::PermanentError.new('No validated items from validate_cart',
                                                       error_code: 'MISSING_VALIDATED_ITEMS')
        end
        # The reservation is held for a named customer; without one it could never be claimed.
        if context.get_input('customer_info').nil?
          raise TaskerCore::Errors::PermanentError.new('Customer information is required',
                                                       error_code: 'MISSING_CUSTOMER_INFO')
        end

        now = ExampleSupport.timestamp
        reservations = items.map { |item| reserve(item) }

        success(result: {
                  updated_products: reservations,
                  total_items_reserved: reservations.sum { |reservation| reservation[:quantity_reserved] },
                  inventory_changes: reservations.map { |reservation| inventory_change(reservation, now) },
                  updated_at: now
                })
      end

      private

      def reserve(item)
        product = Models::Product.find(item['product_id'])
        unless product
          raise TaskerCore::Errors::PermanentError.new("Product #{item['product_id']} not found",
                                                       error_code: 'PRODUCT_NOT_FOUND')
        end

        quantity = item['quantity']
        # Another order may have taken the stock since validation; a restock
        # can still rescue this one, so ask again instead of failing.
        unless product.in_stock?(quantity)
          raise TaskerCore::Errors::RetryableError.new(
            "Only #{product.stock} of #{product.name} left to reserve, #{quantity} needed",
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

        {
          product_id: product.id,
          name: product.name,
          previous_stock: product.stock,
          new_stock: product.stock - quantity,
          quantity_reserved: quantity,
          reservation_id: ExampleSupport.hex_id('rsv_')
        }
      end

      def inventory_change(reservation, timestamp)
        {
          product_id: reservation[:product_id],
          change_type: 'reservation',
          quantity: -reservation[:quantity_reserved],
          reason: 'order_checkout',
          timestamp: timestamp,
          reservation_id: reservation[:reservation_id]
        }
      end
    end
  end
end
# ANCHOR_END: handler
