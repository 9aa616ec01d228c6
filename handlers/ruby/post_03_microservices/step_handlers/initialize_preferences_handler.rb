# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Microservices
  module StepHandlers
    # The other branch after account creation: stores the user's settings in
    # the (simulated) preferences service, in parallel with billing.
    class InitializePreferencesHandler < TaskerCore::StepHandler::Base
      def call(context)
        user_id = context.get_dependency_field('create_user_account', 'user_id')
        plan = context.get_dependency_field('create_user_account', 'plan')
        if user_id.nil? || !PLAN_DEFAULTS.key?(plan)
          raise TaskerCore::Errors::PermanentError.new('No user_id and plan from create_user_account',
                                                       error_code: 'MISSING_USER_DATA')
        end

        overrides = context.get_input_or('user_info', {})['preferences'] || {}

        success(result: {
                  preferences_id: ExampleSupport.hex_id('prefs_'),
                  user_id: user_id,
                  plan: plan,
                  preferences: preferences_for(plan, overrides),
                  defaults_applied: PLAN_DEFAULTS[plan].size,
                  customizations: overrides.size,
                  status: 'active',
                  created_at: ExampleSupport.timestamp
                })
      end

      # ANCHOR: plan_defaults
      # Each plan starts from the one below it and changes or adds a few settings.
      FREE_DEFAULTS = {
        'email_notifications' => true, 'marketing_emails' => false, 'product_updates' => true,
        'weekly_digest' => false, 'theme' => 'light', 'language' => 'en', 'timezone' => 'UTC'
      }.freeze
      PRO_DEFAULTS = FREE_DEFAULTS.merge(
        'marketing_emails' => true, 'weekly_digest' => true, 'theme' => 'dark', 'api_notifications' => true
      ).freeze
      ENTERPRISE_DEFAULTS = PRO_DEFAULTS.merge('audit_logs' => true, 'advanced_reports' => true).freeze
      PLAN_DEFAULTS = { 'free' => FREE_DEFAULTS, 'pro' => PRO_DEFAULTS, 'enterprise' => ENTERPRISE_DEFAULTS }.freeze

      private

      # What the user chose at sign-up wins over the plan's defaults.
      def preferences_for(plan, overrides)
        PLAN_DEFAULTS.fetch(plan).merge(overrides)
      end
      # ANCHOR_END: plan_defaults
    end
  end
end
# ANCHOR_END: handler
