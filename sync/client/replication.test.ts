import { describe, expect, it } from 'vitest';
import { HqResponseError, HqUnreachableError } from './http.ts';
import { isRefusal } from './replication.ts';

// Only HQ's own "this record is wrong" answers make the register stop sending a sale; anything
// else — a gateway's 4xx, a timeout, HQ down — is retried, so no sale is given up on by mistake.
describe('isRefusal', () => {
  it('takes HQ’s own refusals of a record', () => {
    for (const status of [400, 403, 409, 413, 422]) {
      expect(isRefusal(new HqResponseError(status, { error: 'invalid', message: 'totalCents: must be …', field: '[0].newDocumentState.totalCents' }))).toBe(true);
    }
  });

  it('retries what a proxy or gateway answered, and what is not about the record', () => {
    expect(isRefusal(new HqResponseError(408, { error: 'http_408', message: 'HQ answered 408' }))).toBe(false);
    expect(isRefusal(new HqResponseError(400, { error: 'http_400', message: 'HQ answered 400' }))).toBe(false);
    expect(isRefusal(new HqResponseError(404, { error: 'not_found', message: 'no route' }))).toBe(false);
    expect(isRefusal(new HqResponseError(401, { error: 'token_expired', message: 'expired' }))).toBe(false);
    expect(isRefusal(new HqResponseError(429, { error: 'rate_limited', message: 'later' }))).toBe(false);
    expect(isRefusal(new HqResponseError(503, { error: 'http_503', message: 'HQ answered 503' }))).toBe(false);
    expect(isRefusal(new HqUnreachableError(new Error('ECONNREFUSED')))).toBe(false);
  });
});
