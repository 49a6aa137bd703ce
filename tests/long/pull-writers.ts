import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { migrate } from '../../sync/hq/migrations.ts';
import { openPostgres } from '../../sync/hq/sql-postgres.ts';
import { createTestDatabase } from '../support/backends.ts';
import { type HqProcess, createHqProcess } from '../support/hq-process.ts';

/**
 * Pull under many writers, end to end: N writers (each its own PostgreSQL connection) insert and
 * update products in transactions they hold open 0–100 ms, while one register pulls the products
 * over HTTP from two HQ processes on the same database, alternating page by page with one
 * checkpoint. Afterwards every row's final version must have been delivered, no version may have
 * been stepped over, and no (id, xid) may have come twice; an updated row legitimately comes
 * again with a newer xid.
 *
 * Used by tests/integration/pull-scale.test.ts (a few seconds per writer count) and, as a
 * command, for long runs:
 *
 *   npx tsx tests/long/pull-writers.ts [--writers 16,64] [--seconds 60] [--catch-up-seconds 60] [--unfenced]
 *
 * It prints rows written, rows pulled, skipped, duplicated and elapsed per writer count, and
 * exits 1 on any skip, duplicate or other violation. `--unfenced` pulls straight from the
 * database without the fence instead of from HQ (the control: it must exit 1). PostgreSQL: KASSA_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); a database kassa_it_<random> is made and dropped.
 */

const now = () => performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (n: number) => Math.floor(Math.random() * n);

// ---- what happened -------------------------------------------------------------------------

/** One writing transaction, with the times (performance.now(), this process) the checks rely on. */
export interface Txn {
  writer: number;
  xid: bigint;
  /** The xid had been assigned (we had it back from the server). */
  xidKnownAt: number;
  /** COMMIT (or ROLLBACK) was sent: until then the transaction was certainly running. */
  endSentAt: number;
  /** COMMIT came back; null when it failed or rolled back. */
  committedAt: number | null;
}

/** One written row version: the row `id` at `priceCents`, written by `txn`. Prices are unique. */
export interface Version {
  id: string;
  priceCents: number;
  txn: Txn;
  /** The INSERT/UPDATE of this row was sent (the write happened after this). */
  writeSentAt: number;
}

export interface Page {
  /** Which HQ answered (0 or 1); -1: straight from the database (the control). */
  hq: number;
  sentAt: number;
  receivedAt: number;
  limit: number;
  /** The checkpoint sent (null: from the start). */
  before: { xid: bigint; id: string } | null;
  /** The checkpoint HQ answered (null: nothing new). */
  checkpoint: { xid: bigint; id: string } | null;
  docs: { id: string; priceCents: number }[];
}

export interface Problems {
  /** Final versions never delivered, or not the last delivered version of their row. */
  skipped: string[];
  /** A version that was current and inside a page's range, yet not in that page. */
  steppedOver: string[];
  /** The same (id, xid) delivered more than once. */
  duplicated: string[];
  /** A checkpoint beyond the xid of a transaction that was running during the whole request. */
  fence: string[];
  /** A page out of (xid, id) order, or not after its checkpoint, or a checkpoint not its last row. */
  order: string[];
  /** Delivered documents no committed transaction wrote (e.g. a rolled-back write). */
  unknown: string[];
}

export interface PhaseResult {
  writers: number;
  writeMs: number;
  catchUpMs: number;
  elapsedMs: number;
  txnsCommitted: number;
  txnsFailed: number;
  rowsInserted: number;
  rowsUpdated: number;
  finalRows: number;
  pages: number;
  pagesPerHq: [number, number];
  pagesWhileWriting: number;
  docsPulled: number;
  /** Rows delivered more than once, each time with a newer xid (legitimate). */
  redelivered: number;
  /**
   * Pages that came back short of their limit although a transaction with a higher xid than the
   * checkpoint had committed before the request: the fence was holding rows back for an older
   * transaction still running. Shows that late commits really happened in the run (without them
   * the checks would have nothing to catch).
   */
  pagesHeldBack: number;
  caughtUp: boolean;
  problems: Problems;
  /** When the pull did not catch up: the transactions in the cluster holding the fence back. */
  blockers?: string;
}

const cmp = (a: { xid: bigint; id: string }, b: { xid: bigint; id: string }): number =>
  a.xid < b.xid ? -1 : a.xid > b.xid ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
const showCp = (c: { xid: bigint; id: string } | null) => (c ? `(${c.xid}, ${c.id})` : 'start');

// ---- the checks, on what happened ----------------------------------------------------------

/**
 * Judges a run. Sound by construction: a violation is only reported where the timings prove it
 * (a transaction running through a whole request; a version committed before a request and not
 * possibly replaced until after it). Ids are compared as JavaScript strings, which matches the
 * database's order for the ids the writers use (fixed width, [a-z0-9]).
 */
export function judge(
  versions: readonly Version[],
  txns: readonly Txn[],
  pages: readonly Page[],
  finalRows: ReadonlyMap<string, { priceCents: number; xid: bigint }>,
): Problems {
  const problems: Problems = { skipped: [], steppedOver: [], duplicated: [], fence: [], order: [], unknown: [] };
  const committed = versions.filter((v) => v.txn.committedAt !== null);
  const byKey = new Map(committed.map((v) => [`${v.id}@${v.priceCents}`, v]));
  const byRow = new Map<string, Version[]>();
  for (const v of committed) byRow.set(v.id, [...(byRow.get(v.id) ?? []), v]);

  // Order of every page, duplicates, unknown documents, and what each row got last.
  const delivered = new Map<string, number>();
  const last = new Map<string, number>();
  const seenIn = new Map<Version, Page>();
  pages.forEach((p, n) => {
    let prev = p.before;
    let prevVersion: Version | null = null;
    for (const d of p.docs) {
      const v = byKey.get(`${d.id}@${d.priceCents}`);
      if (!v) {
        problems.unknown.push(`page ${n}: ${d.id} at ${d.priceCents} was written by no committed transaction`);
        continue;
      }
      const at = { xid: v.txn.xid, id: v.id };
      if (prev && cmp(at, prev) <= 0) problems.order.push(`page ${n}: ${showCp(at)} does not come after ${showCp(prev)}`);
      prev = at;
      prevVersion = v;
      const key = `${v.id}@${v.txn.xid}`;
      delivered.set(key, (delivered.get(key) ?? 0) + 1);
      last.set(v.id, v.priceCents);
      seenIn.set(v, p);
    }
    if (p.docs.length && prevVersion && p.checkpoint && cmp(p.checkpoint, { xid: prevVersion.txn.xid, id: prevVersion.id }) !== 0) {
      problems.order.push(`page ${n}: checkpoint ${showCp(p.checkpoint)} is not its last document`);
    }
    if (p.docs.length === 0 && p.checkpoint) problems.order.push(`page ${n}: an empty page moved the checkpoint to ${showCp(p.checkpoint)}`);
  });
  for (const [key, n] of delivered) if (n > 1) problems.duplicated.push(`${key} delivered ${n} times`);

  // Every row's final version, and it last.
  for (const [id, f] of finalRows) {
    const v = byKey.get(`${id}@${f.priceCents}`);
    if (!v) problems.unknown.push(`final ${id} at ${f.priceCents} was written by no committed transaction`);
    else if (v.txn.xid !== f.xid) problems.unknown.push(`final ${id}: xid ${f.xid} in the database, ${v.txn.xid} when written`);
    if (last.get(id) !== f.priceCents) {
      problems.skipped.push(`${id}: final price ${f.priceCents} (xid ${f.xid}) ${last.has(id) ? `but the last delivered was ${last.get(id)}` : 'never delivered'}`);
    }
  }

  // The fence: no checkpoint passes a transaction that was running through the whole request.
  // Pages come one after another, so the pages inside a transaction's life are a run of indexes.
  const cpAfter: ({ xid: bigint; id: string } | null)[] = [];
  let cp: { xid: bigint; id: string } | null = null;
  for (const p of pages) {
    if (p.checkpoint) cp = p.checkpoint;
    cpAfter.push(cp);
  }
  const firstSentAtOrAfter = (t: number): number => {
    let lo = 0;
    let hi = pages.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((pages[mid]?.sentAt ?? Infinity) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const t of txns) {
    let lastInside = -1;
    for (let i = firstSentAtOrAfter(t.xidKnownAt); i < pages.length && (pages[i]?.receivedAt ?? Infinity) <= t.endSentAt; i++) lastInside = i;
    const c = lastInside >= 0 ? cpAfter[lastInside] : null;
    if (c && c.xid >= t.xid) {
      problems.fence.push(`page ${lastInside}: checkpoint ${showCp(c)} passed transaction ${t.xid} (writer ${t.writer}), which was still running`);
    }
  }

  // No version stepped over: the page whose range holds a version must carry it, when the version
  // was committed before the request and no other version of the row can have replaced it yet.
  const ranged = pages.map((p, i) => ({ p, i, to: p.checkpoint })).filter((r) => r.to !== null) as { p: Page; i: number; to: { xid: bigint; id: string } }[];
  const pageHolding = (at: { xid: bigint; id: string }) => {
    let lo = 0;
    let hi = ranged.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(ranged[mid]!.to, at) < 0) lo = mid + 1;
      else hi = mid;
    }
    const r = ranged[lo];
    return r && (!r.p.before || cmp(r.p.before, at) < 0) ? r : null;
  };
  for (const v of committed) {
    if (seenIn.has(v)) continue;
    const r = pageHolding({ xid: v.txn.xid, id: v.id });
    if (!r || (v.txn.committedAt ?? Infinity) > r.p.sentAt) continue;
    const current = (byRow.get(v.id) ?? []).every(
      (w) => w === v || (w.txn.committedAt ?? Infinity) < v.writeSentAt || w.txn.endSentAt > r.p.receivedAt,
    );
    if (current) problems.steppedOver.push(`${v.id} at ${v.priceCents} (xid ${v.txn.xid}), current during page ${r.i} ${showCp(r.p.before)}..${showCp(r.to)}, not in it`);
  }
  return problems;
}

/** See PhaseResult.pagesHeldBack. */
export function heldBack(txns: readonly Txn[], pages: readonly Page[]): number {
  const committed = txns.filter((t) => t.committedAt !== null).sort((a, b) => (a.committedAt ?? 0) - (b.committedAt ?? 0));
  let i = 0;
  let maxXid = -1n;
  let cp: bigint = -1n;
  let n = 0;
  for (const p of pages) {
    for (; i < committed.length && (committed[i]?.committedAt ?? Infinity) < p.sentAt; i++) {
      const x = committed[i]!.xid;
      if (x > maxXid) maxXid = x;
    }
    if (p.checkpoint) cp = p.checkpoint.xid;
    if (p.docs.length < p.limit && maxXid > cp) n++;
  }
  return n;
}

export const problemCount = (p: Problems): number => Object.values(p).reduce((n, list: string[]) => n + list.length, 0);

// ---- the run -------------------------------------------------------------------------------

export interface PullScaleEnv {
  databaseUrl: string;
  hqs: [HqProcess, HqProcess];
  /** Writers of one phase, then the pull caught up and judged. Empties `products` first. */
  run(opts: PhaseOptions): Promise<PhaseResult>;
  dispose(): Promise<void>;
}

/** A fresh database, migrated, with one store; two HQ processes on it; one enrolled register. */
export async function startPullScaleEnv(): Promise<PullScaleEnv> {
  const db = await createTestDatabase();
  const hqs: HqProcess[] = [];
  let pool: pg.Pool | null = null;
  try {
    const sql = await openPostgres(db.url, 2);
    try {
      await migrate(sql);
      await sql.query("INSERT INTO stores (id, name, town, kind, registers) VALUES ('1001', 'Scale test', 'Utrecht', 'store', '{01}')");
    } finally {
      await sql.close();
    }
    const adminToken = `scale-admin-${randomBytes(9).toString('base64url')}`;
    const env = { DATABASE_URL: db.url, KASSA_ADMIN_TOKEN: adminToken, KASSA_DEMO_PRODUCTS: '0' };
    for (let i = 0; i < 2; i++) hqs.push(await createHqProcess({ demoProducts: 0, env }));
    await Promise.all(hqs.map((h) => h.start()));
    const enrolled = await fetch(`${hqs[1]!.url}/api/registers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ storeId: '1001', registerId: '01' }),
    });
    if (enrolled.status !== 201) throw new Error(`enrolment answered ${enrolled.status}: ${await enrolled.text()}`);
    const token = ((await enrolled.json()) as { registerToken: string }).registerToken;
    pool = new pg.Pool({ connectionString: db.url, max: 70 });
    pool.on('error', () => undefined);
    const p = pool;
    return {
      databaseUrl: db.url,
      hqs: [hqs[0]!, hqs[1]!],
      run: (opts) => runPhase(p, [hqs[0]!.url, hqs[1]!.url], token, opts),
      async dispose() {
        await p.end().catch(() => undefined);
        await Promise.all(hqs.map((h) => h.dispose()));
        await db.drop();
      },
    };
  } catch (e) {
    await pool?.end().catch(() => undefined);
    await Promise.all(hqs.map((h) => h.dispose()));
    await db.drop().catch(() => undefined);
    throw e;
  }
}

interface PulledPage {
  documents: { id: string; priceCents: number }[];
  checkpoint: { xid: string; id: string } | null;
}

/**
 * The control: HQ's pull query without the fence (`xid < pg_snapshot_xmin(...)`), straight on the
 * database. It steps over late commits, so the checks must find something wrong with it.
 */
async function unfencedPull(pool: pg.Pool, cp: { xid: bigint; id: string } | null, limit: number): Promise<PulledPage> {
  const { rows } = await pool.query<{ id: string; price_cents: string; xid: string }>(
    'SELECT id, price_cents::text, xid::text FROM products WHERE (xid, id) > ($1::xid8, $2::text) ORDER BY xid, id LIMIT $3',
    [String(cp?.xid ?? 0n), cp?.id ?? '', limit],
  );
  const last = rows[rows.length - 1];
  return { documents: rows.map((r) => ({ id: r.id, priceCents: Number(r.price_cents) })), checkpoint: last ? { xid: last.xid, id: last.id } : null };
}

export interface PhaseOptions {
  writers: number;
  writeMs: number;
  /** How long the pull may take to catch up after the writers stop (default 30 s). */
  catchUpMs?: number;
  /** Pull straight from the database without the fence (the control), instead of from HQ. */
  unfenced?: boolean;
  onProgress?: (line: string) => void;
}

async function runPhase(pool: pg.Pool, urls: [string, string], token: string, opts: PhaseOptions): Promise<PhaseResult> {
  await pool.query('TRUNCATE products');
  const versions: Version[] = [];
  const txns: Txn[] = [];
  const pages: Page[] = [];
  /** Rows whose insert committed: the ones writers may update. */
  const rows: string[] = [];
  let nextRow = 0;
  let nextPrice = 1;
  let rowsInserted = 0;
  let rowsUpdated = 0;
  const started = now();
  const writeUntil = started + opts.writeMs;
  let writing = true;
  /** The puller failed (e.g. HQ answered 500): writers stop, and the phase fails with it. */
  let pullError: unknown = null;

  const writer = async (w: number): Promise<void> => {
    const client = await pool.connect();
    try {
      while (now() < writeUntil && pullError === null) {
        const inserts = rand(4);
        const picks = rows.length ? Array.from({ length: rand(4) }, () => rows[rand(rows.length)]!) : [];
        // Sorted, distinct: every writer locks rows in the same order, so no deadlock.
        const updates = [...new Set(picks)].sort();
        if (inserts + updates.length === 0) continue;
        const steps = inserts + updates.length;
        const hold = rand(101); // ms this transaction stays open, spread over its statements
        await client.query('BEGIN');
        const [x] = (await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows;
        const txn: Txn = { writer: w, xid: BigInt(x!.xid), xidKnownAt: now(), endSentAt: Infinity, committedAt: null };
        txns.push(txn);
        const mine: Version[] = [];
        const inserted: string[] = [];
        try {
          for (let i = 0; i < inserts; i++) {
            await sleep(hold / steps);
            const id = `r${String(nextRow++).padStart(9, '0')}`;
            const v: Version = { id, priceCents: nextPrice++, txn, writeSentAt: now() };
            await client.query(
              "INSERT INTO products (id, item_number, barcode, name, category, price_cents, vat) VALUES ($1, $1, NULL, 'Scale test', 'Test', $2, 'high')",
              [id, v.priceCents],
            );
            mine.push(v);
            inserted.push(id);
          }
          for (const id of updates) {
            await sleep(hold / steps);
            const v: Version = { id, priceCents: nextPrice++, txn, writeSentAt: now() };
            await client.query('UPDATE products SET price_cents = $2 WHERE id = $1', [id, v.priceCents]);
            mine.push(v);
          }
          txn.endSentAt = now();
          await client.query('COMMIT');
          txn.committedAt = now();
          versions.push(...mine);
          rows.push(...inserted);
          rowsInserted += inserts;
          rowsUpdated += updates.length;
        } catch (e) {
          txn.endSentAt = Math.min(txn.endSentAt, now());
          await client.query('ROLLBACK').catch(() => undefined);
          versions.push(...mine); // never committed: delivering one of them is a defect
          throw e;
        }
      }
    } finally {
      client.release();
    }
  };

  // ---- the register: one checkpoint, two HQs, page by page -------------------------------
  let cp: { xid: bigint; id: string } | null = null;
  const lastDelivered = new Map<string, number>();
  const pullPage = async (): Promise<Page> => {
    const hq = opts.unfenced ? -1 : pages.length % 2;
    // Mostly ordinary pages, sometimes tiny ones (more boundaries), sometimes big ones.
    const r = Math.random();
    const limit = r < 0.1 ? 1 + rand(3) : r < 0.9 ? 20 + rand(200) : 500 + rand(1500);
    const q = new URLSearchParams({ limit: String(limit) });
    if (cp) {
      q.set('xid', String(cp.xid));
      q.set('id', cp.id);
    }
    const before = cp;
    const sentAt = now();
    let body: PulledPage;
    if (opts.unfenced) {
      body = await unfencedPull(pool, before, limit);
    } else {
      const res = await fetch(`${urls[hq]}/api/replication/products/pull?${q}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`pull from HQ ${hq} answered ${res.status}: ${text.slice(0, 300)}`);
      body = JSON.parse(text) as PulledPage;
    }
    const receivedAt = now();
    const checkpoint = body.checkpoint ? { xid: BigInt(body.checkpoint.xid), id: body.checkpoint.id } : null;
    const page: Page = { hq, sentAt, receivedAt, limit, before, checkpoint, docs: body.documents.map((d) => ({ id: d.id, priceCents: d.priceCents })) };
    pages.push(page);
    if (checkpoint) cp = checkpoint;
    for (const d of page.docs) lastDelivered.set(d.id, d.priceCents);
    return page;
  };

  let lastProgress = started;
  const progress = () => {
    if (!opts.onProgress || now() - lastProgress < 5000) return;
    lastProgress = now();
    opts.onProgress(
      `  ${opts.writers} writers, ${((now() - started) / 1000).toFixed(0)} s: ${rowsInserted} rows inserted, ${rowsUpdated} updates, ` +
        `${pages.length} pages pulled, checkpoint ${showCp(cp)}`,
    );
  };
  const puller = (async () => {
    while (writing) {
      const page = await pullPage();
      progress();
      if (page.docs.length === 0) await sleep(2);
    }
  })().catch((e: unknown) => {
    pullError = e;
  });

  const results = await Promise.allSettled(Array.from({ length: opts.writers }, (_, w) => writer(w)));
  writing = false;
  await puller;
  if (pullError !== null) throw pullError;
  const writeMs = now() - started;
  const pagesWhileWriting = pages.length;
  const failedWriters = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failedWriters.length) throw new Error(`${failedWriters.length} writers failed: ${String(failedWriters[0]?.reason)}`);

  // ---- catch up: pull until every row's final version came and a page comes back empty ---
  const finalRows = new Map(
    (await pool.query<{ id: string; price_cents: string; xid: string }>('SELECT id, price_cents::text, xid::text FROM products')).rows.map((r) => [
      r.id,
      { priceCents: Number(r.price_cents), xid: BigInt(r.xid) },
    ]),
  );
  const catchUpStarted = now();
  const catchUpUntil = catchUpStarted + (opts.catchUpMs ?? 30_000);
  let caughtUp = false;
  const missing = () => [...finalRows].filter(([id, f]) => lastDelivered.get(id) !== f.priceCents).length;
  while (now() < catchUpUntil) {
    const page = await pullPage();
    progress();
    if (page.docs.length === 0) {
      if (missing() === 0) {
        caughtUp = true;
        break;
      }
      // Another transaction in the cluster (any database) holds the fence back: wait for it.
      await sleep(50);
    }
  }
  const catchUpMs = now() - catchUpStarted;
  let blockers: string | undefined;
  if (!caughtUp) {
    const held = await pool.query(
      "SELECT datname, pid, backend_xid::text, state, now() - xact_start AS age, left(query, 80) AS query FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY backend_xid::text::bigint",
    );
    blockers = JSON.stringify(held.rows);
  }

  const docsPulled = pages.reduce((n, p) => n + p.docs.length, 0);
  const deliveries = new Map<string, number>();
  for (const p of pages) for (const d of p.docs) deliveries.set(d.id, (deliveries.get(d.id) ?? 0) + 1);
  return {
    writers: opts.writers,
    writeMs,
    catchUpMs,
    elapsedMs: now() - started,
    txnsCommitted: txns.filter((t) => t.committedAt !== null).length,
    txnsFailed: txns.filter((t) => t.committedAt === null).length,
    rowsInserted,
    rowsUpdated,
    finalRows: finalRows.size,
    pages: pages.length,
    pagesPerHq: [pages.filter((p) => p.hq === 0).length, pages.filter((p) => p.hq === 1).length],
    pagesWhileWriting,
    docsPulled,
    redelivered: [...deliveries.values()].filter((n) => n > 1).length,
    pagesHeldBack: heldBack(txns, pages),
    caughtUp,
    problems: judge(versions, txns, pages, finalRows),
    ...(blockers ? { blockers } : {}),
  };
}

export function summary(r: PhaseResult): string {
  const p = r.problems;
  return (
    `${r.writers} writers: ${r.rowsInserted} rows written + ${r.rowsUpdated} updates in ${r.txnsCommitted} transactions ` +
    `(${r.txnsFailed} failed) over ${(r.writeMs / 1000).toFixed(1)} s; ${r.docsPulled} rows pulled in ${r.pages} pages ` +
    `(${r.pagesPerHq[0] + r.pagesPerHq[1] ? `HQ A ${r.pagesPerHq[0]}, HQ B ${r.pagesPerHq[1]}` : 'straight from the database'}; ${r.pagesWhileWriting} while writing, ${r.pagesHeldBack} held back by the fence; ${r.redelivered} rows came again after an update); ` +
    `caught up ${r.caughtUp ? 'in' : 'NOT within'} ${(r.catchUpMs / 1000).toFixed(1)} s; ` +
    `skipped ${p.skipped.length + p.steppedOver.length}, duplicated ${p.duplicated.length}, fence ${p.fence.length}, order ${p.order.length}, unknown ${p.unknown.length}; ` +
    `elapsed ${(r.elapsedMs / 1000).toFixed(1)} s`
  );
}

// ---- the command ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (flag: string, fallback: string) => {
    const i = args.indexOf(flag);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
  };
  const writerCounts = arg('--writers', '16,64').split(',').map(Number);
  const seconds = Number(arg('--seconds', '60'));
  const catchUpSeconds = Number(arg('--catch-up-seconds', '60'));
  const unfenced = args.includes('--unfenced');
  if (writerCounts.some((n) => !Number.isSafeInteger(n) || n < 1 || n > 68) || !(seconds > 0) || !(catchUpSeconds > 0)) {
    console.error('usage: tsx tests/long/pull-writers.ts [--writers 16,64] [--seconds 60] [--catch-up-seconds 60] [--unfenced]  (1-68 writers each)');
    process.exit(2);
  }
  const started = now();
  console.log(
    `pull under writers: ${writerCounts.join(', ')} writers, ${seconds} s of writing each, ` +
      (unfenced ? 'pulled straight from the database WITHOUT the fence (control)' : 'two HQ processes on one PostgreSQL database'),
  );
  const env = await startPullScaleEnv();
  let failed = false;
  try {
    console.log(`  database ${new URL(env.databaseUrl).pathname.slice(1)}; HQ A ${env.hqs[0].url}, HQ B ${env.hqs[1].url}`);
    for (const writers of writerCounts) {
      const r = await env.run({ writers, writeMs: seconds * 1000, catchUpMs: catchUpSeconds * 1000, unfenced, onProgress: (line) => console.log(line) });
      console.log(summary(r));
      const bad = problemCount(r.problems) > 0 || !r.caughtUp;
      if (bad) {
        failed = true;
        for (const [kind, list] of Object.entries(r.problems) as [string, string[]][]) {
          for (const line of list.slice(0, 20)) console.log(`  ${kind}: ${line}`);
          if (list.length > 20) console.log(`  ${kind}: … ${list.length - 20} more`);
        }
        if (r.blockers) console.log(`  running transactions holding the fence: ${r.blockers}`);
      }
    }
  } finally {
    await env.dispose();
  }
  console.log(`${failed ? 'FAILED' : 'ok'}: elapsed ${((now() - started) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  });
}
