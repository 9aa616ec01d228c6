// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso } from '../../../blog_common';

const PENDING_RETRY_AFTER_SECONDS = 60;
const MANAGERS = ['mgr_1', 'mgr_2', 'mgr_3', 'mgr_4', 'mgr_5'] as const;

export class GetManagerApprovalHandler extends StepHandler {
  static override handlerName = 'CustomerSuccess.StepHandlers.GetManagerApprovalHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const policy = context.getDependencyResult('check_refund_policy') as Record<string, unknown> | null;
    if (!policy?.policy_checked) {
      return this.failure('check_refund_policy result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_POLICY_CHECK');
    }

    if (policy.requires_approval !== true) {
      return this.success({
        approval_obtained: true,
        approval_required: false,
        auto_approved: true,
        approval_id: null,
        manager_id: null,
        manager_notes: 'Auto-approved by policy',
        approved_at: nowIso(),
        namespace: 'customer_success',
      });
    }

    // Test ticket ids stand in for the manager's answer.
    const ticketId = String(context.getInput('ticket_id') ?? '');
    if (ticketId.includes('ticket_denied')) {
      return this.failure(`Manager denied the refund for ${ticketId}`, ErrorType.PERMANENT_ERROR, false,
        { ticket_id: ticketId }, 'APPROVAL_DENIED');
    }
    // ANCHOR: approval_pending
    // No answer yet is not a failure of the request: ask Tasker to come back
    // in a minute. Each retry uses up an attempt, so max_attempts bounds the wait.
    if (ticketId.includes('ticket_pending')) {
      return this.failure(`Waiting for a manager to approve ${ticketId}`, ErrorType.RETRYABLE_ERROR, true,
        { retry_after: PENDING_RETRY_AFTER_SECONDS, ticket_id: ticketId }, 'APPROVAL_PENDING');
    }
    // ANCHOR_END: approval_pending

    const managerId = MANAGERS[Math.floor(Math.random() * MANAGERS.length)] ?? MANAGERS[0];
    return this.success({
      approval_obtained: true,
      approval_required: true,
      auto_approved: false,
      approval_id: hexId('appr_', 16),
      manager_id: managerId,
      manager_notes: `Approved refund for ${ticketId}`,
      approved_at: nowIso(),
      namespace: 'customer_success',
    });
  }
}
// ANCHOR_END: handler
