# frozen_string_literal: true

require 'fileutils'
require 'open3'
require 'tmpdir'

# TASKER_VECTORS_DIR: the vector runner reads its folder from the environment
# at run time, so anyone can run this suite against a vector set of their own.
RSpec.describe 'TASKER_VECTORS_DIR' do
  # A vector that exists nowhere in handlers/vectors: if it runs, the folder came from the variable.
  distinctive_name = 'post_99_elsewhere/validate_cart__only_in_a_custom_folder.json'
  distinctive_vector = {
    'description' => 'An empty context has no cart: permanent MISSING_CART_ITEMS.',
    'namespace' => 'ecommerce', 'step' => 'validate_cart', 'input' => {}, 'dependency_results' => {},
    'expect' => { 'outcome' => 'failure', 'error_code' => 'MISSING_CART_ITEMS', 'retryable' => false }
  }

  around do |example|
    Dir.mktmpdir('tasker-vectors-') do |folder|
      @folder = folder
      FileUtils.mkdir_p(File.join(folder, File.dirname(distinctive_name)))
      File.write(File.join(folder, distinctive_name), JSON.generate(distinctive_vector))
      example.run
    end
  end

  # The real vector spec in a fresh rspec process, pointed at +folder+.
  def run_vector_spec(folder)
    env = { VectorRunner::VECTORS_DIR_VARIABLE => folder }
    Open3.capture2e(env, 'rspec', '--format', 'documentation', 'spec/vectors_spec.rb', chdir: RUBY_HANDLERS_DIR)
  end

  it 'falls back to handlers/vectors without the variable' do
    expect(VectorRunner.vectors_dir({})).to eq(VectorRunner::DEFAULT_VECTORS_DIR)
    expect(VectorRunner.vectors_dir(VectorRunner::VECTORS_DIR_VARIABLE => '')).to eq(VectorRunner::DEFAULT_VECTORS_DIR)
  end

  it 'is read when the vectors load' do
    dir = VectorRunner.vectors_dir(VectorRunner::VECTORS_DIR_VARIABLE => @folder)
    names = VectorRunner.vector_paths(dir).map { |path| VectorRunner.read_vector(path, root: dir).name }
    expect(names).to eq([distinctive_name])
  end

  it 'makes a missing folder an error naming the variable' do
    expect { VectorRunner.vectors_dir(VectorRunner::VECTORS_DIR_VARIABLE => File.join(@folder, 'no_such_folder')) }
      .to raise_error(VectorRunner::VectorsDirError, /TASKER_VECTORS_DIR/)
  end

  it 'runs exactly the vectors of the named folder' do
    output, status = run_vector_spec(@folder)
    expect(status).to be_success, output
    expect(output).to include('2 examples, 0 failures') # "finds vectors" + the one vector
    expect(output).to include(distinctive_name)
  end

  it 'stops on a missing folder' do
    output, status = run_vector_spec(File.join(@folder, 'no_such_folder'))
    expect(status).not_to be_success
    expect(output).to include('TASKER_VECTORS_DIR')
  end
end
