import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACTED, createLogger, formatEntry, isSecretKey, redactText, redactValue, rotateLogs } from './log.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'kassa-log-'));
const T0 = new Date('2026-11-25T14:02:00.000Z');
const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('log entries', () => {
  it('are one line each: ISO time, level, message, details as JSON', () => {
    expect(formatEntry(T0, 'info', 'app start', { version: '0.1.0', packaged: true })).toBe(
      '2026-11-25T14:02:00.000Z INFO  app start {"version":"0.1.0","packaged":true}',
    );
    expect(formatEntry(T0, 'error', 'boom')).toBe('2026-11-25T14:02:00.000Z ERROR boom');
    const err = new Error('print failed\nsecond line');
    const line = formatEntry(T0, 'error', 'uncaught exception', { error: err });
    expect(line).not.toContain('\n');
    expect(line).toContain('print failed\\nsecond line');
    expect(line).toContain('"name":"Error"');
    expect(line).toContain('"stack":"Error: print failed');
  });

  it('cannot be split by a message into forged entries, and are cut when huge', () => {
    const forged = formatEntry(T0, 'info', 'ok\n2026-11-25T14:03:00.000Z ERROR forged');
    expect(forged.split('\n')).toHaveLength(1);
    const huge = formatEntry(T0, 'info', 'x'.repeat(100_000));
    expect(huge.length).toBeLessThan(8_300);
    expect(huge.endsWith('…[truncated]')).toBe(true);
  });

  it('redacts in linear time, so a huge entry cannot stall the main process', () => {
    const started = performance.now();
    for (const text of ['x'.repeat(1_000_000), 'word '.repeat(200_000), `"${'a'.repeat(500_000)}`, 'token='.repeat(100_000)]) formatEntry(T0, 'info', text);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('survive cycles and odd values', () => {
    const a: Record<string, unknown> = { n: 10n, f: () => 1 };
    a.self = a;
    expect(formatEntry(T0, 'warn', 'odd', a)).toContain('"self":"[circular]"');
    expect(formatEntry(T0, 'warn', 'odd', a)).toContain('"n":"10"');
  });
});

describe('secrets never reach the log', () => {
  const token = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u';

  it('knows which fields are secret', () => {
    for (const k of ['registerToken', 'enrolmentToken', 'enrollment_token', 'adminToken', 'token', 'pin', 'managerPin', 'pinHash', 'password', 'Authorization', 'privateKey'])
      expect(isSecretKey(k), k).toBe(true);
    for (const k of ['tokenExpiresAt', 'storeId', 'registerId', 'hqUrl', 'shipping', 'pinned', 'message']) expect(isSecretKey(k), k).toBe(false);
  });

  it('redacts secret fields in details, at any depth, and keeps the rest', () => {
    const details = {
      config: { hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', registerToken: token, enrolmentToken: 'enrol-abcdefgh', tokenExpiresAt: '2027-01-01T00:00:00.000Z' },
      approvals: [{ managerId: '900', pin: '9999' }],
      headers: { authorization: `Bearer ${token}` },
    };
    expect(redactValue(details)).toEqual({
      config: { hqUrl: 'https://hq.kassa.nl', storeId: '1003', registerId: '02', registerToken: REDACTED, enrolmentToken: REDACTED, tokenExpiresAt: '2027-01-01T00:00:00.000Z' },
      approvals: [{ managerId: '900', pin: REDACTED }],
      headers: { authorization: REDACTED },
    });
    const line = formatEntry(T0, 'info', 'config written', details);
    for (const secret of [token, 'enrol-abcdefgh', '9999']) expect(line).not.toContain(secret);
    expect(line).toContain('"storeId":"1003"');
  });

  it('redacts bearer tokens and secret fields written into text: JSON, key=value, URLs, headers, error messages', () => {
    const texts = [
      `request failed: Authorization: Bearer ${token}`,
      `fetch https://hq.kassa.nl/api/sync?token=${token}&storeId=1003 failed`,
      `body {"registerToken":"${token}","storeId":"1003"}`,
      `body {"registerToken": "${token}"}`,
      `enrolmentToken=${token} registerId=02`,
      `pin: 1234, managerId: 900`,
      `'pin': '1234'`,
      `bearer ${token}`,
    ];
    for (const text of texts) {
      const out = redactText(text);
      expect(out, text).not.toContain(token);
      expect(out, text).not.toContain('1234');
      expect(out, text).toContain(REDACTED);
    }
    expect(redactText(`fetch https://hq.kassa.nl/api/sync?token=${token}&storeId=1003 failed`)).toBe(
      `fetch https://hq.kassa.nl/api/sync?token=${REDACTED}&storeId=1003 failed`,
    );
    expect(redactText(`body {"registerToken":"${token}","storeId":"1003"}`)).toBe(`body {"registerToken":"${REDACTED}","storeId":"1003"}`);
    expect(redactText(`hqUrl https://kassa:${token}@hq.kassa.nl/api`)).toBe(`hqUrl https://${REDACTED}@hq.kassa.nl/api`);
    // Ordinary text is left alone.
    expect(redactText('window created: 1280×800, storeId=1003')).toBe('window created: 1280×800, storeId=1003');
  });

  it('redacts secrets in an error’s message and stack', () => {
    const err = new Error(`HQ refused {"registerToken":"${token}"}`);
    const line = formatEntry(T0, 'error', 'sync failed', { error: err, cause: new Error(`Bearer ${token}`) });
    expect(line).not.toContain(token);
  });
});

describe('the log file', () => {
  it('is written in the given folder, created on first write, readable only by its owner', () => {
    const dir = join(folder(), 'logs', 'nested');
    const log = createLogger({ dir, now: () => T0 });
    expect(existsSync(dir)).toBe(false);
    log.info('app start', { version: '0.1.0' });
    log.warn('navigation blocked', { url: 'https://evil.example/' });
    log.error('renderer gone', { reason: 'crashed', exitCode: 133 });
    expect(log.file).toBe(join(dir, 'kassa.log'));
    expect(lines(log.file)).toEqual([
      '2026-11-25T14:02:00.000Z INFO  app start {"version":"0.1.0"}',
      '2026-11-25T14:02:00.000Z WARN  navigation blocked {"url":"https://evil.example/"}',
      '2026-11-25T14:02:00.000Z ERROR renderer gone {"reason":"crashed","exitCode":133}',
    ]);
    if (process.platform !== 'win32') expect(statSync(log.file).mode & 0o077).toBe(0);
  });

  it('drops entries below its level', () => {
    const dir = folder();
    const log = createLogger({ dir, level: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    expect(lines(log.file)).toHaveLength(1);
    createLogger({ dir, level: 'debug' }).debug('now kept');
    expect(lines(log.file)).toHaveLength(2);
  });

  it('rotates by size: kassa.log up to the limit, then kassa.1.log … kassa.5.log, the oldest dropped', () => {
    const dir = folder();
    const log = createLogger({ dir, maxBytes: 1000, keep: 5, now: () => T0 });
    const entry = (i: number) => `entry ${String(i).padStart(4, '0')} ${'x'.repeat(57)}`; // 100 bytes a line with time and level
    expect(Buffer.byteLength(`${formatEntry(T0, 'info', entry(0))}\n`)).toBe(100);
    for (let i = 0; i < 75; i++) log.info(entry(i));
    // 10 lines a file: 0–9 … 70–74 in kassa.log; 7 rotations, so 0–19 have been dropped.
    expect(readdirSync(dir).sort()).toEqual(['kassa.1.log', 'kassa.2.log', 'kassa.3.log', 'kassa.4.log', 'kassa.5.log', 'kassa.log']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1000);
    expect(lines(join(dir, 'kassa.log'))).toHaveLength(5);
    expect(lines(join(dir, 'kassa.log'))[0]).toContain('entry 0070');
    expect(lines(join(dir, 'kassa.1.log'))[0]).toContain('entry 0060');
    expect(lines(join(dir, 'kassa.5.log'))[0]).toContain('entry 0020');
    expect(lines(join(dir, 'kassa.5.log'))).toHaveLength(10);
    const all = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(all).not.toContain('entry 0019');
  });

  it('continues an existing file after a restart and rotates it when full', () => {
    const dir = folder();
    writeFileSync(join(dir, 'kassa.log'), `${'y'.repeat(980)}\n`);
    const log = createLogger({ dir, maxBytes: 1000, now: () => T0 });
    log.info('after restart'); // 981 + 45 bytes > 1000: the old file is rotated first
    expect(readFileSync(join(dir, 'kassa.1.log'), 'utf8')).toBe(`${'y'.repeat(980)}\n`);
    expect(lines(log.file)).toEqual(['2026-11-25T14:02:00.000Z INFO  after restart']);
  });

  it('writes an entry larger than the limit alone in its file rather than losing it', () => {
    const dir = folder();
    const log = createLogger({ dir, maxBytes: 100 });
    log.info('a'.repeat(300));
    log.info('b');
    expect(lines(join(dir, 'kassa.1.log'))).toHaveLength(1);
    expect(lines(log.file)).toHaveLength(1);
  });

  it('rotateLogs shifts the files by one and drops the last', () => {
    const dir = folder();
    for (const [f, text] of [['kassa.log', '0'], ['kassa.1.log', '1'], ['kassa.2.log', '2']] as const) writeFileSync(join(dir, f), text);
    rotateLogs(dir, 'kassa', 2);
    expect(readdirSync(dir).sort()).toEqual(['kassa.1.log', 'kassa.2.log']);
    expect(readFileSync(join(dir, 'kassa.1.log'), 'utf8')).toBe('0');
    expect(readFileSync(join(dir, 'kassa.2.log'), 'utf8')).toBe('1');
  });

  it('never throws when it cannot write (a full disk must not stop the register)', () => {
    const dir = folder();
    writeFileSync(join(dir, 'blocked'), 'a file where the folder should be');
    const log = createLogger({ dir: join(dir, 'blocked', 'logs') });
    const stderr = process.stderr.write;
    let said = '';
    process.stderr.write = ((chunk: string) => {
      said += chunk;
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(() => log.error('first')).not.toThrow();
      expect(() => log.error('second')).not.toThrow();
    } finally {
      process.stderr.write = stderr;
    }
    expect(said.match(/cannot write the log/g)).toHaveLength(1);
  });
});
