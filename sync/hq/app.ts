import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  type Checkpoint,
  type EnrolResponse,
  DEFAULT_PULL_LIMIT,
  MAX_BODY_BYTES,
  MAX_PULL_LIMIT,
  isPullCollection,
  isPushCollection,
  LOCATION_ID,
  isStorableText,
  type OrdersResponse,
  type ReturnDoc,
  type ReturnsResponse,
  type SaleLookupResponse,
  type Validated,
  validateEnrol,
  validatePushRows,
} from '../protocol/index.ts';
import { normalizeOrderNumber } from '../../src/order.ts';
import type { HoldingsResponse } from '../protocol/holdings.ts';
import type { ZReportsResponse } from '../protocol/z-reports.ts';
import { HqError } from './errors.ts';
import { ImportError, applyImport, checkKind, importErrorBody, importFormat, parseImport } from './import.ts';
import { RateLimiter, shareLimiters } from './rate-limit.ts';
import { normalizeOriginNumber, normalizeReceiptNumber, originProblem, registerKeyBody } from './returns.ts';
import { CHANGES_CHANNEL, HqStore, type RegisterPrincipal, hashToken } from './store.ts';

export interface AppOptions {
  store: HqStore;
  adminToken: string;
  /** Folder of the built register (dist/renderer); served at `/`. */
  rendererDir?: string;
  log?: boolean;
  /** Heartbeat interval of the change stream, ms. */
  heartbeatMs?: number;
  /** Enrolment attempts per client address: burst and per minute (default 10, 10). */
  enrolRate?: { capacity: number; perMinute: number };
  /** Failed token attempts per client address before 429 (default 30, 30 a minute). */
  authFailureRate?: { capacity: number; perMinute: number };
}

const MAX_XID8 = 2n ** 64n - 1n;
/** Import files may be large (a whole catalog); other bodies stay under MAX_BODY_BYTES. */
const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

/** Store and register ids in paths: 1-8 capitals or digits, as everywhere else. */
function checkLocationId(value: string, field: string): void {
  if (!LOCATION_ID.test(value)) throw new HqError(400, 'invalid', `${field} must be 1-8 capitals or digits`, field);
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? null;
}

function intParam(value: unknown, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  // Plain decimal digits only: Number() would also take "0x10", "1e2" and " 5".
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new HqError(400, 'invalid', `${field} must be a whole number from ${min} to ${max}`, field);
  }
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new HqError(400, 'invalid', `${field} must be a whole number from ${min} to ${max}`, field);
  }
  return n;
}

/** A query parameter that is optional text: one value, at most `max` characters, no control characters. */
function textParam(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new HqError(400, 'invalid', `${field} must be text (given once)`, field);
  if (value.length > max) throw new HqError(400, 'invalid', `${field} is longer than ${max} characters`, field);
  if (!isStorableText(value)) throw new HqError(400, 'invalid', `${field} must be text without control characters`, field);
  return value;
}

/** An order number in a path, in any form normalizeOrderNumber takes ("ord-1001-01-42" too), as HQ writes it. */
function orderNoParam(value: string): string {
  const orderNo = value.length <= 64 && isStorableText(value) ? normalizeOrderNumber(value) : null;
  if (!orderNo) throw new HqError(400, 'invalid', 'orderNo must be an order number like ORD-1001-01-000001', 'orderNo');
  return orderNo;
}

/** The body of POST /api/orders/:orderNo/shipped: `{ lines: [lineNo, …] }`, 1-500 distinct line numbers. */
function shipmentLines(body: unknown): number[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HqError(400, 'invalid', 'the body must be { "lines": [line numbers] }', 'lines');
  const extra = Object.keys(body).find((k) => k !== 'lines');
  if (extra !== undefined) throw new HqError(400, 'invalid', `${extra} is not a field of a shipment`, extra);
  const { lines } = body as { lines?: unknown };
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 500) throw new HqError(400, 'invalid', 'lines must be a list of 1 to 500 line numbers', 'lines');
  lines.forEach((n: unknown, i) => {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > 1000) throw new HqError(400, 'invalid', 'must be a line number from 1 to 1000', `lines[${i}]`);
    if (lines.indexOf(n) !== i) throw new HqError(400, 'invalid', `line ${n} is named twice`, `lines[${i}]`);
  });
  return lines as number[];
}

/** A refused push: 400 naming the first bad field (`[3].newDocumentState.lines[0].quantity`). */
function validated<T>(result: Validated<T>): T {
  if (result.ok) return result.value;
  const p = result.problems[0];
  throw new HqError(400, 'invalid', `${p?.field || 'body'}: ${p?.reason ?? 'invalid'}`, p?.field);
}

/** A register pushes only its own records: 403 for another store's or register's, and nothing of the push is written. */
function ownRecords<T extends { storeId: string; registerId: string }>(who: RegisterPrincipal, noun: string, docs: T[]): T[] {
  docs.forEach((doc, i) => {
    if (doc.storeId !== who.storeId) {
      throw new HqError(403, 'forbidden', `register ${who.storeId}-${who.registerId} cannot send ${noun} of store ${doc.storeId}`, `[${i}].newDocumentState.storeId`);
    }
    if (doc.registerId !== who.registerId) {
      throw new HqError(403, 'forbidden', `register ${who.storeId}-${who.registerId} cannot send ${noun} of register ${doc.registerId}`, `[${i}].newDocumentState.registerId`);
    }
  });
  return docs;
}

/** Returns whose origin does not hold together (see originProblem): 400 naming the field, nothing written. */
function checkOrigins(docs: ReturnDoc[]): ReturnDoc[] {
  docs.forEach((doc, i) => {
    const p = originProblem(doc);
    if (p) throw new HqError(400, 'invalid', `[${i}].newDocumentState.${p.field}: ${p.reason}`, `[${i}].newDocumentState.${p.field}`);
  });
  return docs;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { store } = opts;
  // Path parameters up to 2,000 characters reach the routes, which refuse a bad one naming it:
  // the router's own limit (100) answered 414 with Fastify's body instead of HQ's (found by the fuzz test).
  const app = Fastify({ logger: opts.log ?? false, bodyLimit: MAX_BODY_BYTES, routerOptions: { maxParamLength: 2000 } });

  // ---- errors: always { error, message, field? } ------------------------------------------
  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof HqError) {
      if (err.retryAfterSeconds) reply.header('retry-after', String(err.retryAfterSeconds));
      return reply.status(err.status).send({ error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
      return reply.status(413).send({ error: 'too_large', message: `request body over ${MAX_BODY_BYTES} bytes` });
    }
    if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) {
      return reply.status(415).send({ error: 'unsupported_media_type', message: 'send application/json' });
    }
    if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
      const badJson = e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(e.message ?? '');
      return reply
        .status(e.statusCode)
        .send({ error: badJson ? 'bad_json' : 'bad_request', message: badJson ? `malformed JSON: ${e.message}` : (e.message ?? 'bad request') });
    }
    app.log.error(err);
    return reply.status(500).send({ error: 'internal', message: 'HQ failed to handle the request; nothing was written' });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` });
  });

  // ---- CORS: a register on another origin (Electron) calls HQ with a bearer token --------
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-headers', 'authorization, content-type');
    reply.header('access-control-allow-methods', 'GET, POST, OPTIONS');
    reply.header('access-control-max-age', '600');
    if (req.method === 'OPTIONS') return reply.status(204).send();
  });

  const enrolLimiter = new RateLimiter(opts.enrolRate?.capacity ?? 10, opts.enrolRate?.perMinute ?? 10);
  const authFailures = new RateLimiter(opts.authFailureRate?.capacity ?? 30, opts.authFailureRate?.perMinute ?? 30);
  const tooMany = (retryAfterMs: number, what: string): HqError => {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    return new HqError(429, 'rate_limited', `too many ${what}; try again in ${seconds} s`, undefined, seconds);
  };
  /**
   * A wrong token costs one token of a failure bucket: the caller's address's for a token HQ
   * does not know (guessing), or that token's own for one HQ withdrew or let expire. The latter
   * is a register still running after it was retired or re-enrolled: it keeps trying, and the
   * registers of a store usually reach HQ from one address, so counting it against the address
   * would lock the store's other registers out with it.
   */
  const limits = await shareLimiters(store.sql, { enrol: enrolLimiter, auth: authFailures }, (e) => app.log.error(e, 'telling the other HQ processes a rate-limit spend failed'));
  app.addHook('onClose', () => limits.close());
  const failedAuth = async (key: string, what: string): Promise<void> => {
    const d = await limits.spend('auth', key);
    if (!d.ok) throw tooMany(d.retryAfterMs, what);
  };
  const refuseIfLockedOut = (key: string, what: string): void => {
    const d = authFailures.check(key);
    if (!d.ok) throw tooMany(d.retryAfterMs, what);
  };
  const FROM_ADDRESS = 'failed token attempts from this address';
  const WITH_TOKEN = 'refused requests with this token';

  /** The register a request comes from, and the hash of its token (the event stream keeps it). */
  const authenticateRegister = async (req: FastifyRequest): Promise<{ principal: RegisterPrincipal; tokenHash: string }> => {
    refuseIfLockedOut(req.ip, FROM_ADDRESS);
    const token = bearer(req);
    if (!token) throw new HqError(401, 'unauthorized', 'a register token is required (Authorization: Bearer …)');
    const tokenHash = hashToken(token);
    const tokenKey = `token:${tokenHash}`;
    refuseIfLockedOut(tokenKey, WITH_TOKEN);
    const check = await store.checkTokenHash(tokenHash);
    if (check.principal) return { principal: check.principal, tokenHash };
    if (check.reason === 'revoked' || check.reason === 'expired') await failedAuth(tokenKey, WITH_TOKEN);
    else await failedAuth(req.ip, FROM_ADDRESS);
    if (check.reason === 'expired') throw new HqError(401, 'token_expired', 'the register token has expired; enrol the register again');
    if (check.reason === 'revoked') throw new HqError(401, 'token_revoked', 'the register token was revoked (re-enrolled or retired); enrol the register again');
    throw new HqError(401, 'unauthorized', 'the register token is unknown; enrol the register');
  };
  const requireRegister = async (req: FastifyRequest): Promise<RegisterPrincipal> => (await authenticateRegister(req)).principal;
  // Compared as SHA-256 digests in constant time: how long a wrong guess takes says nothing of the token.
  const adminDigest = Buffer.from(hashToken(opts.adminToken), 'hex');
  const isAdmin = (req: FastifyRequest): boolean => {
    const token = bearer(req);
    return token !== null && timingSafeEqual(Buffer.from(hashToken(token), 'hex'), adminDigest);
  };
  const requireAdmin = async (req: FastifyRequest, what: string): Promise<void> => {
    refuseIfLockedOut(req.ip, FROM_ADDRESS);
    if (isAdmin(req)) return;
    await failedAuth(req.ip, FROM_ADDRESS);
    throw new HqError(401, 'unauthorized', `${what} needs the enrolment (admin) token`);
  };

  // ---- public ---------------------------------------------------------------------------
  // Liveness: the process answers (a PostgreSQL restart does not take it down).
  app.get('/api/health', async () => ({ status: 'ok' }));
  // Readiness, for a load balancer or a monitor: HQ can reach its database now.
  app.get('/api/ready', async (_req, reply) => {
    try {
      await store.sql.query('SELECT 1');
      return { status: 'ok', database: store.sql.kind };
    } catch (e) {
      return reply.status(503).send({ error: 'database_unreachable', message: `HQ cannot reach its database (${store.sql.kind}): ${e instanceof Error ? e.message : String(e)}` });
    }
  });
  app.get('/api/stores', async () => store.listStores());
  app.get('/api/products', async (req) => {
    const q = (req.query as Record<string, unknown>).q;
    if (q !== undefined && typeof q !== 'string') throw new HqError(400, 'invalid', 'q must be text', 'q');
    if (typeof q === 'string' && q.length > 100) throw new HqError(400, 'invalid', 'q is longer than 100 characters', 'q');
    if (typeof q === 'string' && !isStorableText(q)) throw new HqError(400, 'invalid', 'q must be text without control characters', 'q');
    const limit = intParam((req.query as Record<string, unknown>).limit, 'limit', 1, 500, 50);
    return store.searchProducts(q ?? '', limit);
  });

  // ---- enrolment ------------------------------------------------------------------------
  app.post('/api/registers', async (req, reply): Promise<EnrolResponse> => {
    const allowed = await limits.spend('enrol', req.ip);
    if (!allowed.ok) throw tooMany(allowed.retryAfterMs, 'enrolment attempts from this address');
    await requireAdmin(req, 'enrolment');
    const body = validateEnrol(req.body);
    if (!body.ok) {
      const p = body.problems[0];
      throw new HqError(400, 'invalid', `${p?.field || 'body'}: ${p?.reason ?? 'invalid'}`, p?.field);
    }
    const { storeId, registerId } = body.value;
    const result = await store.enrol(storeId, registerId);
    reply.status(201);
    return { ...result, storeId, registerId };
  });

  // A register swaps its token for a fresh one before it expires.
  app.post('/api/registers/renew', async (req) => {
    const who = await requireRegister(req);
    return { ...(await store.renew(who)), storeId: who.storeId, registerId: who.registerId };
  });

  // A register publishes the public key it signs receipt codes with; every register gets it with the stores.
  app.post('/api/registers/key', async (req) => {
    const who = await requireRegister(req);
    return store.addRegisterKey(who, await registerKeyBody(req.body));
  });

  // IT retires a register (stolen, replaced): its tokens stop working at once.
  app.post('/api/registers/:storeId/:registerId/revoke', async (req) => {
    await requireAdmin(req, 'revoking a register');
    const { storeId, registerId } = req.params as { storeId: string; registerId: string };
    checkLocationId(storeId, 'storeId');
    checkLocationId(registerId, 'registerId');
    return { revoked: await store.revokeRegisterTokens(storeId, registerId) };
  });

  // ---- sales of a store ------------------------------------------------------------------
  app.get('/api/stores/:storeId/sales', async (req) => {
    const { storeId } = req.params as { storeId: string };
    checkLocationId(storeId, 'storeId');
    if (!isAdmin(req)) {
      const who = await requireRegister(req);
      if (who.storeId !== storeId) throw new HqError(403, 'forbidden', `a register of store ${who.storeId} cannot read store ${storeId}`, 'storeId');
    }
    const limit = intParam((req.query as Record<string, unknown>).limit, 'limit', 1, 1000, 100);
    return { sales: await store.listSales(storeId, limit) };
  });

  // ---- shifts: a store's Z reports (managers), what HQ holds of a register (its end of day) ----
  app.get('/api/stores/:storeId/z-reports', async (req): Promise<ZReportsResponse> => {
    await requireAdmin(req, 'reading Z reports');
    const { storeId } = req.params as { storeId: string };
    checkLocationId(storeId, 'storeId');
    const query = req.query as Record<string, unknown>;
    const registerId = textParam(query.registerId, 'registerId', 8);
    if (registerId !== undefined) checkLocationId(registerId, 'registerId');
    const limit = intParam(query.limit, 'limit', 1, 100, 20);
    return { zReports: await store.zReports(storeId, { limit, ...(registerId !== undefined ? { registerId } : {}) }) };
  });

  app.get('/api/registers/me/holdings', async (req): Promise<HoldingsResponse> => store.holdings(await requireRegister(req)));

  // ---- customer orders ---------------------------------------------------------------------
  /** Any register of the chain (an order may be picked up or cancelled anywhere) or the admin token. */
  const requireRegisterOrAdmin = async (req: FastifyRequest): Promise<void> => {
    if (!isAdmin(req)) await requireRegister(req);
  };

  // ---- returns: a sale and its returns, chain-wide (goods may come back at any store) ------
  app.get('/api/sales/:receiptNo', async (req): Promise<SaleLookupResponse> => {
    await requireRegisterOrAdmin(req);
    const receiptNo = normalizeReceiptNumber((req.params as { receiptNo: string }).receiptNo);
    if (!receiptNo) throw new HqError(400, 'invalid', 'receiptNo must be a receipt number like 1001-01-000001', 'receiptNo');
    const sale = await store.getSale(receiptNo);
    if (!sale) throw new HqError(404, 'unknown_sale', `HQ holds no sale ${receiptNo}`, 'receiptNo');
    return { sale, returns: await store.returnsOf(receiptNo) };
  });

  app.get('/api/returns', async (req): Promise<ReturnsResponse> => {
    await requireRegisterOrAdmin(req);
    const given = textParam((req.query as Record<string, unknown>).origin, 'origin', 64);
    const origin = given === undefined ? null : normalizeOriginNumber(given);
    if (!origin) throw new HqError(400, 'invalid', 'origin must be a receipt number (1001-01-000001) or an order number (ORD-1001-01-000001)', 'origin');
    return { returns: await store.returnsOf(origin) };
  });

  app.get('/api/orders', async (req): Promise<OrdersResponse> => {
    await requireRegisterOrAdmin(req);
    const query = req.query as Record<string, unknown>;
    const q = textParam(query.q, 'q', 100) ?? '';
    const limit = intParam(query.limit, 'limit', 1, 200, 50);
    return { orders: await store.searchOrders(q, limit) };
  });

  // Before /api/orders/:orderNo: a static route wins over a parametric one.
  app.get('/api/orders/exceptions', async (req) => {
    await requireAdmin(req, 'reading order exceptions');
    const query = req.query as Record<string, unknown>;
    const storeId = textParam(query.storeId, 'storeId', 8);
    if (storeId !== undefined) checkLocationId(storeId, 'storeId');
    const limit = intParam(query.limit, 'limit', 1, 1000, 200);
    return { orders: await store.orderExceptions({ limit, ...(storeId !== undefined ? { storeId } : {}) }) };
  });

  app.get('/api/orders/:orderNo', async (req) => {
    await requireRegisterOrAdmin(req);
    const orderNo = orderNoParam((req.params as { orderNo: string }).orderNo);
    const order = await store.getOrder(orderNo);
    if (!order) throw new HqError(404, 'unknown_order', `HQ holds no order ${orderNo}`, 'orderNo');
    return order;
  });

  app.post('/api/orders/:orderNo/shipped', async (req) => {
    await requireAdmin(req, 'recording a shipment');
    const orderNo = orderNoParam((req.params as { orderNo: string }).orderNo);
    return store.recordShipment(orderNo, shipmentLines(req.body));
  });

  // ---- master data from files (IT's ERP feed) ------------------------------------------------
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));
  app.post('/api/import/:kind', { bodyLimit: MAX_IMPORT_BYTES }, async (req, reply) => {
    await requireAdmin(req, 'importing master data');
    const kind = checkKind((req.params as { kind: string }).kind);
    const format = importFormat(req.headers['content-type'] ?? '');
    if (!format) throw new HqError(415, 'unsupported_media_type', 'send text/csv or application/json');
    const text = typeof req.body === 'string' ? req.body : JSON.stringify(req.body ?? null);
    try {
      return await applyImport(store.sql, kind, parseImport(kind, format, text));
    } catch (e) {
      if (e instanceof ImportError) return reply.status(400).send(importErrorBody(e));
      throw e;
    }
  });

  // ---- alerts for managers: conflicts, broken chains ---------------------------------------
  app.get('/api/alerts', async (req) => {
    await requireAdmin(req, 'reading alerts');
    const q = req.query as Record<string, unknown>;
    if (q.storeId !== undefined) checkLocationId(typeof q.storeId === 'string' ? q.storeId : '', 'storeId');
    const open = q.open === '1' || q.open === 'true';
    const alerts = await store.alerts({ open, ...(typeof q.storeId === 'string' ? { storeId: q.storeId } : {}) });
    return { alerts };
  });

  // ---- replication ----------------------------------------------------------------------
  app.get('/api/replication/:collection/pull', async (req) => {
    const who = await requireRegister(req);
    const { collection } = req.params as { collection: string };
    if (!isPullCollection(collection)) {
      throw new HqError(isPushCollection(collection) ? 405 : 404, 'unknown_collection', `${collection} cannot be pulled`, 'collection');
    }
    const q = req.query as Record<string, unknown>;
    let checkpoint: Checkpoint | null = null;
    if (q.xid !== undefined || q.id !== undefined) {
      if (typeof q.xid !== 'string' || !/^\d{1,20}$/.test(q.xid) || BigInt(q.xid) > MAX_XID8) {
        throw new HqError(400, 'invalid', 'xid must be a transaction id (0 to 2^64-1)', 'xid');
      }
      if (typeof q.id !== 'string' || q.id.length > 200 || !isStorableText(q.id)) throw new HqError(400, 'invalid', 'id must be a document id', 'id');
      checkpoint = { xid: q.xid, id: q.id };
    }
    const limit = intParam(q.limit, 'limit', 1, MAX_PULL_LIMIT, DEFAULT_PULL_LIMIT);
    return store.pull(collection, who, checkpoint, limit);
  });

  app.get('/api/replication/:collection/count', async (req) => {
    const who = await requireRegister(req);
    const { collection } = req.params as { collection: string };
    if (!isPullCollection(collection)) throw new HqError(404, 'unknown_collection', `${collection} cannot be counted`, 'collection');
    return { total: await store.count(collection, who) };
  });

  app.post('/api/replication/:collection/push', async (req) => {
    const who = await requireRegister(req);
    const { collection } = req.params as { collection: string };
    if (!isPushCollection(collection)) {
      throw new HqError(isPullCollection(collection) ? 405 : 404, 'unknown_collection', `${collection} does not take pushes`, 'collection');
    }
    if (collection === 'sales') return store.pushSales(who, ownRecords(who, 'a sale', validated(validatePushRows('sales', req.body))));
    if (collection === 'returns') return store.pushReturns(who, checkOrigins(ownRecords(who, 'a return', validated(validatePushRows('returns', req.body)))));
    if (collection === 'shiftEvents') return store.pushShiftEvents(who, ownRecords(who, 'a shift event', validated(validatePushRows('shiftEvents', req.body))));
    return store.pushOrderEvents(who, ownRecords(who, 'an order event', validated(validatePushRows('orderEvents', req.body))));
  });

  // ---- live stream: server-sent events that say "pull now" ------------------------------
  /** Open streams and the hash of the token each was opened with. */
  const streams = new Map<FastifyReply, string>();
  const unlisten = await store.sql.listen(CHANGES_CHANNEL, (payload) => {
    const collections = payload.split(',').filter(Boolean);
    for (const reply of streams.keys()) reply.raw.write(`event: change\ndata: ${JSON.stringify({ collections })}\n\n`);
  });
  // With each heartbeat, a stream whose token HQ withdrew or let expire since it opened is ended:
  // the register's reconnect is then refused, and it says so (one query for all streams).
  let checkingTokens = false;
  const heartbeat = setInterval(() => {
    for (const reply of streams.keys()) reply.raw.write(': heartbeat\n\n');
    if (checkingTokens || streams.size === 0) return;
    checkingTokens = true;
    void store
      .validTokenHashes([...new Set(streams.values())])
      .then((valid) => {
        for (const [reply, hash] of streams) {
          if (valid.has(hash)) continue;
          streams.delete(reply);
          reply.raw.end();
        }
      })
      .catch(() => undefined)
      .finally(() => {
        checkingTokens = false;
      });
  }, opts.heartbeatMs ?? 15_000);
  heartbeat.unref();

  app.get('/api/replication/stream', async (req, reply) => {
    const { tokenHash } = await authenticateRegister(req);
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'access-control-allow-origin': '*',
    });
    reply.raw.write('event: hello\ndata: {}\n\n');
    streams.set(reply, tokenHash);
    req.raw.on('close', () => streams.delete(reply));
  });

  // Streams never end by themselves: end them before the server waits for open connections.
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const reply of streams.keys()) reply.raw.end();
    streams.clear();
  });
  app.addHook('onClose', async () => {
    await unlisten();
  });

  // ---- the register itself --------------------------------------------------------------
  const dir = opts.rendererDir;
  if (dir && existsSync(join(dir, 'index.html'))) {
    await app.register(fastifyStatic, { root: dir, prefix: '/', index: ['index.html'] });
  } else {
    app.get('/', async (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('Kassa HQ is running. The register is not built: run `npm run build:renderer` (npm run serve does it for you).'),
    );
  }
  return app;
}
