/** An error HQ answers with `{ error, message, field? }` and the given HTTP status. */
export class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds the client should wait (sent as Retry-After), for 429 and 503. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HqError';
  }
}
