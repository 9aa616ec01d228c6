# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module CustomerSuccess
  module StepHandlers
    # Closes the loop in the help desk: the ticket is resolved with a note
    # pointing at the payments task that moved the money.
    class UpdateTicketStatusHandler < TaskerCore::StepHandler::Base
      LOCK_RETRY_SECONDS = 15
      UPDATE_RETRY_SECONDS = 30

      def call(context)
        delegation = context.get_dependency_result('execute_refund_workflow')
        unless delegation.is_a?(Hash)
          raise TaskerCore::Errors::PermanentError.new('No execute_refund_workflow result',
                                                       error_code: 'MISSING_DELEGATION')
        end

        ticket_id = context.get_input('ticket_id').to_s
        check_help_desk(ticket_id)

        task_id = delegation['delegated_task_id']
        amount = ExampleSupport.format_dollars(context.get_input('refund_amount'))
        success(result: {
                  ticket_updated: true,
                  ticket_id: ticket_id,
                  previous_status: 'in_progress',
                  new_status: 'resolved',
                  resolution_note: "Refund of #{amount} processed successfully " \
                                   "(payments task #{task_id}, correlation id #{delegation['correlation_id']})",
                  updated_at: ExampleSupport.timestamp,
                  refund_completed: true,
                  delegated_task_id: task_id,
                  namespace: 'customer_success'
                })
      end

      private

      # The help desk (simulated by the ticket id) may be busy: both cases
      # clear up by themselves, so they are worth a retry.
      def check_help_desk(ticket_id)
        if ticket_id.include?('ticket_locked')
          raise TaskerCore::Errors::RetryableError.new(
            "Ticket #{ticket_id} is being edited by someone else",
            retry_after: LOCK_RETRY_SECONDS, context: { error_code: 'TICKET_LOCKED', ticket_id: ticket_id }
          )
        end
        return unless ticket_id.include?('ticket_update_error')

        raise TaskerCore::Errors::RetryableError.new(
          "The help desk did not accept the update to #{ticket_id}",
          retry_after: UPDATE_RETRY_SECONDS, context: { error_code: 'UPDATE_FAILED', ticket_id: ticket_id }
        )
      end
    end
  end
end
# ANCHOR_END: handler
