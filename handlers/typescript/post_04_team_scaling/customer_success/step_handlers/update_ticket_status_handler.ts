// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { formatDollars, nowIso } from '../../../blog_common';

const LOCKED_RETRY_AFTER_SECONDS = 15;
const UPDATE_ERROR_RETRY_AFTER_SECONDS = 30;

export class UpdateTicketStatusHandler extends StepHandler {
  static override handlerName = 'CustomerSuccess.StepHandlers.UpdateTicketStatusHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const delegation = context.getDependencyResult('execute_refund_workflow') as Record<string, unknown> | null;
    if (!delegation?.delegated_task_id) {
      return this.failure('execute_refund_workflow result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_DELEGATION');
    }
    const ticketId = String(context.getInput('ticket_id') ?? '');

    // Test ticket ids stand in for a busy ticketing system: both are
    // transient, so they are retried after the given pause.
    if (ticketId.includes('ticket_locked')) {
      return this.failure(`Ticket ${ticketId} is locked by another agent`, ErrorType.RETRYABLE_ERROR, true,
        { retry_after: LOCKED_RETRY_AFTER_SECONDS, ticket_id: ticketId }, 'TICKET_LOCKED');
    }
    if (ticketId.includes('ticket_update_error')) {
      return this.failure(`Ticketing system failed to update ${ticketId}`, ErrorType.RETRYABLE_ERROR, true,
        { retry_after: UPDATE_ERROR_RETRY_AFTER_SECONDS, ticket_id: ticketId }, 'UPDATE_FAILED');
    }

    const refundAmount = Number(context.getInput('refund_amount') ?? 0);
    const taskId = String(delegation.delegated_task_id);
    const correlationId = String(delegation.correlation_id ?? '');
    return this.success({
      ticket_updated: true,
      ticket_id: ticketId,
      previous_status: 'in_progress',
      new_status: 'resolved',
      resolution_note: `Refund of ${formatDollars(refundAmount)} processed successfully ` +
        `(payments task ${taskId}, correlation id ${correlationId})`,
      updated_at: nowIso(),
      refund_completed: true,
      delegated_task_id: taskId,
      namespace: 'customer_success',
    });
  }
}
// ANCHOR_END: handler
