// ANCHOR: handler
import { StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { nowIso } from '../../blog_common';
import { INVENTORY_RECORDS } from '../models/sample_data';

export class ExtractInventoryDataHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.ExtractInventoryDataHandler';
  static override handlerVersion = '1.0.0';

  async call(_context: StepContext): Promise<StepHandlerResult> {
    const records = INVENTORY_RECORDS.map((record) => ({ ...record }));
    // A Set keeps first-seen order: WH-01, WH-02, WH-03.
    const warehouses = [...new Set(records.map((record) => record.warehouse))];
    const products = new Set(records.map((record) => record.product_id));

    return this.success({
      records,
      extracted_at: nowIso(),
      source: 'InventorySystem',
      total_quantity: records.reduce((sum, record) => sum + record.quantity_on_hand, 0),
      warehouses,
      products_tracked: products.size,
    });
  }
}
// ANCHOR_END: handler
