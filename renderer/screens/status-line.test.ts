import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n.ts';
import { hqErrorLine } from './StatusLine.tsx';

const en = LANGUAGES.en.words;
const nl = LANGUAGES.nl.words;
const revoked = { lastError: 'the register token was revoked (re-enrolled or retired); enrol the register again', lastErrorCode: 'token_revoked' };

describe('the status line on HQ errors', () => {
  it("says in the register's language that HQ refuses the register's token, and that nothing syncs", () => {
    expect(hqErrorLine(revoked, en)).toEqual({ text: en.hqRefusesRegister.token_revoked, tokenRefused: true });
    expect(hqErrorLine(revoked, nl)).toEqual({ text: nl.hqRefusesRegister.token_revoked, tokenRefused: true });
    expect(hqErrorLine({ lastError: 'the register token has expired; enrol the register again', lastErrorCode: 'token_expired' }, nl).text).toMatch(/verlopen/);
    expect(hqErrorLine({ lastError: 'a register token is required', lastErrorCode: 'unauthorized' }, en).text).toMatch(/does not know this register/);
    // A refused register keeps trying and HQ locks its address out within a minute: still refused, said so.
    const lockedOut = { lastError: 'too many failed token attempts from this address; try again in 2 s', lastErrorCode: 'rate_limited' };
    expect(hqErrorLine(lockedOut, nl)).toEqual({ text: nl.hqRefusesRegister.rate_limited, tokenRefused: true });
  });

  it("shows any other error as HQ worded it, and keeps the register's state", () => {
    const failing = { lastError: 'HQ failed to handle the request; nothing was written', lastErrorCode: 'internal' };
    expect(hqErrorLine(failing, nl)).toEqual({ text: failing.lastError, tokenRefused: false });
    expect(hqErrorLine({ lastError: 'HQ refused sale 1001-01-000007: totalCents: does not add up', lastErrorCode: null }, nl).tokenRefused).toBe(false);
    expect(hqErrorLine({ lastError: null, lastErrorCode: null }, en)).toEqual({ text: null, tokenRefused: false });
    // A code that names an object property is not a refusal.
    expect(hqErrorLine({ lastError: 'x', lastErrorCode: 'toString' }, en)).toEqual({ text: 'x', tokenRefused: false });
  });
});
