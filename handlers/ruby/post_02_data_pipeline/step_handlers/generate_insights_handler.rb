# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # Reads the aggregate and turns it into advice and one health score.
    class GenerateInsightsHandler < TaskerCore::StepHandler::Base
      HEALTHY_SPEND_CENTS = 50_000        # revenue per customer above 500.00
      RETENTION_WORTHY_LTV_CENTS = 300_000 # average lifetime value above 3000.00
      RATINGS = [[80, 'Excellent'], [60, 'Good'], [40, 'Fair']].freeze

      def call(context)
        metrics = context.get_dependency_result('aggregate_metrics')
        unless metrics.is_a?(Hash)
          raise TaskerCore::Errors::PermanentError.new('No aggregate_metrics result',
                                                       error_code: 'MISSING_AGGREGATE_RESULTS')
        end

        spend_cents = ExampleSupport.to_cents(metrics['revenue_per_customer'])
        alerts = metrics['inventory_reorder_alerts']
        customers = metrics['total_customers']
        ltv_cents = ExampleSupport.to_cents(metrics['total_customer_lifetime_value'])
        avg_ltv_cents = ExampleSupport.average_cents(ltv_cents, customers)
        # Compared exactly (total > 3,000.00 x customers), not via the rounded average.
        loyal = customers.positive? && ltv_cents > RETENTION_WORTHY_LTV_CENTS * customers

        success(result: {
                  insights: [
                    revenue_insight(spend_cents),
                    inventory_insight(alerts),
                    customer_insight(avg_ltv_cents, loyal)
                  ],
                  health_score: health_score(spend_cents, alerts, loyal),
                  total_metrics_analyzed: metrics.size,
                  pipeline_complete: true,
                  generated_at: ExampleSupport.timestamp
                })
      end

      private

      # ANCHOR: health_score
      # Three independent checks worth 40 + 30 + 30 points; the total maps to a rating.
      def health_score(spend_cents, alerts, loyal)
        score = 0
        score += 40 if spend_cents > HEALTHY_SPEND_CENTS
        score += 30 if alerts.zero?
        score += 30 if loyal
        rating = RATINGS.find { |minimum, _| score >= minimum }&.last || 'Needs Improvement'

        { score: score, max_score: 100, rating: rating }
      end
      # ANCHOR_END: health_score

      def revenue_insight(spend_cents)
        {
          category: 'Revenue',
          finding: "Revenue per customer is #{ExampleSupport.format_dollars(spend_cents)}",
          metric: ExampleSupport.to_dollars(spend_cents),
          recommendation: if spend_cents < HEALTHY_SPEND_CENTS
                            'Consider upselling strategies'
                          else
                            'Customer spend is healthy'
                          end
        }
      end

      def inventory_insight(alerts)
        {
          category: 'Inventory',
          finding: "#{alerts} product(s) need reordering",
          metric: alerts,
          recommendation: alerts.positive? ? 'Review reorder points' : 'Inventory levels are healthy'
        }
      end

      def customer_insight(avg_ltv_cents, loyal)
        {
          category: 'Customer',
          finding: "Average lifetime value is #{ExampleSupport.format_dollars(avg_ltv_cents)}",
          metric: ExampleSupport.to_dollars(avg_ltv_cents),
          recommendation: loyal ? 'Focus on retention programs' : 'Increase customer engagement'
        }
      end
    end
  end
end
# ANCHOR_END: handler
