# frozen_string_literal: true

# The book shows these files through mdBook anchors, so the markers are part
# of the contract (common.md "Anchors"): checked here, next to the code.
RSpec.describe 'Ruby source conventions' do
  ruby_files = Dir[File.join(RUBY_HANDLERS_DIR, '**', '*.rb')].sort
  rel = ->(path) { path.delete_prefix("#{RUBY_HANDLERS_DIR}/") }

  required_anchors = {
    'post_01_ecommerce/step_handlers/validate_cart_handler.rb' => %w[handler retryable_error],
    'post_01_ecommerce/step_handlers/process_payment_handler.rb' => %w[handler dependency_access error_classification],
    'post_01_ecommerce/step_handlers/update_inventory_handler.rb' => %w[handler],
    'post_01_ecommerce/step_handlers/create_order_handler.rb' => %w[handler ancestor_results],
    'post_01_ecommerce/step_handlers/send_confirmation_handler.rb' => %w[handler],
    'post_01_ecommerce/models/product.rb' => %w[product_model catalogue],
    'post_01_ecommerce/models/order.rb' => %w[order_model],
    'post_02_data_pipeline/models/sample_data.rb' => %w[sales_records inventory_records customer_records],
    'post_02_data_pipeline/step_handlers/aggregate_metrics_handler.rb' => %w[handler convergence],
    'post_02_data_pipeline/step_handlers/generate_insights_handler.rb' => %w[handler health_score],
    'post_03_microservices/step_handlers/create_user_account_handler.rb' => %w[handler idempotency],
    'post_03_microservices/step_handlers/setup_billing_profile_handler.rb' => %w[handler graceful_degradation],
    'post_03_microservices/step_handlers/initialize_preferences_handler.rb' => %w[handler plan_defaults],
    'post_03_microservices/step_handlers/send_welcome_sequence_handler.rb' => %w[handler branch_results],
    'post_04_team_scaling/customer_success/step_handlers/get_manager_approval_handler.rb' =>
      %w[handler approval_pending],
    'post_04_team_scaling/customer_success/step_handlers/execute_refund_workflow_handler.rb' =>
      %w[handler cross_namespace],
    'shared/example_support.rb' => %w[rounding]
  }.freeze

  # name => [start line, end line, number of code lines inside]
  def anchors(lines)
    open = {}
    found = {}
    lines.each_with_index do |line, index|
      case line
      when /\A\s*# ANCHOR: (\w+)\s*\z/
        raise "duplicate anchor #{Regexp.last_match(1)}" if found.key?(Regexp.last_match(1)) || open.key?(Regexp.last_match(1))

        open[Regexp.last_match(1)] = index
      when /\A\s*# ANCHOR_END: (\w+)\s*\z/
        start = open.delete(Regexp.last_match(1)) or raise "ANCHOR_END without ANCHOR: #{Regexp.last_match(1)}"
        body = lines[(start + 1)...index].reject { |inner| inner.match?(/\A\s*# ANCHOR(_END)?: /) || inner.strip.empty? }
        found[Regexp.last_match(1)] = [start, index, body.size]
      end
    end
    raise "unclosed anchors #{open.keys}" unless open.empty?

    found
  end

  ruby_files.each do |file|
    it "#{rel[file]} starts with the frozen_string_literal magic comment" do
      expect(File.open(file, &:readline).chomp).to eq('# frozen_string_literal: true')
    end
  end

  required_anchors.each do |file, names|
    it "#{file} has non-empty anchors #{names.join(', ')}" do
      lines = File.readlines(File.join(RUBY_HANDLERS_DIR, file), chomp: true)
      found = anchors(lines)

      expect(found.keys).to include(*names)
      expect(found.values.map(&:last)).to all(be_positive)
    end
  end

  Dir[File.join(RUBY_HANDLERS_DIR, 'post_*', '**', 'step_handlers', '*.rb')].sort.each do |file|
    it "#{rel[file]}: the handler anchor runs from the require lines to the end of the file's code" do
      lines = File.readlines(file, chomp: true)
      start, finish, = anchors(lines).fetch('handler')
      code = lines.each_index.reject { |index| lines[index].strip.empty? || lines[index].start_with?('#') }

      expect(lines.index { |line| line.start_with?('require') }).to be > start
      expect(code.last).to be < finish
    end
  end

  it 'templates carry no anchors (they are shown whole)' do
    Dir[File.join(VectorRunner::TEMPLATES_DIR, '*.yaml')].each do |template|
      expect(File.read(template)).not_to match(/ANCHOR/), template
    end
  end
end
