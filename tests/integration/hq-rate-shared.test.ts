import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import { BACKENDS, postgresReachable } from '../support/backends.ts';

// Two HQ processes' worth of HQ (each its own app, limiters and database pool) on one
// PostgreSQL database, as behind a load balancer: the rate limits hold across them, so a
// guesser spreading tries over both gets the budget of one. (On PGlite HQ is one process; the
// single-process limits are in hq-trust.test.ts, on both databases.)

const postgres = (await postgresReachable()) ? BACKENDS.filter((b) => b.name === 'postgres') : [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(postgres)('rate limits across two HQ processes on $name', (backend) => {
  const admin = 'shared-limits-admin';
  const hqs: RunningHq[] = [];
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    for (let i = 0; i < 2; i++) {
      hqs.push(
        await startHq({
          databaseUrl: prepared.databaseUrl ?? '',
          adminToken: admin,
          demoProducts: 100,
          enrolRate: { capacity: 4, perMinute: 1 },
          authFailureRate: { capacity: 8, perMinute: 1 },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const hq of hqs) await hq.close();
    await cleanup?.();
  });

  /** Asks the two processes in turn; a pause lets the other process hear of each spend. */
  const inTurn = async (count: number, ask: (hq: RunningHq, i: number) => Promise<Response>): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) {
      statuses.push((await ask(hqs[i % 2] as RunningHq, i)).status);
      await sleep(50);
    }
    return statuses;
  };

  it('counts enrolments at both processes against one budget', async () => {
    // First: the guessing below locks the address out of everything, enrolment included.
    const statuses = await inTurn(6, (hq, i) =>
      fetch(`${hq.url}/api/registers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ storeId: '1001', registerId: `0${(i % 3) + 1}` }),
      }),
    );
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(statuses.slice(0, 4).every((s) => s !== 429)).toBe(true);
  });

  it('slows token guessing spread over both processes after the budget of one', async () => {
    const statuses = await inTurn(12, (hq, i) => fetch(`${hq.url}/api/replication/stores/pull`, { headers: { authorization: `Bearer guess-${i}` } }));
    // Capacity 8: the ninth guess is refused as too many, at either process (16 without sharing).
    expect(statuses).toEqual([...Array(8).fill(401), 429, 429, 429, 429]);
  });
});
