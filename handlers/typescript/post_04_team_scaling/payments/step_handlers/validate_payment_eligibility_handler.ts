// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { asciiPattern, matchesWhole, presentText, wholeNumber } from '../../../blog_common';

const PAYMENT_ID_PATTERN = asciiPattern('pay_[a-zA-Z0-9_]+');
const PROCESSING_RETRY_AFTER_SECONDS = 30;
// The mock payment was for the refund plus this much, in cents.
const MOCK_AMOUNT_KEPT_CENTS = 1000;

export class ValidatePaymentEligibilityHandler extends StepHandler {
  static override handlerName = 'Payments.StepHandlers.ValidatePaymentEligibilityHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const paymentId = presentText(context.getInput('payment_id'));
    const amount = context.getInput('refund_amount');
    const missing = [
      ...(paymentId === undefined ? ['payment_id'] : []),
      ...(amount === undefined || amount === null ? ['refund_amount'] : []),
    ];
    if (paymentId === undefined || missing.length > 0) {
      return this.failure(`Missing required fields: ${missing.join(', ')}`, ErrorType.PERMANENT_ERROR, false,
        { missing_fields: missing }, 'MISSING_REQUIRED_FIELDS');
    }
    // Amounts are whole cents (4999 is $49.99), and something to give back.
    const refundAmount = wholeNumber(amount);
    if (refundAmount === undefined || refundAmount <= 0) {
      return this.failure(`Refund amount must be a positive number of cents, got ${String(amount)}`,
        ErrorType.PERMANENT_ERROR, false, { refund_amount: amount }, 'INVALID_REFUND_AMOUNT');
    }
    if (!matchesWhole(PAYMENT_ID_PATTERN, paymentId)) {
      return this.failure(`Invalid payment id: ${String(paymentId)}`, ErrorType.PERMANENT_ERROR, false,
        { payment_id: paymentId }, 'INVALID_PAYMENT_ID');
    }

    // Test payment ids stand in for the payment system's answers.
    if (paymentId.includes('pay_test_insufficient')) {
      return this.failure('Merchant balance cannot cover the refund', ErrorType.PERMANENT_ERROR, false,
        { payment_id: paymentId }, 'INSUFFICIENT_FUNDS');
    }
    if (paymentId.includes('pay_test_processing')) {
      return this.failure('The original payment is still processing', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: PROCESSING_RETRY_AFTER_SECONDS, payment_id: paymentId }, 'PAYMENT_PROCESSING');
    }
    if (paymentId.includes('pay_test_ineligible')) {
      return this.failure('The payment is not eligible for a refund', ErrorType.PERMANENT_ERROR, false,
        { payment_id: paymentId }, 'PAYMENT_INELIGIBLE');
    }

    return this.success({
      payment_validated: true,
      payment_id: paymentId,
      original_amount: refundAmount + MOCK_AMOUNT_KEPT_CENTS,
      refund_amount: refundAmount,
      payment_method: 'credit_card',
      gateway_provider: 'MockPaymentGateway',
      eligibility_status: 'eligible',
      namespace: 'payments',
    });
  }
}
// ANCHOR_END: handler
