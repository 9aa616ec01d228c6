/**
 * The step as the worker core hands it to TypeScript: napi's camelCase view
 * of the engine's TaskSequenceStep (the task flattened, the handler's
 * initialization as `stepDefinition.handlerInitialization`). Only the fields
 * the SDK reads are typed; the core sends more.
 */
export interface FfiStepEvent {
  eventId: string;
  taskUuid: string;
  stepUuid: string;
  correlationId: string;
  task: { context?: Record<string, unknown> | null; [field: string]: unknown };
  workflowStep: {
    attempts?: number | null;
    maxAttempts?: number | null;
    inputs?: Record<string, unknown> | null;
    [field: string]: unknown;
  };
  stepDefinition: { handlerInitialization?: Record<string, unknown> | null; [field: string]: unknown };
  /** Every ancestor's stored record ({stepUuid, success, result, status, ...}), by step name. */
  dependencyResults: Record<string, unknown>;
}

/**
 * Constructor parameters. The real package also keeps the raw event
 * (`event: FfiStepEvent`); the stand-in does not.
 */
export interface StepContextParams {
  taskUuid: string;
  stepUuid: string;
  correlationId: string;
  handlerName: string;
  inputData: Record<string, unknown>;
  dependencyResults: Record<string, unknown>;
  stepConfig: Record<string, unknown>;
  stepInputs: Record<string, unknown>;
  retryCount: number;
  maxRetries: number;
}

/** Everything a handler may read: task input, ancestor results, step config, retry state. */
export class StepContext {
  readonly taskUuid: string;
  readonly stepUuid: string;
  readonly correlationId: string;
  readonly handlerName: string;
  readonly inputData: Record<string, unknown>;
  readonly dependencyResults: Record<string, unknown>;
  readonly stepConfig: Record<string, unknown>;
  readonly stepInputs: Record<string, unknown>;
  readonly retryCount: number;
  readonly maxRetries: number;

  constructor(params: StepContextParams) {
    this.taskUuid = params.taskUuid;
    this.stepUuid = params.stepUuid;
    this.correlationId = params.correlationId;
    this.handlerName = params.handlerName;
    this.inputData = params.inputData;
    this.dependencyResults = params.dependencyResults;
    this.stepConfig = params.stepConfig;
    this.stepInputs = params.stepInputs;
    this.retryCount = params.retryCount;
    this.maxRetries = params.maxRetries;
  }

  /** The context for one step the worker core delivered, as the real worker builds it. */
  static fromFfiEvent(event: FfiStepEvent, handlerName: string): StepContext {
    const workflowStep = event.workflowStep ?? {};
    return new StepContext({
      taskUuid: event.taskUuid,
      stepUuid: event.stepUuid,
      correlationId: event.correlationId,
      handlerName,
      inputData: event.task?.context ?? {},
      dependencyResults: event.dependencyResults ?? {},
      stepConfig: event.stepDefinition?.handlerInitialization ?? {},
      stepInputs: workflowStep.inputs ?? {},
      // The first attempt arrives with attempts null: the SDK reads 0.
      retryCount: workflowStep.attempts ?? 0,
      maxRetries: workflowStep.maxAttempts ?? 3,
    });
  }

  getInput<T = unknown>(key: string): T | undefined {
    return this.inputData[key] as T | undefined;
  }

  /** The default applies only when the key is undefined, not for null or other falsy values. */
  getInputOr<T = unknown>(key: string, defaultValue: T): T {
    const value = this.inputData[key];
    return value === undefined ? defaultValue : (value as T);
  }

  getConfig<T = unknown>(key: string): T | undefined {
    return this.stepConfig[key] as T | undefined;
  }

  /**
   * The worker stores each step's output wrapped as `{result: ...}`; this
   * returns the inner value, or null when the step has no result.
   */
  getDependencyResult(stepName: string): unknown {
    const stored = this.dependencyResults[stepName];
    if (stored === undefined || stored === null) {
      return null;
    }
    if (typeof stored === 'object' && 'result' in stored) {
      return (stored as Record<string, unknown>).result;
    }
    return stored;
  }

  /** Walks `path` into the unwrapped result; null as soon as a level is not an object. */
  getDependencyField(stepName: string, ...path: string[]): unknown {
    let value = this.getDependencyResult(stepName);
    if (value === null || value === undefined) {
      return null;
    }
    for (const key of path) {
      if (typeof value !== 'object' || value === null) {
        return null;
      }
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  }

  isRetry(): boolean {
    return this.retryCount > 0;
  }

  isLastRetry(): boolean {
    return this.retryCount >= this.maxRetries - 1;
  }
}
