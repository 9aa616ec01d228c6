// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, nowIso } from '../../blog_common';
import { DEFAULT_PLAN } from '../models/plan';

// Case-insensitive: Jane.Doe+Test@Example.COM is accepted.
const EMAIL_PATTERN = /^[\w+\-.]+@[a-z\d-]+(\.[a-z\d-]+)*\.[a-z]+$/i;

// Stands in for the user service's database.
const EXISTING_USERS: ReadonlyMap<string, { id: string; name: string; plan: string }> = new Map([
  ['existing@example.com', { id: 'user_existing_001', name: 'Existing User', plan: 'free' }],
]);

export class CreateUserAccountHandler extends StepHandler {
  static override handlerName = 'Microservices.StepHandlers.CreateUserAccountHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const userInfo = context.getInput<Record<string, unknown>>('user_info') ?? {};
    const { email, name } = userInfo;
    if (typeof email !== 'string' || email === '') {
      return this.failure('user_info.email is required', ErrorType.PERMANENT_ERROR, false, {}, 'MISSING_EMAIL');
    }
    if (typeof name !== 'string' || name === '') {
      return this.failure('user_info.name is required', ErrorType.PERMANENT_ERROR, false, {}, 'MISSING_NAME');
    }
    if (!EMAIL_PATTERN.test(email)) {
      return this.failure(`Invalid email format: ${email}`, ErrorType.PERMANENT_ERROR, false, { email },
        'INVALID_EMAIL_FORMAT');
    }
    const plan = userInfo.plan || DEFAULT_PLAN;

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
      phone: userInfo.phone ?? null,
      source: userInfo.source || 'web',
      status: 'created',
      created_at: nowIso(),
    });
  }
}
// ANCHOR_END: handler
