# frozen_string_literal: true

module Ecommerce
  module Models
    # ANCHOR: product_model
    # Prices are held in integer cents so that every total is exact; dollars
    # appear only at the edge, in step results.
    Product = Struct.new(:id, :name, :price_cents, :stock, :active, keyword_init: true) do
      def self.find(id)
        CATALOGUE[id]
      end

      def price
        price_cents / 100.0
      end

      def active?
        active
      end

      def in_stock?(quantity)
        stock >= quantity
      end
    end
    # ANCHOR_END: product_model

    # ANCHOR: catalogue
    # A fixed catalogue stands in for the shop's product database.
    CATALOGUE = [
      Product.new(id: 1, name: 'Widget A', price_cents: 2999, stock: 100, active: true),
      Product.new(id: 2, name: 'Widget B', price_cents: 4999, stock: 50, active: true),
      Product.new(id: 3, name: 'Widget C', price_cents: 1999, stock: 25, active: true),
      Product.new(id: 4, name: 'Widget D', price_cents: 3999, stock: 0, active: true),
      Product.new(id: 5, name: 'Widget E', price_cents: 5999, stock: 10, active: false)
    ].to_h { |product| [product.id, product.freeze] }.freeze
    # ANCHOR_END: catalogue
  end
end
