# frozen_string_literal: true

require 'json'

# expect(outcome).to satisfy_vector(vector): one readable report per vector,
# listing the file, every mismatching path and the whole actual outcome.
RSpec::Matchers.define :satisfy_vector do |vector, clock = nil|
  match do |outcome|
    @problems = VectorRunner.mismatches(vector.expectation, outcome, clock)
    @problems.empty?
  end

  failure_message do |outcome|
    <<~REPORT
      #{vector.name} (#{vector.data['description']})
      #{@problems.map { |problem| "  #{problem}" }.join("\n")}
      actual outcome:
      #{JSON.pretty_generate(outcome)}
    REPORT
  end
end
