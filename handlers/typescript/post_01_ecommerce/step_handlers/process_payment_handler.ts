// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso, percentOfCents, presentText, toCents, toDollars } from '../../blog_common';
import type { PaymentInfo } from '../models/order';

const FEE_PERCENT = 2.9;
const FEE_FIXED_CENTS = 30;
const GATEWAY_RETRY_AFTER_SECONDS = 15;

// Test tokens stand in for a payment gateway's answers.
const DECLINED_TOKENS = new Set(['tok_test_declined', 'tok_test_insufficient_funds']);
const NETWORK_ERROR_TOKEN = 'tok_test_network_error';

export class ProcessPaymentHandler extends StepHandler {
  static override handlerName = 'Ecommerce.StepHandlers.ProcessPaymentHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const payment = context.getInput<Partial<PaymentInfo>>('payment_info');
    if (!payment || typeof payment !== 'object') {
      return this.failure('Payment information is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_PAYMENT_INFO');
    }
    const method = presentText(payment.method);
    if (method === undefined) {
      return this.failure('Payment method is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_PAYMENT_METHOD');
    }
    const token = presentText(payment.token);
    if (token === undefined) {
      return this.failure('Payment token is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_PAYMENT_TOKEN');
    }

    // ANCHOR: dependency_access
    // The amount to charge was computed by validate_cart; never trust the
    // client's figure without comparing it to the validated total.
    const cartTotal = context.getDependencyField('validate_cart', 'total');
    if (typeof cartTotal !== 'number') {
      return this.failure('validate_cart produced no total', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CART_TOTAL');
    }
    // ANCHOR_END: dependency_access

    const amountCents = typeof payment.amount === 'number' ? toCents(payment.amount) : Number.NaN;
    const totalCents = toCents(cartTotal);
    if (!(Math.abs(amountCents - totalCents) <= 1)) {
      return this.failure(
        `Payment amount ${String(payment.amount)} does not match cart total ${cartTotal}`,
        ErrorType.PERMANENT_ERROR,
        false,
        { payment_amount: payment.amount ?? null, cart_total: cartTotal },
        'PAYMENT_AMOUNT_MISMATCH',
      );
    }

    // ANCHOR: error_classification
    // A decline is the bank's final answer: retrying would only repeat it.
    if (DECLINED_TOKENS.has(token)) {
      return this.failure('Payment declined by the card issuer', ErrorType.PERMANENT_ERROR, false,
        { token }, 'PAYMENT_DECLINED');
    }
    // A timeout says nothing about the card: try again after a pause.
    if (token === NETWORK_ERROR_TOKEN) {
      return this.failure('Payment gateway timed out', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: GATEWAY_RETRY_AFTER_SECONDS, token }, 'PAYMENT_GATEWAY_TIMEOUT');
    }
    // ANCHOR_END: error_classification

    const feesCents = percentOfCents(amountCents, FEE_PERCENT) + FEE_FIXED_CENTS;

    return this.success({
      payment_id: hexId('pay_', 24),
      amount_charged: toDollars(amountCents),
      currency: 'USD',
      payment_method_type: method,
      transaction_id: hexId('txn_', 24),
      fees: toDollars(feesCents),
      processed_at: nowIso(),
      status: 'completed',
    });
  }
}
// ANCHOR_END: handler
