// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

const REQUIRED_FIELDS = ['payment_id', 'refund_amount'] as const;
const PAYMENT_ID_PATTERN = /^pay_[a-zA-Z0-9_]+$/;
const PROCESSING_RETRY_AFTER_SECONDS = 30;
// The mock payment was for the refund plus this much, in cents.
const MOCK_AMOUNT_KEPT_CENTS = 1000;

export class ValidatePaymentEligibilityHandler extends StepHandler {
  static override handlerName = 'Payments.StepHandlers.ValidatePaymentEligibilityHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const missing = REQUIRED_FIELDS.filter((field) => {
      const value = context.getInput(field);
      return value === undefined || value === null || value === '';
    });
    if (missing.length > 0) {
      return this.failure(`Missing required fields: ${missing.join(', ')}`, ErrorType.PERMANENT_ERROR, false,
        { missing_fields: missing }, 'MISSING_REQUIRED_FIELDS');
    }
    const paymentId = context.getInput('payment_id');
    const refundAmount = context.getInput('refund_amount');
    // Amounts are integer cents: 4999 is $49.99.
    if (typeof refundAmount !== 'number' || !Number.isInteger(refundAmount) || refundAmount <= 0) {
      return this.failure(`Refund amount must be a positive number of cents, got ${String(refundAmount)}`,
        ErrorType.PERMANENT_ERROR, false, { refund_amount: refundAmount }, 'INVALID_REFUND_AMOUNT');
    }
    if (typeof paymentId !== 'string' || !PAYMENT_ID_PATTERN.test(paymentId)) {
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
