/**
 * Error classification values shared with the Python and Ruby workers.
 * Same member names and string values as the real package.
 */
export enum ErrorType {
  PERMANENT_ERROR = 'permanent_error',
  RETRYABLE_ERROR = 'retryable_error',
  VALIDATION_ERROR = 'validation_error',
  TIMEOUT = 'timeout',
  HANDLER_ERROR = 'handler_error',
}
