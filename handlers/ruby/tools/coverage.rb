# frozen_string_literal: true

# Runs the RSpec suite under Ruby's own line coverage (the stdlib Coverage
# module) and writes LCOV line records for the handler sources
# (scripts/coverage runs it). Coverage must start before the first handler
# file is required, which spec_helper does, so this file starts it and then
# hands over to RSpec.
#
# A line is executable when Coverage counts it (a number, not nil): `end`,
# `else`, blank lines and comments are nil, as Ruby compiles no code there.
#
# Usage (from handlers/ruby): ruby tools/coverage.rb OUT.lcov [rspec arguments]

require 'coverage'

out = ARGV.shift or abort 'usage: ruby tools/coverage.rb OUT.lcov [rspec arguments]'
root = File.expand_path('..', __dir__)
Coverage.start(lines: true)

require 'rspec/core'
# RSpec falls back to spec/ only when run as `rspec`; this script is not.
status = RSpec::Core::Runner.run(ARGV.empty? ? ['spec'] : ARGV)

# Only the handlers and their shared module: the specs and this file are not book code.
skipped = %r{\A#{Regexp.escape(root)}/(spec|tools)/}
records = Coverage.result.filter_map do |path, counts|
  next unless path.start_with?("#{root}/") && !path.match?(skipped)

  lines = counts[:lines].each_with_index.reject { |count, _| count.nil? }
  body = lines.map { |count, index| "DA:#{index + 1},#{count}\n" }.join
  "SF:#{path}\n#{body}LF:#{lines.size}\nLH:#{lines.count { |count, _| count.positive? }}\nend_of_record\n"
end
File.write(out, records.sort.join)
exit status
