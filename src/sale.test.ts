import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { type Cart, type SellableProduct, addToCart, cartTotals, emptyCart, overridePrice, removeLine, setQuantity } from './cart.ts';
import { MoneyError } from './money.ts';
import { roundCash } from './rounding.ts';
import { type CompletedSale, type SaleContext, type TenderInput, applyTenders, cashDue, completeSale, verifySale } from './sale.ts';
import type { VatClass } from './vat.ts';

function product(id: string, priceCents: number, vat: VatClass = 'high', inAssortment = true): SellableProduct {
  return { id, itemNumber: `IT-${id}`, barcode: null, name: `Product ${id}`, priceCents, vat, inAssortment };
}

const ctx: SaleContext = { storeId: '1001', registerId: '02', seq: 42, createdAt: '2024-06-15T10:30:00+02:00', operatorId: 'anna' };

/** 2 × 2,49 (high) + 1 × 5,05 (low) = 10,03: a total that cash rounds up to 10,05. */
function sampleCart(): Cart {
  return addToCart(addToCart(emptyCart, product('soap', 249, 'high'), 2), product('bread', 505, 'low'));
}

function fields(sale: CompletedSale): string[] {
  return verifySale(sale).map((p) => p.field);
}

describe('applyTenders', () => {
  it('rounds a cash payment to 5 cents and gives change on the rounded amount', () => {
    const p = applyTenders(1003, [{ kind: 'cash', tenderedCents: 2000 }]);
    expect(p).toEqual({
      totalCents: 1003,
      roundingCents: 2,
      payableCents: 1005,
      tenders: [{ kind: 'cash', amountCents: 1005, tenderedCents: 2000, changeCents: 995 }],
      remainingCents: 0,
      changeCents: 995,
      complete: true,
    });
  });

  it('rounds cash down when the total ends in 1, 2, 6 or 7', () => {
    expect(applyTenders(1001, [{ kind: 'cash', tenderedCents: 1000 }])).toMatchObject({ roundingCents: -1, payableCents: 1000, changeCents: 0 });
    expect(applyTenders(1007, [{ kind: 'cash', tenderedCents: 1005 }])).toMatchObject({ roundingCents: -2, payableCents: 1005, changeCents: 0 });
  });

  it('accepts exact cash on the rounded amount, and refuses anything less', () => {
    expect(applyTenders(1003, [{ kind: 'cash', tenderedCents: 1005 }]).changeCents).toBe(0);
    expect(() => applyTenders(1003, [{ kind: 'cash', tenderedCents: 1004 }])).toThrow(MoneyError);
    // 10,01 rounds down to 10,00: the customer need not hand over the cent.
    expect(applyTenders(1001, [{ kind: 'cash', tenderedCents: 1000 }]).complete).toBe(true);
  });

  it('never rounds a card payment', () => {
    const p = applyTenders(1003, [{ kind: 'card', amountCents: 1003, reference: 'T-77' }]);
    expect(p).toEqual({
      totalCents: 1003,
      roundingCents: 0,
      payableCents: 1003,
      tenders: [{ kind: 'card', amountCents: 1003, reference: 'T-77' }],
      remainingCents: 0,
      changeCents: 0,
      complete: true,
    });
    expect(applyTenders(1003, [{ kind: 'card', amountCents: 1003 }]).tenders[0]).toEqual({ kind: 'card', amountCents: 1003, reference: null });
  });

  it('rounds only the cash part of a card + cash split', () => {
    // 10,03 total; 5,00 by card; 5,03 remains and rounds to 5,05 in cash.
    const p = applyTenders(1003, [
      { kind: 'card', amountCents: 500 },
      { kind: 'cash', tenderedCents: 1000 },
    ]);
    expect(p.roundingCents).toBe(2);
    expect(p.payableCents).toBe(1005);
    expect(p.changeCents).toBe(495);
    expect(p.tenders).toEqual([
      { kind: 'card', amountCents: 500, reference: null },
      { kind: 'cash', amountCents: 1005 - 500, tenderedCents: 1000, changeCents: 495 },
    ]);
    // The rounding depends on what remains after the card, not on the total: 10,03 − 4,99 = 5,04 → 5,05.
    expect(applyTenders(1003, [{ kind: 'card', amountCents: 499 }, { kind: 'cash', tenderedCents: 505 }]).roundingCents).toBe(1);
    // 10,03 − 10,01 = 0,02 → nothing left to pay in cash.
    const tiny = applyTenders(1003, [{ kind: 'card', amountCents: 1001 }, { kind: 'cash', tenderedCents: 0 }]);
    expect(tiny).toMatchObject({ roundingCents: -2, payableCents: 1001, complete: true });
  });

  it('leaves a sale incomplete when the tenders do not cover it', () => {
    expect(applyTenders(1003, [])).toMatchObject({ complete: false, remainingCents: 1003, tenders: [] });
    expect(applyTenders(1003, [{ kind: 'card', amountCents: 500 }])).toMatchObject({ complete: false, remainingCents: 503, changeCents: 0 });
  });

  it('is complete at once for a zero total', () => {
    expect(applyTenders(0, [])).toMatchObject({ complete: true, payableCents: 0 });
  });

  it('refuses impossible tenders', () => {
    expect(() => applyTenders(1003, [{ kind: 'card', amountCents: 1004 }])).toThrow(/exceeds/);
    expect(() => applyTenders(1003, [{ kind: 'card', amountCents: 0 }])).toThrow(MoneyError);
    expect(() => applyTenders(1003, [{ kind: 'card', amountCents: -5 }])).toThrow(MoneyError);
    expect(() => applyTenders(1003, [{ kind: 'card', amountCents: 10.5 }])).toThrow(MoneyError);
    expect(() => applyTenders(1003, [{ kind: 'cash', tenderedCents: 2000.5 }])).toThrow(MoneyError);
    expect(() => applyTenders(-100, [])).toThrow(MoneyError);
    expect(() => applyTenders(1003, [{ kind: 'card', amountCents: 1003 }, { kind: 'cash', tenderedCents: 100 }])).toThrow(/already paid/);
    expect(() => applyTenders(1003, [{ kind: 'cash', tenderedCents: 2000 }, { kind: 'card', amountCents: 1 }])).toThrow(/already paid/);
  });

  it('tells the cash due for what the card left', () => {
    expect(cashDue(1003)).toBe(1005);
    expect(cashDue(1003, 500)).toBe(505);
    expect(cashDue(1003, 1001)).toBe(0);
  });

  it('keeps the books straight: tenders − change = payable = total + rounding, rounding within ±2 (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (total, cardPermille, extra) => {
          const card = Math.floor((total * cardPermille) / 1000);
          const inputs: TenderInput[] = [];
          if (card > 0) inputs.push({ kind: 'card', amountCents: card });
          if (card < total) inputs.push({ kind: 'cash', tenderedCents: roundCash(total - card) + extra });
          const p = applyTenders(total, inputs);
          expect(p.complete).toBe(true);
          expect(p.remainingCents).toBe(0);
          expect(Math.abs(p.roundingCents)).toBeLessThanOrEqual(2);
          expect(p.payableCents).toBe(total + p.roundingCents);
          expect(p.tenders.reduce((s, t) => s + t.amountCents, 0)).toBe(p.payableCents);
          expect(p.changeCents).toBe(card < total ? extra : 0);
          if (card === total) expect(p.roundingCents).toBe(0);
          const cash = p.tenders.find((t) => t.kind === 'cash');
          if (cash) expect(cash.amountCents % 5).toBe(0);
        },
      ),
    );
  });
});

describe('completeSale', () => {
  it('builds the sale a receipt and HQ need', () => {
    const sale = completeSale(sampleCart(), [{ kind: 'cash', tenderedCents: 2000 }], ctx);
    expect(sale.receiptNo).toBe('1001-02-000042');
    expect(sale.id).toBe(sale.receiptNo);
    expect(sale).toMatchObject({ storeId: '1001', registerId: '02', seq: 42, createdAt: ctx.createdAt, operatorId: 'anna' });
    expect(sale.lines.map((l) => [l.lineNo, l.productId, l.quantity, l.unitPriceCents, l.amountCents, l.vat])).toEqual([
      [1, 'soap', 2, 249, 498, 'high'],
      [2, 'bread', 1, 505, 505, 'low'],
    ]);
    expect(sale.totalCents).toBe(1003);
    expect(sale.roundingCents).toBe(2);
    expect(sale.payableCents).toBe(1005);
    expect(sale.changeCents).toBe(995);
    expect(sale.vat).toEqual(cartTotals(sampleCart()).vat);
    expect(sale.vat.map((v) => [v.vat, v.grossCents, v.vatCents])).toEqual([
      ['high', 498, 86],
      ['low', 505, 42],
    ]);
  });

  it('carries the out-of-assortment flag to the sale line', () => {
    const cart = addToCart(emptyCart, product('odd', 100, 'high', false));
    const sale = completeSale(cart, [{ kind: 'card', amountCents: 100 }], ctx);
    expect(sale.lines[0]?.outOfAssortment).toBe(true);
  });

  it('refuses an empty cart', () => {
    expect(() => completeSale(emptyCart, [{ kind: 'cash', tenderedCents: 100 }], ctx)).toThrow(/empty/);
  });

  it('refuses a sale that is not fully paid', () => {
    expect(() => completeSale(sampleCart(), [], ctx)).toThrow(/1003 cents remain/);
    expect(() => completeSale(sampleCart(), [{ kind: 'card', amountCents: 1000 }], ctx)).toThrow(/3 cents remain/);
  });

  it('refuses a bad store, register or sequence for the receipt number', () => {
    const pay: TenderInput[] = [{ kind: 'card', amountCents: 1003 }];
    expect(() => completeSale(sampleCart(), pay, { ...ctx, storeId: 'store 1' })).toThrow(RangeError);
    expect(() => completeSale(sampleCart(), pay, { ...ctx, seq: 0 })).toThrow(RangeError);
  });
});

describe('verifySale', () => {
  const base = (): CompletedSale =>
    completeSale(
      sampleCart(),
      [
        { kind: 'card', amountCents: 500, reference: 'T-1' },
        { kind: 'cash', tenderedCents: 1000 },
      ],
      ctx,
    );

  it('finds nothing wrong with a sale completeSale made', () => {
    expect(verifySale(base())).toEqual([]);
  });

  it('accepts a card reference the terminal left empty', () => {
    const sale = completeSale(sampleCart(), [{ kind: 'card', amountCents: 1003, reference: '' }], ctx);
    expect(verifySale(sale)).toEqual([]);
  });

  it('names the total when it was changed', () => {
    const sale = base();
    sale.totalCents -= 100;
    expect(fields(sale)).toContain('totalCents');
  });

  it('names the line when a line amount was changed', () => {
    const sale = base();
    sale.lines[1]!.amountCents = 405;
    expect(fields(sale)).toEqual(['lines[1].amountCents']);
  });

  it('names the line when a quantity, unit price, VAT class or line number is wrong', () => {
    const q = base();
    q.lines[0]!.quantity = 0;
    expect(fields(q)).toEqual(['lines[0].quantity']);
    const p = base();
    p.lines[0]!.unitPriceCents = -1;
    expect(fields(p)).toEqual(['lines[0].unitPriceCents']);
    const v = base();
    v.lines[0]!.vat = 'reduced' as VatClass;
    expect(fields(v)).toEqual(['lines[0].vat']);
    const n = base();
    n.lines[1]!.lineNo = 3;
    expect(fields(n)).toEqual(['lines[1].lineNo']);
  });

  it('names the VAT block when it does not follow from the lines', () => {
    const sale = base();
    sale.vat[0]!.vatCents += 1;
    expect(fields(sale)).toEqual(['vat']);
  });

  it('names the receipt number when it is another store’s', () => {
    const sale = base();
    sale.receiptNo = '2002-02-000042';
    sale.id = sale.receiptNo;
    expect(fields(sale)).toEqual(['receiptNo']);
  });

  it('names the receipt number when register or sequence disagree, and the id when it is not the receipt number', () => {
    const r = base();
    r.registerId = '03';
    expect(fields(r)).toEqual(['receiptNo']);
    const s = base();
    s.seq = 43;
    expect(fields(s)).toEqual(['receiptNo']);
    const i = base();
    i.id = '1001-02-000043';
    expect(fields(i)).toEqual(['id']);
    const g = base();
    g.receiptNo = 'receipt 42';
    g.id = g.receiptNo;
    expect(fields(g)).toEqual(['receiptNo']);
  });

  it('refuses a receipt number not written the way the register writes it (one sequence, two ids)', () => {
    for (const receiptNo of ['1001-02-0000042', ' 1001-02-000042', '1001-02-000042 ']) {
      const sale = base();
      sale.receiptNo = receiptNo;
      sale.id = receiptNo;
      expect(fields(sale)).toEqual(['receiptNo']);
    }
    const lower = completeSale(sampleCart(), [{ kind: 'card', amountCents: 1003 }], { ...ctx, storeId: 'AB1' });
    lower.receiptNo = lower.receiptNo.toLowerCase();
    lower.id = lower.receiptNo;
    expect(fields(lower)).toEqual(['receiptNo']);
  });

  it('names the tenders when they do not add up', () => {
    const short = base();
    short.tenders[0]!.amountCents = 400; // card 4,00 while the cash part still says 5,05 with 4,95 change
    expect(fields(short)).toContain('tenders');

    const over = base();
    over.tenders[0]!.amountCents = 2000; // more than the total
    expect(fields(over)).toEqual(['tenders']);

    const none = base();
    none.tenders = [];
    expect(fields(none)).toContain('tenders');
  });

  it('names rounding, payable and change when they were changed', () => {
    const r = base();
    r.roundingCents = 0;
    expect(fields(r)).toEqual(['roundingCents']);
    const p = base();
    p.payableCents = 1003;
    expect(fields(p)).toEqual(['payableCents']);
    const c = base();
    c.changeCents = 500;
    expect(fields(c)).toEqual(['changeCents']);
    const t = base();
    const cash = t.tenders[1];
    if (cash?.kind !== 'cash') throw new Error('expected a cash tender');
    cash.changeCents = 500;
    expect(fields(t)).toEqual(['tenders']);
  });

  it('reports an empty sale', () => {
    const sale = base();
    sale.lines = [];
    expect(fields(sale)).toContain('lines');
  });

  it('reports amounts beyond the largest accepted instead of throwing', () => {
    const line = base();
    line.lines[0]!.unitPriceCents = 1_000_000_000;
    expect(fields(line)).toEqual(['lines[0].amountCents']);

    const total = base();
    for (const l of total.lines) {
      l.unitPriceCents = 100_000_000;
      l.quantity = 9;
      l.amountCents = 900_000_000;
    }
    expect(fields(total)).toEqual(['totalCents']);
  });

  const scan = fc.record({
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    price: fc.integer({ min: 0, max: 100_000 }),
    vat: fc.constantFrom<VatClass>('high', 'low', 'zero'),
    quantity: fc.integer({ min: 1, max: 12 }),
    inAssortment: fc.boolean(),
  });
  const payment = fc.record({
    cardPermille: fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 3 }),
    withCash: fc.boolean(),
    extra: fc.integer({ min: 0, max: 100_000 }),
    reference: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
  });
  const context = fc.record({
    storeId: fc.stringMatching(/^[A-Z0-9]{1,8}$/),
    registerId: fc.stringMatching(/^[A-Z0-9]{1,8}$/),
    seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  });

  /** A random cart and a random way to pay it in full: card parts, then maybe cash with change. */
  const completed = fc
    .tuple(fc.array(scan, { minLength: 1, maxLength: 12 }), payment, context)
    .map(([scans, pay, c]) => {
      const prices = new Map<string, (typeof scans)[number]>();
      let cart: Cart = emptyCart;
      for (const s of scans) {
        const p = prices.get(s.id) ?? s;
        prices.set(s.id, p);
        cart = addToCart(cart, product(s.id, p.price, p.vat, p.inAssortment), s.quantity);
      }
      const total = cartTotals(cart).totalCents;
      const inputs: TenderInput[] = [];
      let remaining = total;
      for (const permille of pay.cardPermille) {
        const amount = Math.floor((remaining * permille) / 1000);
        if (amount <= 0 || (amount === remaining && pay.withCash)) continue;
        inputs.push({ kind: 'card', amountCents: amount, ...(pay.reference === undefined ? {} : { reference: pay.reference }) });
        remaining -= amount;
        if (remaining === 0) break;
      }
      if (remaining > 0) {
        if (pay.withCash) inputs.push({ kind: 'cash', tenderedCents: roundCash(remaining) + pay.extra });
        else inputs.push({ kind: 'card', amountCents: remaining });
      }
      return completeSale(cart, inputs, { ...c, createdAt: '2024-06-15T10:30:00+02:00', operatorId: 'op' });
    });

  it('finds nothing wrong with any sale completeSale made, also after a trip through JSON (property)', () => {
    fc.assert(
      fc.property(completed, (sale) => {
        expect(verifySale(sale)).toEqual([]);
        expect(verifySale(JSON.parse(JSON.stringify(sale)) as CompletedSale)).toEqual([]);
      }),
    );
  });

  it('notices any change to a money field of a sale (property)', () => {
    const field = fc.constantFrom('totalCents', 'roundingCents', 'payableCents', 'changeCents', 'line', 'tender', 'vat');
    const delta = fc.integer({ min: -500, max: 500 }).filter((d) => d !== 0);
    fc.assert(
      fc.property(completed, field, delta, fc.nat(), (sale, which, d, pick) => {
        const t = structuredClone(sale);
        switch (which) {
          case 'totalCents':
          case 'roundingCents':
          case 'payableCents':
          case 'changeCents':
            t[which] += d;
            break;
          case 'line':
            t.lines[pick % t.lines.length]!.amountCents += d;
            break;
          case 'tender': {
            fc.pre(t.tenders.length > 0);
            t.tenders[pick % t.tenders.length]!.amountCents += d;
            break;
          }
          case 'vat':
            t.vat[pick % t.vat.length]!.vatCents += d;
            break;
        }
        expect(verifySale(t).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('a manager’s approvals on the sale: price overrides and voids', () => {
  const MANAGER = { managerId: '900', reason: 'damaged box' };
  /** Soap at 1,99 instead of 2,49 (2 of them); a bread voided; one of 3 candles voided. */
  const approvedCart = (): Cart => {
    let cart = addToCart(addToCart(addToCart(emptyCart, product('soap', 249, 'high'), 2), product('bread', 505, 'low')), product('candle', 300, 'high'), 3);
    cart = overridePrice(cart, 0, 199, MANAGER);
    cart = removeLine(cart, 1, { managerId: '900', reason: 'customer changed their mind' });
    cart = setQuantity(cart, 1, 2, { managerId: '901', reason: 'scanned twice' });
    return cart;
  };
  const sale = (): CompletedSale => completeSale(approvedCart(), [{ kind: 'card', amountCents: 2 * 199 + 2 * 300 }], ctx);

  it('records the override on its line and the voids on the sale; the total follows the new price', () => {
    const s = sale();
    expect(s.lines.map((l) => [l.productId, l.quantity, l.unitPriceCents, l.amountCents])).toEqual([
      ['soap', 2, 199, 398],
      ['candle', 2, 300, 600],
    ]);
    expect(s.lines[0]?.priceOverride).toEqual({ originalUnitPriceCents: 249, managerId: '900', reason: 'damaged box' });
    expect('priceOverride' in s.lines[1]!).toBe(false);
    expect(s.voids).toEqual([
      { productId: 'bread', name: 'Product bread', quantity: 1, unitPriceCents: 505, managerId: '900', reason: 'customer changed their mind' },
      { productId: 'candle', name: 'Product candle', quantity: 1, unitPriceCents: 300, managerId: '901', reason: 'scanned twice' },
    ]);
    expect(s.totalCents).toBe(998);
    expect(s.vat).toEqual([{ vat: 'high', rateBp: 2100, grossCents: 998, vatCents: 173, netCents: 825 }]);
    expect(verifySale(s)).toEqual([]);
    expect(verifySale(JSON.parse(JSON.stringify(s)) as CompletedSale)).toEqual([]);
  });

  it('writes neither field on a sale without overrides or voids (the same sale as before them)', () => {
    const s = completeSale(sampleCart(), [{ kind: 'cash', tenderedCents: 2000 }], ctx);
    expect('voids' in s).toBe(false);
    expect(s.lines.some((l) => 'priceOverride' in l)).toBe(false);
    expect(verifySale({ ...s, voids: [], lines: s.lines.map((l) => ({ ...l, priceOverride: null })) })).toEqual([]);
  });

  it('checks quantity × the overridden price and the totals, as for any line', () => {
    const s = sale();
    s.lines[0]!.unitPriceCents = 249;
    expect(fields(s)).toContain('lines[0].amountCents');
  });

  it('names an override’s fields when they are not valid', () => {
    const bad = (patch: object): string[] => {
      const s = sale();
      s.lines[0]!.priceOverride = { ...s.lines[0]!.priceOverride!, ...patch };
      return fields(s);
    };
    expect(bad({ originalUnitPriceCents: -1 })).toEqual(['lines[0].priceOverride.originalUnitPriceCents']);
    expect(bad({ originalUnitPriceCents: 2.5 })).toEqual(['lines[0].priceOverride.originalUnitPriceCents']);
    expect(bad({ originalUnitPriceCents: 199 })).toEqual(['lines[0].priceOverride.originalUnitPriceCents']);
    expect(bad({ managerId: ' ' })).toEqual(['lines[0].priceOverride.managerId']);
    expect(bad({ reason: '' })).toEqual(['lines[0].priceOverride.reason']);
    expect(bad({ managerId: 42 })).toEqual(['lines[0].priceOverride.managerId']);
  });

  it('names a void’s fields when they are not valid: quantities are whole numbers from 1', () => {
    const bad = (patch: object): string[] => {
      const s = sale();
      s.voids![1] = { ...s.voids![1]!, ...patch };
      return fields(s);
    };
    expect(bad({ quantity: 0 })).toEqual(['voids[1].quantity']);
    expect(bad({ quantity: -2 })).toEqual(['voids[1].quantity']);
    expect(bad({ quantity: 1.5 })).toEqual(['voids[1].quantity']);
    expect(bad({ unitPriceCents: -5 })).toEqual(['voids[1].unitPriceCents']);
    expect(bad({ quantity: 9999, unitPriceCents: 500_000_000 })).toEqual(['voids[1].quantity']);
    expect(bad({ managerId: '' })).toEqual(['voids[1].managerId']);
    expect(bad({ reason: '   ' })).toEqual(['voids[1].reason']);
    expect(bad({ productId: '' })).toEqual(['voids[1].productId']);
  });

  it('a void does not count in the total', () => {
    const s = sale();
    s.voids = [];
    expect(verifySale(s)).toEqual([]);
  });
});
