// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { averageCents, formatDollars, nowIso, toCents, toDollars } from '../../blog_common';

// Thresholds in cents, so that a boundary value (exactly 500.00) compares exactly.
const HEALTHY_REVENUE_PER_CUSTOMER_CENTS = 50_000;
const HEALTHY_AVG_LIFETIME_VALUE_CENTS = 300_000;

interface Insight {
  readonly category: string;
  readonly finding: string;
  readonly metric: number;
  readonly recommendation: string;
}

function ratingFor(score: number): string {
  if (score >= 80) return 'Excellent';
  if (score >= 60) return 'Good';
  if (score >= 40) return 'Fair';
  return 'Needs Improvement';
}

export class GenerateInsightsHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.GenerateInsightsHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const metrics = context.getDependencyResult('aggregate_metrics') as Record<string, unknown> | null;
    if (!metrics) {
      return this.failure('aggregate_metrics result is missing', ErrorType.PERMANENT_ERROR, false,
        { missing_step: 'aggregate_metrics' }, 'MISSING_AGGREGATE_RESULTS');
    }

    const revenuePerCustomerCents = toCents(Number(metrics.revenue_per_customer ?? 0));
    const reorderAlerts = Number(metrics.inventory_reorder_alerts ?? 0);
    const customers = Number(metrics.total_customers ?? 0);
    const lifetimeValueCents = toCents(Number(metrics.total_customer_lifetime_value ?? 0));
    const avgLifetimeValueCents = averageCents(lifetimeValueCents, customers);
    // Compared exactly (total > $3,000 x customers), not via the rounded average.
    const loyalCustomers = customers > 0 && lifetimeValueCents > HEALTHY_AVG_LIFETIME_VALUE_CENTS * customers;

    const insights: Insight[] = [
      {
        category: 'Revenue',
        finding: `Revenue per customer is ${formatDollars(revenuePerCustomerCents)}`,
        metric: toDollars(revenuePerCustomerCents),
        recommendation: revenuePerCustomerCents < HEALTHY_REVENUE_PER_CUSTOMER_CENTS
          ? 'Consider upselling strategies'
          : 'Customer spend is healthy',
      },
      {
        category: 'Inventory',
        finding: `${reorderAlerts} product(s) need reordering`,
        metric: reorderAlerts,
        recommendation: reorderAlerts > 0 ? 'Review reorder points' : 'Inventory levels are healthy',
      },
      {
        category: 'Customer',
        finding: `Average lifetime value is ${formatDollars(avgLifetimeValueCents)}`,
        metric: toDollars(avgLifetimeValueCents),
        recommendation: loyalCustomers
          ? 'Focus on retention programs'
          : 'Increase customer engagement',
      },
    ];

    // ANCHOR: health_score
    // Three signals worth 40 + 30 + 30 points; the rating bands the total.
    let score = 0;
    if (revenuePerCustomerCents > HEALTHY_REVENUE_PER_CUSTOMER_CENTS) score += 40;
    if (reorderAlerts === 0) score += 30;
    if (loyalCustomers) score += 30;
    const healthScore = { score, max_score: 100, rating: ratingFor(score) };
    // ANCHOR_END: health_score

    return this.success({
      insights,
      health_score: healthScore,
      total_metrics_analyzed: Object.keys(metrics).length,
      pipeline_complete: true,
      generated_at: nowIso(),
    });
  }
}
// ANCHOR_END: handler
