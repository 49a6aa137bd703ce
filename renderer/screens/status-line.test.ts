import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../i18n.ts';
import { hqErrorLine } from './StatusLine.tsx';

const en = LANGUAGES.en.words;
const nl = LANGUAGES.nl.words;
const none = { lastErrorRecord: null };
const revoked = { lastError: 'the register token was revoked (re-enrolled or retired); enrol the register again', lastErrorCode: 'token_revoked', ...none };

describe('the status line on HQ errors', () => {
  it("says in the register's language that HQ refuses the register's token, and that nothing syncs", () => {
    expect(hqErrorLine(revoked, en)).toEqual({ text: en.hqRefusesRegister.token_revoked, stalled: true });
    expect(hqErrorLine(revoked, nl)).toEqual({ text: nl.hqRefusesRegister.token_revoked, stalled: true });
    expect(hqErrorLine({ lastError: 'the register token has expired; enrol the register again', lastErrorCode: 'token_expired', ...none }, nl).text).toMatch(/verlopen/);
    expect(hqErrorLine({ lastError: 'a register token is required', lastErrorCode: 'unauthorized', ...none }, en).text).toMatch(/does not know this register/);
    // A refused register keeps trying and HQ locks its address out within a minute: still refused, said so.
    const lockedOut = { lastError: 'too many failed token attempts from this address; try again in 2 s', lastErrorCode: 'rate_limited', ...none };
    expect(hqErrorLine(lockedOut, nl)).toEqual({ text: nl.hqRefusesRegister.rate_limited, stalled: true });
  });

  it('says HQ has a fault, and that nothing syncs, when HQ or a gateway in front of it fails', () => {
    const failing = { lastError: 'HQ failed to handle the request; nothing was written', lastErrorCode: 'internal', ...none };
    expect(hqErrorLine(failing, nl)).toEqual({ text: nl.hqFailing, stalled: true });
    expect(hqErrorLine({ lastError: 'HQ answered 502', lastErrorCode: 'http_502', ...none }, en)).toEqual({ text: en.hqFailing, stalled: true });
    // A gateway's 4xx is not a fault of HQ's: its text, said to come from HQ.
    expect(hqErrorLine({ lastError: 'HQ answered 407', lastErrorCode: 'http_407', ...none }, en)).toEqual({ text: en.hqSays('HQ answered 407'), stalled: false });
  });

  it('names the record HQ refused or holds another body of, in words of the register, without stopping the sync', () => {
    const refused = { lastError: 'HQ refused sale 1001-01-000007: totalCents: does not add up', lastErrorCode: 'record_refused', lastErrorRecord: { collection: 'sales' as const, id: '1001-01-000007', others: 0 } };
    expect(hqErrorLine(refused, nl)).toEqual({ text: nl.hqRecordRefused('verkoop', '1001-01-000007'), stalled: false });
    expect(hqErrorLine(refused, nl).text).toBe('Het hoofdkantoor weigerde verkoop 1001-01-000007. Die blijft op deze kassa bewaard; de dagafsluiting toont waarom.');
    const conflict = { lastError: 'HQ holds other returns under RET-1, RET-2, RET-3', lastErrorCode: 'record_conflict', lastErrorRecord: { collection: 'returns' as const, id: 'RET-1', others: 2 } };
    expect(hqErrorLine(conflict, en).text).toBe('HQ already holds another return numbered RET-1 (and 2 more). This one is kept on this register for the manager; end of day lists it.');
    expect(hqErrorLine(conflict, nl).text).toMatch(/^Het hoofdkantoor heeft al een andere retour met nummer RET-1 \(en nog 2\)/);
  });

  it('says a request HQ does not know is a version mismatch', () => {
    expect(hqErrorLine({ lastError: 'unknown collection widgets', lastErrorCode: 'unknown_collection', ...none }, nl)).toEqual({ text: nl.hqUnknownRequest, stalled: false });
    expect(hqErrorLine({ lastError: 'no route GET /api/replication/x/pull', lastErrorCode: 'not_found', ...none }, en).text).toBe(en.hqUnknownRequest);
  });

  it("shows any other error as HQ worded it, said to come from HQ, and keeps the register's state", () => {
    expect(hqErrorLine({ lastError: 'customer.email: not an address', lastErrorCode: 'invalid', ...none }, nl)).toEqual({ text: 'Het hoofdkantoor meldt een fout: customer.email: not an address', stalled: false });
    expect(hqErrorLine({ lastError: null, lastErrorCode: null, ...none }, en)).toEqual({ text: null, stalled: false });
    // A code that names an object property is not a refusal.
    expect(hqErrorLine({ lastError: 'x', lastErrorCode: 'toString', ...none }, en)).toEqual({ text: en.hqSays('x'), stalled: false });
    // A record code without its record (never sent so) falls back to HQ's text.
    expect(hqErrorLine({ lastError: 'HQ refused sale 1', lastErrorCode: 'record_refused', ...none }, en).text).toBe(en.hqSays('HQ refused sale 1'));
  });
});
