# frozen_string_literal: true

module TaskerCore
  module Types
    # The real gem builds these with dry-struct; plain Structs keep the stand-in
    # dependency-free while answering to the same readers and predicates.
    module StepHandlerCallResult
      ERROR_TYPES = %w[PermanentError RetryableError ValidationError UnexpectedError StepCompletionError].freeze

      Success = Struct.new(:success, :result, :metadata, keyword_init: true) do
        def success? = true
        def checkpoint? = false
      end

      Error = Struct.new(:success, :error_type, :message, :error_code, :retryable, :metadata, keyword_init: true) do
        def success? = false
        def checkpoint? = false
      end

      class << self
        def success(result:, metadata: {})
          Success.new(success: true, result: result, metadata: metadata)
        end

        def error(error_type:, message:, error_code: nil, retryable: false, metadata: {})
          # The real attribute is an enum; reject what the real gem would reject.
          raise ArgumentError, "unknown error_type #{error_type.inspect}" unless ERROR_TYPES.include?(error_type)

          Error.new(success: false, error_type: error_type, message: message,
                    error_code: error_code, retryable: retryable, metadata: metadata)
        end
      end
    end
  end
end
