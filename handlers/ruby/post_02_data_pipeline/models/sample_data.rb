# frozen_string_literal: true

module DataPipeline
  module Models
    # What the three source systems return. The records keep the shape (and
    # the dollar amounts) the sources use; handlers convert money to integer
    # cents before adding anything up.
    module SampleData
      # ANCHOR: sales_records
      SALES_RECORDS = [
        { order_id: 'ORD-001', date: '2025-11-01', product_id: 'PROD-A', quantity: 5, amount: 499.95 },
        { order_id: 'ORD-002', date: '2025-11-05', product_id: 'PROD-B', quantity: 3, amount: 299.97 },
        { order_id: 'ORD-003', date: '2025-11-10', product_id: 'PROD-A', quantity: 2, amount: 199.98 },
        { order_id: 'ORD-004', date: '2025-11-15', product_id: 'PROD-C', quantity: 10, amount: 1499.90 },
        { order_id: 'ORD-005', date: '2025-11-18', product_id: 'PROD-B', quantity: 7, amount: 699.93 }
      ].each(&:freeze).freeze
      # ANCHOR_END: sales_records

      # ANCHOR: inventory_records
      INVENTORY_RECORDS = [
        { product_id: 'PROD-A', sku: 'SKU-A-001', warehouse: 'WH-01', quantity_on_hand: 150, reorder_point: 50 },
        { product_id: 'PROD-B', sku: 'SKU-B-002', warehouse: 'WH-01', quantity_on_hand: 75, reorder_point: 25 },
        { product_id: 'PROD-C', sku: 'SKU-C-003', warehouse: 'WH-02', quantity_on_hand: 200, reorder_point: 100 },
        { product_id: 'PROD-A', sku: 'SKU-A-001', warehouse: 'WH-02', quantity_on_hand: 100, reorder_point: 50 },
        { product_id: 'PROD-B', sku: 'SKU-B-002', warehouse: 'WH-03', quantity_on_hand: 50, reorder_point: 25 }
      ].each(&:freeze).freeze
      # ANCHOR_END: inventory_records

      # ANCHOR: customer_records
      CUSTOMER_RECORDS = [
        { customer_id: 'CUST-001', name: 'Alice Johnson', tier: 'gold', lifetime_value: 5000.00,
          join_date: '2024-01-15' },
        { customer_id: 'CUST-002', name: 'Bob Smith', tier: 'silver', lifetime_value: 2500.00,
          join_date: '2024-03-20' },
        { customer_id: 'CUST-003', name: 'Carol White', tier: 'premium', lifetime_value: 15_000.00,
          join_date: '2023-11-10' },
        { customer_id: 'CUST-004', name: 'David Brown', tier: 'standard', lifetime_value: 500.00,
          join_date: '2025-01-05' },
        { customer_id: 'CUST-005', name: 'Eve Davis', tier: 'gold', lifetime_value: 7500.00,
          join_date: '2024-06-12' }
      ].each(&:freeze).freeze
      # ANCHOR_END: customer_records
    end
  end
end
