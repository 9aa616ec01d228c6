// ANCHOR: handler
import { ErrorType, StepHandler, type StepContext, type StepHandlerResult } from '@tasker-systems/tasker';

import { parseTimestamp, wholeNumber } from '../../../blog_common';

interface RefundPolicy {
  readonly windowDays: number;
  readonly requiresApproval: boolean;
  /** Largest refund allowed without escalation, in integer cents. */
  readonly maxAmountCents: number;
}

type Tier = 'standard' | 'gold' | 'premium';

const POLICIES: Readonly<Record<Tier, RefundPolicy>> = {
  standard: { windowDays: 30, requiresApproval: true, maxAmountCents: 10_000 },
  gold: { windowDays: 60, requiresApproval: false, maxAmountCents: 50_000 },
  premium: { windowDays: 90, requiresApproval: false, maxAmountCents: 100_000 },
};

const DAY_MS = 86_400_000;

function tierOf(value: unknown): Tier {
  return value === 'gold' || value === 'premium' ? value : 'standard';
}

export class CheckRefundPolicyHandler extends StepHandler {
  static override handlerName = 'CustomerSuccess.StepHandlers.CheckRefundPolicyHandler';
  static override handlerVersion = '1.0.0';

  async call(context: StepContext): Promise<StepHandlerResult> {
    const validation = context.getDependencyResult('validate_refund_request') as Record<string, unknown> | null;
    const purchasedAt = parseTimestamp(validation?.original_purchase_date);
    if (!validation?.request_validated || purchasedAt === undefined) {
      return this.failure('validate_refund_request result is missing', ErrorType.PERMANENT_ERROR, false, {},
        'MISSING_VALIDATION');
    }
    const tier = tierOf(validation.customer_tier);
    const policy = POLICIES[tier];
    const refundAmount = wholeNumber(context.getInput('refund_amount')) ?? 0;

    // Whole days, rounded down: day 30 is still inside a 30-day window.
    const daysSincePurchase = Math.floor((Date.now() - purchasedAt) / DAY_MS);
    if (daysSincePurchase > policy.windowDays) {
      return this.failure(`Purchase was ${daysSincePurchase} days ago; the ${tier} window is ${policy.windowDays} days`,
        ErrorType.PERMANENT_ERROR, false,
        { days_since_purchase: daysSincePurchase, refund_window_days: policy.windowDays }, 'OUTSIDE_REFUND_WINDOW');
    }
    if (refundAmount > policy.maxAmountCents) {
      return this.failure(`Refund of ${refundAmount} cents exceeds the ${tier} limit of ${policy.maxAmountCents}`,
        ErrorType.PERMANENT_ERROR, false,
        { refund_amount: refundAmount, max_allowed_amount: policy.maxAmountCents }, 'EXCEEDS_AMOUNT_LIMIT');
    }

    return this.success({
      policy_checked: true,
      policy_compliant: true,
      customer_tier: tier,
      refund_window_days: policy.windowDays,
      days_since_purchase: daysSincePurchase,
      within_refund_window: true,
      requires_approval: policy.requiresApproval,
      max_allowed_amount: policy.maxAmountCents,
      namespace: 'customer_success',
    });
  }
}
// ANCHOR_END: handler
