// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso } from '../../blog_common';
import { isPlan, type Plan } from '../models/plan';

type Preferences = Readonly<Record<string, unknown>>;

// ANCHOR: plan_defaults
const FREE_DEFAULTS: Preferences = {
  email_notifications: true,
  marketing_emails: false,
  product_updates: true,
  weekly_digest: false,
  theme: 'light',
  language: 'en',
  timezone: 'UTC',
};
const PRO_DEFAULTS: Preferences = {
  ...FREE_DEFAULTS,
  marketing_emails: true,
  weekly_digest: true,
  theme: 'dark',
  api_notifications: true,
};
const DEFAULTS_BY_PLAN: Readonly<Record<Plan, Preferences>> = {
  free: FREE_DEFAULTS,
  pro: PRO_DEFAULTS,
  enterprise: { ...PRO_DEFAULTS, audit_logs: true, advanced_reports: true },
};

/** The plan's defaults, with whatever the user chose at sign-up on top. */
function preferencesFor(plan: Plan, overrides: Preferences): Preferences {
  return { ...DEFAULTS_BY_PLAN[plan], ...overrides };
}
// ANCHOR_END: plan_defaults

export class InitializePreferencesHandler extends StepHandler {
  static override handlerName = 'Microservices.StepHandlers.InitializePreferencesHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const userId = context.getDependencyField('create_user_account', 'user_id');
    const plan = context.getDependencyField('create_user_account', 'plan');
    if (typeof userId !== 'string' || !isPlan(plan)) {
      return this.failure('create_user_account gave no user_id or no known plan', ErrorType.PERMANENT_ERROR,
        false, {}, 'MISSING_USER_DATA');
    }
    const given = context.getInput<{ preferences?: Preferences }>('user_info')?.preferences;
    const overrides: Preferences = given && typeof given === 'object' && !Array.isArray(given) ? given : {};

    return this.success({
      preferences_id: hexId('prefs_', 16),
      user_id: userId,
      plan,
      preferences: preferencesFor(plan, overrides),
      defaults_applied: Object.keys(DEFAULTS_BY_PLAN[plan]).length,
      customizations: Object.keys(overrides).length,
      status: 'active',
      created_at: nowIso(),
    });
  }
}
// ANCHOR_END: handler
