# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../shared/example_support'

module Microservices
  module StepHandlers
    # The root of the registration: talks to the (simulated) user service.
    # Every later step builds on the account it returns.
    class CreateUserAccountHandler < TaskerCore::StepHandler::Base
      # Any case, spelled out as A-Z and a-z: Ruby's /i would also fold Unicode.
      EMAIL_FORMAT = ExampleSupport.ascii_pattern('[\w+\-.]+@[A-Za-z\d-]+(\.[A-Za-z\d-]+)*\.[A-Za-z]+')
      DEFAULT_PLAN = 'free'
      DEFAULT_SOURCE = 'web'
      # What the user service already holds, keyed by lower-case email.
      EXISTING_USERS = {
        'existing@example.com' => { user_id: 'user_existing_001', name: 'Existing User', plan: 'free' }
      }.freeze

      def call(context)
        user_info = context.get_input_or('user_info', {})
        email = required(user_info, 'email', 'MISSING_EMAIL')
        name = required(user_info, 'name', 'MISSING_NAME')
        unless ExampleSupport.matches_whole?(EMAIL_FORMAT, email)
          raise TaskerCore::Errors::PermanentError.new("Not a valid email address: #{email}",
                                                       error_code: 'INVALID_EMAIL_FORMAT')
        end
        plan = ExampleSupport.present_text(user_info['plan']) || DEFAULT_PLAN

        account = {
          email: email, name: name, plan: plan,
          phone: ExampleSupport.present_text(user_info['phone']),
          source: ExampleSupport.present_text(user_info['source']) || DEFAULT_SOURCE
        }

        # ANCHOR: idempotency
        # A retried step (or a resubmitted form) may meet an account that
        # already exists. The same person on the same plan is this request
        # done before: succeed with it. Anything else is a real conflict.
        existing = EXISTING_USERS[email.downcase]
        if existing
          unless existing[:name] == name && existing[:plan] == plan
            raise TaskerCore::Errors::PermanentError.new("#{email} is registered to a different account",
                                                         error_code: 'USER_CONFLICT')
          end

          return success(result: { user_id: existing[:user_id], email: email, name: name, plan: plan,
                                   status: 'already_exists' })
        end
        # ANCHOR_END: idempotency

        success(result: {
                  user_id: ExampleSupport.hex_id('user_', 12), **account,
                  status: 'created', created_at: ExampleSupport.timestamp
                })
      end

      private

      def required(user_info, field, error_code)
        value = ExampleSupport.present_text(user_info[field])
        return value if value

        raise TaskerCore::Errors::PermanentError.new("user_info.#{field} is required", error_code: error_code)
      end
    end
  end
end
# ANCHOR_END: handler
