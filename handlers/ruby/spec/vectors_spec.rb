# frozen_string_literal: true

paths = VectorRunner.vector_paths
vectors = paths.map { |path| VectorRunner.read_vector(path) }
pending = vectors.select(&:not_yet_ported?)

RSpec.describe "Shared conformance vectors (#{vectors.size} found, #{pending.size} pending: not yet ported)" do
  it 'finds vectors under handlers/vectors' do
    expect(paths).not_to be_empty, "no *.json under #{VectorRunner.vectors_dir}"
  end

  vectors.each do |vector|
    it vector.name do
      skip "namespace #{vector.namespace} is not yet ported to Ruby (VectorRunner::NOT_YET_PORTED)" if vector.not_yet_ported?

      outcome, clock = VectorRunner.run_timed(vector)
      expect(outcome).to satisfy_vector(vector, clock)
    end
  end
end
