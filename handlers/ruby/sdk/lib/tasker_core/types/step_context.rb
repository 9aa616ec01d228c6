# frozen_string_literal: true

module TaskerCore
  module Types
    # What a handler's #call(context) receives.
    #
    # Built from the same step-data hash the real worker passes in:
    #   { task: { task: { task_uuid:, context: {...} }, namespace_name: },
    #     workflow_step: { workflow_step_uuid:, name:, attempts:, max_attempts: },
    #     dependency_results: { 'step' => { 'result' => ... } },
    #     step_definition: { name:, handler: { callable:, initialization: {...} } } }
    #
    # The real gem wraps nested hashes in ActiveSupport's
    # HashWithIndifferentAccess; the stand-in deep-stringifies keys instead, so
    # string keys (what handlers here use) behave identically in both.
    class StepContext
      attr_reader :handler_name, :namespace_name, :step_name, :task_uuid, :step_uuid,
                  :context, :step_config, :dependency_results

      def initialize(step_data, handler_name: nil)
        task = step_data.fetch(:task, {})
        inner_task = task[:task] || task
        workflow_step = step_data.fetch(:workflow_step, {})
        definition = step_data.fetch(:step_definition, {})
        handler = definition.fetch(:handler, {})

        @task_uuid = inner_task[:task_uuid]
        @context = stringify(inner_task[:context] || {})
        @namespace_name = task[:namespace_name] || inner_task[:namespace_name]
        @step_uuid = workflow_step[:workflow_step_uuid]
        @step_name = workflow_step[:name] || definition[:name]
        @attempts = workflow_step[:attempts]
        @max_attempts = workflow_step[:max_attempts]
        @dependency_results = stringify(step_data[:dependency_results] || {})
        @step_config = stringify(handler[:initialization] || {})
        @handler_name = handler_name || handler[:callable]
      end

      def get_task_field(field_name)
        @context[field_name.to_s]
      end
      alias get_input get_task_field

      def get_input_or(field_name, default = nil)
        value = get_task_field(field_name)
        value.nil? ? default : value
      end

      def get_config(key)
        @step_config[key.to_s]
      end

      # Dependency results arrive as { 'result' => value, ... }; handlers want the value.
      def get_dependency_result(step_name)
        entry = @dependency_results[step_name.to_s]
        entry.is_a?(Hash) && entry.key?('result') ? entry['result'] : entry
      end

      def get_dependency_field(step_name, *path)
        result = get_dependency_result(step_name)
        return nil if result.nil?

        result.dig(*path.map(&:to_s))
      end

      def retry_count
        @attempts || 0
      end

      def max_retries
        @max_attempts || 3
      end

      def is_retry?
        retry_count.positive?
      end

      def is_last_retry?
        retry_count >= max_retries - 1
      end

      private

      def stringify(value)
        case value
        when Hash then value.to_h { |key, val| [key.to_s, stringify(val)] }
        when Array then value.map { |val| stringify(val) }
        else value
        end
      end
    end
  end
end
