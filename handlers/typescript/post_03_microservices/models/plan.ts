// The subscription plans every service in the registration workflow knows.
// The template's input_schema only admits these three; a service that is
// handed any other plan reports missing user data rather than guess.

export type Plan = 'free' | 'pro' | 'enterprise';

export const PLANS: readonly Plan[] = ['free', 'pro', 'enterprise'];

export const DEFAULT_PLAN: Plan = 'free';

export function isPlan(value: unknown): value is Plan {
  return PLANS.some((plan) => plan === value);
}
