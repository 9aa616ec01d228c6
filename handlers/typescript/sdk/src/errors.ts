/**
 * Errors for the real package's functional API (`defineHandler`), which maps
 * them to permanent / retryable failures. A class-based handler's worker
 * does NOT: anything thrown from `call` becomes a retryable failure. The
 * stand-in ships the classes (so imports resolve) but not `defineHandler`.
 */
export class PermanentError extends Error {
  readonly retryable = false;
  readonly metadata: Record<string, unknown>;

  constructor(message: string, metadata?: Record<string, unknown>) {
    super(message);
    this.name = 'PermanentError';
    this.metadata = metadata ?? {};
  }
}

export class RetryableError extends Error {
  readonly retryable = true;
  readonly metadata: Record<string, unknown>;

  constructor(message: string, metadata?: Record<string, unknown>) {
    super(message);
    this.name = 'RetryableError';
    this.metadata = metadata ?? {};
  }
}
