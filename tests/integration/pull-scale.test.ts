import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Page, type PullScaleEnv, type Txn, type Version, judge, problemCount, startPullScaleEnv, summary } from '../long/pull-writers.ts';
import { postgresReachable } from '../support/backends.ts';

// The fenced pull at scale, end to end on PostgreSQL: 16 and then 64 writers (each its own
// connection) insert and update products in transactions held open 0–100 ms, while one register
// pulls over HTTP from two HQ processes on the same database, alternating page by page with one
// checkpoint. Every row's final version must arrive, no version may be stepped over, no
// (id, xid) may come twice. The checks are in tests/long/pull-writers.ts, which also runs this
// for longer as a command.
//
//   KASSA_PULL_SCALE_MS  writing time per writer count (default 3000)

const reachable = await postgresReachable(); // throws under CI=true when PostgreSQL is missing
if (!reachable) console.warn('pull-scale: PostgreSQL is not reachable, so the pull-at-scale tests are skipped.');
const WRITE_MS = Number(process.env.KASSA_PULL_SCALE_MS ?? 3000);

describe('the checks of a pull run', () => {
  const txn = (xid: number, xidKnownAt: number, endSentAt: number, committed = true): Txn => ({
    writer: 0,
    xid: BigInt(xid),
    xidKnownAt,
    endSentAt,
    committedAt: committed ? endSentAt + 1 : null,
  });
  const cp = (xid: number, id: string) => ({ xid: BigInt(xid), id });
  const page = (sentAt: number, before: Page['before'], checkpoint: Page['checkpoint'], docs: Page['docs']): Page => ({
    hq: 0,
    sentAt,
    receivedAt: sentAt + 5,
    limit: 100,
    before,
    checkpoint,
    docs,
  });

  // r1 inserted by T10, r2 inserted by T12 and later updated by T30 (which ran 200–210 ms).
  const t10 = txn(10, 0, 1);
  const t12 = txn(12, 0, 2);
  const t30 = txn(30, 200, 210);
  const versions: Version[] = [
    { id: 'r1', priceCents: 1, txn: t10, writeSentAt: 0.5 },
    { id: 'r2', priceCents: 2, txn: t12, writeSentAt: 0.5 },
    { id: 'r2', priceCents: 3, txn: t30, writeSentAt: 205 },
  ];
  const final = new Map([
    ['r1', { priceCents: 1, xid: 10n }],
    ['r2', { priceCents: 3, xid: 30n }],
  ]);
  const good: Page[] = [
    page(50, null, cp(12, 'r2'), [
      { id: 'r1', priceCents: 1 },
      { id: 'r2', priceCents: 2 },
    ]),
    page(300, cp(12, 'r2'), cp(30, 'r2'), [{ id: 'r2', priceCents: 3 }]),
    page(400, cp(30, 'r2'), null, []),
  ];

  it('finds nothing wrong with a run where everything arrived once, an updated row again with its newer xid', () => {
    expect(judge(versions, [t10, t12, t30], good, final)).toEqual({ skipped: [], steppedOver: [], duplicated: [], fence: [], order: [], unknown: [] });
  });

  it('catches a final version that never came, a version stepped over, a duplicate and a checkpoint past a running transaction', () => {
    // r1 is missing from the first page although it was committed and current: stepped over;
    // r2's first version comes twice; a transaction 11 runs through the whole first page, which
    // answers checkpoint (12, r2) all the same; r2's final version never comes.
    const t11 = txn(11, 40, 100, false);
    const bad: Page[] = [
      page(50, null, cp(12, 'r2'), [{ id: 'r2', priceCents: 2 }]),
      page(60, null, cp(12, 'r2'), [{ id: 'r2', priceCents: 2 }]),
      page(400, cp(12, 'r2'), null, []),
    ];
    const problems = judge(versions, [t10, t11, t12, t30], bad, final);
    expect(problems.skipped.map((s) => s.split(':')[0])).toEqual(['r1', 'r2']);
    expect(problems.steppedOver).toHaveLength(1);
    expect(problems.steppedOver[0]).toMatch(/^r1 at 1 /);
    expect(problems.duplicated).toEqual(['r2@12 delivered 2 times']);
    expect(problems.fence).toHaveLength(1);
    expect(problems.fence[0]).toMatch(/passed transaction 11/);
  });

  it('catches documents out of order and a write that was rolled back', () => {
    const rolledBack = txn(40, 0, 1, false);
    const problems = judge(
      [...versions, { id: 'r3', priceCents: 9, txn: rolledBack, writeSentAt: 0.5 }],
      [t10, t12, t30, rolledBack],
      [page(50, null, cp(10, 'r1'), [{ id: 'r2', priceCents: 2 }, { id: 'r1', priceCents: 1 }, { id: 'r3', priceCents: 9 }]), ...good.slice(1)],
      final,
    );
    expect(problems.order.length).toBeGreaterThan(0);
    expect(problems.unknown).toEqual(['page 0: r3 at 9 was written by no committed transaction']);
  });
});

describe.skipIf(!reachable)('pull at scale on PostgreSQL: two HQ processes, one register, many writers', () => {
  let env: PullScaleEnv;

  beforeAll(async () => {
    env = await startPullScaleEnv();
  }, 120_000);

  afterAll(async () => {
    await env?.dispose();
  });

  it.each([16, 64])('skips and repeats nothing while %i writers commit out of order', async (writers) => {
    const r = await env.run({ writers, writeMs: WRITE_MS, catchUpMs: 20_000 });
    console.log(`pull-scale: ${summary(r)}`);
    const shown = Object.fromEntries(Object.entries(r.problems).map(([k, list]: [string, string[]]) => [k, list.slice(0, 10)]));
    expect(problemCount(r.problems), JSON.stringify(shown, null, 1)).toBe(0);
    expect(r.caughtUp, `the pull did not catch up; running transactions: ${r.blockers}`).toBe(true);
    // The run was a real one: rows written and updated, pulled from both HQs while writing.
    expect(r.rowsInserted).toBeGreaterThan(writers * 5);
    expect(r.rowsUpdated).toBeGreaterThan(0);
    expect(r.pagesWhileWriting).toBeGreaterThan(10);
    expect(Math.min(...r.pagesPerHq)).toBeGreaterThan(5);
    expect(r.txnsFailed).toBe(0);
  }, 120_000);

  it('catches what a pull without the fence steps over (the control: same writers, same checks)', async () => {
    const r = await env.run({ writers: 16, writeMs: Math.min(WRITE_MS, 2000), catchUpMs: 500, unfenced: true });
    console.log(`pull-scale control without the fence: ${summary(r)}`);
    expect(r.problems.fence.length + r.problems.skipped.length + r.problems.steppedOver.length).toBeGreaterThan(0);
  }, 120_000);
});
