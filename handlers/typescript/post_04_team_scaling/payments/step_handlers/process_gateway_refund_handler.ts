// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, isoDaysFrom, isoUtc } from '../../../blog_common';

const TIMEOUT_RETRY_AFTER_SECONDS = 30;
const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;
const ARRIVAL_DAYS = 5;

export class ProcessGatewayRefundHandler extends StepHandler {
  static override handlerName = 'Payments.StepHandlers.ProcessGatewayRefundHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const validation = context.getDependencyResult('validate_payment_eligibility') as Record<string, unknown> | null;
    if (!validation?.payment_validated) {
      return this.failure('validate_payment_eligibility result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_VALIDATION');
    }
    const paymentId = String(validation.payment_id);

    // Test payment ids stand in for the gateway's answers: a timeout or a
    // rate limit passes, a refusal does not.
    if (paymentId.includes('pay_test_gateway_timeout')) {
      return this.failure('Payment gateway timed out', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: TIMEOUT_RETRY_AFTER_SECONDS, payment_id: paymentId }, 'GATEWAY_TIMEOUT');
    }
    if (paymentId.includes('pay_test_gateway_error')) {
      return this.failure('Payment gateway refused the refund', ErrorType.PERMANENT_ERROR, false,
        { payment_id: paymentId }, 'GATEWAY_REFUND_FAILED');
    }
    if (paymentId.includes('pay_test_rate_limit')) {
      return this.failure('Payment gateway rate limit reached', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: RATE_LIMIT_RETRY_AFTER_SECONDS, payment_id: paymentId }, 'GATEWAY_RATE_LIMITED');
    }

    const processedAt = new Date();
    return this.success({
      refund_processed: true,
      refund_id: hexId('rfnd_', 16),
      payment_id: paymentId,
      refund_amount: validation.refund_amount,
      refund_status: 'processed',
      gateway_transaction_id: hexId('gtx_', 16),
      gateway_provider: validation.gateway_provider ?? 'MockPaymentGateway',
      processed_at: isoUtc(processedAt),
      estimated_arrival: isoDaysFrom(ARRIVAL_DAYS, processedAt),
      namespace: 'payments',
    });
  }
}
// ANCHOR_END: handler
