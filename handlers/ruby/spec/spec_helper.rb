# frozen_string_literal: true

RUBY_HANDLERS_DIR = File.expand_path('..', __dir__)
REPO_ROOT = File.expand_path('../..', RUBY_HANDLERS_DIR)

# `require 'tasker_core'` must find the in-repo stand-in, as it would find the
# gem in a real project.
$LOAD_PATH.unshift(File.join(RUBY_HANDLERS_DIR, 'sdk', 'lib'))
require 'tasker_core'

Dir[File.join(__dir__, 'support', '**', '*.rb')].sort.each { |file| require file }

# The worker loads every handler file before resolving callables; so do we.
# A handler whose file is missing therefore fails at resolution, not at load.
Dir[File.join(RUBY_HANDLERS_DIR, 'post_*', '**', '*.rb')].sort.each { |file| require file }

RSpec.configure do |config|
  config.disable_monkey_patching!
  config.order = :defined
  config.expect_with(:rspec) { |expectations| expectations.max_formatted_output_length = nil }
end
