# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Microservices
  module StepHandlers
    # The last step: activates the user once every service has done its part,
    # and records what each contributed.
    class UpdateUserStatusHandler < TaskerCore::StepHandler::Base
      REQUIRED_STEPS = %w[create_user_account setup_billing_profile initialize_preferences send_welcome_sequence].freeze
      SERVICES = %w[user_service billing_service preferences_service notification_service].freeze

      def call(context)
        results = REQUIRED_STEPS.to_h { |step| [step, context.get_dependency_result(step)] }
        missing = results.reject { |_, result| result.is_a?(Hash) }.keys
        unless missing.empty?
          raise TaskerCore::Errors::PermanentError.new("Registration incomplete, no result from #{missing.join(', ')}",
                                                       error_code: 'INCOMPLETE_WORKFLOW',
                                                       context: { missing_steps: missing })
        end
        account, billing, preferences, welcome = results.values_at(*REQUIRED_STEPS)

        success(result: {
                  user_id: account['user_id'],
                  status: 'active',
                  plan: account['plan'],
                  registration_summary: summary(account, billing, preferences, welcome),
                  activation_timestamp: ExampleSupport.timestamp,
                  all_services_coordinated: true,
                  services_completed: SERVICES
                })
      end

      private

      def summary(account, billing, preferences, welcome)
        {
          user_id: account['user_id'],
          email: account['email'],
          plan: account['plan'],
          registration_status: 'complete',
          # Billing details exist only for paid plans; a free plan's skip leaves them out.
          **billing.slice('billing_id', 'next_billing_date').transform_keys(&:to_sym),
          preferences_count: preferences.fetch('preferences', {}).size,
          welcome_sent: welcome['status'] == 'sent',
          notification_channels: welcome['channels_used']
        }
      end
    end
  end
end
# ANCHOR_END: handler
