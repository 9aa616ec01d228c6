# frozen_string_literal: true

# The Ruby half of the book's Ruby worker. The Rust worker core
# (engine/src/bridge.rs) owns the queue, claims and results; it hands each
# step here as one JSON line, {"id", "callable", "step"}, where `step` is the
# TaskSequenceStep hash tasker-rb receives from its core. This process
# resolves the callable as a class constant (as tasker-rb does), builds
# TaskerCore::Types::StepContext from that hash, runs #call, and answers
# {"id", "result"}. Each step runs in its own thread; answers go out as they
# finish.
#
#   ruby -I handlers/ruby/sdk/lib engine/workers/ruby/worker.rb
#
# TASKER_BOOK_EXTRA_HANDLERS, when set, names a folder of further handler
# files to load as well (the engine suite's probes,
# engine/tests/fixtures/probe); unset, the book's handlers only.

require 'json'

REPO_ROOT = File.expand_path('../../..', __dir__)
RUBY_HANDLERS_DIR = File.join(REPO_ROOT, 'handlers', 'ruby')

require 'tasker_core'
# The worker's classification of what a handler returns or raises
# (PermanentError → not retried, RetryableError → retried) is the one the
# spec suite uses.
require File.join(RUBY_HANDLERS_DIR, 'spec', 'support', 'vector_runner')

Dir[File.join(RUBY_HANDLERS_DIR, 'post_*', '**', '*.rb')].sort.each { |file| require file }

if (extra = ENV.fetch('TASKER_BOOK_EXTRA_HANDLERS', '')) != ''
  extra_files = Dir[File.join(File.expand_path(extra), '**', '*.rb')]
  # A mistyped folder would otherwise start a worker that fails every step it is sent.
  abort "TASKER_BOOK_EXTRA_HANDLERS=#{extra}: no .rb files there" if extra_files.empty?
  extra_files.sort.each { |file| require file }
end

module BookRubyWorker
  module_function

  def callables
    ObjectSpace.each_object(Class)
               .select { |klass| klass < TaskerCore::StepHandler::Base && klass.name }
               .map(&:name).sort
  end

  def run_step(request)
    step = request.fetch(:step)
    callable = request.fetch(:callable)
    handler_class = VectorRunner.handler_class(callable)
    initialization = step.dig(:step_definition, :handler, :initialization) || {}
    context = TaskerCore::Types::StepContext.new(step, handler_name: callable)
    handler = handler_class.new(config: VectorRunner.jsonify(initialization))
    { 'id' => request[:id], 'result' => answer_of(outcome(handler, context)) }
  end

  def outcome(handler, context)
    VectorRunner.call(handler, context)
  rescue StandardError => e
    # Anything else escaping a handler is retryable, as in tasker-rb.
    VectorRunner.failure(nil, true, nil, {}, "#{e.class}: #{e.message}")
  end

  # The normalised outcome in the terms the worker core maps to the engine's result.
  def answer_of(outcome)
    return { 'success' => true, 'result' => outcome['result'], 'metadata' => {} } if outcome['success']

    metadata = outcome['context'] || {}
    metadata = metadata.merge('retry_after' => outcome['retry_after']) if outcome['retry_after']
    { 'success' => false, 'result' => nil, 'error_message' => outcome['message'],
      'error_code' => outcome['error_code'], 'retryable' => outcome['retryable'], 'metadata' => metadata }
  end

  def answer(line, replies, lock)
    request = JSON.parse(line, symbolize_names: true)
    reply = begin
      run_step(request)
    rescue StandardError => e
      { 'id' => request[:id], 'error' => "#{e.class}: #{e.message}" }
    end
    send_reply(reply, replies, lock)
  rescue JSON::ParserError => e
    send_reply({ 'id' => nil, 'error' => "JSON::ParserError: #{e.message}" }, replies, lock)
  end

  def send_reply(reply, replies, lock)
    line = begin
      JSON.generate(reply)
    rescue JSON::GeneratorError => e
      JSON.generate({ 'id' => reply['id'], 'error' => "result is not JSON: #{e.message}" })
    end
    lock.synchronize do
      replies.write("#{line}\n")
      replies.flush
    end
  end

  def main
    # The protocol owns stdout: anything else printed goes to stderr instead.
    replies = $stdout.dup
    $stdout.reopen($stderr)
    lock = Mutex.new
    send_reply({ 'ready' => true, 'language' => 'ruby', 'pid' => Process.pid, 'callables' => callables },
               replies, lock)
    $stdin.each_line do |line|
      Thread.new(line) { |request_line| answer(request_line, replies, lock) } unless line.strip.empty?
    end
    # stdin closed: the worker core is gone.
  end
end

BookRubyWorker.main if $PROGRAM_NAME == __FILE__
