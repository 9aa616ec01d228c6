// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import type { InventoryRecord } from '../models/sample_data';

interface WarehouseTotals { quantity: number; products: Set<string>; alerts: number }
interface ProductTotals { quantity: number; reorderPoint: number; warehouses: Set<string> }

export class TransformInventoryHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.TransformInventoryHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const records = context.getDependencyField('extract_inventory_data', 'records') as InventoryRecord[] | null;
    if (!Array.isArray(records)) {
      return this.failure('extract_inventory_data produced no records', ErrorType.PERMANENT_ERROR, false,
        { missing_step: 'extract_inventory_data' }, 'MISSING_EXTRACT_RESULTS');
    }

    const warehouses = new Map<string, WarehouseTotals>();
    const products = new Map<string, ProductTotals>();
    for (const record of records) {
      const warehouse = warehouses.get(record.warehouse) ?? { quantity: 0, products: new Set<string>(), alerts: 0 };
      warehouse.quantity += record.quantity_on_hand;
      warehouse.products.add(record.product_id);
      // Per warehouse, stock AT the reorder point already raises an alert.
      if (record.quantity_on_hand <= record.reorder_point) warehouse.alerts += 1;
      warehouses.set(record.warehouse, warehouse);

      const product = products.get(record.product_id) ?? { quantity: 0, reorderPoint: 0, warehouses: new Set<string>() };
      product.quantity += record.quantity_on_hand;
      product.reorderPoint += record.reorder_point;
      product.warehouses.add(record.warehouse);
      products.set(record.product_id, product);
    }

    const warehouseSummary = Object.fromEntries([...warehouses].map(([name, warehouse]) => [name, {
      total_quantity: warehouse.quantity,
      product_count: warehouse.products.size,
      reorder_alerts: warehouse.alerts,
    }]));
    // Across warehouses, a product needs reordering only when its total stock
    // is BELOW its total reorder point.
    const productInventory = Object.fromEntries([...products].map(([productId, product]) => [productId, {
      total_quantity: product.quantity,
      warehouse_count: product.warehouses.size,
      needs_reorder: product.quantity < product.reorderPoint,
    }]));
    const reorderAlerts = [...products.values()].filter((product) => product.quantity < product.reorderPoint).length;

    return this.success({
      record_count: records.length,
      warehouse_summary: warehouseSummary,
      product_inventory: productInventory,
      total_quantity_on_hand: records.reduce((sum, record) => sum + record.quantity_on_hand, 0),
      reorder_alerts: reorderAlerts,
      transformation_type: 'inventory_analytics',
    });
  }
}
// ANCHOR_END: handler
