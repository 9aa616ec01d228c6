// Runs a whole task template in-process, the way orchestration would hand
// results along: steps in template order (each step's dependencies come
// earlier), every step seeing the results of ALL its ancestors, the run
// stopping at the first failure. No timing or retries: that is the real
// orchestrator's job; this checks that the handlers fit together.

import { StepContext } from '@tasker-systems/tasker';

import { findHandlerClass } from '../../registry';
import { normaliseResult, normaliseThrown, type Outcome, type Template, type TemplateStep } from './vectors';

export interface WorkflowRun {
  /** Result of every step that succeeded, by step name. */
  readonly results: Record<string, Record<string, unknown>>;
  readonly completed: string[];
  readonly failed?: { readonly step: string; readonly outcome: Outcome };
}

function ancestorsOf(step: TemplateStep, byName: ReadonlyMap<string, TemplateStep>): Set<string> {
  const ancestors = new Set<string>();
  const pending = [...(step.dependencies ?? [])];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (ancestors.has(name)) continue;
    ancestors.add(name);
    pending.push(...(byName.get(name)?.dependencies ?? []));
  }
  return ancestors;
}

export async function runWorkflow(template: Template, input: Record<string, unknown>): Promise<WorkflowRun> {
  const byName = new Map(template.steps.map((step) => [step.name, step]));
  const results: Record<string, Record<string, unknown>> = {};
  const completed: string[] = [];

  for (const step of template.steps) {
    const HandlerClass = findHandlerClass(step.handler.callable);
    if (!HandlerClass) throw new Error(`${template.file}: no handler class for ${step.handler.callable}`);
    const dependencyResults = Object.fromEntries(
      [...ancestorsOf(step, byName)].map((name) => [name, { result: results[name] }]),
    );
    const context = new StepContext({
      taskUuid: `workflow-${template.namespace_name}`,
      stepUuid: `workflow-step-${step.name}`,
      correlationId: 'workflow-correlation',
      handlerName: step.handler.callable,
      inputData: input,
      dependencyResults,
      stepConfig: step.handler.initialization ?? {},
      stepInputs: {},
      retryCount: 0,
      maxRetries: step.retry?.max_attempts ?? 1,
    });
    let outcome: Outcome;
    try {
      outcome = normaliseResult(await new HandlerClass().call(context));
    } catch (error) {
      outcome = normaliseThrown(error);
    }
    if (!outcome.success) return { results, completed, failed: { step: step.name, outcome } };
    results[step.name] = outcome.result ?? {};
    completed.push(step.name);
  }
  return { results, completed };
}
