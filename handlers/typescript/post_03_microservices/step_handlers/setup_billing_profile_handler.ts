// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { hexId, isoDaysFrom, isoUtc, toDollars } from '../../blog_common';
import { isPlan, type Plan } from '../models/plan';

const BILLING_CYCLE_DAYS = 30;

// Monthly prices in integer cents; a free plan has nothing to bill.
const BILLING_TIERS: Readonly<Record<Plan, { priceCents: number; features: readonly string[] }>> = {
  free: { priceCents: 0, features: ['basic_features'] },
  pro: { priceCents: 2999, features: ['basic_features', 'advanced_analytics'] },
  enterprise: {
    priceCents: 29999,
    features: ['basic_features', 'advanced_analytics', 'priority_support', 'custom_integrations'],
  },
};

export class SetupBillingProfileHandler extends StepHandler {
  static override handlerName = 'Microservices.StepHandlers.SetupBillingProfileHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const userId = context.getDependencyField('create_user_account', 'user_id');
    const plan = context.getDependencyField('create_user_account', 'plan');
    if (typeof userId !== 'string' || !isPlan(plan)) {
      return this.failure('create_user_account gave no user_id or no known plan', ErrorType.PERMANENT_ERROR,
        false, {}, 'MISSING_USER_DATA');
    }
    const tier = BILLING_TIERS[plan];

    // ANCHOR: graceful_degradation
    // Nothing to bill is not an error: the step succeeds and says why it did
    // no work, so the parallel branch and the steps after it carry on.
    if (tier.priceCents === 0) {
      return this.success({
        user_id: userId,
        plan,
        billing_required: false,
        status: 'skipped_free_plan',
        message: 'Free plan: no billing profile needed',
      });
    }
    // ANCHOR_END: graceful_degradation

    const createdAt = new Date();
    return this.success({
      billing_id: hexId('billing_', 16),
      user_id: userId,
      plan,
      price: toDollars(tier.priceCents),
      currency: 'USD',
      billing_cycle: 'monthly',
      features: [...tier.features],
      status: 'active',
      next_billing_date: isoDaysFrom(BILLING_CYCLE_DAYS, createdAt),
      created_at: isoUtc(createdAt),
    });
  }
}
// ANCHOR_END: handler
