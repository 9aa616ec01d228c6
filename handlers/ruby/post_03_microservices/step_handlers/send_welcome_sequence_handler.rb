# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Microservices
  module StepHandlers
    # Where the two branches meet again: the welcome depends on both the
    # billing and the preferences result, and on the account above them.
    class SendWelcomeSequenceHandler < TaskerCore::StepHandler::Base
      SUBJECTS = {
        'free' => 'Welcome to Our Platform!',
        'pro' => 'Welcome to Pro!',
        'enterprise' => 'Welcome to Enterprise!'
      }.freeze

      def call(context)
        # ANCHOR: branch_results
        # Both branches are direct parents; create_user_account is their
        # parent, and an ancestor's result is visible here just the same.
        account = context.get_dependency_result('create_user_account')
        billing = context.get_dependency_result('setup_billing_profile')
        preferences = context.get_dependency_result('initialize_preferences')
        require_result(account, 'create_user_account', 'MISSING_USER_DATA')
        require_result(billing, 'setup_billing_profile', 'MISSING_BILLING_DATA')
        require_result(preferences, 'initialize_preferences', 'MISSING_PREFERENCES_DATA')
        # ANCHOR_END: branch_results

        plan = account['plan']
        channels = channels_for(plan, preferences.fetch('preferences', {}))

        success(result: {
                  user_id: account['user_id'],
                  plan: plan,
                  subject: SUBJECTS.fetch(plan, SUBJECTS['free']),
                  channels_used: channels,
                  messages_sent: channels.size,
                  welcome_sequence_id: ExampleSupport.hex_id('welcome_'),
                  status: 'sent',
                  sent_at: ExampleSupport.timestamp
                })
      end

      private

      # A free plan's skipped billing is still a result: only a missing one stops us.
      def require_result(result, step, error_code)
        return if result.is_a?(Hash)

        raise TaskerCore::Errors::PermanentError.new("No #{step} result", error_code: error_code)
      end

      # Email only if the user has not switched it off; in-app always;
      # enterprise accounts also get a text message.
      def channels_for(plan, preferences)
        channels = []
        channels << 'email' unless preferences['email_notifications'] == false
        channels << 'in_app'
        channels << 'sms' if plan == 'enterprise'
        channels
      end
    end
  end
end
# ANCHOR_END: handler
