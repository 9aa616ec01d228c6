# frozen_string_literal: true

# ANCHOR: handler
require 'tasker_core'
require_relative '../../../shared/example_support'

module CustomerSuccess
  module StepHandlers
    # First step of the support team's refund: checks the ticket and looks up
    # the customer and the payment the refund is for (simulated).
    class ValidateRefundRequestHandler < TaskerCore::StepHandler::Base
      REQUIRED_FIELDS = %w[ticket_id customer_id refund_amount customer_email].freeze
      # Test tickets whose id names a state in which no refund may be made.
      UNUSABLE_TICKETS = {
        'ticket_closed' => 'TICKET_CLOSED',
        'ticket_cancelled' => 'TICKET_CANCELLED',
        'ticket_duplicate' => 'TICKET_DUPLICATE'
      }.freeze
      PURCHASE_AGE_DAYS = 30

      def call(context)
        missing = REQUIRED_FIELDS.reject { |field| present?(field, context.get_input(field)) }
        unless missing.empty?
          raise TaskerCore::Errors::PermanentError.new("Missing required fields: #{missing.join(', ')}",
                                                       error_code: 'MISSING_REQUIRED_FIELDS',
                                                       context: { missing_fields: missing })
        end

        ticket_id = context.get_input('ticket_id')
        UNUSABLE_TICKETS.each do |marker, error_code|
          next unless ticket_id.include?(marker)

          raise TaskerCore::Errors::PermanentError.new("Ticket #{ticket_id} cannot be refunded", error_code: error_code)
        end

        now = Time.now
        customer_id = context.get_input('customer_id')
        success(result: {
                  request_validated: true,
                  ticket_id: ticket_id,
                  customer_id: customer_id,
                  ticket_status: 'open',
                  customer_tier: tier_of(customer_id),
                  original_purchase_date: ExampleSupport.days_from_now(-PURCHASE_AGE_DAYS, from: now),
                  payment_id: ExampleSupport.hex_id('pay_'),
                  validation_timestamp: ExampleSupport.timestamp(now),
                  namespace: 'customer_success'
                })
      end

      private

      # Text fields need a non-empty string, the amount whole cents: 49.99 or
      # "4999" is as good as no amount at all.
      def present?(field, value)
        reading = field == 'refund_amount' ? ExampleSupport.whole_number(value) : ExampleSupport.present_text(value)
        !reading.nil?
      end

      def tier_of(customer_id)
        # Any case, ASCII only: /i would fold Unicode too.
        case customer_id.downcase(:ascii)
        when /vip|premium/ then 'premium'
        when /gold/ then 'gold'
        else 'standard'
        end
      end
    end
  end
end
# ANCHOR_END: handler
