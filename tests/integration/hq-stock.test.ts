import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import type { SaleDoc, StockDoc } from '../../sync/protocol/docs.ts';
import { availableBackends } from '../support/backends.ts';
import { makeChain, makeSale, pushRows } from '../support/sales.ts';

// HQ books every sale it stores into its store's stock, in the same transaction, exactly once,
// and tells each register which of its sales a figure includes (the booked mark), so the
// register can subtract the rest itself without ever counting a sale twice.

const backends = await availableBackends();

describe.each(backends)('stock booked from sales on $name', (backend) => {
  let hq: RunningHq;
  let cleanup: () => Promise<void>;
  const admin = 'stock-admin-token';

  const post = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${hq.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const enrol = async (storeId: string, registerId: string): Promise<string> => {
    const res = await post('/api/registers', admin, { storeId, registerId });
    expect(res.status).toBe(201);
    return (res.body as { registerToken: string }).registerToken;
  };
  const push = async (token: string, docs: SaleDoc[]) => {
    const res = await post('/api/replication/sales/push', token, pushRows(docs));
    expect(res).toEqual({ status: 200, body: [] });
  };
  /** Every stock figure a register pulls, from the start, as it would. */
  const pullStock = async (token: string): Promise<Map<string, StockDoc>> => {
    const out = new Map<string, StockDoc>();
    let cp: { xid: string; id: string } | null = null;
    for (;;) {
      const q = new URLSearchParams({ limit: '1000', ...(cp ? { xid: cp.xid, id: cp.id } : {}) });
      const res = await fetch(`${hq.url}/api/replication/stock/pull?${q}`, { headers: { authorization: `Bearer ${token}` } });
      const page = (await res.json()) as { documents: StockDoc[]; checkpoint: { xid: string; id: string } | null };
      for (const d of page.documents) out.set(d.id, d);
      if (page.documents.length === 0 || !page.checkpoint) return out;
      cp = page.checkpoint;
    }
  };

  beforeAll(async () => {
    const prepared = await backend.prepare();
    cleanup = prepared.cleanup;
    hq = await startHq({
      ...(prepared.databaseUrl ? { databaseUrl: prepared.databaseUrl } : { memory: true }),
      adminToken: admin,
      demoProducts: 100,
      enrolRate: { capacity: 20, perMinute: 1 },
    });
  });
  afterAll(async () => {
    await hq?.close();
    await cleanup?.();
  });

  it('lowers the store’s figure by each sale once, marks it booked for that register, and leaves other stores alone', async () => {
    const token = await enrol('1002', '01');
    const before = await pullStock(token);
    const start = before.get('1002:1000003')?.onHand ?? 0;
    const elsewhere = before.get('1003:1000003')?.onHand ?? null;
    const chain = makeChain('1002', '01', 3, { productId: '1000003', quantity: 2 });
    await push(token, chain.slice(0, 2));
    // The same sales again (a lost answer) and then the third: booked once each.
    await push(token, chain);
    const after = await pullStock(token);
    expect(after.get('1002:1000003')).toMatchObject({ onHand: start - 6, booked: { '01': 3 } });
    expect(after.get('1003:1000003')?.onHand ?? null).toBe(elsewhere);
    // The figure moved, so every register pulls it again (its xid changed).
    expect(Date.parse(after.get('1002:1000003')?.asOf ?? '')).toBeGreaterThanOrEqual(Date.parse(before.get('1002:1000003')?.asOf ?? '0'));
  });

  it('gives a product sold where HQ had no figure a negative one, so the sale is not lost from the books', async () => {
    const token = await enrol('1004', '02');
    const [sale] = makeChain('1004', '02', 1, { productId: '1000099', quantity: 1 });
    const before = await pullStock(token);
    await hq.store.sql.query("DELETE FROM stock WHERE id = '1004:1000099'");
    await push(token, [sale as SaleDoc]);
    const after = await pullStock(token);
    expect(before.size).toBeGreaterThan(0);
    expect(after.get('1004:1000099')).toMatchObject({ locationId: '1004', productId: '1000099', onHand: -1, reserved: 0, booked: { '02': 1 } });
  });

  it('keeps each register’s mark apart and loses nothing when registers of one store push the same products at once', async () => {
    const tokens = await Promise.all(['01', '02', '03'].map((r) => enrol('1005', r)));
    const before = await pullStock(tokens[0] as string);
    // Three registers, 20 sales each, alternating 1000005 and 1000006, pushed concurrently in
    // batches of 5: rows are locked in product order, so nobody deadlocks and nothing is lost.
    const built = ['01', '02', '03'].map((r) => {
      const out: SaleDoc[] = [];
      for (let seq = 1; seq <= 20; seq++) {
        const prev = out[out.length - 1];
        out.push(makeSale('1005', r, seq, { productId: seq % 2 === 0 ? '1000005' : '1000006', prev: prev ? { seq: prev.seq, hash: prev.hash } : null }));
      }
      return out;
    });
    await Promise.all(
      built.map(async (sales, i) => {
        for (let b = 0; b < sales.length; b += 5) await push(tokens[i] as string, sales.slice(b, b + 5));
      }),
    );
    const after = await pullStock(tokens[1] as string);
    for (const [productId, lastSeq] of [['1000005', 20], ['1000006', 19]] as const) {
      const id = `1005:${productId}`;
      expect(after.get(id)).toMatchObject({ onHand: (before.get(id)?.onHand ?? 0) - 30, booked: { '01': lastSeq, '02': lastSeq, '03': lastSeq } });
    }
  });
});
