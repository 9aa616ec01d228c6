# frozen_string_literal: true

# The e2e harness's Ruby worker: one long-lived process, many step calls.
#
# Protocol (newline-delimited JSON, see e2e/src/worker.rs): prints
# {"ready": true, ...} once, then answers each {"id", "callable", "context"}
# line with {"id", "outcome"} or {"id", "error"}. Each request runs in its own
# thread, so steps the harness starts together run together; replies go out
# as they finish and are matched by id.
#
# Everything handler-specific is reused from the Ruby spec suite
# (handlers/ruby/spec/support/vector_runner.rb): the callable is resolved as a
# class constant, the StepContext is built and the outcome normalised (raised
# PermanentError / RetryableError included) exactly as the vectors do it.
#
# Run with the SDK stand-in on the load path:
#   ruby -I handlers/ruby/sdk/lib e2e/workers/ruby/worker.rb

require 'json'

# vector_runner.rb locates handlers/ from these, as spec_helper.rb defines them.
REPO_ROOT = File.expand_path('../../..', __dir__)
RUBY_HANDLERS_DIR = File.join(REPO_ROOT, 'handlers', 'ruby')

require 'tasker_core'
require File.join(RUBY_HANDLERS_DIR, 'spec', 'support', 'vector_runner')

# The Ruby worker loads every handler file before resolving callables.
Dir[File.join(RUBY_HANDLERS_DIR, 'post_*', '**', '*.rb')].sort.each { |file| require file }

module E2eWorker
  module_function

  # Resolve, build the context, call, normalise. A callable that names no
  # handler class raises VectorRunner::ResolutionError: a set-up problem,
  # answered as "error" rather than as a handler failure.
  def run_step(request)
    callable = request.fetch('callable')
    context = request.fetch('context')
    handler_class = VectorRunner.handler_class(callable)
    initialization = context.fetch('step_config', nil) || {}
    definition = { 'handler' => { 'callable' => callable, 'initialization' => initialization },
                   'retry' => { 'max_attempts' => context.dig('retry', 'max_attempts') } }
    vector = VectorRunner::Vector.new(path: "(e2e) #{context['namespace']}/#{context['step']}", data: context)
    step_context = VectorRunner.build_context(vector, definition, initialization)
    { 'id' => request['id'], 'outcome' => call(handler_class.new(config: initialization), step_context) }
  end

  # VectorRunner.call classifies the two SDK errors; anything else escaping a
  # handler is retryable, as in the real worker.
  def call(handler, step_context)
    VectorRunner.call(handler, step_context)
  rescue StandardError => e
    VectorRunner.failure(nil, true, nil, {}, "#{e.class}: #{e.message}")
  end

  def answer(line, replies, lock)
    request = JSON.parse(line)
    reply = begin
      run_step(request)
    rescue StandardError => e
      { 'id' => request['id'], 'error' => "#{e.class}: #{e.message}" }
    end
    send_reply(reply, replies, lock)
  rescue JSON::ParserError => e
    send_reply({ 'id' => nil, 'error' => "JSON::ParserError: #{e.message}" }, replies, lock)
  end

  def send_reply(reply, replies, lock)
    line = begin
      JSON.generate(reply)
    rescue JSON::GeneratorError => e
      # A result that is not JSON would not survive the real worker either.
      JSON.generate({ 'id' => reply['id'], 'error' => "unserialisable reply: #{e.message}" })
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
    send_reply({ 'ready' => true, 'language' => 'ruby', 'pid' => Process.pid }, replies, lock)

    threads = []
    $stdin.each_line do |line|
      next if line.strip.empty?

      threads << Thread.new(line) { |request_line| answer(request_line, replies, lock) }
      threads.reject! { |thread| !thread.alive? }
    end
    # stdin closed: the harness is gone. Finish what is running, then exit.
    threads.each(&:join)
  end
end

E2eWorker.main if $PROGRAM_NAME == __FILE__
