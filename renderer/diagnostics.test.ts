import { describe, expect, it } from 'vitest';
import type { Diagnostics } from '../sync/client/index.ts';
import { diagnosticsBundle, diagnosticsFileName, isSecretField, megabytes, redactDiagnostics } from './diagnostics.ts';

const diagnostics: Diagnostics = {
  generatedAt: '2026-11-25T13:02:00.000Z',
  register: { storeId: '1001', registerId: '01', hqUrl: 'http://127.0.0.1:7400', tokenPresent: true, tokenExpiresAt: '2027-02-23T13:02:00.000Z' },
  replica: { databaseName: 'kassa-1001-01', documents: { products: 2000, sales: 3 } },
  sync: { online: true, offlineSince: null, lastSyncAt: '2026-11-25T13:01:00.000Z', waiting: 0, refused: 1, lastError: null, firstSyncDone: true },
  catalogImage: { available: true, builtAt: '2026-11-25T12:30:00.000Z', products: 2000, stock: 900, usedAtStart: true, inUse: true, changesSince: 12, building: false, lastBuild: null, error: null },
  receiptKey: { keyId: 'k1', publicKeyAtHq: true, registeredAt: '2026-11-25T12:00:00.000Z' },
  sequences: { sales: { last: 3, hqAtEnrolment: 0 }, orderEvents: { last: 0, hqAtEnrolment: 0 }, returns: { last: 0, hqAtEnrolment: 0 }, shiftEvents: { last: 0, hqAtEnrolment: 0 } },
  storage: { usageBytes: 5_242_880, quotaBytes: 1_000_000_000 },
  problems: [{ id: 's1', kind: 'sales', status: 'refused', message: 'invalid: total', at: '2026-11-25T13:00:00.000Z' }],
};

describe('isSecretField', () => {
  it('names tokens, PINs, their hashes and salts, private keys, passwords and authorization', () => {
    for (const k of ['token', 'registerToken', 'enrolmentToken', 'enrolment_token', 'adminToken', 'pin', 'PIN', 'managerPin', 'pinHash', 'pin_hash', 'pinSalt', 'privateJwk', 'private_key', 'password', 'dbPassword', 'authorization', 'Authorization', 'secret', 'cookie', 'apiKey']) {
      expect(isSecretField(k), k).toBe(true);
    }
  });
  it('leaves what only talks about a token, and ordinary fields', () => {
    for (const k of ['tokenPresent', 'tokenExpiresAt', 'storeId', 'registerId', 'hqUrl', 'keyId', 'publicKey', 'shipping', 'message', 'status', 'documents']) {
      expect(isSecretField(k), k).toBe(false);
    }
  });
});

describe('redactDiagnostics', () => {
  it('removes secret fields at any depth, in objects and arrays, and keeps the rest', () => {
    const input = {
      registerToken: 'rt-secret',
      register: { storeId: '1001', tokenPresent: true, token: 'x', nested: { deeper: { pinHash: 'h', pinSalt: 's', keep: 1 } } },
      keys: { keyId: 'k1', privateJwk: { d: 'private', kty: 'EC' }, publicKey: 'pub' },
      operators: [
        { id: '900', name: 'Manager', pinHash: 'abc', pinSalt: 'def', roles: ['manager'] },
        [{ pin: '9999', authorization: 'Bearer zzz', password: 'pw', ok: true }],
      ],
      list: [1, 'two', null, true],
    };
    const out = redactDiagnostics(input);
    expect(out).toEqual({
      register: { storeId: '1001', tokenPresent: true, nested: { deeper: { keep: 1 } } },
      keys: { keyId: 'k1', publicKey: 'pub' },
      operators: [{ id: '900', name: 'Manager', roles: ['manager'] }, [{ ok: true }]],
      list: [1, 'two', null, true],
    });
    const text = JSON.stringify(out);
    for (const secret of ['rt-secret', 'private', 'abc', 'def', '9999', 'zzz', 'pw']) expect(text).not.toContain(secret);
    // The input is left as it was.
    expect(input.registerToken).toBe('rt-secret');
    expect(input.operators[0]).toHaveProperty('pinHash', 'abc');
  });

  it('scrubs bearer tokens and URL credentials out of free text', () => {
    const out = redactDiagnostics({ lastError: 'HQ said 401 to Bearer abc.def-ghi', hqUrl: 'https://it:hunter2@hq.example.nl/' });
    expect(out.lastError).toBe('HQ said 401 to Bearer [redacted]');
    expect(out.hqUrl).toBe('https://[redacted]@hq.example.nl/');
  });

  it('survives cycles and keeps a shared object seen twice', () => {
    const shared = { a: 1 };
    const cyclic: Record<string, unknown> = { shared, again: shared };
    cyclic.self = cyclic;
    expect(redactDiagnostics(cyclic)).toEqual({ shared: { a: 1 }, again: { a: 1 }, self: '[circular]' });
  });
});

describe('the bundle', () => {
  it('holds the diagnostics and the host facts, and nothing secret even if a secret slipped in', () => {
    const leaky = { ...diagnostics, register: { ...diagnostics.register, registerToken: 'rt-secret' } } as Diagnostics;
    const bundle = diagnosticsBundle(leaky, { version: '0.1.0', platform: 'web', userAgent: 'Chromium' });
    expect(bundle.format).toBe(1);
    expect(bundle.app).toEqual({ version: '0.1.0', platform: 'web', userAgent: 'Chromium' });
    expect(bundle.register).toEqual(diagnostics.register);
    expect(bundle.problems).toEqual(diagnostics.problems);
    expect(JSON.stringify(bundle)).not.toContain('rt-secret');
  });

  it('is named after the register and the local time', () => {
    expect(diagnosticsFileName('1001', '01', new Date(2026, 10, 5, 9, 7))).toBe('kassa-diagnostics-1001-01-20261105-0907.json');
    expect(diagnosticsFileName('10/01', '0 1', new Date(2026, 0, 1, 0, 0))).toBe('kassa-diagnostics-10_01-0_1-20260101-0000.json');
  });

  it('shows storage in megabytes', () => {
    expect(megabytes(5_242_880)).toBe('5.0 MB');
    expect(megabytes(0)).toBe('0.0 MB');
  });
});
