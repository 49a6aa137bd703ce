import {
  Agent,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from 'node:http';
import type { Socket } from 'node:net';
import { prng } from '../../resources/demo/generate.ts';

/**
 * An HTTP fault proxy on loopback, placed between a register and HQ. Every request draws its
 * fate from a seeded PRNG (one sequence each for sales pushes, event streams and the rest), so a
 * run can be repeated:
 *  - drop:      the client's connection is closed without forwarding anything;
 *  - cut:       forwarded, HQ answers in full, then the client's connection is closed: the
 *               register never learns the outcome (for an event stream: the stream is cut after
 *               a random lifetime of up to `maxStreamMs`);
 *  - duplicate: forwarded twice at the same time (duplicate delivery); the client gets one answer;
 *  - fail:      not forwarded; the proxy answers `failStatus` itself (what a gateway in between
 *               says when it cannot reach HQ: 502/503/504, or 408, 404 …);
 *  - delay:     independently, a wait of 0..maxDelayMs before forwarding;
 *  - otherwise: passed through.
 * Event streams (`text/event-stream`) are piped, not buffered. `setDown(true)` closes the
 * listening socket (new connections are refused) and kills every open connection; `setDown(false)`
 * listens again on the same port. Every decision is counted.
 */

export interface FaultConfig {
  /** Probability of closing the connection without forwarding. */
  drop: number;
  /** Probability of forwarding and then closing the connection instead of answering. */
  cut: number;
  /** Probability of forwarding the request twice. */
  duplicate: number;
  /** Probability of answering `failStatus` without forwarding. */
  fail: number;
  /** The status the proxy answers with for `fail` (default 503). */
  failStatus: number;
  /** Probability of a delay before forwarding. */
  delay: number;
  /** Longest delay, ms. */
  maxDelayMs: number;
  /** Longest lifetime of an event stream that draws `cut`, ms. */
  maxStreamMs: number;
}

export const NO_FAULTS: FaultConfig = { drop: 0, cut: 0, duplicate: 0, fail: 0, failStatus: 503, delay: 0, maxDelayMs: 0, maxStreamMs: 0 };

export interface FateCounts {
  requests: number;
  passed: number;
  dropped: number;
  delayed: number;
  duplicated: number;
  cut: number;
  /** Answered by the proxy with `failStatus`. */
  failed: number;
  /** HQ could not be reached or broke off its answer; the client's connection was closed. */
  upstreamErrors: number;
}

export interface FaultCounts extends FateCounts {
  /** The same, for sales pushes only (POST …/push). */
  push: FateCounts;
  streams: number;
  streamsCut: number;
  downPeriods: number;
  /** Open connections killed when the proxy went down. */
  killedByDown: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  setFaults(faults: Partial<FaultConfig>): void;
  faults(): FaultConfig;
  /** All down (refuse connections, kill open ones) or back up on the same port. */
  setDown(down: boolean): Promise<void>;
  isDown(): boolean;
  counts(): FaultCounts;
  close(): Promise<void>;
}

/** The demo generator's seeded PRNG (mulberry32), shared by the fault scenarios. */
export { prng };

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'content-length', 'host']);

function copyHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

const emptyFates = (): FateCounts => ({ requests: 0, passed: 0, dropped: 0, delayed: 0, duplicated: 0, cut: 0, failed: 0, upstreamErrors: 0 });

type Fate = 'drop' | 'cut' | 'duplicate' | 'fail' | 'pass';

export async function startFaultProxy(
  target: string,
  opts: { seed?: number; faults?: Partial<FaultConfig>; port?: number } = {},
): Promise<FaultProxy> {
  const upstream = new URL(target);
  // One random sequence per kind of request (sales pushes, event streams, the rest), so the
  // fates of the pushes do not depend on how pulls and streams interleave with them.
  const seed = opts.seed ?? 1;
  const sequences = new Map<string, () => number>();
  const randomFor = (kind: 'push' | 'stream' | 'other'): (() => number) => {
    let r = sequences.get(kind);
    if (!r) {
      r = prng((seed ^ (kind === 'push' ? 0x5bd1e995 : kind === 'stream' ? 0x27d4eb2f : 0x165667b1)) >>> 0);
      sequences.set(kind, r);
    }
    return r;
  };
  let config: FaultConfig = { ...NO_FAULTS, ...opts.faults };
  const agent = new Agent({ keepAlive: true });
  const sockets = new Set<Socket>();
  const counts: FaultCounts = { ...emptyFates(), push: emptyFates(), streams: 0, streamsCut: 0, downPeriods: 0, killedByDown: 0 };
  let server: Server | null = null;
  let port = opts.port ?? 0;
  let closed = false;

  const bump = (push: boolean, key: keyof FateCounts): void => {
    counts[key]++;
    if (push) counts.push[key]++;
  };

  /** Forwards one copy. `res` null: the duplicate copy, whose answer nobody gets. */
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse | null, fate: Fate, streamLifeMs: number, push: boolean): void => {
    const headers = copyHeaders(req.headers);
    headers.host = upstream.host;
    if (body.length > 0 || (req.method !== 'GET' && req.method !== 'HEAD')) headers['content-length'] = body.length;
    // Each copy ends one way only: answered, cut, or broken.
    let settled = false;
    const fail = (): void => {
      if (settled || !res) return;
      settled = true;
      bump(push, 'upstreamErrors');
      // HQ is not there (or died): the register sees what it would see without the proxy, a dead connection.
      res.socket?.destroy();
    };
    const up = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (upRes) => {
        upRes.on('error', () => undefined);
        const stream = /text\/event-stream/i.test(String(upRes.headers['content-type'] ?? ''));
        if (!res) {
          // The duplicate's answer goes nowhere; a duplicate stream is closed at once.
          if (stream) up.destroy();
          else upRes.resume();
          return;
        }
        if (res.destroyed) {
          up.destroy();
          return;
        }
        if (stream) {
          settled = true;
          counts.streams++;
          res.writeHead(upRes.statusCode ?? 502, copyHeaders(upRes.headers));
          res.flushHeaders();
          upRes.pipe(res);
          upRes.on('close', () => {
            if (!upRes.complete) res.socket?.destroy();
          });
          if (fate === 'cut') {
            const timer = setTimeout(() => {
              if (!res.destroyed) {
                counts.streamsCut++;
                res.socket?.destroy();
              }
            }, streamLifeMs);
            res.on('close', () => clearTimeout(timer));
          }
          return;
        }
        const parts: Buffer[] = [];
        upRes.on('data', (c: Buffer) => parts.push(c));
        upRes.on('close', () => {
          // HQ died half-way through its answer.
          if (!upRes.complete) fail();
        });
        upRes.on('end', () => {
          if (settled) return;
          settled = true;
          if (fate === 'cut') {
            // HQ has processed and answered; the register never hears of it.
            bump(push, 'cut');
            res.socket?.destroy();
            return;
          }
          if (fate === 'pass') bump(push, 'passed');
          const answer = Buffer.concat(parts);
          const out = copyHeaders(upRes.headers);
          out['content-length'] = answer.length;
          res.writeHead(upRes.statusCode ?? 502, out);
          res.end(answer);
        });
      },
    );
    up.on('error', fail);
    if (res) {
      res.on('close', () => {
        if (res.writableFinished) return;
        // The client's side went away first (proxy down, client gave up): not HQ's failure.
        settled = true;
        up.destroy();
      });
    }
    up.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const push = req.method === 'POST' && /\/push(\?|$)/.test(req.url ?? '');
    bump(push, 'requests');
    const random = randomFor(push ? 'push' : /\/stream(\?|$)/.test(req.url ?? '') ? 'stream' : 'other');
    // Always draw the same number of values per request, so one fate never shifts the others.
    const r = random();
    const rDelay = random();
    const rAmount = random();
    const f = config;
    const fate: Fate =
      r < f.drop ? 'drop' : r < f.drop + f.cut ? 'cut' : r < f.drop + f.cut + f.duplicate ? 'duplicate' : r < f.drop + f.cut + f.duplicate + f.fail ? 'fail' : 'pass';
    const delayMs = rDelay < f.delay ? Math.floor(rAmount * f.maxDelayMs) : 0;
    const streamLifeMs = Math.floor(rAmount * f.maxStreamMs);
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const go = (): void => {
        if (res.destroyed) return;
        if (fate === 'drop') {
          bump(push, 'dropped');
          req.socket.destroy();
          return;
        }
        if (fate === 'fail') {
          bump(push, 'failed');
          const text = `proxy: HQ not reached (${f.failStatus})`;
          res.writeHead(f.failStatus, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
          res.end(text);
          return;
        }
        const body = Buffer.concat(parts);
        if (fate === 'duplicate') {
          bump(push, 'duplicated');
          forward(req, body, null, fate, 0, push);
        }
        forward(req, body, res, fate, streamLifeMs, push);
      };
      if (delayMs > 0) {
        bump(push, 'delayed');
        setTimeout(go, delayMs);
      } else go();
    });
  };

  const listen = async (): Promise<void> => {
    const srv = createServer(handle);
    srv.keepAliveTimeout = 5_000;
    srv.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    });
    srv.on('clientError', (_e, s) => s.destroy());
    for (let attempt = 0; ; attempt++) {
      try {
        await new Promise<void>((resolve, reject) => {
          srv.once('error', reject);
          srv.listen(port, '127.0.0.1', () => {
            srv.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (e) {
        // The same port again right after closing it: give the kernel a moment.
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const addr = srv.address();
    if (typeof addr === 'object' && addr) port = addr.port;
    server = srv;
  };

  const shutdown = async (): Promise<void> => {
    const srv = server;
    server = null;
    if (!srv) return;
    const done = new Promise<void>((r) => srv.close(() => r()));
    for (const s of sockets) {
      counts.killedByDown++;
      s.destroy();
    }
    sockets.clear();
    await done;
  };

  await listen();
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    setFaults(faults) {
      config = { ...config, ...faults };
    },
    faults: () => ({ ...config }),
    async setDown(down) {
      if (closed || down === (server === null)) return;
      if (down) {
        counts.downPeriods++;
        await shutdown();
      } else {
        await listen();
      }
    },
    isDown: () => server === null,
    counts: () => ({ ...counts, push: { ...counts.push } }),
    async close() {
      closed = true;
      const before = counts.killedByDown;
      await shutdown();
      counts.killedByDown = before;
      agent.destroy();
    },
  };
}
