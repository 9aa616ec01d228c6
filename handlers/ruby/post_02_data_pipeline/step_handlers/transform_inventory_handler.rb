# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'

module DataPipeline
  module StepHandlers
    # Summarises stock per warehouse and per product, and flags what to reorder.
    class TransformInventoryHandler < TaskerCore::StepHandler::Base
      def call(context)
        records = context.get_dependency_field('extract_inventory_data', 'records')
        unless records.is_a?(Array)
          raise TaskerCore::Errors::PermanentError.new('No records from extract_inventory_data',
                                                       error_code: 'MISSING_EXTRACT_RESULTS')
        end

        products = records.group_by { |record| record['product_id'] }.transform_values { |rows| product(rows) }

        success(result: {
                  record_count: records.size,
                  warehouse_summary: records.group_by { |record| record['warehouse'] }
                                            .transform_values { |rows| warehouse(rows) },
                  product_inventory: products,
                  total_quantity_on_hand: records.sum { |record| record['quantity_on_hand'] },
                  reorder_alerts: products.count { |_, summary| summary[:needs_reorder] },
                  transformation_type: 'inventory_analytics'
                })
      end

      private

      # A warehouse alerts on every row at or below its reorder point ...
      def warehouse(rows)
        {
          total_quantity: rows.sum { |row| row['quantity_on_hand'] },
          product_count: rows.map { |row| row['product_id'] }.uniq.size,
          reorder_alerts: rows.count { |row| row['quantity_on_hand'] <= row['reorder_point'] }
        }
      end

      # ... but a product needs reordering only when all its warehouses
      # together hold less than their reorder points add up to.
      def product(rows)
        on_hand = rows.sum { |row| row['quantity_on_hand'] }
        {
          total_quantity: on_hand,
          warehouse_count: rows.map { |row| row['warehouse'] }.uniq.size,
          needs_reorder: on_hand < rows.sum { |row| row['reorder_point'] }
        }
      end
    end
  end
end
# ANCHOR_END: handler
