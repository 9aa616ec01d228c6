# frozen_string_literal: true

# Stand-in for the `tasker-rb` gem (see ../README.md). Only the public names a
# step handler touches are provided; there is no worker, FFI or orchestration.

require_relative 'tasker_core/errors'
require_relative 'tasker_core/types/step_context'
require_relative 'tasker_core/types/step_handler_call_result'
require_relative 'tasker_core/step_handler/base'
