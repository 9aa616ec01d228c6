// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { asciiLower, hexId, isoDaysFrom, nowIso, presentText, wholeNumber } from '../../../blog_common';

// Test ticket ids stand in for the ticketing system's answers.
const UNREFUNDABLE_TICKETS: ReadonlyArray<[marker: string, errorCode: string, message: string]> = [
  ['ticket_closed', 'TICKET_CLOSED', 'Ticket is closed'],
  ['ticket_cancelled', 'TICKET_CANCELLED', 'Ticket was cancelled'],
  ['ticket_duplicate', 'TICKET_DUPLICATE', 'Ticket is a duplicate'],
];

const PURCHASE_DAYS_AGO = 30;

/** The customer's support tier, read from the id: vip/premium, gold, anything else. */
function tierFor(customerId: string): 'premium' | 'gold' | 'standard' {
  // Any case, ASCII only: toLowerCase() would turn the Kelvin sign into k.
  const id = asciiLower(customerId);
  if (id.includes('vip') || id.includes('premium')) return 'premium';
  if (id.includes('gold')) return 'gold';
  return 'standard';
}

export class ValidateRefundRequestHandler extends StepHandler {
  static override handlerName = 'CustomerSuccess.StepHandlers.ValidateRefundRequestHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const required = {
      ticket_id: presentText(context.getInput('ticket_id')),
      customer_id: presentText(context.getInput('customer_id')),
      // Whole cents: 49.99 or '4999' is as good as no amount at all.
      refund_amount: wholeNumber(context.getInput('refund_amount')),
      customer_email: presentText(context.getInput('customer_email')),
    };
    const missing = Object.entries(required).filter(([, value]) => value === undefined).map(([field]) => field);
    const { ticket_id: ticketId, customer_id: customerId } = required;
    if (ticketId === undefined || customerId === undefined || missing.length > 0) {
      return this.failure(`Missing required fields: ${missing.join(', ')}`, ErrorType.PERMANENT_ERROR, false,
        { missing_fields: missing }, 'MISSING_REQUIRED_FIELDS');
    }

    // A closed, cancelled or duplicate ticket stays that way: permanent.
    for (const [marker, errorCode, message] of UNREFUNDABLE_TICKETS) {
      if (ticketId.includes(marker)) {
        return this.failure(`${message}: ${ticketId}`, ErrorType.PERMANENT_ERROR, false, { ticket_id: ticketId },
          errorCode);
      }
    }

    return this.success({
      request_validated: true,
      ticket_id: ticketId,
      customer_id: customerId,
      ticket_status: 'open',
      customer_tier: tierFor(customerId),
      original_purchase_date: isoDaysFrom(-PURCHASE_DAYS_AGO),
      payment_id: hexId('pay_', 16),
      validation_timestamp: nowIso(),
      namespace: 'customer_success',
    });
  }
}
// ANCHOR_END: handler
