// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { averageCents, toCents, toDollars } from '../../blog_common';
import type { SalesRecord } from '../models/sample_data';

interface DayTotals { cents: number; orders: number }
interface ProductTotals { quantity: number; cents: number; orders: number }

export class TransformSalesHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.TransformSalesHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const records = context.getDependencyField('extract_sales_data', 'records') as SalesRecord[] | null;
    if (!Array.isArray(records)) {
      return this.failure('extract_sales_data produced no records', ErrorType.PERMANENT_ERROR, false,
        { missing_step: 'extract_sales_data' }, 'MISSING_EXTRACT_RESULTS');
    }

    // Sum in integer cents; dollars appear only in the result.
    const days = new Map<string, DayTotals>();
    const products = new Map<string, ProductTotals>();
    let totalCents = 0;
    for (const record of records) {
      const cents = toCents(record.amount);
      totalCents += cents;
      const day = days.get(record.date) ?? { cents: 0, orders: 0 };
      day.cents += cents;
      day.orders += 1;
      days.set(record.date, day);
      const product = products.get(record.product_id) ?? { quantity: 0, cents: 0, orders: 0 };
      product.quantity += record.quantity;
      product.cents += cents;
      product.orders += 1;
      products.set(record.product_id, product);
    }

    const dailySales = Object.fromEntries([...days].map(([date, day]) => [date, {
      total_amount: toDollars(day.cents),
      order_count: day.orders,
      avg_order_value: toDollars(averageCents(day.cents, day.orders)),
    }]));
    const productSales = Object.fromEntries([...products].map(([productId, product]) => [productId, {
      total_quantity: product.quantity,
      total_revenue: toDollars(product.cents),
      order_count: product.orders,
    }]));

    return this.success({
      record_count: records.length,
      daily_sales: dailySales,
      product_sales: productSales,
      total_revenue: toDollars(totalCents),
      transformation_type: 'sales_analytics',
    });
  }
}
// ANCHOR_END: handler
