// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso } from '../../blog_common';
import { DEFAULT_PLAN, isPlan, type Plan } from '../models/plan';

type StepResult = Record<string, unknown>;

const WELCOME_SUBJECTS: Readonly<Record<Plan, string>> = {
  free: 'Welcome to Our Platform!',
  pro: 'Welcome to Pro!',
  enterprise: 'Welcome to Enterprise!',
};

export class SendWelcomeSequenceHandler extends StepHandler {
  static override handlerName = 'Microservices.StepHandlers.SendWelcomeSequenceHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    // ANCHOR: branch_results
    // Both parallel branches have finished before this step runs. The user
    // comes from their common ancestor, which Tasker also makes visible.
    const user = context.getDependencyResult('create_user_account') as StepResult | null;
    const billing = context.getDependencyResult('setup_billing_profile') as StepResult | null;
    const preferences = context.getDependencyResult('initialize_preferences') as StepResult | null;
    if (!user?.user_id) {
      return this.failure('create_user_account result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_USER_DATA');
    }
    // A skipped free-plan billing step is still a result: only its absence fails.
    if (!billing) {
      return this.failure('setup_billing_profile result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_BILLING_DATA');
    }
    if (!preferences?.preferences) {
      return this.failure('initialize_preferences result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_PREFERENCES_DATA');
    }
    // ANCHOR_END: branch_results

    const plan = user.plan ?? DEFAULT_PLAN;
    const settings = preferences.preferences as Record<string, unknown>;
    const channels: string[] = [];
    if (settings.email_notifications !== false) channels.push('email');
    channels.push('in_app');
    if (plan === 'enterprise') channels.push('sms');

    return this.success({
      user_id: user.user_id,
      plan,
      subject: WELCOME_SUBJECTS[isPlan(plan) ? plan : DEFAULT_PLAN],
      channels_used: channels,
      messages_sent: channels.length,
      welcome_sequence_id: hexId('welcome_', 16),
      status: 'sent',
      sent_at: nowIso(),
    });
  }
}
// ANCHOR_END: handler
