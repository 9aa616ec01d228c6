// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { nowIso, percentOfCents, toDollars, wholeNumber } from '../../blog_common';
import type { ValidatedItem } from '../models/order';
import { findProduct } from '../models/product';

const TAX_RATE_PERCENT = 8;
const WEIGHT_LB_PER_UNIT = 0.5;
const STOCK_RETRY_AFTER_SECONDS = 30;

function shippingCents(totalUnits: number): number {
  const weightLb = totalUnits * WEIGHT_LB_PER_UNIT;
  if (weightLb <= 2) return 599;
  if (weightLb <= 10) return 999;
  return 1499;
}

export class ValidateCartHandler extends StepHandler {
  static override handlerName = 'Ecommerce.StepHandlers.ValidateCartHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const cartItems = context.getInput<Array<Record<string, unknown>>>('cart_items');
    // Bad input will not get better on a retry, so these failures are
    // permanent, and RETURNED: the worker would retry a thrown error.
    if (!Array.isArray(cartItems) || cartItems.length === 0) {
      return this.failure('Cart is empty or missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CART_ITEMS');
    }

    const validatedItems: ValidatedItem[] = [];
    let subtotalCents = 0;
    let totalUnits = 0;

    for (const [index, item] of cartItems.entries()) {
      const productId = item?.product_id;
      // A whole number within the safe range; never text such as '2'.
      const quantity = wholeNumber(item?.quantity);
      if (productId === undefined || productId === null) {
        return this.failure(`Cart item ${index} has no product_id`, ErrorType.PERMANENT_ERROR, false,
          { item_index: index }, 'MISSING_PRODUCT_ID');
      }
      if (quantity === undefined || quantity <= 0) {
        return this.failure(`Invalid quantity for product ${String(productId)}`, ErrorType.PERMANENT_ERROR,
          false, { product_id: productId, quantity: item?.quantity ?? null }, 'INVALID_QUANTITY');
      }

      const product = findProduct(productId);
      if (!product) {
        return this.failure(`Product ${String(productId)} not found`, ErrorType.PERMANENT_ERROR, false,
          { product_id: productId }, 'PRODUCT_NOT_FOUND');
      }
      if (!product.active) {
        return this.failure(`${product.name} is no longer available`, ErrorType.PERMANENT_ERROR, false,
          { product_id: product.id, product_name: product.name }, 'PRODUCT_INACTIVE');
      }
      // ANCHOR: retryable_error
      // Stock can be replenished while the task waits, so this one is worth
      // retrying; retry_after tells orchestration how long to back off.
      if (product.stock < quantity) {
        return this.failure(
          `Insufficient stock for ${product.name}: ${product.stock} available, ${quantity} requested`,
          ErrorType.RETRYABLE_ERROR,
          true,
          {
            retry_after: STOCK_RETRY_AFTER_SECONDS,
            product_id: product.id,
            product_name: product.name,
            available_stock: product.stock,
            requested_quantity: quantity,
          },
          'INSUFFICIENT_STOCK',
        );
      }
      // ANCHOR_END: retryable_error

      const lineTotalCents = product.priceCents * quantity;
      subtotalCents += lineTotalCents;
      totalUnits += quantity;
      validatedItems.push({
        product_id: product.id,
        name: product.name,
        price: toDollars(product.priceCents),
        quantity,
        line_total: toDollars(lineTotalCents),
      });
    }

    const taxCents = percentOfCents(subtotalCents, TAX_RATE_PERCENT);
    const shipping = shippingCents(totalUnits);

    return this.success({
      validated_items: validatedItems,
      subtotal: toDollars(subtotalCents),
      tax: toDollars(taxCents),
      shipping: toDollars(shipping),
      total: toDollars(subtotalCents + taxCents + shipping),
      item_count: validatedItems.length,
      validated_at: nowIso(),
    });
  }
}
// ANCHOR_END: handler
