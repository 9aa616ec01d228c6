# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module CustomerSuccess
  module StepHandlers
    # Asks a manager to sign off when the policy says so (simulated by the
    # ticket id); otherwise the policy itself is the approval.
    class GetManagerApprovalHandler < TaskerCore::StepHandler::Base
      MANAGERS = %w[mgr_1 mgr_2 mgr_3 mgr_4 mgr_5].freeze
      DECISION_RECHECK_SECONDS = 60

      def call(context)
        policy = context.get_dependency_result('check_refund_policy')
        unless policy.is_a?(Hash)
          raise TaskerCore::Errors::PermanentError.new('No check_refund_policy result',
                                                       error_code: 'MISSING_POLICY_CHECK')
        end
        return approved(required: false) unless policy['requires_approval']

        ticket_id = context.get_input('ticket_id').to_s
        if ticket_id.include?('ticket_denied')
          raise TaskerCore::Errors::PermanentError.new("A manager denied the refund for #{ticket_id}",
                                                       error_code: 'APPROVAL_DENIED')
        end

        # ANCHOR: approval_pending
        # No decision yet is not a failure: ask again in a minute. Tasker
        # keeps the step (and the workflow) waiting in the meantime.
        if ticket_id.include?('ticket_pending')
          raise TaskerCore::Errors::RetryableError.new(
            "Refund for #{ticket_id} is waiting for a manager",
            retry_after: DECISION_RECHECK_SECONDS,
            context: { error_code: 'APPROVAL_PENDING', ticket_id: ticket_id }
          )
        end
        # ANCHOR_END: approval_pending

        approved(required: true, ticket_id: ticket_id)
      end

      private

      def approved(required:, ticket_id: nil)
        success(result: {
                  approval_obtained: true,
                  approval_required: required,
                  auto_approved: !required,
                  approval_id: required ? ExampleSupport.hex_id('appr_') : nil,
                  manager_id: required ? MANAGERS.sample : nil,
                  manager_notes: required ? "Approved refund for #{ticket_id}" : 'Auto-approved by policy',
                  approved_at: ExampleSupport.timestamp,
                  namespace: 'customer_success'
                })
      end
    end
  end
end
# ANCHOR_END: handler
