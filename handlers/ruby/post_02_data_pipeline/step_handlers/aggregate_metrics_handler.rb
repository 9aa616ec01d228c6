# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # The convergence point of the DAG: Tasker runs it only once all three
    # transforms have finished, and hands it all three results.
    class AggregateMetricsHandler < TaskerCore::StepHandler::Base
      def call(context)
        # ANCHOR: convergence
        # Three parents, three results, each fetched by its step name. Tasker
        # only starts this step after all of them, so a gap is a real defect.
        sales = context.get_dependency_result('transform_sales')
        inventory = context.get_dependency_result('transform_inventory')
        customers = context.get_dependency_result('transform_customers')

        missing = { 'transform_sales' => sales, 'transform_inventory' => inventory, 'transform_customers' => customers }
                  .reject { |_, result| result.is_a?(Hash) }.keys
        unless missing.empty?
          raise TaskerCore::Errors::PermanentError.new(
            "Missing transform results: #{missing.join(', ')}",
            error_code: 'MISSING_TRANSFORM_RESULTS',
            context: { missing_steps: missing }
          )
        end
        # ANCHOR_END: convergence

        revenue_cents = ExampleSupport.to_cents(sales['total_revenue'])
        units = inventory['total_quantity_on_hand']
        customer_count = customers['record_count']
        per_customer_cents = ExampleSupport.average_cents(revenue_cents, customer_count)

        success(result: {
                  total_revenue: ExampleSupport.to_dollars(revenue_cents),
                  total_inventory_quantity: units,
                  total_customers: customer_count,
                  total_customer_lifetime_value: customers['total_lifetime_value'],
                  sales_transactions: sales['record_count'],
                  inventory_reorder_alerts: inventory['reorder_alerts'],
                  revenue_per_customer: ExampleSupport.to_dollars(per_customer_cents),
                  inventory_turnover_indicator: turnover(revenue_cents, units),
                  aggregation_complete: true,
                  sources_included: 3
                })
      end

      private

      # Revenue in dollars per unit on hand, kept exact (a Rational) until
      # the one rounding to 4 decimals.
      def turnover(revenue_cents, units)
        return 0.0 if units.zero?

        ExampleSupport.round_ratio(Rational(revenue_cents, units * 100), 4)
      end
    end
  end
end
# ANCHOR_END: handler
