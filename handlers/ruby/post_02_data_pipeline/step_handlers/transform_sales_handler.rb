# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # Turns raw orders into sales per day and per product. It waits only for
    # extract_sales_data, so it may run while the other extracts still work.
    class TransformSalesHandler < TaskerCore::StepHandler::Base
      def call(context)
        records = context.get_dependency_field('extract_sales_data', 'records')
        unless records.is_a?(Array)
          raise TaskerCore::Errors::PermanentError.new('No records from extract_sales_data',
                                                       error_code: 'MISSING_EXTRACT_RESULTS')
        end

        # Every amount becomes integer cents once, here; sums and averages
        # are then exact, and dollars reappear only in the result.
        orders = records.map { |record| record.merge('cents' => ExampleSupport.to_cents(record['amount'])) }

        success(result: {
                  record_count: orders.size,
                  daily_sales: orders.group_by { |order| order['date'] }.transform_values { |day| daily(day) },
                  product_sales: orders.group_by { |order| order['product_id'] }
                                       .transform_values { |lines| product(lines) },
                  total_revenue: ExampleSupport.to_dollars(orders.sum { |order| order['cents'] }),
                  transformation_type: 'sales_analytics'
                })
      end

      private

      def daily(orders)
        total_cents = orders.sum { |order| order['cents'] }
        {
          total_amount: ExampleSupport.to_dollars(total_cents),
          order_count: orders.size,
          avg_order_value: ExampleSupport.to_dollars(ExampleSupport.average_cents(total_cents, orders.size))
        }
      end

      def product(orders)
        {
          total_quantity: orders.sum { |order| order['quantity'] },
          total_revenue: ExampleSupport.to_dollars(orders.sum { |order| order['cents'] }),
          order_count: orders.size
        }
      end
    end
  end
end
# ANCHOR_END: handler
