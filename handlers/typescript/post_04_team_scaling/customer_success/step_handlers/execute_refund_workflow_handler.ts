// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, taskId } from '../../../blog_common';

export class ExecuteRefundWorkflowHandler extends StepHandler {
  static override handlerName = 'CustomerSuccess.StepHandlers.ExecuteRefundWorkflowHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const approval = context.getDependencyResult('get_manager_approval') as Record<string, unknown> | null;
    if (approval?.approval_obtained !== true) {
      return this.failure('get_manager_approval result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_APPROVAL');
    }
    const paymentId = context.getDependencyField('validate_refund_request', 'payment_id');
    if (typeof paymentId !== 'string' || paymentId === '') {
      return this.failure('validate_refund_request result has no payment_id', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_PAYMENT_ID');
    }

    // ANCHOR: cross_namespace
    // The payments team owns refunds. Customer success does not call their
    // handlers: it asks Tasker for a task of THEIR workflow, addressed by
    // namespace, name and version, and hands over only a context.
    const correlationId = context.getInput<string>('correlation_id') ?? hexId('cs-', 16);
    const refundTask = {
      namespace: 'payments',
      name: 'process_refund',
      version: '2.1.0',
      context: {
        payment_id: paymentId,
        refund_amount: context.getInput<number>('refund_amount'),
        refund_reason: context.getInputOr<string>('refund_reason', 'customer_request'),
        customer_email: context.getInput<string>('customer_email'),
        initiated_by: 'customer_success',
        approval_id: approval.approval_id ?? null,
        ticket_id: context.getInput<string>('ticket_id'),
        correlation_id: correlationId,
      },
    };
    // ANCHOR_END: cross_namespace

    // Like upstream, the example only simulates the hand-off: a real worker
    // would submit refundTask to orchestration and record the task it got back.
    return this.success({
      task_delegated: true,
      target_namespace: refundTask.namespace,
      target_workflow: refundTask.name,
      delegated_task_id: taskId(),
      delegated_task_status: 'created',
      correlation_id: refundTask.context.correlation_id,
      namespace: 'customer_success',
    });
  }
}
// ANCHOR_END: handler
