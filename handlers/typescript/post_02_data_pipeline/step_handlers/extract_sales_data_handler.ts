// ANCHOR: handler
import { StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { nowIso, toCents, toDollars } from '../../blog_common';
import { SALES_RECORDS } from '../models/sample_data';

export class ExtractSalesDataHandler extends StepHandler {
  static override handlerName = 'DataPipeline.StepHandlers.ExtractSalesDataHandler';
  static override handlerVersion = '1.0.0';

  // The pipeline's input (pipeline_id, date_range) is not read: the mock
  // source always returns the same records. A real extract would query here,
  // and a timeout would be worth retrying (the template allows 3 attempts).
  async call(_context: StepContext): Promise<StepHandlerResult> {
    const records = SALES_RECORDS.map((record) => ({ ...record }));
    const totalCents = records.reduce((sum, record) => sum + toCents(record.amount), 0);
    const dates = records.map((record) => record.date).sort();

    return this.success({
      records,
      extracted_at: nowIso(),
      source: 'SalesDatabase',
      total_amount: toDollars(totalCents),
      date_range: { start_date: dates[0] ?? null, end_date: dates.at(-1) ?? null },
    });
  }
}
// ANCHOR_END: handler
