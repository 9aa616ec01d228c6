# frozen_string_literal: true

# ANCHOR: handler
require 'securerandom'
require 'tasker_core'
require_relative '../../../shared/example_support'

module CustomerSuccess
  module StepHandlers
    # The hand-off between teams: the support team does not move money
    # itself, it asks the payments team's own process_refund workflow to.
    class ExecuteRefundWorkflowHandler < TaskerCore::StepHandler::Base
      TARGET_NAMESPACE = 'payments'
      TARGET_WORKFLOW = 'process_refund'
      TARGET_VERSION = '2.1.0'

      def call(context)
        approval = context.get_dependency_result('get_manager_approval')
        unless approval.is_a?(Hash)
          raise TaskerCore::Errors::PermanentError.new('No get_manager_approval result',
                                                       error_code: 'MISSING_APPROVAL')
        end
        payment_id = context.get_dependency_field('validate_refund_request', 'payment_id')
        if payment_id.nil?
          raise TaskerCore::Errors::PermanentError.new('No payment_id from validate_refund_request',
                                                       error_code: 'MISSING_PAYMENT_ID')
        end

        # ANCHOR: cross_namespace
        # Same workflow name as ours, different namespace: the namespace (and
        # version) say which team's process_refund is meant.
        correlation_id = context.get_input('correlation_id') || ExampleSupport.hex_id('cs-')
        request = {
          namespace: TARGET_NAMESPACE,
          name: TARGET_WORKFLOW,
          version: TARGET_VERSION,
          context: {
            payment_id: payment_id,
            refund_amount: context.get_input('refund_amount'),
            refund_reason: context.get_input_or('refund_reason', 'customer_request'),
            customer_email: context.get_input('customer_email'),
            initiated_by: 'customer_success',
            approval_id: approval['approval_id'],
            ticket_id: context.get_input('ticket_id'),
            correlation_id: correlation_id
          }
        }
        # ANCHOR_END: cross_namespace

        success(result: {
                  task_delegated: true,
                  target_namespace: request[:namespace],
                  target_workflow: request[:name],
                  delegated_task_id: delegate(request),
                  delegated_task_status: 'created',
                  correlation_id: correlation_id,
                  namespace: 'customer_success'
                })
      end

      private

      # Simulated: a real deployment submits +request+ to Tasker's
      # orchestration API, which answers with the new task's id.
      def delegate(_request)
        "task_#{SecureRandom.uuid}"
      end
    end
  end
end
# ANCHOR_END: handler
