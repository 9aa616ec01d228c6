// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { asciiPattern, hexId, matchesWhole, nowIso, presentText } from '../../blog_common';
import { DEFAULT_PLAN } from '../models/plan';

// Any case (Jane.Doe+Test@Example.COM is accepted), spelled out as A-Z and
// a-z rather than left to a flag.
const EMAIL_PATTERN = asciiPattern(String.raw`[\w+\-.]+@[A-Za-z\d-]+(\.[A-Za-z\d-]+)*\.[A-Za-z]+`);

// Stands in for the user service's database.
const EXISTING_USERS: ReadonlyMap<string, { id: string; name: string; plan: string }> = new Map([
  ['existing@example.com', { id: 'user_existing_001', name: 'Existing User', plan: 'free' }],
]);

export class CreateUserAccountHandler extends StepHandler {
  static override handlerName = 'Microservices.StepHandlers.CreateUserAccountHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const userInfo = context.getInput<Record<string, unknown>>('user_info') ?? {};
    const email = presentText(userInfo.email);
    const name = presentText(userInfo.name);
    if (email === undefined) {
      return this.failure('user_info.email is required', ErrorType.PERMANENT_ERROR, false, {}, 'MISSING_EMAIL');
    }
    if (name === undefined) {
      return this.failure('user_info.name is required', ErrorType.PERMANENT_ERROR, false, {}, 'MISSING_NAME');
    }
    if (!matchesWhole(EMAIL_PATTERN, email)) {
      return this.failure(`Invalid email format: ${email}`, ErrorType.PERMANENT_ERROR, false, { email },
        'INVALID_EMAIL_FORMAT');
    }
    const plan = presentText(userInfo.plan) ?? DEFAULT_PLAN;

    // ANCHOR: idempotency
    // A retry may run this step again after the account was already created.
    // The same request must then succeed with the same user; a different
    // request for a taken email is a conflict no retry can fix.
    const existing = EXISTING_USERS.get(email.toLowerCase());
    if (existing) {
      if (existing.name === name && existing.plan === plan) {
        return this.success({
          user_id: existing.id,
          email,
          name: existing.name,
          plan: existing.plan,
          status: 'already_exists',
        });
      }
      return this.failure(`A different user already exists with email ${email}`, ErrorType.PERMANENT_ERROR,
        false, { email, existing_user_id: existing.id }, 'USER_CONFLICT');
    }
    // ANCHOR_END: idempotency

    return this.success({
      user_id: hexId('user_', 12),
      email,
      name,
      plan,
      phone: presentText(userInfo.phone) ?? null,
      source: presentText(userInfo.source) ?? 'web',
      status: 'created',
      created_at: nowIso(),
    });
  }
}
// ANCHOR_END: handler
