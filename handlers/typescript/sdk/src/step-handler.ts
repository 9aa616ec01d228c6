import { ErrorType } from './error-type';
import type { StepContext } from './step-context';
import { StepHandlerResult } from './step-handler-result';

/**
 * Base class of class-based handlers. The worker finds a handler by its
 * static `handlerName`, which a task template names as `handler.callable`.
 */
export abstract class StepHandler {
  static handlerName: string;
  static handlerVersion = '1.0.0';

  abstract call(context: StepContext): Promise<StepHandlerResult>;

  get name(): string {
    const ctor = this.constructor as typeof StepHandler;
    return ctor.handlerName || ctor.name;
  }

  get version(): string {
    return (this.constructor as typeof StepHandler).handlerVersion;
  }

  protected success(result: Record<string, unknown>, metadata?: Record<string, unknown>): StepHandlerResult {
    return StepHandlerResult.success(result, metadata);
  }

  protected failure(
    message: string,
    errorType: ErrorType | string = ErrorType.HANDLER_ERROR,
    retryable = true,
    metadata?: Record<string, unknown>,
    errorCode?: string,
  ): StepHandlerResult {
    return StepHandlerResult.failure(message, errorType, retryable, metadata, errorCode);
  }
}
