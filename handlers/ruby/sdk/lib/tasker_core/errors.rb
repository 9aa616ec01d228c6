# frozen_string_literal: true

module TaskerCore
  module Errors
    class Error < StandardError; end

    # Parent of the two classes the worker classifies; mirrors the real hierarchy
    # so that `rescue ProceduralError` behaves the same in both.
    class ProceduralError < Error; end

    # The worker reports this failure as retryable (retry_after in seconds).
    # Like the real class it carries no error_code: a code for a retryable
    # failure has to travel in +context+.
    class RetryableError < ProceduralError
      attr_reader :retry_after, :context

      def initialize(message, retry_after: nil, context: {})
        super(message)
        @retry_after = retry_after
        @context = context
      end

      def error_class
        'RetryableError'
      end
    end

    # The worker reports this failure as permanent: the step is not retried.
    class PermanentError < ProceduralError
      attr_reader :error_code, :context

      def initialize(message, error_code: nil, context: {})
        super(message)
        @error_code = error_code
        @context = context
      end

      def error_class
        'PermanentError'
      end
    end
  end
end
