export { ErrorType } from './error-type';
export { PermanentError, RetryableError } from './errors';
export { StepContext, type StepContextParams } from './step-context';
export { StepHandler } from './step-handler';
export { StepHandlerResult, type StepHandlerResultParams } from './step-handler-result';
