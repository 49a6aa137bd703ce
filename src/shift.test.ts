import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type SellableProduct, addToCart, emptyCart, overridePrice, removeLine, setQuantity } from './cart.ts';
import { DEFAULT_ORDER_SETTINGS, type EventContext, type NewOrderLine, type OrderEvent, cancel, createOrder, foldOrder, orderDue, pickUp } from './order.ts';
import { type CompletedReturn, type ReturnInputLine, completeReturn, planBlindRefund, planRefund } from './returns.ts';
import { type CompletedSale, type TenderInput, completeSale } from './sale.ts';
import {
  type CashCountLine,
  type SequenceMarks,
  type ShiftClosed,
  type ShiftEvent,
  type ShiftRecords,
  DENOMINATIONS_CENTS,
  ShiftError,
  checkZReport,
  closeShift,
  countedCents,
  currentShift,
  moveCash,
  openShift,
  shiftEventId,
  shiftNoParts,
  shiftReport,
  verifyShiftEvent,
} from './shift.ts';

// ---- fixtures, built with the domain's own constructors ------------------------------------------

const STORE = '1001';
const REG = '02';
const AT = '2026-11-25T08:00:00.000Z';

const COFFEE: SellableProduct = { id: 'P-COFFEE', itemNumber: '1000001', barcode: null, name: 'Koffiebonen 500 g', priceCents: 799, vat: 'low', inAssortment: true };
const PAN: SellableProduct = { id: 'P-PAN', itemNumber: '1000002', barcode: null, name: 'Koekenpan 24 cm', priceCents: 2999, vat: 'high', inAssortment: false };
const GIFT: SellableProduct = { id: 'P-GIFT', itemNumber: '1000003', barcode: null, name: 'Cadeaukaart 25 euro', priceCents: 2500, vat: 'zero', inAssortment: true };

const at = (seq: number, storeId = STORE, registerId = REG, operatorId = '100') => ({ storeId, registerId, seq, createdAt: AT, operatorId });

function sale(seq: number, items: [SellableProduct, number][], tenders: TenderInput[], where: { storeId?: string; registerId?: string } = {}): CompletedSale {
  let cart = emptyCart;
  for (const [p, q] of items) cart = addToCart(cart, p, q);
  return completeSale(cart, tenders, at(seq, where.storeId, where.registerId));
}

function returnOf(s: CompletedSale, seq: number, lineNo: number, quantity: number, prior: CompletedReturn[] = []): CompletedReturn {
  const l = s.lines[lineNo - 1]!;
  const lines: ReturnInputLine[] = [
    { originalLineNo: lineNo, productId: l.productId, itemNumber: l.itemNumber, barcode: l.barcode, name: l.name, quantity, unitPriceCents: l.unitPriceCents, vat: l.vat, reason: 'defective' },
  ];
  const origin = { kind: 'sale' as const, receiptNo: s.receiptNo, storeId: s.storeId, registerId: s.registerId, verifiedBy: 'replica' as const };
  return completeReturn({ origin, lines, refunds: planRefund(l.unitPriceCents * quantity, s.tenders, prior.flatMap((r) => r.refunds)), approval: null }, at(seq));
}

function blindReturn(seq: number, unitPriceCents: number, preferCash: boolean): CompletedReturn {
  return completeReturn(
    {
      origin: { kind: 'none' },
      lines: [{ originalLineNo: null, productId: 'P-TOWEL', itemNumber: '1000009', barcode: null, name: 'Theedoek', quantity: 1, unitPriceCents, vat: 'high', reason: 'changed_mind' }],
      refunds: planBlindRefund(unitPriceCents, preferCash),
      approval: { managerId: '900', reason: 'regular customer' },
    },
    at(seq),
  );
}

const pickupLine = (unitPriceCents: number, quantity: number): NewOrderLine => ({
  productId: 'P-BED',
  itemNumber: '1000004',
  barcode: null,
  name: 'Dekbedovertrek',
  quantity,
  unitPriceCents,
  vat: 'high',
  outOfAssortment: false,
  fulfilment: { mode: 'pickup', storeId: STORE },
});
const customer = { name: 'J. de Vries', phone: null, email: null, addresses: [] };
const evt = (seq: number, storeId = STORE, registerId = REG): EventContext => at(seq, storeId, registerId);

const OPEN_MARKS: SequenceMarks = { sales: 10, orderEvents: 4, returns: 2 };
const CLOSE_MARKS: SequenceMarks = { sales: 13, orderEvents: 8, returns: 5 };
const FLOAT = 15_000;

/**
 * One shift at 1001-02, opened with € 150 and the marks above:
 *  - sale 11: 3 coffee + 1 pan (out of assortment) = 53,96, cash 53,95 (rounding −1) from € 100
 *  - sale 12: gift card + coffee = 32,99 by card
 *  - sale 13: 1 pan = 29,99: € 10 by card, the rest cash 20,00 (rounding +1)
 *  - return 3: 1 coffee of sale 11, cash (7,99 paid out 8,00)
 *  - return 4: the gift card of sale 12, back to the card (25,00)
 *  - return 5: without a receipt, 12,95 as store credit
 *  - order event 5: an order of 2 × 12,95 for pick-up, deposit 5,18 in cash (5,20)
 *  - order event 6: its pick-up, the balance 20,72 by card
 *  - order event 7: an order of 49,95, deposit 9,99 by card; event 8: cancelled, 7,49 back in cash (7,50)
 *  - cash in € 50 (float top-up), cash out € 100 (safe drop)
 * plus records the shift must ignore: earlier and later numbers, another register, another store.
 */
function story() {
  const opened = openShift(FLOAT, OPEN_MARKS, at(1));
  const s11 = sale(11, [[COFFEE, 3], [PAN, 1]], [{ kind: 'cash', tenderedCents: 10_000 }]);
  const s12 = sale(12, [[GIFT, 1], [COFFEE, 1]], [{ kind: 'card', amountCents: 3299 }]);
  const s13 = sale(13, [[PAN, 1]], [{ kind: 'card', amountCents: 1000 }, { kind: 'cash', tenderedCents: 2000 }]);
  const r3 = returnOf(s11, 3, 1, 1);
  const r4 = returnOf(s12, 4, 1, 1);
  const r5 = blindReturn(5, 1295, false);

  const o1 = createOrder(
    { customer, lines: [pickupLine(1295, 2)], settings: DEFAULT_ORDER_SETTINGS, depositCents: 518, override: null, tenders: [{ kind: 'cash', tenderedCents: 1000 }] },
    evt(5),
  );
  const o1state = foldOrder(o1.orderNo, [o1]);
  const p1 = pickUp(o1state, [1], [{ kind: 'card', amountCents: o1state.balanceCents }], evt(6));
  const o2 = createOrder(
    { customer, lines: [pickupLine(4995, 1)], settings: DEFAULT_ORDER_SETTINGS, depositCents: 999, override: null, tenders: [{ kind: 'card', amountCents: 999 }] },
    evt(7),
  );
  const c2 = cancel(foldOrder(o2.orderNo, [o2]), [1], DEFAULT_ORDER_SETTINGS, 'cash', 'changed their mind', evt(8));

  const topUp = moveCash(opened, { direction: 'in', amountCents: 5000, reason: 'float_top_up', note: '' }, at(2));
  const drop = moveCash(opened, { direction: 'out', amountCents: 10_000, reason: 'safe_drop', note: ' envelope 17 ' }, at(3));

  // What the shift must leave out.
  const ignoredSales = [
    sale(10, [[PAN, 5]], [{ kind: 'cash', tenderedCents: 20_000 }]), // at the opening mark: the previous shift's
    sale(14, [[PAN, 5]], [{ kind: 'cash', tenderedCents: 20_000 }]), // after the closing mark: the next shift's
    sale(12, [[PAN, 5]], [{ kind: 'cash', tenderedCents: 20_000 }], { registerId: '03' }),
    sale(12, [[PAN, 5]], [{ kind: 'cash', tenderedCents: 20_000 }], { storeId: '1002' }),
  ];
  const ignoredReturns = [returnOf(s11, 2, 2, 1), returnOf(s11, 6, 2, 1)];
  const other = createOrder(
    { customer, lines: [pickupLine(1295, 1)], settings: DEFAULT_ORDER_SETTINGS, depositCents: 259, override: null, tenders: [{ kind: 'cash', tenderedCents: 500 }] },
    evt(6, STORE, '03'),
  );
  const early = createOrder(
    { customer, lines: [pickupLine(1295, 1)], settings: DEFAULT_ORDER_SETTINGS, depositCents: 259, override: null, tenders: [{ kind: 'cash', tenderedCents: 500 }] },
    evt(4),
  );
  const otherShift = moveCash({ ...opened, shiftNo: shiftEventId(STORE, REG, 99) }, { direction: 'in', amountCents: 777, reason: 'other', note: 'not ours' }, at(100));

  const records: ShiftRecords = {
    sales: [s11, s12, s13],
    orderEvents: [o1, p1, o2, c2],
    returns: [r3, r4, r5],
    shiftEvents: [opened, topUp, drop],
  };
  const everything: ShiftRecords = {
    sales: [...ignoredSales, ...records.sales],
    orderEvents: [early, other, ...records.orderEvents],
    returns: [...ignoredReturns, ...records.returns],
    shiftEvents: [...records.shiftEvents, otherShift],
  };
  return { opened, records, everything, sales: { s11, s12, s13 }, returns: { r3, r4, r5 }, events: { o1, p1, o2, c2 }, moves: { topUp, drop } };
}

/** 163,65 exactly: one of each from € 100 down to 5 cents, without € 20, € 5, 20 and 20 cents. */
const EXACT: CashCountLine[] = [
  { denominationCents: 10_000, count: 1 },
  { denominationCents: 5000, count: 1 },
  { denominationCents: 1000, count: 1 },
  { denominationCents: 200, count: 1 },
  { denominationCents: 100, count: 1 },
  { denominationCents: 50, count: 1 },
  { denominationCents: 10, count: 1 },
  { denominationCents: 5, count: 1 },
];

function closedStory(counted: CashCountLine[] = EXACT) {
  const s = story();
  const closed = closeShift(s.opened, s.everything, CLOSE_MARKS, counted, { ...at(4), operatorId: '900', createdAt: '2026-11-25T18:00:00.000Z' });
  return { ...s, closed };
}

// ---- the report ----------------------------------------------------------------------------------

describe('shiftReport', () => {
  it('adds up cash and card sales, returns, order payments and cash moves into the expected cash', () => {
    const { opened, everything, sales } = story();
    // The register computed the sales this way: check the fixtures are what the comments say.
    expect(sales.s11.tenders).toEqual([{ kind: 'cash', amountCents: 5395, tenderedCents: 10_000, changeCents: 4605 }]);
    expect(sales.s13.tenders).toEqual([{ kind: 'card', amountCents: 1000, reference: null }, { kind: 'cash', amountCents: 2000, tenderedCents: 2000, changeCents: 0 }]);

    const z = shiftReport(opened, everything, '2026-11-25T18:00:00.000Z', { marks: CLOSE_MARKS });
    expect(z).toMatchObject({ kind: 'Z', shiftNo: 'SHF-1001-02-000001', storeId: STORE, registerId: REG, openedAt: AT, floatCents: FLOAT });
    expect(z.tenders).toEqual({
      // 53,95 + 20,00 in sales, 5,20 deposit; 8,00 return, 7,50 cancellation.
      cash: { inCents: 5395 + 2000 + 520, outCents: 800 + 750, netCents: 7915 - 1550 },
      // 32,99 + 10,00 sales, 20,72 pick-up, 9,99 deposit; 25,00 back.
      card: { inCents: 3299 + 1000 + 2072 + 999, outCents: 2500, netCents: 7370 - 2500 },
      storeCredit: { inCents: 0, outCents: 1295, netCents: -1295 },
    });
    expect(z.cashMoves).toEqual({ inCents: 5000, outCents: 10_000, count: 2 });
    // 150 + 79,15 − 15,50 + 50 − 100
    expect(z.expectedCashCents).toBe(FLOAT + 7915 - 1550 + 5000 - 10_000);
    expect(z.expectedCashCents).toBe(16_365);
    expect(z.sales).toEqual({ count: 3, totalCents: 5396 + 3299 + 2999, roundingCents: -1 + 0 + 1 });
    expect(z.returns).toEqual({ count: 3, totalCents: 799 + 2500 + 1295, withoutReceipt: 1 });
    expect(z.orders).toEqual({
      depositsCount: 2,
      // What was taken: the cash deposit as paid (5,18 rounded to 5,20) and the card deposit.
      depositsCents: 520 + 999,
      pickUpsCount: 1,
      pickUpsCents: 2072,
      cancellationsCount: 1,
      cancellationRefundsCents: 749,
    });
    expect(z.outOfAssortment).toEqual({ lines: 2, amountCents: 2999 * 2 });
    expect(z.records).toEqual({ sales: 3, orderEvents: 4, returns: 3, cashMoves: 2 });
    expect(z.operators).toEqual(['100']);
  });

  it('gives VAT per rate as sales less returns, as the receipts state it', () => {
    const { opened, everything } = story();
    const z = shiftReport(opened, everything, AT, { marks: CLOSE_MARKS });
    expect(z.vat).toEqual([
      // 21 %: pans 29,99 (VAT 5,20) twice; the towel back 12,95 (VAT 2,25).
      { vat: 'high', rateBp: 2100, salesGrossCents: 5998, returnsGrossCents: 1295, netGrossCents: 4703, vatCents: 520 + 520 - 225 },
      // 9 %: coffee 23,97 (1,98) and 7,99 (0,66); one coffee back (0,66).
      { vat: 'low', rateBp: 900, salesGrossCents: 3196, returnsGrossCents: 799, netGrossCents: 2397, vatCents: 198 + 66 - 66 },
      { vat: 'zero', rateBp: 0, salesGrossCents: 2500, returnsGrossCents: 2500, netGrossCents: 0, vatCents: 0 },
    ]);
  });

  it('ignores records outside the marks, of another register or store, and cash moves of another shift', () => {
    const { opened, records, everything } = story();
    const all = shiftReport(opened, everything, AT, { marks: CLOSE_MARKS });
    const only = shiftReport(opened, records, AT, { marks: CLOSE_MARKS });
    expect(all).toEqual(only);
  });

  it('an X report (no closing yet) takes everything numbered above the opening', () => {
    const { opened, everything } = story();
    const x = shiftReport(opened, everything, AT);
    expect(x.kind).toBe('X');
    // Sale 14 and return 6 count now; sale 10 and return 2 still do not.
    expect(x.records).toEqual({ sales: 4, orderEvents: 4, returns: 4, cashMoves: 2 });
    expect(x.sales.totalCents).toBe(5396 + 3299 + 2999 + 5 * 2999);
  });

  it('names every operator who worked in the shift', () => {
    const { opened, records } = story();
    const bySomeoneElse = sale(12, [[COFFEE, 1]], [{ kind: 'card', amountCents: 799 }]);
    const z = shiftReport(opened, { ...records, sales: [{ ...bySomeoneElse, operatorId: '201' }] }, AT, { marks: CLOSE_MARKS });
    expect(z.operators).toEqual(['100', '201']);
  });
});

describe('price overrides and voids in the report', () => {
  const MANAGER = { managerId: '900', reason: 'damaged' };
  /** Sale 12 of the story again, with 2 coffee at 6,99 instead of 7,99 and the pan at 31,99 instead of 29,99; a gift card voided, and 1 of 3 pans. */
  function approvedSale(seq: number) {
    let cart = addToCart(addToCart(addToCart(emptyCart, COFFEE, 2), PAN, 3), GIFT);
    cart = overridePrice(cart, 0, 699, MANAGER);
    cart = overridePrice(cart, 1, 3199, MANAGER);
    cart = removeLine(cart, 2, MANAGER);
    cart = setQuantity(cart, 1, 2, MANAGER);
    const total = 2 * 699 + 2 * 3199;
    return completeSale(cart, [{ kind: 'card', amountCents: total }], at(seq));
  }

  it('counts overridden lines with Σ (new − original) × quantity, and voids with Σ quantity × price', () => {
    const { opened, everything } = story();
    const plain = shiftReport(opened, everything, AT, { marks: CLOSE_MARKS });
    expect(plain.overrides).toEqual({ lines: 0, differenceCents: 0 });
    expect(plain.voids).toEqual({ count: 0, amountCents: 0 });

    const records = { ...everything, sales: everything.sales.map((x) => (x.seq === 12 && x.registerId === REG && x.storeId === STORE ? approvedSale(12) : x)) };
    const z = shiftReport(opened, records, AT, { marks: CLOSE_MARKS });
    // (6,99 − 7,99) × 2 + (31,99 − 29,99) × 2 = −2,00 + 4,00
    expect(z.overrides).toEqual({ lines: 2, differenceCents: -200 + 400 });
    // the gift card (25,00) and one pan at its new price (31,99)
    expect(z.voids).toEqual({ count: 2, amountCents: 2500 + 3199 });
    // Sales outside the shift are not counted.
    const later = { ...records, sales: [...records.sales, approvedSale(14)] };
    expect(shiftReport(opened, later, AT, { marks: CLOSE_MARKS }).voids.count).toBe(2);
    expect(shiftReport(opened, later, AT).voids.count).toBe(4);
  });

  it('HQ compares them in the Z report, and a Z report made before them still matches', () => {
    const s = story();
    const records = { ...s.everything, sales: s.everything.sales.map((x) => (x.seq === 12 && x.registerId === REG && x.storeId === STORE ? approvedSale(12) : x)) };
    const closed = closeShift(s.opened, records, CLOSE_MARKS, EXACT, at(4));
    expect(checkZReport(closed, s.opened, records).status).toBe('matches');
    const hidden: ShiftClosed = { ...closed, report: { ...closed.report, voids: { count: 0, amountCents: 0 } } };
    expect(checkZReport(hidden, s.opened, records)).toEqual({ status: 'differs', missing: 0, differences: ['voids'] });
    const lowered: ShiftClosed = { ...closed, report: { ...closed.report, overrides: { lines: 2, differenceCents: 0 } } };
    expect(checkZReport(lowered, s.opened, records).differences).toEqual(['overrides']);
    // A register before this change sent neither figure: the rest is compared as before.
    const { overrides: _o, voids: _v, ...older } = closed.report;
    expect(checkZReport({ ...closed, report: older as ShiftClosed['report'] }, s.opened, records).status).toBe('matches');
  });
});

// ---- closing -------------------------------------------------------------------------------------

describe('closeShift', () => {
  it('records the count, the expected cash and no difference when they agree', () => {
    const { closed, opened } = closedStory();
    expect(closed).toMatchObject({
      id: 'SHF-1001-02-000004',
      shiftNo: opened.id,
      type: 'closed',
      seq: 4,
      operatorId: '900',
      marks: CLOSE_MARKS,
      countedCents: 16_365,
      expectedCents: 16_365,
      differenceCents: 0,
    });
    expect(closed.report.kind).toBe('Z');
    expect(closed.report.at).toBe('2026-11-25T18:00:00.000Z');
    expect(verifyShiftEvent(closed)).toEqual([]);
  });

  it('says how much the drawer is short or over', () => {
    const short = closedStory(EXACT.filter((c) => c.denominationCents !== 1000 && c.denominationCents !== 5)).closed;
    expect(short).toMatchObject({ countedCents: 15_360, expectedCents: 16_365, differenceCents: -1005 });
    const over = closedStory([...EXACT, { denominationCents: 20, count: 1 }]).closed;
    expect(over).toMatchObject({ countedCents: 16_385, differenceCents: 20 });
    expect(verifyShiftEvent(short)).toEqual([]);
    expect(verifyShiftEvent(over)).toEqual([]);
  });

  it('keeps only the denominations counted', () => {
    const { closed } = closedStory([...EXACT, { denominationCents: 50_000, count: 0 }]);
    expect(closed.counted).toEqual(EXACT);
  });

  it('refuses closing marks below the opening ones', () => {
    const { opened, records } = story();
    expect(() => closeShift(opened, records, { ...CLOSE_MARKS, returns: 1 }, EXACT, at(4))).toThrow(ShiftError);
  });
});

describe('countedCents', () => {
  it('adds denomination × count', () => {
    expect(countedCents(EXACT)).toBe(16_365);
    expect(countedCents([])).toBe(0);
    expect(countedCents([{ denominationCents: 5, count: 3 }, { denominationCents: 50_000, count: 2 }])).toBe(100_015);
  });
  it('refuses what is not a euro note or coin', () => {
    for (const d of [1, 2, 25, 300, 100_000, -5, 0]) {
      expect(() => countedCents([{ denominationCents: d as never, count: 1 }])).toThrow(/not a euro note or coin/);
    }
  });
  it('refuses a denomination counted twice', () => {
    expect(() => countedCents([{ denominationCents: 500, count: 1 }, { denominationCents: 500, count: 2 }])).toThrow(/counted twice/);
  });
  it('refuses negative, fractional and non-numeric counts', () => {
    for (const count of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => countedCents([{ denominationCents: 100, count }])).toThrow(/whole number, 0 or more/);
    }
  });
  it('refuses a total beyond the largest amount', () => {
    expect(() => countedCents([{ denominationCents: 50_000, count: 10_000_000 }])).toThrow(ShiftError);
  });
  it('knows every note and coin from € 500 to 5 cents', () => {
    expect(countedCents(DENOMINATIONS_CENTS.map((d) => ({ denominationCents: d, count: 1 })))).toBe(88_885);
  });
});

// ---- opening and moving cash -----------------------------------------------------------------------

describe('openShift and moveCash', () => {
  it('an opening is its own shift, numbered on the shift sequence', () => {
    const opened = openShift(FLOAT, OPEN_MARKS, at(7));
    expect(opened).toEqual({ id: 'SHF-1001-02-000007', shiftNo: 'SHF-1001-02-000007', type: 'opened', storeId: STORE, registerId: REG, seq: 7, createdAt: AT, operatorId: '100', floatCents: FLOAT, marks: OPEN_MARKS });
    expect(verifyShiftEvent(opened)).toEqual([]);
    expect(() => openShift(-1, OPEN_MARKS, at(7))).toThrow(ShiftError);
    expect(() => openShift(1.5, OPEN_MARKS, at(7))).toThrow();
  });

  it('moves cash in and out with a reason, trimming the note', () => {
    const { moves, opened } = story();
    expect(moves.drop).toMatchObject({ id: 'SHF-1001-02-000003', shiftNo: opened.shiftNo, type: 'cash', direction: 'out', amountCents: 10_000, reason: 'safe_drop', note: 'envelope 17' });
    expect(verifyShiftEvent(moves.topUp)).toEqual([]);
    expect(verifyShiftEvent(moves.drop)).toEqual([]);
    const other = moveCash(opened, { direction: 'out', amountCents: 250, reason: 'other', note: 'window cleaner' }, at(5));
    expect(verifyShiftEvent(other)).toEqual([]);
  });

  it('refuses nothing, less than nothing and a fraction of a cent', () => {
    const { opened } = story();
    for (const amountCents of [0, -100, 12.5]) {
      expect(() => moveCash(opened, { direction: 'in', amountCents, reason: 'float_top_up', note: '' }, at(5))).toThrow();
    }
  });

  it('refuses a reason of the other direction', () => {
    const { opened } = story();
    expect(() => moveCash(opened, { direction: 'in', amountCents: 100, reason: 'safe_drop', note: '' }, at(5))).toThrow(/not a reason to move cash in/);
    expect(() => moveCash(opened, { direction: 'out', amountCents: 100, reason: 'float_top_up', note: '' }, at(5))).toThrow(/not a reason to move cash out/);
    expect(() => moveCash(opened, { direction: 'out', amountCents: 100, reason: 'lunch' as never, note: '' }, at(5))).toThrow(ShiftError);
  });

  it('refuses "other" without saying what for', () => {
    const { opened } = story();
    expect(() => moveCash(opened, { direction: 'out', amountCents: 100, reason: 'other', note: '   ' }, at(5))).toThrow(/say what the cash was for/);
  });
});

describe('currentShift', () => {
  it('is the open shift with its events, or none', () => {
    const { opened, moves } = story();
    expect(currentShift([])).toBeNull();
    expect(currentShift([opened])).toEqual({ opened, events: [opened] });
    expect(currentShift([moves.drop, opened, moves.topUp])).toEqual({ opened, events: [moves.drop, opened, moves.topUp] });
    const { closed } = closedStory();
    expect(currentShift([opened, moves.topUp, moves.drop, closed])).toBeNull();

    // The next shift opens: only its own events count.
    const next = openShift(16_365, CLOSE_MARKS, at(5));
    const move = moveCash(next, { direction: 'out', amountCents: 1000, reason: 'bank_deposit', note: '' }, at(6));
    expect(currentShift([opened, moves.topUp, moves.drop, closed, next, move])).toEqual({ opened: next, events: [next, move] });
  });
});

// ---- HQ's checks ---------------------------------------------------------------------------------

describe('verifyShiftEvent', () => {
  const paths = (e: ShiftEvent) => verifyShiftEvent(e).map((p) => p.path);

  it('catches a wrong id', () => {
    const { opened, moves, closed } = closedStory();
    expect(paths({ ...moves.topUp, id: 'SHF-1001-02-000009' })).toContain('id');
    expect(paths({ ...moves.topUp, seq: 9 })).toContain('id');
    expect(paths({ ...opened, id: 'SHF-1001-02-1', shiftNo: 'SHF-1001-02-1' })).toEqual(['id']);
    expect(paths({ ...closed, registerId: '03' })).toContain('id');
  });

  it('never throws, also not on ids no register makes', () => {
    const { opened } = story();
    expect(paths({ ...opened, storeId: 'bad store', seq: 0 })).toContain('id');
  });

  it('catches a wrong countedCents, counted notes that are not euro, and a wrong difference', () => {
    const { closed } = closedStory();
    expect(verifyShiftEvent({ ...closed, countedCents: closed.countedCents + 5, differenceCents: closed.differenceCents + 5 })).toEqual([
      { path: 'countedCents', message: expect.stringMatching(/add up to 16365/) },
    ]);
    expect(paths({ ...closed, counted: [{ denominationCents: 300 as never, count: 1 }] })).toContain('counted');
    expect(paths({ ...closed, differenceCents: 100 })).toEqual(['differenceCents']);
  });

  it('catches an expected cash that does not follow from the report', () => {
    const { closed } = closedStory();
    // Expected and difference changed together: the report still says 163,65.
    expect(paths({ ...closed, expectedCents: 15_000, differenceCents: 1365 })).toEqual(['expectedCents']);
    // The report's own sum altered.
    expect(paths({ ...closed, report: { ...closed.report, expectedCashCents: 1 } })).toEqual(['report.expectedCashCents']);
    const cash = { ...closed.report.tenders.cash, netCents: 0 };
    expect(paths({ ...closed, report: { ...closed.report, tenders: { ...closed.report.tenders, cash } } })).toContain('report.tenders.cash.netCents');
    expect(paths({ ...closed, report: { ...closed.report, kind: 'X' } })).toEqual(['report']);
    expect(paths({ ...closed, report: { ...closed.report, shiftNo: 'SHF-1001-02-000002' } })).toEqual(['report']);
  });

  it('catches a shift number that is not an earlier opening of the same register', () => {
    const { moves, closed } = closedStory();
    expect(paths({ ...moves.topUp, shiftNo: moves.topUp.id })).toEqual(['shiftNo']);
    expect(paths({ ...moves.topUp, shiftNo: 'SHF-1001-03-000001' })).toEqual(['shiftNo']);
    expect(paths({ ...moves.topUp, shiftNo: 'SHF-1001-02-000005' })).toEqual(['shiftNo']);
    expect(paths({ ...moves.topUp, shiftNo: 'nonsense' })).toEqual(['shiftNo']);
    const bad = { ...closed, shiftNo: 'SHF-1002-02-000001' };
    expect(paths({ ...bad, report: { ...bad.report, shiftNo: bad.shiftNo } })).toEqual(['shiftNo']);
    expect(shiftNoParts('SHF-1001-02-000001')).toEqual({ storeId: '1001', registerId: '02', seq: 1 });
    expect(shiftNoParts('SHF-1001-02-1')).toBeNull();
  });

  it('catches a cash move with a reason of the other direction, "other" without a note, or no amount', () => {
    const { moves } = story();
    expect(paths({ ...moves.topUp, reason: 'safe_drop' })).toEqual(['reason']);
    expect(paths({ ...moves.drop, reason: 'other', note: '' })).toEqual(['note']);
    expect(paths({ ...moves.drop, amountCents: 0 })).toEqual(['amountCents']);
  });

  it('catches negative marks', () => {
    const { opened, closed } = closedStory();
    expect(paths({ ...opened, marks: { ...OPEN_MARKS, sales: -1 } })).toEqual(['marks.sales']);
    expect(paths({ ...closed, marks: { ...CLOSE_MARKS, orderEvents: -1 } })).toEqual(['marks.orderEvents']);
  });
});

describe('checkZReport', () => {
  it('matches when HQ holds every record of the shift (and others besides)', () => {
    const { closed, opened, everything } = closedStory();
    expect(checkZReport(closed, opened, everything)).toEqual({ status: 'matches', missing: 0, differences: [] });
  });

  it('matches a report read back from a database that reordered its keys', () => {
    const { closed, opened, everything } = closedStory();
    const reorder = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reorder) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;
    const stored = reorder(JSON.parse(JSON.stringify(closed))) as ShiftClosed;
    expect(JSON.stringify(stored.report.tenders)).not.toBe(JSON.stringify(closed.report.tenders));
    expect(checkZReport(stored, opened, everything).status).toBe('matches');
  });

  it('differs when the report was changed', () => {
    const { closed, opened, everything } = closedStory();
    const altered: ShiftClosed = { ...closed, report: { ...closed.report, sales: { ...closed.report.sales, totalCents: closed.report.sales.totalCents - 1000 } } };
    expect(checkZReport(altered, opened, everything)).toEqual({ status: 'differs', missing: 0, differences: ['sales'] });
    const cash = { ...closed.report.tenders.cash, inCents: closed.report.tenders.cash.inCents - 500, netCents: closed.report.tenders.cash.netCents - 500 };
    const skimmed: ShiftClosed = { ...closed, report: { ...closed.report, tenders: { ...closed.report.tenders, cash }, expectedCashCents: closed.report.expectedCashCents - 500 } };
    expect(checkZReport(skimmed, opened, everything)).toEqual({ status: 'differs', missing: 0, differences: ['tenders', 'expectedCashCents'] });
    expect(checkZReport({ ...closed, report: { ...closed.report, floatCents: 0 } }, opened, everything).differences).toEqual(['floatCents']);
  });

  it('differs when HQ holds a record in the shift the register did not count', () => {
    const { closed, opened, everything } = closedStory();
    const slipped = sale(12, [[COFFEE, 1]], [{ kind: 'card', amountCents: 799 }]);
    const records = { ...everything, sales: [...everything.sales.filter((s) => !(s.registerId === REG && s.storeId === STORE && s.seq === 12)), slipped] };
    expect(checkZReport(closed, opened, records).status).toBe('differs');
  });

  it('is incomplete while a sale (or another record of the shift) has not reached HQ', () => {
    const { closed, opened, everything, sales, moves } = closedStory();
    const noSale = { ...everything, sales: everything.sales.filter((s) => s !== sales.s12) };
    expect(checkZReport(closed, opened, noSale)).toEqual({ status: 'incomplete', missing: 1, differences: [] });
    const noOrders = { ...everything, orderEvents: [] };
    expect(checkZReport(closed, opened, noOrders)).toEqual({ status: 'incomplete', missing: 4, differences: [] });
    const noMove = { ...everything, shiftEvents: everything.shiftEvents.filter((e) => e !== moves.drop) };
    expect(checkZReport(closed, opened, noMove)).toEqual({ status: 'incomplete', missing: 1, differences: [] });
  });

  it('does not count numbers a crash left unused as missing', () => {
    // Sale 12 was never made (the register crashed after reserving it): the report counts 2 sales.
    const s = story();
    const records = { ...s.everything, sales: s.everything.sales.filter((x) => x !== s.sales.s12) };
    const closed = closeShift(s.opened, records, CLOSE_MARKS, EXACT, at(4));
    expect(closed.report.records.sales).toBe(2);
    expect(checkZReport(closed, s.opened, records).status).toBe('matches');
  });
});

// ---- the property: the drawer holds what went in and out -------------------------------------------

type Step =
  | { kind: 'sale'; priceCents: number; quantity: number; card: number; tendered: number }
  | { kind: 'return'; of: number; quantity: number }
  | { kind: 'blind'; priceCents: number; cash: boolean }
  | { kind: 'move'; direction: 'in' | 'out'; amountCents: number }
  | { kind: 'deposit'; priceCents: number; cash: boolean }
  | { kind: 'cancel'; of: number; cash: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('sale' as const),
    priceCents: fc.integer({ min: 1, max: 50_000 }),
    quantity: fc.integer({ min: 1, max: 5 }),
    card: fc.double({ min: 0, max: 1, noNaN: true }),
    tendered: fc.integer({ min: 0, max: 5000 }),
  }),
  fc.record({ kind: fc.constant('return' as const), of: fc.nat(), quantity: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('blind' as const), priceCents: fc.integer({ min: 1, max: 9000 }), cash: fc.boolean() }),
  fc.record({ kind: fc.constant('move' as const), direction: fc.constantFrom('in' as const, 'out' as const), amountCents: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ kind: fc.constant('deposit' as const), priceCents: fc.integer({ min: 100, max: 50_000 }), cash: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const), of: fc.nat(), cash: fc.boolean() }),
);

describe('the expected cash (property)', () => {
  it('is float + cash taken − cash paid out + cash in − cash out, and HQ recomputes the same Z report', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000 }), fc.array(stepArb, { maxLength: 25 }), fc.integer({ min: 0, max: 20 }), (floatCents, steps, extra) => {
        const marks = { sales: 3, orderEvents: 7, returns: 1 };
        const seq = { sales: marks.sales, orderEvents: marks.orderEvents, returns: marks.returns, shift: 1 };
        const opened = openShift(floatCents, marks, at(seq.shift));
        const sales: CompletedSale[] = [];
        const returns: CompletedReturn[] = [];
        const orderEvents: OrderEvent[] = [];
        const shiftEvents: ShiftEvent[] = [opened];
        let cashIn = 0;
        let cashOut = 0;
        let movesIn = 0;
        let movesOut = 0;
        for (const step of steps) {
          if (step.kind === 'sale') {
            const total = step.priceCents * step.quantity;
            const card = Math.floor(total * step.card);
            const tenders: TenderInput[] = [];
            if (card > 0) tenders.push({ kind: 'card', amountCents: card });
            if (card < total) tenders.push({ kind: 'cash', tenderedCents: total - card + 2 + step.tendered });
            const s = sale(++seq.sales, [[{ ...COFFEE, priceCents: step.priceCents }, step.quantity]], tenders);
            sales.push(s);
            for (const t of s.tenders) if (t.kind === 'cash') cashIn += t.amountCents;
          } else if (step.kind === 'return' && sales.length > 0) {
            const s = sales[step.of % sales.length]!;
            const prior = returns.filter((r) => r.origin.kind === 'sale' && r.origin.receiptNo === s.receiptNo);
            const left = s.lines[0]!.quantity - prior.reduce((n, r) => n + r.lines[0]!.quantity, 0);
            if (left < 1) continue;
            const r = returnOf(s, ++seq.returns, 1, Math.min(left, step.quantity), prior);
            returns.push(r);
            for (const t of r.refunds) if (t.kind === 'cash') cashOut += t.paidOutCents;
          } else if (step.kind === 'blind') {
            const r = blindReturn(++seq.returns, step.priceCents, step.cash);
            returns.push(r);
            for (const t of r.refunds) if (t.kind === 'cash') cashOut += t.paidOutCents;
          } else if (step.kind === 'move') {
            const reason = step.direction === 'in' ? 'change_from_bank' : 'safe_drop';
            shiftEvents.push(moveCash(opened, { direction: step.direction, amountCents: step.amountCents, reason, note: '' }, at(++seq.shift)));
            if (step.direction === 'in') movesIn += step.amountCents;
            else movesOut += step.amountCents;
          } else if (step.kind === 'deposit') {
            const lines = [pickupLine(step.priceCents, 1)];
            const due = orderDue(lines, DEFAULT_ORDER_SETTINGS);
            const tenders: TenderInput[] = step.cash ? [{ kind: 'cash', tenderedCents: due.depositRequiredCents + 4 }] : [{ kind: 'card', amountCents: due.depositRequiredCents }];
            const created = createOrder({ customer, lines, settings: DEFAULT_ORDER_SETTINGS, depositCents: due.depositRequiredCents, override: null, tenders }, evt(++seq.orderEvents));
            orderEvents.push(created);
            for (const t of created.payment?.tenders ?? []) if (t.kind === 'cash') cashIn += t.amountCents;
          } else if (step.kind === 'cancel') {
            const open = orderEvents.filter((e) => e.type === 'created' && !orderEvents.some((c) => c.type === 'cancelled' && c.orderNo === e.orderNo));
            const created = open[step.of % Math.max(1, open.length)];
            if (!created) continue;
            const c = cancel(foldOrder(created.orderNo, [created]), [1], DEFAULT_ORDER_SETTINGS, step.cash ? 'cash' : 'card', 'test', evt(++seq.orderEvents));
            orderEvents.push(c);
            if (c.refund?.method === 'cash') cashOut += c.refund.paidOutCents;
          }
        }
        const records: ShiftRecords = { sales, orderEvents, returns, shiftEvents };
        const closing = { sales: seq.sales, orderEvents: seq.orderEvents, returns: seq.returns };
        const expected = floatCents + cashIn - cashOut + movesIn - movesOut;

        expect(shiftReport(opened, records, AT).expectedCashCents).toBe(expected);
        const counted = [{ denominationCents: 5 as const, count: Math.max(0, Math.floor(expected / 5)) + extra }];
        const closed = closeShift(opened, records, closing, counted, at(++seq.shift));
        expect(closed.expectedCents).toBe(expected);
        expect(closed.differenceCents).toBe(closed.countedCents - expected);
        expect(closed.report.tenders.cash.netCents).toBe(cashIn - cashOut);
        expect(closed.report.cashMoves).toEqual({ inCents: movesIn, outCents: movesOut, count: shiftEvents.length - 1 });
        expect(verifyShiftEvent(closed)).toEqual([]);
        for (const e of shiftEvents) expect(verifyShiftEvent(e)).toEqual([]);
        // HQ, holding the same records as JSON, recomputes the same report.
        const atHq = JSON.parse(JSON.stringify({ closed, records })) as { closed: ShiftClosed; records: ShiftRecords };
        expect(checkZReport(atHq.closed, opened, atHq.records)).toEqual({ status: 'matches', missing: 0, differences: [] });
      }),
      { numRuns: 300 },
    );
  });
});
