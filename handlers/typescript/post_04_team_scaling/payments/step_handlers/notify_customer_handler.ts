// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { asciiPattern, hexId, matchesWhole, nowIso, presentText } from '../../../blog_common';

// Deliberately loose: one @, no whitespace. Deliverability is the mail
// provider's verdict, simulated below by test domains.
const EMAIL_PATTERN = asciiPattern(String.raw`[^@\s]+@[^@\s]+`);
const RATE_LIMIT_RETRY_AFTER_SECONDS = 60;

export class NotifyCustomerHandler extends StepHandler {
  static override handlerName = 'Payments.StepHandlers.NotifyCustomerHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const refund = context.getDependencyResult('process_gateway_refund') as Record<string, unknown> | null;
    if (!refund?.refund_id) {
      return this.failure('process_gateway_refund result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_REFUND');
    }
    const email = presentText(context.getInput('customer_email'));
    if (email === undefined) {
      return this.failure('customer_email is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CUSTOMER_EMAIL');
    }
    if (!matchesWhole(EMAIL_PATTERN, email)) {
      return this.failure(`Invalid email format: ${email}`, ErrorType.PERMANENT_ERROR, false, { email },
        'INVALID_EMAIL_FORMAT');
    }

    if (email.includes('@test_bounce')) {
      return this.failure(`Email to ${email} bounced`, ErrorType.PERMANENT_ERROR, false, { email }, 'EMAIL_BOUNCED');
    }
    if (email.includes('@test_invalid')) {
      return this.failure(`Mail provider rejected ${email}`, ErrorType.PERMANENT_ERROR, false, { email },
        'INVALID_EMAIL');
    }
    if (email.includes('@test_rate_limit')) {
      return this.failure('Mail provider rate limit reached', ErrorType.RETRYABLE_ERROR, true,
        { retry_after: RATE_LIMIT_RETRY_AFTER_SECONDS, email }, 'EMAIL_RATE_LIMITED');
    }

    return this.success({
      notification_sent: true,
      customer_email: email,
      message_id: hexId('msg_', 16),
      notification_type: 'refund_confirmation',
      sent_at: nowIso(),
      delivery_status: 'delivered',
      refund_id: refund.refund_id,
      refund_amount: refund.refund_amount,
      namespace: 'payments',
    });
  }
}
// ANCHOR_END: handler
