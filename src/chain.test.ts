import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChainHead, type ChainLink, recordHash, seal, verifyChain } from './chain.ts';

type Rec = { seq: number; totalCents: number } & ChainLink;

function chainOf(totals: readonly number[], head: ChainHead | null = null): Rec[] {
  const out: Rec[] = [];
  let h = head;
  for (const [i, totalCents] of totals.entries()) {
    const r = seal({ seq: (head?.seq ?? 0) + i + 1, totalCents }, h);
    out.push(r);
    h = { seq: r.seq, hash: r.hash };
  }
  return out;
}

describe('the record chain', () => {
  it('verifies an untouched chain in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ total: fc.integer({ min: 0, max: 100_000 }), key: fc.integer() }), { minLength: 1, maxLength: 30 }), (rows) => {
        const chain = chainOf(rows.map((r) => r.total));
        // Delivered in any order (the keys shuffle it).
        const shuffled = chain.map((r, i) => ({ r, key: rows[i]?.key ?? 0 })).sort((a, b) => a.key - b.key).map((x) => x.r);
        expect(verifyChain(shuffled)).toEqual([]);
      }),
    );
  });

  it('finds an altered amount, even when the forger recomputes its hash', () => {
    const chain = chainOf([100, 200, 300]);
    const altered = chain.map((r) => (r.seq === 2 ? { ...r, totalCents: 20 } : r));
    expect(verifyChain(altered)).toEqual([{ kind: 'altered', seq: 2, reason: expect.any(String) }]);
    const rehashed = chain.map((r) => (r.seq === 2 ? { ...r, totalCents: 20, hash: recordHash({ ...r, totalCents: 20 }) } : r));
    expect(verifyChain(rehashed)).toEqual([{ kind: 'broken', seq: 3, reason: expect.any(String) }]);
  });

  it('finds a removed record as a gap, and a record slipped in as a broken link', () => {
    const chain = chainOf([100, 200, 300, 400]);
    expect(verifyChain(chain.filter((r) => r.seq !== 2)).map((f) => [f.kind, f.seq])).toEqual([['gap', 3]]);
    const forged = seal({ seq: 5, totalCents: 1 }, { seq: 3, hash: chain[2]?.hash ?? '' });
    expect(verifyChain([...chain, forged]).map((f) => [f.kind, f.seq])).toEqual([['numbers_skipped', 5]]);
    const fork = seal({ seq: 5, totalCents: 1 }, { seq: 4, hash: 'f'.repeat(64) });
    expect(verifyChain([...chain, fork]).map((f) => [f.kind, f.seq])).toEqual([['broken', 5]]);
  });

  it('links a new batch to the records HQ already holds', () => {
    const chain = chainOf([1, 2, 3, 4, 5]);
    const known = new Map(chain.slice(0, 3).map((r) => [r.seq, r.hash]));
    expect(verifyChain(chain.slice(3), known)).toEqual([]);
    expect(verifyChain(chain.slice(4), known).map((f) => f.kind)).toEqual(['gap']);
  });

  it('notes numbers a crash left unused, and a chain that starts again', () => {
    const a = seal({ seq: 1, totalCents: 5 }, null);
    const b = seal({ seq: 4, totalCents: 5 }, { seq: 1, hash: a.hash });
    expect(verifyChain([a, b]).map((f) => [f.kind, f.seq])).toEqual([['numbers_skipped', 4]]);
    expect(verifyChain([seal({ seq: 9, totalCents: 5 }, null)]).map((f) => f.kind)).toEqual(['restart']);
  });

  it('refuses to chain a record behind a later one', () => {
    expect(() => seal({ seq: 3, totalCents: 1 }, { seq: 3, hash: 'x' })).toThrow(RangeError);
  });

  it('hashes content, not key order', () => {
    expect(recordHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(recordHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(recordHash({ a: 1, hash: 'x', _deleted: false })).toBe(recordHash({ a: 1 }));
  });
});
