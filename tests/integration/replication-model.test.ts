import fc from 'fast-check';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import { verifyChain } from '../../src/chain.ts';
import { type Enrolled, type RegisterClient, enrolmentApi, openRegister } from '../../sync/client/index.ts';
import { type RunningHq, startHq } from '../../sync/hq/server.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';
import { type FaultProxy, NO_FAULTS, startFaultProxy } from '../support/fault-proxy.ts';
import { waitFor } from '../support/hq-process.ts';
import { pushRows } from '../support/sales.ts';

// A model-based test of the replication state machine: fast-check generates random sequences of
// sales, network loss and return, faulty networks (dropped, cut, duplicated requests), register
// crashes with restarts, and duplicate deliveries; after each sequence the network heals and the
// register and HQ must agree exactly: every sale made is at HQ once, with the same body.

interface Model {
  made: string[];
}

interface Real {
  hq: RunningHq;
  proxy: FaultProxy;
  identity: Enrolled;
  idb: IDBFactory;
  client: RegisterClient;
}

const PRODUCT = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Modelproduct', priceCents: 325, vat: 'low' as const, inAssortment: true };
const storage = (idb: IDBFactory) => getRxStorageDexie({ indexedDB: idb, IDBKeyRange }) as RxStorage<unknown, unknown>;
const open = (r: Real) => openRegister(r.identity, { storage: storage(r.idb) });

class Sell implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    const sale = await r.client.completeSale(addToCart(emptyCart, PRODUCT), [{ kind: 'cash', tenderedCents: 500 }], 'cashier');
    m.made.push(sale.receiptNo);
  }
  toString = () => 'sell';
}

class Network implements fc.AsyncCommand<Model, Real> {
  constructor(readonly down: boolean) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    await r.proxy.setDown(this.down);
  }
  toString = () => (this.down ? 'network down' : 'network up');
}

class Faulty implements fc.AsyncCommand<Model, Real> {
  constructor(readonly p: number) {}
  check = () => true;
  async run(_m: Model, r: Real) {
    r.proxy.setFaults({ drop: this.p, cut: this.p, duplicate: this.p, delay: this.p, maxDelayMs: 200 });
  }
  toString = () => `faults ${this.p}`;
}

class Crash implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real) {
    await r.client.close();
    r.client = await open(r);
  }
  toString = () => 'crash + restart';
}

class Wait implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run() {
    await new Promise((res) => setTimeout(res, this.ms));
  }
  toString = () => `wait ${this.ms}`;
}

/** The network delivers the register's sales to HQ once more (a retry from a proxy, a replay). */
class Redeliver implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.made.length > 0;
  async run(_m: Model, r: Real) {
    const sales = (await r.client.recentSales(1000)).map((s) => ({ ...s, _deleted: false }) as SaleDoc);
    await fetch(`${r.hq.url}/api/replication/sales/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${r.identity.registerToken}` },
      body: JSON.stringify(pushRows(sales)),
    });
  }
  toString = () => 'redeliver';
}

const commands = [
  fc.constant(new Sell()),
  fc.constant(new Sell()),
  fc.boolean().map((down) => new Network(down)),
  fc.constantFrom(0, 0.25, 0.5).map((p) => new Faulty(p)),
  fc.constant(new Crash()),
  fc.integer({ min: 0, max: 300 }).map((ms) => new Wait(ms)),
  fc.constant(new Redeliver()),
];

describe('replication state machine', () => {
  let hq: RunningHq;
  const registers: [string, string][] = [];
  for (const s of ['1001', '1002', '1003', '1004', '1005', '1006']) for (const r of ['01', '02', '03']) registers.push([s, r]);

  beforeAll(async () => {
    hq = await startHq({ memory: true, adminToken: 'model-admin', demoProducts: 50, heartbeatMs: 500, enrolRate: { capacity: 1000, perMinute: 1000 } });
  });
  afterAll(async () => {
    await hq?.close();
  });

  it('always converges: every sale made reaches HQ exactly once, whatever happens on the way', async () => {
    const runs = Number(process.env.KASSA_MODEL_RUNS ?? 15);
    let run = 0;
    const seen = { faults: 0, downs: 0, sales: 0 };
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 14 }), async (cmds) => {
        const [storeId, registerId] = registers[run++ % registers.length] ?? ['1001', '01'];
        const proxy = await startFaultProxy(hq.url, { seed: run });
        const identity = await enrolmentApi.enrol(hq.url, storeId, registerId, 'model-admin');
        const real: Real = { hq, proxy, identity: { ...identity, hqUrl: proxy.url }, idb: new IDBFactory(), client: null as unknown as RegisterClient };
        real.client = await open(real);
        const model: Model = { made: [] };
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // Heal the network and wait for the register to have nothing waiting.
          proxy.setFaults(NO_FAULTS);
          await proxy.setDown(false);
          await waitFor('register caught up', async () => real.client.getStatus().pending === 0 && real.client.getStatus().online, 45_000);

          const atHq = (await hq.store.listSales(storeId, 1000)).filter((s) => s.registerId === registerId && s.seq > identity.lastSequence);
          const ids = atHq.map((s) => s.receiptNo).sort();
          expect(ids).toEqual([...model.made].sort());
          const local = new Map((await real.client.recentSales(1000)).map((s) => [s.receiptNo, s]));
          for (const s of atHq) {
            const { receivedAt: _r, _deleted: _d, ...body } = s;
            expect(body).toEqual(local.get(s.receiptNo));
          }
          expect(verifyChain(atHq.map(({ receivedAt: _r, ...s }) => s), new Map(identity.lastHash ? [[identity.lastSequence, identity.lastHash]] : []))).toEqual([]);
          const c = proxy.counts();
          seen.faults += c.dropped + c.cut + c.duplicated;
          seen.downs += c.downPeriods;
          seen.sales += model.made.length;
        } finally {
          await real.client.close();
          await proxy.close();
        }
      }),
      // A fixed seed by default: the same runs every time, so the check below that they met
      // faults and outages cannot fail by chance (KASSA_MODEL_SEED explores others).
      { numRuns: runs, endOnFailure: true, seed: Number(process.env.KASSA_MODEL_SEED ?? 20_261_125) },
    );
    // The runs did meet what they were meant to survive.
    expect(seen.sales).toBeGreaterThan(0);
    expect(seen.faults).toBeGreaterThan(0);
    expect(seen.downs).toBeGreaterThan(0);
  });
});
