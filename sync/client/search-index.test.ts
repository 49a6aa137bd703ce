import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProductIndex, normalize, tokens } from './search-index.ts';

const product = (id: string, name: string, barcode: string | null = null) => ({
  id,
  itemNumber: id,
  barcode,
  name,
  category: 'Test',
  priceCents: 100,
  vat: 'low' as const,
});

function indexAt(clock: { now: Date }) {
  const index = new ProductIndex('1001', () => clock.now);
  index.upsertProduct(product('1000001', 'Tulp Stroopwafels naturel 8 stuks', '8710000000000'));
  index.upsertProduct(product('1000002', 'Tulp Stroopwafels karamel 10 stuks', '8710000000017'));
  index.upsertProduct(product('1000003', 'Polderman Crème Brûlée 200 g', '8710000000024'));
  index.upsertProduct(product('1000004', 'De Molen Drop zout 200 g'));
  index.upsertAssortment({ id: '1001:1000001', storeId: '1001', productId: '1000001', validFrom: '2025-01-01', validTo: null });
  index.upsertAssortment({ id: '1001:1000002', storeId: '1001', productId: '1000002', validFrom: '2025-01-01', validTo: null });
  index.upsertAssortment({ id: '1001:1000003', storeId: '1001', productId: '1000003', validFrom: '2026-11-26', validTo: null });
  index.upsertAssortment({ id: '1002:1000004', storeId: '1002', productId: '1000004', validFrom: '2025-01-01', validTo: null });
  index.upsertStock({ id: '1001:1000001', locationId: '1001', productId: '1000001', onHand: 12, reserved: 0, asOf: '2026-11-25T06:00:00Z', booked: {} });
  index.upsertStock({ id: '1002:1000002', locationId: '1002', productId: '1000002', onHand: 99, reserved: 0, asOf: '2026-11-25T06:00:00Z', booked: {} });
  return index;
}

describe('the register’s search index', () => {
  const clock = { now: new Date(2026, 10, 25, 12, 0, 0) };

  it('finds by name words in any order, as prefixes, without accents or case', () => {
    const index = indexAt(clock);
    expect(index.search('stroop', 20, 'catalog').map((p) => p.id)).toEqual(['1000002', '1000001']);
    expect(index.search('NATUREL stroopw', 20, 'catalog').map((p) => p.id)).toEqual(['1000001']);
    expect(index.search('creme brul', 20, 'catalog').map((p) => p.id)).toEqual(['1000003']);
    expect(index.search('stroop xyz', 20, 'catalog')).toEqual([]);
    expect(normalize('Crème Brûlée')).toBe('creme brulee');
  });

  it('looks up barcodes and item numbers exactly, and puts that hit first', () => {
    const index = indexAt(clock);
    expect(index.findByCode('8710000000017')?.id).toBe('1000002');
    expect(index.findByCode(' 1000004 ')?.id).toBe('1000004');
    expect(index.findByCode('871000000001')).toBeNull();
    expect(index.search('8710000000000', 20, 'store')[0]?.id).toBe('1000001');
  });

  it('scopes to this store’s assortment, and shows stock here only', () => {
    const index = indexAt(clock);
    expect(index.search('drop', 20, 'store')).toEqual([]);
    const drop = index.search('drop', 20, 'catalog')[0];
    expect(drop).toMatchObject({ id: '1000004', inAssortment: false, onHandHere: null });
    expect(index.findByCode('1000001')).toMatchObject({ inAssortment: true, onHandHere: 12 });
    expect(index.findByCode('1000002')).toMatchObject({ onHandHere: null });
  });

  it('takes a line valid from tomorrow into the assortment at midnight, without any change to the data', () => {
    const index = indexAt(clock);
    expect(index.findByCode('1000003')?.inAssortment).toBe(false);
    expect(index.search('creme', 20, 'store')).toEqual([]);
    // The register's own local midnight (whatever its time zone).
    clock.now = new Date(2026, 10, 25, 23, 59, 59);
    expect(index.findByCode('1000003')?.inAssortment).toBe(false);
    clock.now = new Date(2026, 10, 26, 0, 0, 1);
    expect(index.findByCode('1000003')?.inAssortment).toBe(true);
    expect(index.search('creme', 20, 'store').map((p) => p.id)).toEqual(['1000003']);
  });

  it('follows the replica: renamed, removed and re-barcoded products', () => {
    const index = indexAt({ now: new Date(2026, 10, 25, 12, 0, 0) });
    index.upsertProduct(product('1000001', 'Tulp Honingwafels 8 stuks', '8710000000031'));
    expect(index.search('stroop', 20, 'catalog').map((p) => p.id)).toEqual(['1000002']);
    expect(index.search('honing', 20, 'catalog').map((p) => p.id)).toEqual(['1000001']);
    expect(index.findByCode('8710000000000')).toBeNull();
    expect(index.findByCode('8710000000031')?.id).toBe('1000001');
    index.removeProduct('1000002');
    expect(index.search('stroop', 20, 'catalog')).toEqual([]);
    index.removeAssortment('1001:1000001');
    expect(index.findByCode('1000001')?.inAssortment).toBe(false);
  });

  it('returns at most the limit', () => {
    const index = new ProductIndex('1001');
    for (let i = 0; i < 50; i++) index.upsertProduct(product(String(2000000 + i), `Kaars wit ${i}`));
    expect(index.search('kaars', 20, 'catalog')).toHaveLength(20);
  });
});

describe('browsing by category', () => {
  const make = () => {
    const index = new ProductIndex('1001', () => new Date(2026, 10, 25, 12));
    const add = (id: string, name: string, category: string, carried: boolean) => {
      index.upsertProduct({ ...product(id, name), category });
      if (carried) index.upsertAssortment({ id: `1001:${id}`, storeId: '1001', productId: id, validFrom: '2025-01-01', validTo: null });
    };
    add('1', 'Theedoek blauw', 'Keuken/Textiel', true);
    add('2', 'Schort zwart', 'Keuken/Textiel', false);
    add('3', 'Koekenpan 24 cm', 'Keuken/Koken', true);
    add('4', 'Kaars wit', 'Wonen/Decoratie', false);
    for (let i = 0; i < 45; i++) add(String(100 + i), `Vaas ${String(i).padStart(2, '0')}`, 'Wonen/Decoratie', true);
    return index;
  };

  it('builds the tree with counts per scope', () => {
    const index = make();
    const store = index.categories('store');
    expect(store.map((c) => [c.name, c.count])).toEqual([
      ['Keuken', 2],
      ['Wonen', 45],
    ]);
    expect(store[0]?.children.map((c) => [c.path, c.count])).toEqual([
      ['Keuken/Koken', 1],
      ['Keuken/Textiel', 1],
    ]);
    expect(index.categories('catalog').map((c) => [c.name, c.count])).toEqual([
      ['Keuken', 3],
      ['Wonen', 46],
    ]);
  });

  it('pages a category and its subcategories by name, and follows changes', () => {
    const index = make();
    const first = index.browse('Wonen', 0, 20, 'store');
    expect(first.total).toBe(45);
    expect(first.hits.map((h) => h.name).slice(0, 2)).toEqual(['Vaas 00', 'Vaas 01']);
    expect(index.browse('Wonen', 40, 20, 'store').hits).toHaveLength(5);
    expect(index.browse('Keuken', 0, 20, 'catalog').hits.map((h) => [h.name, h.inAssortment])).toEqual([
      ['Koekenpan 24 cm', true],
      ['Schort zwart', false],
      ['Theedoek blauw', true],
    ]);
    index.removeProduct('3');
    expect(index.browse('Keuken', 0, 20, 'store').total).toBe(1);
  });
});

describe('this register’s own sales and this store’s stock figure', () => {
  const figure = (onHand: number, booked: Record<string, number>) => ({
    id: '1001:1000001',
    locationId: '1001',
    productId: '1000001',
    onHand,
    reserved: 0,
    asOf: '2026-11-25T06:00:00Z',
    booked,
  });
  const sale = (seq: number, ...lines: [string, number][]) => ({ seq, lines: lines.map(([productId, quantity]) => ({ productId, quantity })) });
  const fresh = () => {
    const index = new ProductIndex('1001', () => new Date(2026, 10, 25, 12), '02');
    index.upsertProduct(product('1000001', 'Tulp Stroopwafels naturel 8 stuks', '8710000000000'));
    index.upsertProduct(product('1000002', 'Tulp Stroopwafels karamel 10 stuks'));
    index.upsertStock(figure(12, { '02': 40 }));
    return index;
  };

  it('lowers the figure at once by what this register sold, lines of one product added up', () => {
    const index = fresh();
    index.addOwnSale(sale(41, ['1000001', 2], ['1000001', 1]));
    index.addOwnSale(sale(42, ['1000001', 4]));
    expect(index.findByCode('1000001')?.onHandHere).toBe(5);
    expect(index.soldNotBooked('1000001')).toBe(7);
  });

  it('stops subtracting a sale once HQ’s figure has booked it, so it never counts twice', () => {
    const index = fresh();
    index.addOwnSale(sale(41, ['1000001', 2]));
    index.addOwnSale(sale(42, ['1000001', 4]));
    // HQ booked sale 41 (12 − 2 = 10), not yet 42.
    index.upsertStock(figure(10, { '02': 41 }));
    expect(index.onHandHere('1000001')).toBe(6);
    index.upsertStock(figure(6, { '02': 42 }));
    expect(index.onHandHere('1000001')).toBe(6);
    expect(index.soldNotBooked('1000001')).toBe(0);
  });

  it('ignores a sale the figure already includes, and the same sale added twice', () => {
    const index = fresh();
    index.addOwnSale(sale(40, ['1000001', 3]));
    expect(index.onHandHere('1000001')).toBe(12);
    index.addOwnSale(sale(43, ['1000001', 1]));
    index.addOwnSale(sale(43, ['1000001', 1]));
    expect(index.onHandHere('1000001')).toBe(11);
  });

  it('counts only this register’s mark: another register’s bookings do not hide our sales', () => {
    const index = fresh();
    index.addOwnSale(sale(41, ['1000001', 2]));
    index.upsertStock(figure(9, { '02': 40, '01': 900 }));
    expect(index.onHandHere('1000001')).toBe(7);
  });

  it('shows a negative figure for a product sold here that HQ had no figure for, and none for an unsold one', () => {
    const index = fresh();
    expect(index.onHandHere('1000002')).toBeNull();
    index.addOwnSale(sale(41, ['1000002', 1]));
    expect(index.search('karamel', 20, 'catalog')[0]?.onHandHere).toBe(-1);
  });
});

describe('the "other stores" scope: what other stores and warehouses have available now', () => {
  const make = () => {
    const index = new ProductIndex('1001', () => new Date(2026, 10, 25, 12), '01');
    for (const [id, name, category] of [
      ['1', 'Theedoek blauw', 'Keuken/Textiel'],
      ['2', 'Theedoek rood', 'Keuken/Textiel'],
      ['3', 'Theedoek groen', 'Keuken/Textiel'],
      ['4', 'Kaars wit', 'Wonen/Decoratie'],
    ] as const) index.upsertProduct({ ...product(id, name), category });
    const stock = (locationId: string, productId: string, onHand: number, reserved = 0) =>
      index.upsertStock({ id: `${locationId}:${productId}`, locationId, productId, onHand, reserved, asOf: '2026-11-25T06:00:00Z', booked: {} });
    stock('1001', '1', 9); // only here
    stock('1002', '2', 3);
    stock('9001', '2', 40, 10);
    stock('1003', '3', 2, 2); // all reserved
    stock('1002', '4', 1);
    return { index, stock };
  };

  it('finds products available at another location, with how many and where, not what only this store has', () => {
    const { index } = make();
    const hits = index.search('theedoek', 20, 'elsewhere');
    expect(hits.map((h) => [h.name, h.availableElsewhere, h.locationsElsewhere])).toEqual([['Theedoek rood', 33, 2]]);
    expect(index.search('theedoek', 20, 'catalog')).toHaveLength(3);
  });

  it('browses the same way and follows stock as it moves', () => {
    const { index, stock } = make();
    expect(index.categories('elsewhere').map((c) => [c.name, c.count])).toEqual([
      ['Keuken', 1],
      ['Wonen', 1],
    ]);
    stock('1002', '4', 0); // sold out there
    stock('1003', '3', 5, 2); // three free now
    expect(index.browse('', 0, 20, 'elsewhere').hits.map((h) => h.name)).toEqual(['Theedoek groen', 'Theedoek rood']);
  });
});


describe('store groups in the index', () => {
  it('counts a group’s lines once the store’s document says it is a member, and its own line overrides them', () => {
    const index = new ProductIndex('1001', () => new Date(2026, 10, 25, 12));
    index.upsertProduct(product('7', 'Koepeltent 3 personen'));
    index.upsertProduct(product('8', 'Slaapzak donker'));
    index.upsertAssortment({ id: 'group:GROOT:7', storeId: null, groupId: 'GROOT', productId: '7', validFrom: '2026-01-01', validTo: null });
    index.upsertAssortment({ id: 'group:GROOT:8', storeId: null, groupId: 'GROOT', productId: '8', validFrom: '2026-01-01', validTo: null });
    expect(index.search('koepeltent', 20, 'store')).toEqual([]);
    index.setGroups(['GROOT']);
    expect(index.search('koepeltent', 20, 'store').map((h) => h.inAssortment)).toEqual([true]);
    // This store ended the sleeping bag for itself yesterday.
    index.upsertAssortment({ id: '1001:8', storeId: '1001', groupId: null, productId: '8', validFrom: '2026-01-01', validTo: '2026-11-24' });
    expect(index.findByCode('8')?.inAssortment).toBe(false);
    index.setGroups([]);
    expect(index.findByCode('7')?.inAssortment).toBe(false);
  });
});

describe('search answers exactly what a plain filter over every product answers', () => {
  // A catalog big enough that short prefixes take the walk-in-name-order path and long ones
  // the collect-and-sort path; the reference is the obvious filter, sort and slice.
  const vocabulary = ['stroopwafel', 'stroop', 'straat', 'appel', 'appelsap', 'peer', 'pan', 'pannenkoek', 'kaas', 'kaars', 'crème', 'brûlée', 'theedoek', 'thee', 'zout', 'zoet'];
  let state = 7;
  const rnd = (): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  // Both ways: a low collect limit makes short prefixes walk the name order.
  const index = new ProductIndex('1001', () => new Date(2026, 10, 25, 12), null, 2000);
  const collecting = new ProductIndex('1001', () => new Date(2026, 10, 25, 12));
  const all: { id: string; name: string; words: string[]; carried: boolean }[] = [];
  for (let i = 0; i < 6000; i++) {
    const n = 1 + Math.floor(rnd() * 4);
    const name = Array.from({ length: n }, () => vocabulary[Math.floor(rnd() * vocabulary.length)] as string).join(' ') + ` ${i % 97}`;
    const id = String(2_000_000 + i);
    const carried = rnd() < 0.3;
    for (const ix of [index, collecting]) {
      ix.upsertProduct(product(id, name));
      if (carried) ix.upsertAssortment({ id: `1001:${id}`, storeId: '1001', productId: id, validFrom: '2025-01-01', validTo: null });
    }
    all.push({ id, name, words: tokens(name), carried });
  }
  const keyOf = (p: { id: string; name: string }) => `${normalize(p.name)}\u0000${p.id}`;
  const reference = (query: string, scope: 'store' | 'catalog') => {
    const typed = tokens(query);
    return all
      .filter((p) => (scope === 'catalog' || p.carried) && typed.length > 0 && typed.every((w) => p.words.some((x) => x.startsWith(w))))
      .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1))
      .slice(0, 20)
      .map((p) => p.id);
  };

  it('for any query of one to three word prefixes, in both scopes (property)', () => {
    const prefix = fc.constantFrom(...vocabulary, '1', '42').chain((w) => fc.integer({ min: 1, max: w.length }).map((n) => w.slice(0, n)));
    fc.assert(
      fc.property(fc.array(prefix, { minLength: 1, maxLength: 3 }), fc.constantFrom('store' as const, 'catalog' as const), (words, scope) => {
        const query = words.join(' ');
        const expected = reference(query, scope);
        expect(index.search(query, 20, scope).map((h) => h.id)).toEqual(expected);
        expect(collecting.search(query, 20, scope).map((h) => h.id)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    // 300 searches over 6,000 products: a second or two, more on a busy machine.
  }, 30_000);
});
