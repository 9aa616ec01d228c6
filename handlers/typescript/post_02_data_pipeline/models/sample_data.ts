// The three source systems of the analytics pipeline, mocked once. The
// extract steps return these records as they are; the keys are snake_case
// because the records travel on as JSON results that later steps (in any
// language) read.

// ANCHOR: sales_records
/** One order as the sales database reports it; amount is in dollars. */
export interface SalesRecord {
  readonly order_id: string;
  readonly date: string;
  readonly product_id: string;
  readonly quantity: number;
  readonly amount: number;
}

export const SALES_RECORDS: readonly SalesRecord[] = [
  { order_id: 'ORD-001', date: '2025-11-01', product_id: 'PROD-A', quantity: 5, amount: 499.95 },
  { order_id: 'ORD-002', date: '2025-11-05', product_id: 'PROD-B', quantity: 3, amount: 299.97 },
  { order_id: 'ORD-003', date: '2025-11-10', product_id: 'PROD-A', quantity: 2, amount: 199.98 },
  { order_id: 'ORD-004', date: '2025-11-15', product_id: 'PROD-C', quantity: 10, amount: 1499.9 },
  { order_id: 'ORD-005', date: '2025-11-18', product_id: 'PROD-B', quantity: 7, amount: 699.93 },
];
// ANCHOR_END: sales_records

// ANCHOR: inventory_records
/** Stock of one product in one warehouse. */
export interface InventoryRecord {
  readonly product_id: string;
  readonly sku: string;
  readonly warehouse: string;
  readonly quantity_on_hand: number;
  readonly reorder_point: number;
}

export const INVENTORY_RECORDS: readonly InventoryRecord[] = [
  { product_id: 'PROD-A', sku: 'SKU-A-001', warehouse: 'WH-01', quantity_on_hand: 150, reorder_point: 50 },
  { product_id: 'PROD-B', sku: 'SKU-B-002', warehouse: 'WH-01', quantity_on_hand: 75, reorder_point: 25 },
  { product_id: 'PROD-C', sku: 'SKU-C-003', warehouse: 'WH-02', quantity_on_hand: 200, reorder_point: 100 },
  { product_id: 'PROD-A', sku: 'SKU-A-001', warehouse: 'WH-02', quantity_on_hand: 100, reorder_point: 50 },
  { product_id: 'PROD-B', sku: 'SKU-B-002', warehouse: 'WH-03', quantity_on_hand: 50, reorder_point: 25 },
];
// ANCHOR_END: inventory_records

// ANCHOR: customer_records
/** A customer as the CRM reports it; lifetime_value is in dollars. */
export interface CustomerRecord {
  readonly customer_id: string;
  readonly name: string;
  readonly tier: string;
  readonly lifetime_value: number;
  readonly join_date: string;
}

export const CUSTOMER_RECORDS: readonly CustomerRecord[] = [
  { customer_id: 'CUST-001', name: 'Alice Johnson', tier: 'gold', lifetime_value: 5000, join_date: '2024-01-15' },
  { customer_id: 'CUST-002', name: 'Bob Smith', tier: 'silver', lifetime_value: 2500, join_date: '2024-03-20' },
  { customer_id: 'CUST-003', name: 'Carol White', tier: 'premium', lifetime_value: 15000, join_date: '2023-11-10' },
  { customer_id: 'CUST-004', name: 'David Brown', tier: 'standard', lifetime_value: 500, join_date: '2025-01-05' },
  { customer_id: 'CUST-005', name: 'Eve Davis', tier: 'gold', lifetime_value: 7500, join_date: '2024-06-12' },
];
// ANCHOR_END: customer_records
