// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { averageCents, roundHalfAwayFromZero, toCents, toDollars } from '../../blog_common';

type StepResult = Record<string, unknown>;

export class AggregateMetricsHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.AggregateMetricsHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    // ANCHOR: convergence
    // The convergence point: this step runs once all three branches are done,
    // and reads each branch's result by step name.
    const sales = context.getDependencyResult('transform_sales') as StepResult | null;
    const inventory = context.getDependencyResult('transform_inventory') as StepResult | null;
    const customers = context.getDependencyResult('transform_customers') as StepResult | null;

    if (!sales || !inventory || !customers) {
      const results = { transform_sales: sales, transform_inventory: inventory, transform_customers: customers };
      const missing = Object.entries(results).filter(([, result]) => !result).map(([step]) => step);
      return this.failure(`Missing transform results: ${missing.join(', ')}`, ErrorType.PERMANENT_ERROR, false,
        { missing_steps: missing }, 'MISSING_TRANSFORM_RESULTS');
    }
    // ANCHOR_END: convergence

    const revenueCents = toCents(Number(sales.total_revenue ?? 0));
    const inventoryQuantity = Number(inventory.total_quantity_on_hand ?? 0);
    const customerCount = Number(customers.record_count ?? 0);

    // Money per customer: whole cents, rounded half away from zero.
    const revenuePerCustomerCents = averageCents(revenueCents, customerCount);
    // A ratio, not money: four decimals with the same rounding rule.
    const turnover = inventoryQuantity > 0 ? roundHalfAwayFromZero(toDollars(revenueCents) / inventoryQuantity, 4) : 0;

    return this.success({
      total_revenue: toDollars(revenueCents),
      total_inventory_quantity: inventoryQuantity,
      total_customers: customerCount,
      total_customer_lifetime_value: toDollars(toCents(Number(customers.total_lifetime_value ?? 0))),
      sales_transactions: Number(sales.record_count ?? 0),
      inventory_reorder_alerts: Number(inventory.reorder_alerts ?? 0),
      revenue_per_customer: toDollars(revenuePerCustomerCents),
      inventory_turnover_indicator: turnover,
      aggregation_complete: true,
      sources_included: 3,
    });
  }
}
// ANCHOR_END: handler
