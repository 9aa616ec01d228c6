# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module CustomerSuccess
  module StepHandlers
    # Applies the support team's refund policy for the customer's tier.
    class CheckRefundPolicyHandler < TaskerCore::StepHandler::Base
      # Amounts in cents.
      POLICIES = {
        'standard' => { window_days: 30, requires_approval: true, max_amount: 10_000 },
        'gold' => { window_days: 60, requires_approval: false, max_amount: 50_000 },
        'premium' => { window_days: 90, requires_approval: false, max_amount: 100_000 }
      }.freeze
      SECONDS_PER_DAY = 86_400

      def call(context)
        validation = context.get_dependency_result('validate_refund_request')
        purchased_at = ExampleSupport.parse_timestamp(validation['original_purchase_date']) if validation.is_a?(Hash)
        unless purchased_at
          raise TaskerCore::Errors::PermanentError.new('No validate_refund_request result',
                                                       error_code: 'MISSING_VALIDATION')
        end

        tier = validation['customer_tier']
        policy = POLICIES.fetch(tier, POLICIES['standard'])
        # Whole days, rounded down: the day the window closes still counts.
        days = ((Time.now - purchased_at) / SECONDS_PER_DAY).floor
        amount = ExampleSupport.whole_number(context.get_input('refund_amount')) || 0

        if days > policy[:window_days]
          raise TaskerCore::Errors::PermanentError.new(
            "Purchase was #{days} days ago; #{tier} refunds are allowed for #{policy[:window_days]} days",
            error_code: 'OUTSIDE_REFUND_WINDOW'
          )
        end
        if amount > policy[:max_amount]
          raise TaskerCore::Errors::PermanentError.new(
            "Refund of #{amount} cents exceeds the #{tier} limit of #{policy[:max_amount]} cents",
            error_code: 'EXCEEDS_AMOUNT_LIMIT'
          )
        end

        success(result: {
                  policy_checked: true,
                  policy_compliant: true,
                  customer_tier: tier,
                  refund_window_days: policy[:window_days],
                  days_since_purchase: days,
                  within_refund_window: true,
                  requires_approval: policy[:requires_approval],
                  max_allowed_amount: policy[:max_amount],
                  namespace: 'customer_success'
                })
      end
    end
  end
end
# ANCHOR_END: handler
