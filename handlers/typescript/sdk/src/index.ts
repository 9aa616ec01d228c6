export { ErrorType } from './error-type';
export { PermanentError, RetryableError } from './errors';
export { type FfiStepEvent, StepContext, type StepContextParams } from './step-context';
export { StepHandler } from './step-handler';
export { StepHandlerResult, type StepHandlerResultParams } from './step-handler-result';
