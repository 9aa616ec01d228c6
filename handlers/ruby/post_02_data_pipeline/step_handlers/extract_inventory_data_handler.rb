# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../models/sample_data'
require_relative '../../shared/example_support'

module DataPipeline
  module StepHandlers
    # Reads stock levels from the inventory system; runs alongside the sales
    # and customer extracts because it shares no data with them.
    class ExtractInventoryDataHandler < TaskerCore::StepHandler::Base
      def call(_context)
        records = Models::SampleData::INVENTORY_RECORDS

        success(result: {
                  records: records,
                  extracted_at: ExampleSupport.timestamp,
                  source: 'InventorySystem',
                  total_quantity: records.sum { |record| record[:quantity_on_hand] },
                  warehouses: records.map { |record| record[:warehouse] }.uniq,
                  products_tracked: records.map { |record| record[:product_id] }.uniq.size
                })
      end
    end
  end
end
# ANCHOR_END: handler
