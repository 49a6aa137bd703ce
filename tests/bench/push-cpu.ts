/**
 * `npm run bench:push-cpu`: what HQ's pure computation costs per pushed sale, stage by stage, in
 * one warm process with nothing else running: no HTTP, no database. The baseline, measured in the
 * same run, is `JSON.parse` of the same push bodies (work HQ cannot skip); each stage is printed
 * in µs per sale and as a ratio to it. Sales are real ones, built and chained by the domain core
 * (tests/support/sales.ts), 100 per push as the register sends them.
 *
 * Options: --pushes 50 (distinct push bodies) --rounds 20 (timed passes over them)
 * The last line is JSON: { stage: µs per sale, …, total_us, baseline_us }.
 */
import { performance } from 'node:perf_hooks';
import type { ChainHead } from '../../src/chain.ts';
import { itemNumberOf } from '../../resources/demo/generate.ts';
import { SALES_TABLE, bodyHash, multiInsert } from '../../sync/hq/store.ts';
import type { SaleDoc } from '../../sync/protocol/docs.ts';
import { validatePushRows } from '../../sync/protocol/validate.ts';
import { makeChain, pushRows } from '../support/sales.ts';

const BATCH = 100;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(n) || n < 1 || n > 10_000) {
    console.error(`--${name} must be a whole number from 1 to 10000`);
    process.exit(2);
  }
  return n;
}

const pushes = option('pushes', 50);
const rounds = option('rounds', 20);

const bodies: string[] = [];
for (let p = 0; p < pushes; p++) {
  const sales: SaleDoc[] = [];
  let head: ChainHead | null = null;
  for (let i = 0; i < BATCH; i++) {
    const seq = p * BATCH + i + 1;
    const [sale] = makeChain('1001', '01', 1, { firstSeq: seq, head, productId: itemNumberOf((seq * 104_729) % 20_000), priceCents: 99 + (seq % 2000), quantity: 1 + (seq % 3) });
    if (!sale) throw new Error('makeChain made no sale');
    sales.push(sale);
    head = { seq: sale.seq, hash: sale.hash };
  }
  bodies.push(JSON.stringify(pushRows(sales)));
}
const parsed: unknown[] = bodies.map((b) => JSON.parse(b) as unknown);
const docs: SaleDoc[][] = parsed.map((p) => {
  const r = validatePushRows('sales', p);
  if (!r.ok) throw new Error(`a built sale does not validate: ${JSON.stringify(r.problems[0])}`);
  return r.value;
});

/** µs per sale of `fn(push index)` over `rounds` passes, after 3 warm-up passes. */
function measure(fn: (i: number) => unknown): number {
  let sink = 0;
  for (let r = 0; r < 3; r++) for (let i = 0; i < pushes; i++) sink += fn(i) ? 1 : 0;
  const t = performance.now();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < pushes; i++) sink += fn(i) ? 1 : 0;
  const us = ((performance.now() - t) * 1000) / (rounds * pushes * BATCH);
  if (sink < 0) console.log(sink);
  return us;
}

const baseline = measure((i) => JSON.parse(bodies[i] ?? '[]'));
const stages: [string, number][] = [
  ['validate', measure((i) => validatePushRows('sales', parsed[i]).ok)],
  ['hashes', measure((i) => (docs[i] ?? []).map(bodyHash).length)],
  // The INSERT's parameters (the body's JSON text included) and its text, cached by shape.
  [
    'statement',
    measure((i) => multiInsert(SALES_TABLE.table, SALES_TABLE.columns, (docs[i] ?? []).map((d) => SALES_TABLE.values(d, '')), 'ON CONFLICT (id) DO NOTHING RETURNING id')[1].length),
  ],
];
const total = baseline + stages.reduce((a, [, us]) => a + us, 0);

console.log(`HQ's computation per pushed sale (${pushes} pushes of ${BATCH}, ${rounds} rounds, ${(bodies[0]?.length ?? 0) / BATCH} bytes of JSON per sale, ${process.version})`);
const line = (name: string, us: number): void => console.log(`  ${name.padEnd(28)} ${us.toFixed(2).padStart(6)} µs  ${(us / baseline).toFixed(2)}×`);
line('JSON.parse (baseline)', baseline);
for (const [name, us] of stages) line(name, us);
line('total', total);
console.log(JSON.stringify({ ...Object.fromEntries(stages.map(([n, us]) => [n, Number(us.toFixed(2))])), total_us: Number(total.toFixed(2)), baseline_us: Number(baseline.toFixed(2)) }));
