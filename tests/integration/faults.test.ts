import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolmentApi } from '../../sync/client/index.ts';
import { type RunningHq, openDatabase, startHq } from '../../sync/hq/server.ts';
import { HqStore } from '../../sync/hq/store.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';
import { availableBackends, createTestDatabase } from '../support/backends.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { DEFAULT_REGISTERS, diffSales, formatReport, inProcessHq, processHq, runFaultScenario } from '../support/fault-scenario.ts';
import { createHqProcess } from '../support/hq-process.ts';
import { makeSale, pushRows } from '../support/sales.ts';

// Fault injection between registers and HQ (tests/support/fault-proxy.ts) and HQ killed with
// SIGKILL while it ingests. Registers are real sync clients (RxDB on fake-indexeddb), each in a
// worker thread (tests/support/fault-scenario.ts). No sale may be lost, duplicated or changed.

const SALES = Number(process.env.KASSA_FAULT_SALES ?? 150);
const KILL_SALES = Number(process.env.KASSA_FAULT_KILL_SALES ?? 60);
const KILLS = Number(process.env.KASSA_FAULT_KILLS ?? 3);
const PRODUCTS = 300;
const backends = await availableBackends();

describe('faults between registers and HQ on PGlite in this process', () => {
  let hq: RunningHq;
  beforeAll(async () => {
    hq = await startHq({ memory: true, adminToken: 'faults-admin', demoProducts: PRODUCTS, heartbeatMs: 500 });
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('the proxy drops, cuts, duplicates, fails, pipes event streams and goes down as told, and counts it', async () => {
    const proxy = await startFaultProxy(hq.url, { seed: 7 });
    try {
      const health = async (): Promise<string> => {
        try {
          return String((await fetch(`${proxy.url}/api/health`)).status);
        } catch {
          return 'failed';
        }
      };
      expect(await health()).toBe('200');
      proxy.setFaults({ drop: 1 });
      expect(await health()).toBe('failed');
      proxy.setFaults({ drop: 0, cut: 1 });
      expect(await health()).toBe('failed');
      proxy.setFaults({ cut: 0, duplicate: 1 });
      expect(await health()).toBe('200');
      proxy.setFaults({ duplicate: 0, fail: 1, failStatus: 502 });
      expect(await health()).toBe('502');
      proxy.setFaults({ fail: 0 });
      await proxy.setDown(true);
      await expect(fetch(`${proxy.url}/api/health`)).rejects.toThrow();
      await proxy.setDown(false);
      expect(await health()).toBe('200');
      expect(proxy.counts()).toMatchObject({ requests: 6, passed: 2, dropped: 1, cut: 1, duplicated: 1, failed: 1, downPeriods: 1 });

      // A push through a cut reaches HQ although the client hears nothing; a duplicated one is stored once.
      const { registerToken } = await enrolmentApi.enrol(hq.url, '1004', '01', 'faults-admin');
      const push = (sale: SaleDoc) =>
        fetch(`${proxy.url}/api/replication/sales/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${registerToken}`, 'content-type': 'application/json' },
          body: JSON.stringify(pushRows([sale])),
        });
      const first = makeSale('1004', '01', 1);
      const second = makeSale('1004', '01', 2, { prev: { seq: first.seq, hash: first.hash } });
      proxy.setFaults({ cut: 1 });
      await expect(push(first)).rejects.toThrow();
      proxy.setFaults({ cut: 0, duplicate: 1 });
      expect((await push(second)).status).toBe(200);
      proxy.setFaults({ duplicate: 0 });
      await new Promise((r) => setTimeout(r, 300));
      expect((await hq.store.listSales('1004', 10)).map((s) => s.receiptNo).sort()).toEqual([first.receiptNo, second.receiptNo]);
      expect(proxy.counts().push).toMatchObject({ requests: 2, cut: 1, duplicated: 1 });

      // The event stream is piped as it comes (not buffered till the end), and dies when the proxy goes down.
      const stream = await fetch(`${proxy.url}/api/replication/stream`, { headers: { authorization: `Bearer ${registerToken}` } });
      expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
      const reader = stream.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: hello');
      await proxy.setDown(true);
      await expect((async () => {
        for (;;) if ((await reader.read()).done) throw new Error('stream ended');
      })()).rejects.toThrow();
      expect(proxy.counts()).toMatchObject({ streams: 1, downPeriods: 2 });
    } finally {
      await proxy.close();
    }
  });

  it('the comparison catches a lost, a duplicated, an extra and a changed sale', () => {
    const a = makeSale('1001', '01', 1);
    const b = makeSale('1001', '01', 2);
    const c = makeSale('1001', '01', 3);
    expect(diffSales([a, b], [a, b])).toEqual({ missing: [], extra: [], duplicated: [], changed: [] });
    expect(diffSales([a, b], [a]).missing).toEqual([b.receiptNo]);
    expect(diffSales([a, b], [a, b, b]).duplicated).toEqual([b.receiptNo]);
    expect(diffSales([a, b], [a, b, c]).extra).toEqual([c.receiptNo]);
    expect(diffSales([a, b], [a, { ...b, totalCents: b.totalCents + 1 }]).changed).toEqual([b.receiptNo]);
  });

  it(`${SALES} sales from 3 registers: dropped, delayed, duplicated and cut requests and offline periods lose or double nothing`, { timeout: Math.max(60_000, SALES * 400) }, async () => {
    const report = await runFaultScenario({
      hq: inProcessHq(hq),
      sales: SALES,
      // With this seed the proxy's sequence for sales pushes starts "C.DU": the first four
      // pushes already meet a cut, a drop and a duplicate, however pulls and streams interleave.
      seed: 16,
      proxy: {
        faults: { drop: 0.12, cut: 0.12, duplicate: 0.12, fail: 0.05, failStatus: 503, delay: 0.3, maxDelayMs: 150, maxStreamMs: 3000 },
        downPeriods: 2,
        downMs: [600, 1200],
      },
      salePauseMs: [30, 120],
    });
    console.log(formatReport(report));
    expect(report.problems).toEqual([]);
    expect(report.made).toBe(SALES);
    expect(report.atHq).toBe(SALES);
    expect(report.missing).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.extra).toEqual([]);
    expect(report.changed).toEqual([]);
    for (const r of report.registers) expect(r).toMatchObject({ pendingAtEnd: 0, onlineAtEnd: true, atHq: r.made });
    // The faults really happened, to sales pushes too, and the registers noticed.
    const p = report.proxy;
    expect(p?.downPeriods).toBe(2);
    expect(p?.push.dropped).toBeGreaterThan(0);
    expect(p?.push.cut).toBeGreaterThan(0);
    expect(p?.push.duplicated).toBeGreaterThan(0);
    expect(p?.delayed).toBeGreaterThan(0);
    expect(report.registers.reduce((a, r) => a + r.offlineTransitions, 0)).toBeGreaterThan(0);
    // Re-deliveries (cut answers, duplicates, retries) are not conflicts or broken chains.
    expect(await hq.store.alerts({ open: true })).toEqual([]);
  });
});

describe.each(backends)('HQ killed with SIGKILL during ingestion on $name', (backend) => {
  it(`${KILL_SALES} sales from 3 registers, ${KILLS} kills: nothing acknowledged is lost, everything arrives once`, { timeout: 180_000 }, async () => {
    const db = backend.name === 'postgres' ? await createTestDatabase() : null;
    const hq = await createHqProcess({ demoProducts: PRODUCTS, ...(db ? { env: { DATABASE_URL: db.url } } : {}) });
    try {
      await hq.start();
      const report = await runFaultScenario({
        hq: processHq(hq),
        sales: KILL_SALES,
        seed: backend.name === 'postgres' ? 7 : 11,
        kills: KILLS,
        killJitterMs: 300,
        salePauseMs: [20, 80],
      });
      console.log(`${backend.name}:\n${formatReport(report)}`);
      expect(report.problems).toEqual([]);
      expect(report.kills).toBe(KILLS);
      expect(report.killsDuringIngestion).toBeGreaterThan(0);
      expect(report.ackedChecked).toBeGreaterThan(0);
      expect(report.ackedLost).toEqual([]);
      expect(report.made).toBe(KILL_SALES);
      expect(report.atHq).toBe(KILL_SALES);
      expect(report.missing).toEqual([]);
      expect(report.duplicated).toEqual([]);
      for (const r of report.registers) expect(r).toMatchObject({ pendingAtEnd: 0, atHq: r.made });
      // The registers noticed HQ was gone, and came back by themselves.
      expect(report.registers.every((r) => r.offlineTransitions > 0 && r.onlineAtEnd)).toBe(true);

      // One more SIGKILL, then HQ's database read directly: every sale there once, no alerts.
      await hq.kill();
      const sql = await openDatabase(db ? { databaseUrl: db.url } : { dataDir: hq.dataDir });
      try {
        const store = new HqStore(sql);
        const ids = (await Promise.all(DEFAULT_REGISTERS.map((r) => store.listSales(r.storeId, 10_000)))).flat().map((s) => s.id);
        expect(ids.length).toBe(KILL_SALES);
        expect(new Set(ids).size).toBe(KILL_SALES);
        expect(await store.alerts({ open: true })).toEqual([]);
      } finally {
        await sql.close();
      }
    } catch (e) {
      console.log(hq.output().slice(-4000));
      throw e;
    } finally {
      await hq.dispose();
      await db?.drop();
    }
  });
});
