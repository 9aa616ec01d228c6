# frozen_string_literal: true

require_relative '../../shared/example_support'

module Ecommerce
  module Models
    # ANCHOR: order_model
    Order = Struct.new(:order_id, :order_number, :status, :total_amount, :customer_email,
                       :created_at, :estimated_delivery, keyword_init: true) do
      # The order number is what a customer reads out on the phone: the date
      # makes it sortable, the upper-case hex keeps it short and unambiguous.
      def self.confirm(total_amount:, customer_email:, now: Time.now, delivery_days: 7)
        new(
          order_id: ExampleSupport.hex_id('ord_'),
          order_number: "ORD-#{now.utc.strftime('%Y%m%d')}-#{ExampleSupport.hex_id('', 8, upcase: true)}",
          status: 'confirmed',
          total_amount: total_amount,
          customer_email: customer_email,
          created_at: ExampleSupport.timestamp(now),
          estimated_delivery: ExampleSupport.days_from_now(delivery_days, from: now)
        )
      end
    end
    # ANCHOR_END: order_model
  end
end
