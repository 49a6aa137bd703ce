import type { ErrorBody } from '../protocol/wire.ts';

/** HQ answered with an error status. `body` is HQ's `{ error, message, field? }`. */
export class HqResponseError extends Error {
  /** HQ's error code (`body.error`); also where RxDB passes errors on as plain JSON, which keeps `code`. */
  readonly code: string;
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.field ? `${body.message} (field ${body.field})` : body.message);
    this.name = 'HqResponseError';
    this.code = body.error;
  }
}

/** HQ could not be reached at all (network down, HQ stopped). */
export class HqUnreachableError extends Error {
  constructor(cause: unknown) {
    super(`HQ cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'HqUnreachableError';
  }
}

export interface HttpHooks {
  /** HQ answered; `ok`: with a 2xx (it took the request). */
  onReachable?(ok: boolean): void;
  onUnreachable?(error: HqUnreachableError): void;
}

/** HQ's answers that refuse this register's token itself (withdrawn, expired, unknown, or slowed down). */
const TOKEN_REFUSALS = new Set(['token_revoked', 'token_expired', 'unauthorized', 'rate_limited']);

/**
 * After HQ refused the register's token, how long requests are answered here with that refusal
 * instead of being sent: a withdrawn register would otherwise ask again every 3 s for every
 * collection. One request a pause still goes out, so a token HQ takes again is noticed.
 */
export const REFUSED_PAUSE_MS = 15_000;

/** HQ's error answer (`{ error, message, field? }`), or what stands in for it when a gateway answered instead. */
function hqResponseError(status: number, json: unknown): HqResponseError {
  const b = json as Partial<ErrorBody> | null;
  return new HqResponseError(status, {
    error: typeof b?.error === 'string' ? b.error : `http_${status}`,
    message: typeof b?.message === 'string' ? b.message : `HQ answered ${status}`,
    ...(typeof b?.field === 'string' ? { field: b.field } : {}),
  });
}

/** The register's only way to talk to HQ. Reports reachability to whoever tracks it. */
export class HqHttp {
  /** The register's token and HQ's refusal of it: one per register, shared by `withTimeout` views. */
  private readonly conn: { token: string | null; refusal: { error: HqResponseError; until: number } | null };

  constructor(
    readonly baseUrl: string,
    token: string | null,
    private readonly hooks: HttpHooks = {},
    private readonly timeoutMs = 20_000,
    private readonly refusedPauseMs = REFUSED_PAUSE_MS,
    shared?: HqHttp['conn'],
  ) {
    this.conn = shared ?? { token, refusal: null };
  }

  /**
   * The same connection to HQ with another request timeout (a lookup a person waits for gives
   * up sooner): the token, a renewal of it, and HQ's refusal of it are shared with this one.
   */
  withTimeout(timeoutMs: number): HqHttp {
    return new HqHttp(this.baseUrl, null, this.hooks, timeoutMs, this.refusedPauseMs, this.conn);
  }

  /** After a token renewal: every later request carries the new token. */
  setToken(token: string): void {
    this.conn.token = token;
    this.conn.refusal = null;
  }

  url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}${path}`;
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.conn.token ? { authorization: `Bearer ${this.conn.token}` } : {}), ...extra };
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<T> {
    // A request with a token of its own (enrolment) is not this register's token.
    if (!token) this.throwIfRefused();
    let res: Response;
    try {
      res = await fetch(this.url(path), {
        method,
        headers: {
          ...this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const err = new HqUnreachableError(e);
      this.hooks.onUnreachable?.(err);
      throw err;
    }
    this.hooks.onReachable?.(res.ok);
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const error = hqResponseError(res.status, json);
      if (!token) this.noteRefusal(error);
      throw error;
    }
    return json as T;
  }

  /**
   * Opens HQ's event stream. HQ must answer within the request timeout; the stream then stays
   * open until `signal` aborts it. It passes the same gate as every request: while HQ's refusal
   * of the token holds, the refusal is thrown without asking, and a refused stream closes the
   * gate for the other requests too. Any other error answer (a gateway's 502 while HQ restarts)
   * holds nothing back.
   */
  async openStream(path: string, signal: AbortSignal): Promise<Response> {
    this.throwIfRefused();
    // A connect that hangs (packets dropped, not refused) would otherwise hold the stream, and
    // with it the live pulls, for the operating system's TCP timeout of minutes.
    const answered = new AbortController();
    const timer = setTimeout(() => answered.abort(new Error(`no answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.url(path), { headers: this.headers(), signal: AbortSignal.any([signal, answered.signal]) });
    } catch (e) {
      if (signal.aborted) throw e;
      const err = new HqUnreachableError(answered.signal.aborted ? answered.signal.reason : e);
      this.hooks.onUnreachable?.(err);
      throw err;
    } finally {
      clearTimeout(timer);
    }
    this.hooks.onReachable?.(res.ok);
    if (res.ok) return res;
    const error = hqResponseError(res.status, await res.json().catch(() => null));
    this.noteRefusal(error);
    throw error;
  }

  /** How long HQ's refusal of the token still holds requests back (0: not refused). */
  refusedForMs(): number {
    return this.conn.refusal ? Math.max(0, this.conn.refusal.until - Date.now()) : 0;
  }

  private throwIfRefused(): void {
    if (!this.conn.refusal) return;
    if (Date.now() < this.conn.refusal.until) throw this.conn.refusal.error;
    this.conn.refusal = null;
  }

  /** An error answer to a request with this register's token: a refusal of the token itself closes the gate. */
  private noteRefusal(error: HqResponseError): void {
    if ((error.status === 401 || error.status === 429) && TOKEN_REFUSALS.has(error.code)) this.conn.refusal = { error, until: Date.now() + this.refusedPauseMs };
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown, token?: string): Promise<T> {
    return this.request<T>('POST', path, body, token);
  }
}
