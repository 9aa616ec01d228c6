# frozen_string_literal: true

require 'json'
require 'securerandom'
require 'time'
require 'yaml'

# Runs one shared conformance vector (handlers/vectors/**/*.json, or the folder
# TASKER_VECTORS_DIR names) against the Ruby handlers the way the Ruby worker
# would: template namespace + step -> handler.callable -> class constant ->
# #call(StepContext).
module VectorRunner
  DEFAULT_VECTORS_DIR = File.join(REPO_ROOT, 'handlers', 'vectors')
  # Names another vector folder to run instead (read when the vectors load),
  # so anyone can run this suite against a vector set of their own.
  VECTORS_DIR_VARIABLE = 'TASKER_VECTORS_DIR'
  TEMPLATES_DIR = File.join(REPO_ROOT, 'handlers', 'templates', 'ruby')

  # Posts whose Ruby handlers do not exist yet: their vectors are reported as
  # pending. Any other namespace without a template or handler is a failure.
  NOT_YET_PORTED = %w[].freeze

  # Raised for vectors the Ruby side cannot even attempt (no template, no step,
  # no class): these are failures, with a message saying what is missing.
  class ResolutionError < StandardError; end

  # TASKER_VECTORS_DIR names a folder that does not exist.
  class VectorsDirError < StandardError; end

  Vector = Struct.new(:path, :root, :data, keyword_init: true) do
    def name = path.delete_prefix("#{root}/")
    def namespace = data.fetch('namespace')
    def step = data.fetch('step')
    def expectation = data.fetch('expect')
    def not_yet_ported? = NOT_YET_PORTED.include?(namespace)
  end

  module_function

  # The vector folder of this run: $TASKER_VECTORS_DIR if set (relative to the
  # current directory), else handlers/vectors. A folder that does not exist is
  # an error, never an empty and so vacuously passing run.
  def vectors_dir(env = ENV)
    configured = env.fetch(VECTORS_DIR_VARIABLE, '')
    return DEFAULT_VECTORS_DIR if configured.empty?

    folder = File.expand_path(configured)
    return folder if File.directory?(folder)

    raise VectorsDirError, "#{VECTORS_DIR_VARIABLE}=#{configured.inspect} is not a folder (#{folder} does not exist)"
  end

  def vector_paths(dir = vectors_dir)
    Dir[File.join(dir, '**', '*.json')].sort
  end

  def read_vector(path, root: vectors_dir)
    Vector.new(path: path, root: root, data: JSON.parse(File.read(path)))
  end

  # A vector written in a spec rather than read from handlers/vectors.
  def inline(namespace:, step:, input:, dependency_results: {})
    Vector.new(path: "(inline) #{namespace}/#{step}", root: '',
               data: { 'namespace' => namespace, 'step' => step, 'input' => input,
                       'dependency_results' => dependency_results, 'expect' => {} })
  end

  def templates
    @templates ||= Dir[File.join(TEMPLATES_DIR, '*.yaml')].sort.to_h do |file|
      template = YAML.safe_load_file(file)
      [template.fetch('namespace_name'), template.merge('__file' => file)]
    end
  end

  def step_definition(namespace, step)
    template = templates[namespace] or
      raise ResolutionError, "no template with namespace_name #{namespace.inspect} in #{TEMPLATES_DIR}"
    template.fetch('steps').find { |definition| definition['name'] == step } or
      raise ResolutionError, "template #{File.basename(template['__file'])} has no step #{step.inspect}"
  end

  # Mirrors the worker's class-constant resolver: the callable names a class.
  def handler_class(callable)
    klass = Object.const_get(callable)
    return klass if klass.is_a?(Class) && klass < TaskerCore::StepHandler::Base

    raise ResolutionError, "#{callable} is not a TaskerCore::StepHandler::Base subclass"
  rescue NameError
    raise ResolutionError, "callable #{callable} is not defined (missing handler file?)"
  end

  # Returns the normalised outcome (string keys, JSON values):
  #   {"success"=>true, "result"=>...} or
  #   {"success"=>false, "error_code", "retryable", "retry_after", "context", "message"}
  def run(vector)
    call(*prepare(vector))
  end

  # The outcome, and the clock of the run ([start, end]) for the relative
  # expectations ($timestamp / $date from "now").
  def run_timed(vector)
    start = Time.now
    outcome = run(vector)
    [outcome, JsonMatch::RunClock.new(start: start, end: Time.now)]
  end

  # The handler instance and the StepContext the worker would hand it.
  def prepare(vector)
    definition = step_definition(vector.namespace, vector.step)
    initialization = vector.data.fetch('step_config') { definition.dig('handler', 'initialization') || {} }
    handler = handler_class(definition.dig('handler', 'callable')).new(config: initialization)
    [handler, build_context(vector, definition, initialization)]
  end

  # {"$now_offset_days": N} may stand for a timestamp in the input or in an
  # earlier step's result (post 04's original_purchase_date): both are resolved.
  def build_context(vector, definition, initialization)
    retry_state = vector.data.fetch('retry', {})
    template = templates.fetch(vector.namespace)
    now = Time.now
    TaskerCore::Types::StepContext.new(
      {
        task: { task: { task_uuid: SecureRandom.uuid,
                        context: resolve_now_offsets(vector.data.fetch('input', {}), now: now) },
                namespace_name: vector.namespace, task_name: template['name'], task_version: template['version'] },
        workflow_step: { workflow_step_uuid: SecureRandom.uuid, name: vector.step,
                         attempts: retry_state.fetch('attempts', 0),
                         max_attempts: retry_state.fetch('max_attempts') { definition.dig('retry', 'max_attempts') } },
        dependency_results: resolve_now_offsets(vector.data.fetch('dependency_results', {}), now: now)
                              .transform_values { |result| { 'result' => result } },
        step_definition: { name: vector.step, handler: { callable: definition.dig('handler', 'callable'),
                                                          initialization: initialization } }
      }
    )
  end

  # Ruby handlers raise; the worker turns PermanentError into a non-retryable
  # failure and RetryableError into a retryable one. RetryableError carries no
  # error_code, so the handlers put it in the error's context.
  def call(handler, context)
    normalise_returned(handler.call(context))
  rescue TaskerCore::Errors::PermanentError => e
    failure(e.error_code, false, nil, e.context, e.message)
  rescue TaskerCore::Errors::RetryableError => e
    context = jsonify(e.context || {})
    failure(context['error_code'], true, e.retry_after, context, e.message)
  end

  def normalise_returned(result)
    case result
    when TaskerCore::Types::StepHandlerCallResult::Success
      { 'success' => true, 'result' => jsonify(result.result) }
    when TaskerCore::Types::StepHandlerCallResult::Error
      metadata = jsonify(result.metadata || {})
      failure(result.error_code, result.retryable, metadata['retry_after'], metadata, result.message)
    else
      raise "handler returned #{result.class}, not a StepHandlerCallResult"
    end
  end

  def failure(error_code, retryable, retry_after, context, message)
    { 'success' => false, 'error_code' => error_code, 'retryable' => retryable,
      'retry_after' => retry_after, 'context' => jsonify(context || {}), 'message' => message }
  end

  # What the worker would put on the wire; also proves the result serialises.
  def jsonify(value)
    JSON.parse(JSON.generate(value))
  end

  def resolve_now_offsets(value, now: Time.now)
    case value
    when Hash
      if value.keys == ['$now_offset_days']
        (now + (value['$now_offset_days'] * 86_400)).utc.iso8601
      else
        value.transform_values { |child| resolve_now_offsets(child, now: now) }
      end
    when Array then value.map { |child| resolve_now_offsets(child, now: now) }
    else value
    end
  end

  # Compares a normalised outcome with a vector's "expect" block. Relative
  # expectations name fields of the result (or of a failure's context).
  def mismatches(expectation, outcome, clock = nil)
    if expectation['outcome'] == 'success'
      return ["outcome: expected success, got failure #{outcome['error_code']} (#{outcome['message']})"] unless outcome['success']

      scope = JsonMatch::Scope.new(clock: clock, root: outcome['result'])
      JsonMatch.mismatches(expectation.fetch('result', {}), outcome['result'], '$.result', scope)
    else
      return ['outcome: expected failure, got success'] if outcome['success']

      expected = expectation.slice('error_code', 'retryable', 'retry_after', 'context')
      scope = JsonMatch::Scope.new(clock: clock, root: outcome['context'])
      JsonMatch.mismatches(expected, outcome.slice(*expected.keys), '$', scope)
    end
  end
end
