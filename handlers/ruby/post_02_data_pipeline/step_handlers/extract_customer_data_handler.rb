# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../models/sample_data'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # Pulls customer accounts from the CRM, the third independent extract.
    class ExtractCustomerDataHandler < TaskerCore::StepHandler::Base
      def call(_context)
        records = Models::SampleData::CUSTOMER_RECORDS
        total_cents = records.sum { |record| ExampleSupport.to_cents(record[:lifetime_value]) }

        success(result: {
                  records: records,
                  extracted_at: ExampleSupport.timestamp,
                  source: 'CRMSystem',
                  total_customers: records.size,
                  total_lifetime_value: ExampleSupport.to_dollars(total_cents),
                  tier_breakdown: records.map { |record| record[:tier] }.tally,
                  avg_lifetime_value: ExampleSupport.to_dollars(ExampleSupport.average_cents(total_cents, records.size))
                })
      end
    end
  end
end
# ANCHOR_END: handler
