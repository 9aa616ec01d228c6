# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../models/sample_data'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # A root of the DAG: it depends on nothing, so Tasker starts it together
    # with the other two extracts instead of one after another.
    class ExtractSalesDataHandler < TaskerCore::StepHandler::Base
      def call(_context)
        records = Models::SampleData::SALES_RECORDS
        dates = records.map { |record| record[:date] }
        total_cents = records.sum { |record| ExampleSupport.to_cents(record[:amount]) }

        success(result: {
                  records: records,
                  extracted_at: ExampleSupport.timestamp,
                  source: 'SalesDatabase',
                  total_amount: ExampleSupport.to_dollars(total_cents),
                  date_range: { start_date: dates.min, end_date: dates.max }
                })
      end
    end
  end
end
# ANCHOR_END: handler
