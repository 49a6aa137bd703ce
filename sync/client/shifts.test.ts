import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { addToCart, emptyCart } from '../../src/cart.ts';
import type { OperatorDoc } from '../protocol/docs.ts';
import type { HoldingsResponse } from '../protocol/holdings.ts';
import { hashPin } from '../protocol/pin.ts';
import type { EndOfDayCheck, RegisterClient } from './api.ts';
import { databaseName, openRegisterDatabase } from './database.ts';
import { compareHoldings } from './end-of-day.ts';
import { openRegister } from './register.ts';
import { PIN_ATTEMPTS, PIN_LOCKOUT_MS, PinAttempts, SignInError } from './shifts.ts';

// Operators and shifts in the register's sync client, on RxDB over Dexie on fake-indexeddb
// (no HQ: the register works offline). HQ's side is in tests/integration/hq-shifts.test.ts.

const storageOn = (factory: IDBFactory): RxStorage<unknown, unknown> => getRxStorageDexie({ indexedDB: factory, IDBKeyRange }) as RxStorage<unknown, unknown>;

const open: RegisterClient[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

async function operators(factory: IDBFactory, docs: { id: string; role: 'cashier' | 'manager'; storeId: string | null; pin: string }[]): Promise<void> {
  const db = await openRegisterDatabase(databaseName('1001', '01'), storageOn(factory));
  const rows: Omit<OperatorDoc, '_deleted'>[] = [];
  // Few iterations: the test is about who may sign in, not about the hash's cost.
  for (const d of docs) rows.push({ id: d.id, name: `Operator ${d.id}`, role: d.role, storeId: d.storeId, ...(await hashPin(d.pin, 1000)) });
  await db.operators.bulkInsert(rows);
  await db.close();
}

async function register(factory: IDBFactory, now: () => Date = () => new Date()): Promise<RegisterClient> {
  const c = await openRegister({ hqUrl: 'http://127.0.0.1:9', storeId: '1001', registerId: '01', registerToken: 'test-token' }, { storage: storageOn(factory), live: false, now });
  open.push(c);
  return c;
}

const product = { id: '1000001', itemNumber: '1000001', barcode: null, name: 'Testproduct', priceCents: 1234, vat: 'high' as const, inAssortment: true };

describe('PIN attempts', () => {
  it('locks an id out after 5 wrong PINs in a row, for 30 s, doubling, and forgets after a right one', () => {
    let now = 0;
    const a = new PinAttempts(() => now);
    for (let i = 0; i < PIN_ATTEMPTS - 1; i++) a.failed('900');
    expect(() => a.check('900')).not.toThrow();
    a.failed('900');
    expect(() => a.check('900')).toThrow(SignInError);
    // Another id is not affected.
    expect(() => a.check('100')).not.toThrow();
    now += PIN_LOCKOUT_MS - 1;
    expect(() => a.check('900')).toThrow(/try again in 1 s/);
    now += 1;
    expect(() => a.check('900')).not.toThrow();
    // The next run of wrong PINs locks it out twice as long.
    for (let i = 0; i < PIN_ATTEMPTS; i++) a.failed('900');
    now += PIN_LOCKOUT_MS;
    expect(() => a.check('900')).toThrow(SignInError);
    now += PIN_LOCKOUT_MS;
    expect(() => a.check('900')).not.toThrow();
    a.failed('900');
    a.succeeded('900');
    for (let i = 0; i < PIN_ATTEMPTS - 1; i++) a.failed('900');
    expect(() => a.check('900')).not.toThrow();
  });
});

describe('sign-in at the register (offline, from the replica)', () => {
  it('signs in a store’s and a chain-wide operator, refuses a wrong PIN, an unknown id and another store’s operator alike', async () => {
    const idb = new IDBFactory();
    await operators(idb, [
      { id: '100', role: 'cashier', storeId: null, pin: '1234' },
      { id: '200', role: 'cashier', storeId: '1001', pin: '2222' },
      { id: '300', role: 'cashier', storeId: '1002', pin: '3333' },
      { id: '900', role: 'manager', storeId: null, pin: '9999' },
    ]);
    const c = await register(idb);
    expect(await c.signIn(' 100 ', '1234')).toMatchObject({ operatorId: '100', role: 'cashier' });
    expect(await c.signIn('200', '2222')).toMatchObject({ operatorId: '200' });
    expect(await c.signIn('900', '9999')).toMatchObject({ operatorId: '900', role: 'manager' });
    const refusals = await Promise.all([c.signIn('100', '0000'), c.signIn('555', '1234'), c.signIn('300', '3333')].map((p) => p.then(() => 'signed in', (e: Error) => e.message)));
    expect(refusals).toEqual(['Operator id or PIN is wrong', 'Operator id or PIN is wrong', 'Operator id or PIN is wrong']);
  });

  it('locks an id out after 5 wrong PINs, even for the right PIN, and a manager approval counts the same', async () => {
    const idb = new IDBFactory();
    await operators(idb, [{ id: '900', role: 'manager', storeId: null, pin: '9999' }]);
    let now = new Date('2026-12-07T10:00:00Z').getTime();
    const c = await register(idb, () => new Date(now));
    for (let i = 0; i < 4; i++) await expect(c.signIn('900', '0000')).rejects.toThrow('Operator id or PIN is wrong');
    // The fifth wrong PIN, given for an approval, locks the id out: it says so at once.
    await expect(c.approveAsManager('900', '0000')).rejects.toThrow(/Too many wrong PINs for 900: try again in 30 s/);
    await expect(c.signIn('900', '9999')).rejects.toThrow(/Too many wrong PINs for 900: try again in 30 s/);
    await expect(c.approveAsManager('900', '9999')).rejects.toThrow(/Too many wrong PINs/);
    now += PIN_LOCKOUT_MS;
    expect(await c.signIn('900', '9999')).toMatchObject({ operatorId: '900' });
  });
});

describe('a lock-out across a restart', () => {
  it('still holds after the register is closed and opened again (a reload does not lift it)', async () => {
    const idb = new IDBFactory();
    await operators(idb, [{ id: '900', role: 'manager', storeId: null, pin: '9999' }]);
    let now = new Date('2026-12-07T10:00:00Z').getTime();
    const first = await register(idb, () => new Date(now));
    for (let i = 0; i < 4; i++) await expect(first.signIn('900', '0000')).rejects.toThrow('Operator id or PIN is wrong');
    await expect(first.signIn('900', '0000')).rejects.toThrow(/Too many wrong PINs/);
    await first.close();
    open.splice(open.indexOf(first), 1);

    const again = await register(idb, () => new Date(now));
    await expect(again.signIn('900', '9999')).rejects.toThrow(/Too many wrong PINs for 900: try again in 30 s/);
    now += PIN_LOCKOUT_MS;
    expect(await again.signIn('900', '9999')).toMatchObject({ operatorId: '900' });
  });
});

describe('a shift at the register', () => {
  it('opens with a float, holds the sales made in it, moves cash, and closes with the count into a Z report', async () => {
    const idb = new IDBFactory();
    const c = await register(idb);
    // A sale before the shift does not belong to it.
    await c.completeSale(addToCart(emptyCart, product), [{ kind: 'card', amountCents: 1234 }], '100');
    expect(await c.shift()).toBeNull();

    const opened = await c.openShift(15000, '100');
    expect(opened.opened.shiftNo).toBe('SHF-1001-01-000001');
    expect(opened.opened.marks).toEqual({ sales: 1, orderEvents: 0, returns: 0 });
    await expect(c.openShift(15000, '100')).rejects.toThrow('A shift is open at this register already');
    await expect(c.openShift(15000, '100')).rejects.toMatchObject({ code: 'shift_already_open' });
    // The day cannot be closed while the shift is open (HQ is not reachable from this test either).
    expect((await c.endOfDay()).blockers).toEqual(['hqUnreachable', 'shiftOpen']);

    await c.completeSale(addToCart(emptyCart, product), [{ kind: 'cash', tenderedCents: 2000 }], '100');
    await c.completeSale(addToCart(emptyCart, product), [{ kind: 'card', amountCents: 1234 }], '200');
    const moved = await c.moveCash({ direction: 'out', amountCents: 5000, reason: 'safe_drop', note: '' }, '100');
    const x = moved.report;
    expect(x.kind).toBe('X');
    expect(x.sales.count).toBe(2);
    // Cash 12,34 is paid 12,35 (rounded to 5 cents).
    expect(x.tenders.cash.inCents).toBe(1235);
    expect(x.tenders.card.inCents).toBe(1234);
    expect(x.expectedCashCents).toBe(15000 + 1235 - 5000);
    expect(x.operators).toEqual(['100', '200']);

    // Closed 10 cents short: 2 × € 50 + 1 × € 10 + 1 × € 1 + 1 × € 0,20 + 1 × € 0,05.
    const closed = await c.closeShift(
      [
        { denominationCents: 5000, count: 2 },
        { denominationCents: 1000, count: 1 },
        { denominationCents: 100, count: 1 },
        { denominationCents: 20, count: 1 },
        { denominationCents: 5, count: 1 },
      ],
      '100',
    );
    expect(closed.id).toBe('SHF-1001-01-000003');
    expect(closed.report.kind).toBe('Z');
    expect(closed.marks).toEqual({ sales: 3, orderEvents: 0, returns: 0 });
    expect(closed.countedCents).toBe(11125);
    expect(closed.expectedCents).toBe(11235);
    expect(closed.differenceCents).toBe(-110);
    expect(await c.shift()).toBeNull();
    const day = await c.endOfDay();
    expect(day.blockers).toEqual(['hqUnreachable']);
    // What the register made: 3 sales so far (sequence 1-3) and the shift's 3 events.
    expect(day.collections.find((x) => x.kind === 'sales')?.local).toEqual({ count: 3, lastSeq: 3 });
    expect(day.collections.find((x) => x.kind === 'shiftEvents')?.local).toEqual({ count: 3, lastSeq: 3 });
    expect((await c.closedShifts()).map((s) => s.shiftNo)).toEqual(['SHF-1001-01-000001']);
    // A sale after the closing belongs to the next shift, not to this one.
    await c.completeSale(addToCart(emptyCart, product), [{ kind: 'card', amountCents: 1234 }], '100');
    const next = await c.openShift(11125, '100');
    expect(next.opened.marks.sales).toBe(4);
    expect(next.report.sales.count).toBe(0);
  });
});

describe('the end-of-day comparison', () => {
  const local = { sales: { count: 12, lastSeq: 12 }, orderEvents: { count: 2, lastSeq: 2 }, returns: { count: 1, lastSeq: 1 }, shiftEvents: { count: 3, lastSeq: 3 } };
  const hq = (collections: HoldingsResponse['collections']): HoldingsResponse => ({
    storeId: '1001',
    registerId: '01',
    at: '2026-12-07T21:00:00.000Z',
    collections,
    alerts: [],
    openAlerts: 0,
    orderExceptions: [],
  });
  const at = '2026-12-07T21:00:01.000Z';

  it('confirms every record when HQ holds as many as were made, less what it refused', () => {
    const refused: EndOfDayCheck['refused'] = [{ id: '1001-01-000007', kind: 'sales', status: 'refused', message: 'totalCents: does not add up', at }];
    const check = compareHoldings(local, refused, hq({ ...local, sales: { count: 11, lastSeq: 12 } }), null, false, at);
    expect(check.blockers).toEqual([]);
    expect(check.unsent).toBe(0);
    expect(check.collections.find((c) => c.kind === 'sales')).toMatchObject({ refused: 1, unsent: 0, confirmed: true });
  });

  it('counts a sale HQ holds another body of as not taken from here, and as held: nothing unsent', () => {
    const refused: EndOfDayCheck['refused'] = [{ id: '1001-01-000003', kind: 'sales', status: 'conflict', message: 'HQ already holds another sale numbered 1001-01-000003', at }];
    const check = compareHoldings(local, refused, hq(local), null, false, at);
    expect(check.blockers).toEqual([]);
    expect(check.collections.find((c) => c.kind === 'sales')).toMatchObject({ refused: 1, unsent: 0, confirmed: true });
  });

  it('blocks the day while records have not reached HQ, HQ cannot be reached, or a shift is open', () => {
    const missing = compareHoldings(local, [], hq({ ...local, shiftEvents: { count: 2, lastSeq: 2 } }), null, false, at);
    expect(missing.blockers).toEqual(['unsent']);
    expect(missing.collections.find((c) => c.kind === 'shiftEvents')).toMatchObject({ unsent: 1, confirmed: false });
    const unreachable = compareHoldings(local, [], null, 'HQ cannot be reached', true, at);
    expect(unreachable.blockers).toEqual(['hqUnreachable', 'shiftOpen']);
    expect(unreachable.collections.every((c) => c.unsent === null && !c.confirmed)).toBe(true);
    // A reinstalled register holds fewer records than HQ: nothing of it is unsent.
    const reinstalled = compareHoldings({ ...local, sales: { count: 2, lastSeq: 14 } }, [], hq(local), null, false, at);
    expect(reinstalled.blockers).toEqual([]);
  });
});
