import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqHttp, HqResponseError, HqUnreachableError } from './http.ts';

// HqHttp against a real HTTP server on loopback that answers as HQ would, counting what reaches it.

describe('HqHttp after HQ refused the register token', () => {
  let server: Server;
  let url = '';
  let hits = 0;
  let answer: { status: number; body: unknown } = { status: 200, body: [] };
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const revoked = { status: 401, body: { error: 'token_revoked', message: 'the register token was revoked' } };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('answers requests with the refusal for a pause instead of sending them, then asks HQ once again', async () => {
    const http = new HqHttp(url, 'old-token', {}, 5000, 300);
    answer = revoked;
    hits = 0;
    for (let i = 0; i < 5; i++) {
      const e = await http.get('/api/replication/stores/pull').catch((err: unknown) => err);
      expect(e).toBeInstanceOf(HqResponseError);
      expect((e as HqResponseError).code).toBe('token_revoked');
    }
    expect(hits).toBe(1);
    await sleep(350);
    await expect(http.get('/x')).rejects.toThrow('revoked');
    expect(hits).toBe(2);

    // HQ takes the token again: noticed at the end of the pause, and requests flow again.
    answer = { status: 200, body: [] };
    await expect(http.get('/x')).rejects.toThrow('revoked');
    await sleep(350);
    await expect(http.get('/x')).resolves.toEqual([]);
    await expect(http.get('/x')).resolves.toEqual([]);
    expect(hits).toBe(4);
  });

  it('sends at once with a new token, and a request carrying its own token (enrolment) is never held', async () => {
    const http = new HqHttp(url, 'old-token', {}, 5000, 60_000);
    answer = { status: 429, body: { error: 'rate_limited', message: 'too many refused requests with this token; try again in 2 s' } };
    hits = 0;
    await expect(http.get('/x')).rejects.toThrow('too many');
    await expect(http.get('/x')).rejects.toThrow('too many');
    expect(hits).toBe(1);
    answer = { status: 201, body: { registerToken: 'new' } };
    await expect(http.post('/api/registers', {}, 'enrolment-token')).resolves.toEqual({ registerToken: 'new' });
    expect(hits).toBe(2);
    http.setToken('new-token');
    answer = { status: 200, body: [] };
    await expect(http.get('/x')).resolves.toEqual([]);
    expect(hits).toBe(3);
  });

  it('holds nothing back for other errors: HQ failing, or a record refused', async () => {
    const http = new HqHttp(url, 'token', {}, 5000, 60_000);
    hits = 0;
    answer = { status: 500, body: { error: 'internal', message: 'HQ failed' } };
    await expect(http.get('/x')).rejects.toThrow('HQ failed');
    await expect(http.get('/x')).rejects.toThrow('HQ failed');
    answer = { status: 400, body: { error: 'invalid', message: 'totalCents does not add up', field: 'totalCents' } };
    await expect(http.post('/x', [])).rejects.toThrow('totalCents');
    await expect(http.post('/x', [])).rejects.toThrow('totalCents');
    expect(hits).toBe(4);
  });

  it('shares the token, its renewal and HQ’s refusal with a view that gives up sooner (lookups)', async () => {
    const http = new HqHttp(url, 'old-token', {}, 5000, 60_000);
    const lookups = http.withTimeout(1000);
    hits = 0;
    answer = revoked;
    await expect(http.get('/api/replication/sales/pull')).rejects.toThrow('revoked');
    // The lookup hears the refusal without asking HQ, as the replication's requests do.
    await expect(lookups.get('/api/orders/ORD-1')).rejects.toThrow('revoked');
    expect(hits).toBe(1);
    // A renewed token (set once, on the register's connection) lifts the gate for both.
    http.setToken('new-token');
    answer = { status: 200, body: [] };
    await expect(lookups.get('/api/orders/ORD-1')).resolves.toEqual([]);
    expect(lookups.headers()).toEqual({ authorization: 'Bearer new-token' });
    expect(hits).toBe(2);
  });

  it('the event stream passes the same gate: a refused stream holds the requests back, and is itself held back', async () => {
    const http = new HqHttp(url, 'token', {}, 5000, 300);
    const abort = new AbortController();
    hits = 0;
    answer = revoked;
    const first = await http.openStream('/api/replication/stream', abort.signal).catch((e: unknown) => e);
    expect((first as HqResponseError).code).toBe('token_revoked');
    expect(http.refusedForMs()).toBeGreaterThan(0);
    // The pulls and pushes hear the refusal without asking, and so does the stream's reconnect.
    await expect(http.get('/api/replication/stores/pull')).rejects.toThrow('revoked');
    await expect(http.openStream('/api/replication/stream', abort.signal)).rejects.toThrow('revoked');
    expect(hits).toBe(1);
    await sleep(350);
    expect(http.refusedForMs()).toBe(0);
    answer = { status: 200, body: [] };
    const res = await http.openStream('/api/replication/stream', abort.signal);
    expect(res.ok).toBe(true);
    await res.body?.cancel();
    expect(hits).toBe(2);
  });

  it('a gateway failing the stream (HQ restarting) holds nothing back', async () => {
    const http = new HqHttp(url, 'token', {}, 5000, 60_000);
    const abort = new AbortController();
    hits = 0;
    answer = { status: 502, body: null };
    const e = await http.openStream('/api/replication/stream', abort.signal).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(HqResponseError);
    expect((e as HqResponseError).code).toBe('http_502');
    expect(http.refusedForMs()).toBe(0);
    answer = { status: 200, body: [] };
    await expect(http.get('/x')).resolves.toEqual([]);
    expect(hits).toBe(2);
  });
});

describe('HqHttp opening the event stream', () => {
  it('gives up on a connection HQ never answers, as unreachable, and keeps an answered stream open past the timeout', async () => {
    // Holds every request without answering, except /open, which answers and then streams slowly.
    const server = createServer((req, res) => {
      if (req.url !== '/open') return;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\n');
      setTimeout(() => res.end('event: change\ndata: {}\n\n'), 600);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const offline: unknown[] = [];
    const http = new HqHttp(url, 'token', { onUnreachable: (e) => offline.push(e) }, 300);
    const abort = new AbortController();
    try {
      const hung = await http.openStream('/hang', abort.signal).catch((e: unknown) => e);
      expect(hung).toBeInstanceOf(HqUnreachableError);
      expect(String(hung)).toContain('no answer in 300 ms');
      expect(offline).toHaveLength(1);

      const res = await http.openStream('/open', abort.signal);
      expect(await res.text()).toContain('event: change');
      expect(offline).toHaveLength(1);
    } finally {
      abort.abort();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
