// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { asciiPattern, hexId, matchesWhole, nowIso, presentText } from '../../blog_common';

// Deliberately loose: one @, no whitespace. Real deliverability is the mail
// provider's job; this only catches values that cannot be an address at all.
const EMAIL_PATTERN = asciiPattern(String.raw`[^@\s]+@[^@\s]+`);

export class SendConfirmationHandler extends StepHandler {
  static override handlerName = 'Ecommerce.StepHandlers.SendConfirmationHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const email = presentText(context.getInput<Record<string, unknown>>('customer_info')?.email);
    if (email === undefined) {
      return this.failure('Customer email is required', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CUSTOMER_EMAIL');
    }
    const order = context.getDependencyResult('create_order') as Record<string, unknown> | null;
    if (!order) {
      return this.failure('create_order result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_ORDER_RESULT');
    }
    const cart = context.getDependencyResult('validate_cart') as Record<string, unknown> | null;
    if (!cart) {
      return this.failure('validate_cart result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_CART_VALIDATION');
    }
    if (!matchesWhole(EMAIL_PATTERN, email)) {
      return this.failure(`Invalid email address: ${email}`, ErrorType.PERMANENT_ERROR, false,
        { email }, 'INVALID_EMAIL');
    }

    return this.success({
      email_sent: true,
      recipient: email,
      email_type: 'order_confirmation',
      sent_at: nowIso(),
      message_id: hexId('msg_', 16),
    });
  }
}
// ANCHOR_END: handler
