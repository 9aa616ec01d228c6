// ANCHOR: handler
import { StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { averageCents, nowIso, toCents, toDollars } from '../../blog_common';
import { CUSTOMER_RECORDS } from '../models/sample_data';

export class ExtractCustomerDataHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.ExtractCustomerDataHandler';
  static override handlerVersion = '1.0.0';

  async call(_context: StepContext): Promise<StepHandlerResult> {
    const records = CUSTOMER_RECORDS.map((record) => ({ ...record }));
    const totalCents = records.reduce((sum, record) => sum + toCents(record.lifetime_value), 0);
    const tierBreakdown: Record<string, number> = {};
    for (const record of records) {
      tierBreakdown[record.tier] = (tierBreakdown[record.tier] ?? 0) + 1;
    }

    return this.success({
      records,
      extracted_at: nowIso(),
      source: 'CRMSystem',
      total_customers: records.length,
      total_lifetime_value: toDollars(totalCents),
      tier_breakdown: tierBreakdown,
      avg_lifetime_value: toDollars(averageCents(totalCents, records.length)),
    });
  }
}
// ANCHOR_END: handler
