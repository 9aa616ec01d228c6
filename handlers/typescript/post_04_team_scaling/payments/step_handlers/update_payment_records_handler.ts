// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso } from '../../../blog_common';

const LOCK_RETRY_AFTER_SECONDS = 10;
const UPDATE_ERROR_RETRY_AFTER_SECONDS = 30;

export class UpdatePaymentRecordsHandler extends StepHandler {
  static override handlerName = 'Payments.StepHandlers.UpdatePaymentRecordsHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const refund = context.getDependencyResult('process_gateway_refund') as Record<string, unknown> | null;
    if (!refund?.refund_id) {
      return this.failure('process_gateway_refund result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_REFUND');
    }
    const paymentId = String(refund.payment_id ?? context.getInput('payment_id'));

    // The refund already happened at the gateway; a busy ledger only delays
    // the bookkeeping, so both database problems are retryable.
    if (paymentId.includes('pay_test_record_lock')) {
      return this.failure('Payment record is locked', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: LOCK_RETRY_AFTER_SECONDS, payment_id: paymentId }, 'RECORD_LOCKED');
    }
    if (paymentId.includes('pay_test_record_error')) {
      return this.failure('Payment record update failed', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: UPDATE_ERROR_RETRY_AFTER_SECONDS, payment_id: paymentId }, 'RECORD_UPDATE_FAILED');
    }

    return this.success({
      records_updated: true,
      payment_id: paymentId,
      refund_id: refund.refund_id,
      record_id: hexId('rec_', 16),
      payment_status: 'refunded',
      refund_status: 'completed',
      // One entry on the payment, one on the refund.
      history_entries_created: 2,
      updated_at: nowIso(),
      namespace: 'payments',
    });
  }
}
// ANCHOR_END: handler
