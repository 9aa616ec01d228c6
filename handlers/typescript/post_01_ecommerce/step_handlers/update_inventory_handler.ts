// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso } from '../../blog_common';
import type { ValidatedItem } from '../models/order';
import { findProduct } from '../models/product';

const STOCK_RETRY_AFTER_SECONDS = 30;

export class UpdateInventoryHandler extends StepHandler {
  static override handlerName = 'Ecommerce.StepHandlers.UpdateInventoryHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const items = context.getDependencyField('validate_cart', 'validated_items') as ValidatedItem[] | null;
    if (!Array.isArray(items) || items.length === 0) {
      return this.failure('validate_cart produced no validated items', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_VALIDATED_ITEMS');
    }
    const customer = context.getInput<Record<string, unknown>>('customer_info');
    if (!customer || typeof customer !== 'object') {
      return this.failure('Customer information is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CUSTOMER_INFO');
    }

    const timestamp = nowIso();
    const updatedProducts = [];
    const inventoryChanges = [];
    let totalReserved = 0;

    for (const item of items) {
      const product = findProduct(item.product_id);
      if (!product) {
        return this.failure(`Product ${String(item.product_id)} not found`, ErrorType.PERMANENT_ERROR, false,
          { product_id: item.product_id }, 'PRODUCT_NOT_FOUND');
      }
      // Stock may have been sold since validate_cart ran; it may also come
      // back, so this is retryable exactly like the check in validate_cart.
      if (product.stock < item.quantity) {
        return this.failure(
          `Insufficient stock for ${product.name}: ${product.stock} available, ${item.quantity} requested`,
          ErrorType.RETRYABLE_ERROR,
          true,
          {
            retry_after: STOCK_RETRY_AFTER_SECONDS,
            product_id: product.id,
            product_name: product.name,
            available_stock: product.stock,
            requested_quantity: item.quantity,
          },
          'INSUFFICIENT_STOCK',
        );
      }

      const reservationId = hexId('rsv_', 16);
      updatedProducts.push({
        product_id: product.id,
        name: product.name,
        previous_stock: product.stock,
        new_stock: product.stock - item.quantity,
        quantity_reserved: item.quantity,
        reservation_id: reservationId,
      });
      inventoryChanges.push({
        product_id: product.id,
        change_type: 'reservation',
        // Negative: the change is stock leaving the shelf.
        quantity: -item.quantity,
        reason: 'order_checkout',
        timestamp,
        reservation_id: reservationId,
      });
      totalReserved += item.quantity;
    }

    return this.success({
      updated_products: updatedProducts,
      total_items_reserved: totalReserved,
      inventory_changes: inventoryChanges,
      updated_at: timestamp,
    });
  }
}
// ANCHOR_END: handler
