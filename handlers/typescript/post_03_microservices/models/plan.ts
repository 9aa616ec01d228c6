// The subscription plans every service in the registration workflow knows.
// The template's input_schema only admits these three; handlers still fall
// back to the default plan rather than trust the context blindly.

export type Plan = 'free' | 'pro' | 'enterprise';

export const PLANS: readonly Plan[] = ['free', 'pro', 'enterprise'];

export const DEFAULT_PLAN: Plan = 'free';

/** `plan` if it is a known plan, else the default plan. */
export function planOrDefault(plan: unknown): Plan {
  return PLANS.find((known) => known === plan) ?? DEFAULT_PLAN;
}
