// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { averageCents, toCents, toDollars } from '../../blog_common';
import type { CustomerRecord } from '../models/sample_data';

// Segment thresholds in cents: high >= 10000.00, medium >= 1000.00, else low.
const HIGH_VALUE_CENTS = 1_000_000;
const MEDIUM_VALUE_CENTS = 100_000;

interface TierTotals { customers: number; cents: number }

export class TransformCustomersHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.TransformCustomersHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const records = context.getDependencyField('extract_customer_data', 'records') as CustomerRecord[] | null;
    if (!Array.isArray(records)) {
      return this.failure('extract_customer_data produced no records', ErrorType.PERMANENT_ERROR, false,
        { missing_step: 'extract_customer_data' }, 'MISSING_EXTRACT_RESULTS');
    }

    const tiers = new Map<string, TierTotals>();
    const segments = { high_value: 0, medium_value: 0, low_value: 0 };
    let totalCents = 0;
    for (const record of records) {
      const cents = toCents(record.lifetime_value);
      totalCents += cents;
      const tier = tiers.get(record.tier) ?? { customers: 0, cents: 0 };
      tier.customers += 1;
      tier.cents += cents;
      tiers.set(record.tier, tier);
      if (cents >= HIGH_VALUE_CENTS) segments.high_value += 1;
      else if (cents >= MEDIUM_VALUE_CENTS) segments.medium_value += 1;
      else segments.low_value += 1;
    }

    const tierAnalysis = Object.fromEntries([...tiers].map(([name, tier]) => [name, {
      customer_count: tier.customers,
      total_lifetime_value: toDollars(tier.cents),
      avg_lifetime_value: toDollars(averageCents(tier.cents, tier.customers)),
    }]));

    return this.success({
      record_count: records.length,
      tier_analysis: tierAnalysis,
      value_segments: segments,
      total_lifetime_value: toDollars(totalCents),
      avg_customer_value: toDollars(averageCents(totalCents, records.length)),
      transformation_type: 'customer_analytics',
    });
  }
}
// ANCHOR_END: handler
