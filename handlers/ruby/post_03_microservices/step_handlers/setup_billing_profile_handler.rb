# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Microservices
  module StepHandlers
    # One of two branches after the account exists (the other sets up
    # preferences); the two share nothing, so Tasker runs them side by side.
    class SetupBillingProfileHandler < TaskerCore::StepHandler::Base
      BILLING_TIERS = {
        'free' => { price_cents: 0, features: %w[basic_features] },
        'pro' => { price_cents: 2999, features: %w[basic_features advanced_analytics] },
        'enterprise' => { price_cents: 29_999,
                          features: %w[basic_features advanced_analytics priority_support custom_integrations] }
      }.freeze
      BILLING_CYCLE_DAYS = 30

      def call(context)
        user_id = context.get_dependency_field('create_user_account', 'user_id')
        plan = context.get_dependency_field('create_user_account', 'plan')
        tier = BILLING_TIERS[plan]
        if user_id.nil? || tier.nil?
          raise TaskerCore::Errors::PermanentError.new('No user_id and plan from create_user_account',
                                                       error_code: 'MISSING_USER_DATA')
        end

        # ANCHOR: graceful_degradation
        # Nothing to bill on the free plan: succeed without calling the
        # billing service, and say so, instead of failing the registration.
        if tier[:price_cents].zero?
          return success(result: {
                           user_id: user_id, plan: plan, billing_required: false,
                           status: 'skipped_free_plan', message: 'Free plan: no billing profile needed'
                         })
        end
        # ANCHOR_END: graceful_degradation

        now = Time.now
        success(result: {
                  billing_id: ExampleSupport.hex_id('billing_'),
                  user_id: user_id,
                  plan: plan,
                  price: ExampleSupport.to_dollars(tier[:price_cents]),
                  currency: 'USD',
                  billing_cycle: 'monthly',
                  features: tier[:features],
                  status: 'active',
                  next_billing_date: ExampleSupport.days_from_now(BILLING_CYCLE_DAYS, from: now),
                  created_at: ExampleSupport.timestamp(now)
                })
      end
    end
  end
end
# ANCHOR_END: handler
