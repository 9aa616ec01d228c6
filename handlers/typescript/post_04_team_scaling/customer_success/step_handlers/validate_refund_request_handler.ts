// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, isoDaysFrom, nowIso } from '../../../blog_common';

const REQUIRED_FIELDS = ['ticket_id', 'customer_id', 'refund_amount', 'customer_email'] as const;

// Test ticket ids stand in for the ticketing system's answers.
const UNREFUNDABLE_TICKETS: ReadonlyArray<[marker: string, errorCode: string, message: string]> = [
  ['ticket_closed', 'TICKET_CLOSED', 'Ticket is closed'],
  ['ticket_cancelled', 'TICKET_CANCELLED', 'Ticket was cancelled'],
  ['ticket_duplicate', 'TICKET_DUPLICATE', 'Ticket is a duplicate'],
];

const PURCHASE_DAYS_AGO = 30;

/** The customer's support tier, read from the id: vip/premium, gold, anything else. */
function tierFor(customerId: string): 'premium' | 'gold' | 'standard' {
  const id = customerId.toLowerCase();
  if (id.includes('vip') || id.includes('premium')) return 'premium';
  if (id.includes('gold')) return 'gold';
  return 'standard';
}

export class ValidateRefundRequestHandler extends StepHandler {
  static override handlerName = 'CustomerSuccess.StepHandlers.ValidateRefundRequestHandler';
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
    const ticketId = String(context.getInput('ticket_id'));
    const customerId = String(context.getInput('customer_id'));

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
