/** An error HQ answers with `{ error, message, field? }` and the given HTTP status. */
export class HqError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HqError';
  }
}
