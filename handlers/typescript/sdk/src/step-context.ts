/**
 * Constructor parameters. The real package additionally takes the raw FFI
 * event (`event: FfiStepEvent`) and offers `StepContext.fromFfiEvent`; the
 * stand-in has no native worker, so it has neither.
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
