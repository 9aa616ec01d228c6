# frozen_string_literal: true

require 'logger'

module TaskerCore
  module StepHandler
    class Base
      attr_reader :config, :logger

      # The worker's class-constant resolver passes the template step's
      # handler.initialization as +config:+ when the constructor accepts it.
      def initialize(config: {}, logger: nil)
        @config = config || {}
        @logger = logger || ::Logger.new($stderr, level: :warn)
      end

      def call(_context)
        raise NotImplementedError, "#{self.class} must implement #call(context)"
      end

      def handler_name
        self.class.name.split('::').last.gsub(/([A-Z])/, '_\1').downcase.delete_prefix('_')
      end

      def success(result:, metadata: {})
        raise ArgumentError, 'result required' if result.nil?

        TaskerCore::Types::StepHandlerCallResult.success(result: result, metadata: metadata)
      end

      def failure(message:, error_type: 'UnexpectedError', error_code: nil, retryable: false, metadata: {})
        TaskerCore::Types::StepHandlerCallResult.error(
          error_type: error_type, message: message, error_code: error_code,
          retryable: retryable, metadata: metadata
        )
      end
    end
  end
end
