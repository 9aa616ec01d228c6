// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { compactUtcDate, hexId, isoDaysFrom, isoUtc } from '../../blog_common';
import type { Order } from '../models/order';

const DELIVERY_DAYS = 7;

export class CreateOrderHandler extends StepHandler {
  static override handlerName = 'Ecommerce.StepHandlers.CreateOrderHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const customer = context.getInput<Record<string, unknown>>('customer_info');
    if (!customer || typeof customer !== 'object') {
      return this.failure('Customer information is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CUSTOMER_INFO');
    }

    // ANCHOR: ancestor_results
    // update_inventory is the only parent, but Tasker hands every ancestor's
    // result to a step, so the cart and the payment are read directly.
    const cart = context.getDependencyResult('validate_cart') as Record<string, unknown> | null;
    const payment = context.getDependencyResult('process_payment') as Record<string, unknown> | null;
    const inventory = context.getDependencyResult('update_inventory') as Record<string, unknown> | null;
    // ANCHOR_END: ancestor_results

    if (!cart || typeof cart.total !== 'number') {
      return this.failure('validate_cart result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CART_VALIDATION');
    }
    if (!payment?.payment_id) {
      return this.failure('process_payment result has no payment_id', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_PAYMENT_RESULT');
    }
    if (!inventory?.updated_products) {
      return this.failure('update_inventory result has no updated_products', ErrorType.PERMANENT_ERROR,
        false, {}, 'MISSING_INVENTORY_RESULT');
    }

    const createdAt = new Date();
    const order: Order = {
      order_id: hexId('ord_', 16),
      order_number: `ORD-${compactUtcDate(createdAt)}-${hexId('', 8, true)}`,
      status: 'confirmed',
      total_amount: cart.total,
      customer_email: String(customer.email),
      created_at: isoUtc(createdAt),
      estimated_delivery: isoDaysFrom(DELIVERY_DAYS, createdAt),
    };
    return this.success({ ...order });
  }
}
// ANCHOR_END: handler
