# frozen_string_literal: true

# Runs a whole template in-process, scheduled the way Tasker schedules it: a
# step becomes ready once every one of its dependencies has completed, all
# steps ready at the same moment form one round (Tasker would run them
# concurrently), and each step is handed the results of all its ancestors,
# not only of its direct parents.
module WorkflowRunner
  Run = Struct.new(:results, :rounds, :failed_step, :failure, keyword_init: true) do
    def complete? = failed_step.nil?
  end

  module_function

  def run(namespace, input)
    graph = VectorRunner.templates.fetch(namespace).fetch('steps')
                        .to_h { |definition| [definition['name'], definition.fetch('dependencies', [])] }
    results = {}
    rounds = []

    until results.size == graph.size
      ready = graph.select { |step, deps| !results.key?(step) && deps.all? { |dep| results.key?(dep) } }.keys
      raise "#{namespace}: no step is ready (dependency cycle?)" if ready.empty?

      rounds << ready
      ready.each do |step|
        visible = results.slice(*ancestors(step, graph))
        outcome = VectorRunner.run(VectorRunner.inline(namespace: namespace, step: step, input: input,
                                                       dependency_results: visible))
        return Run.new(results: results, rounds: rounds, failed_step: step, failure: outcome) unless outcome['success']

        results[step] = outcome['result']
      end
    end
    Run.new(results: results, rounds: rounds)
  end

  def ancestors(step, graph)
    graph.fetch(step).flat_map { |parent| [parent, *ancestors(parent, graph)] }.uniq
  end
end
