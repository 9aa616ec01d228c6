# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # Groups customers by tier and by lifetime value.
    class TransformCustomersHandler < TaskerCore::StepHandler::Base
      # Lower bounds in cents: 10000.00 and up is high value, 1000.00 and up medium.
      HIGH_VALUE_CENTS = 1_000_000
      MEDIUM_VALUE_CENTS = 100_000

      def call(context)
        records = context.get_dependency_field('extract_customer_data', 'records')
        unless records.is_a?(Array)
          raise TaskerCore::Errors::PermanentError.new('No records from extract_customer_data',
                                                       error_code: 'MISSING_EXTRACT_RESULTS')
        end

        customers = records.map { |record| record.merge('cents' => ExampleSupport.to_cents(record['lifetime_value'])) }
        total_cents = customers.sum { |customer| customer['cents'] }
        average_cents = ExampleSupport.average_cents(total_cents, customers.size)

        success(result: {
                  record_count: customers.size,
                  tier_analysis: customers.group_by { |customer| customer['tier'] }
                                          .transform_values { |tier| tier_summary(tier) },
                  value_segments: value_segments(customers.map { |customer| customer['cents'] }),
                  total_lifetime_value: ExampleSupport.to_dollars(total_cents),
                  avg_customer_value: ExampleSupport.to_dollars(average_cents),
                  transformation_type: 'customer_analytics'
                })
      end

      private

      def tier_summary(customers)
        total_cents = customers.sum { |customer| customer['cents'] }
        {
          customer_count: customers.size,
          total_lifetime_value: ExampleSupport.to_dollars(total_cents),
          avg_lifetime_value: ExampleSupport.to_dollars(ExampleSupport.average_cents(total_cents, customers.size))
        }
      end

      def value_segments(values_in_cents)
        {
          high_value: values_in_cents.count { |cents| cents >= HIGH_VALUE_CENTS },
          medium_value: values_in_cents.count { |cents| cents >= MEDIUM_VALUE_CENTS && cents < HIGH_VALUE_CENTS },
          low_value: values_in_cents.count { |cents| cents < MEDIUM_VALUE_CENTS }
        }
      end
    end
  end
end
# ANCHOR_END: handler
