// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { nowIso } from '../../blog_common';

type StepResult = Record<string, unknown>;

const REQUIRED_STEPS = [
  'create_user_account',
  'setup_billing_profile',
  'initialize_preferences',
  'send_welcome_sequence',
] as const;

export class UpdateUserStatusHandler extends StepHandler {
  static override handlerName = 'Microservices.StepHandlers.UpdateUserStatusHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const user = context.getDependencyResult('create_user_account') as StepResult | null;
    const billing = context.getDependencyResult('setup_billing_profile') as StepResult | null;
    const preferences = context.getDependencyResult('initialize_preferences') as StepResult | null;
    const welcome = context.getDependencyResult('send_welcome_sequence') as StepResult | null;
    if (!user || !billing || !preferences || !welcome) {
      const missing = REQUIRED_STEPS.filter((step) => !context.getDependencyResult(step));
      return this.failure(`Registration is incomplete: no result from ${missing.join(', ')}`,
        ErrorType.PERMANENT_ERROR, false, { missing_steps: missing }, 'INCOMPLETE_WORKFLOW');
    }

    const channels = Array.isArray(welcome.channels_used) ? welcome.channels_used : [];
    const summary: Record<string, unknown> = {
      user_id: user.user_id,
      email: user.email,
      plan: user.plan,
      registration_status: 'complete',
    };
    // Only a paid plan has a billing profile to report.
    if (billing.billing_id) {
      summary.billing_id = billing.billing_id;
      summary.next_billing_date = billing.next_billing_date;
    }
    summary.preferences_count = Object.keys((preferences.preferences as object | undefined) ?? {}).length;
    summary.welcome_sent = welcome.status === 'sent';
    summary.notification_channels = channels;

    return this.success({
      user_id: user.user_id,
      status: 'active',
      plan: user.plan,
      registration_summary: summary,
      activation_timestamp: nowIso(),
      all_services_coordinated: true,
      services_completed: ['user_service', 'billing_service', 'preferences_service', 'notification_service'],
    });
  }
}
// ANCHOR_END: handler
