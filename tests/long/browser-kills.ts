import { createHqProcess } from '../support/hq-process.ts';
import { runKillScenario } from '../support/kill-scenario.ts';

// Long version of tests/e2e/browser-kill.test.ts: `npm run faults:browser -- [kills] [seed]`.
const kills = Number(process.argv[2] ?? 50);
const seed = Number(process.argv[3] ?? Date.now() % 100_000);
const DEMO_PRODUCTS = 3_000;

const hq = await createHqProcess({ demoProducts: DEMO_PRODUCTS });
await hq.start();
try {
  const r = await runKillScenario(hq, { kills, seed, demoProducts: DEMO_PRODUCTS, log: (l) => console.log(l) });
  console.log(
    `kills ${r.kills} (seed ${seed}) · receipts seen ${r.receiptsSeen.length} · sales at HQ ${r.atHq.length} · missing ${r.missing.length} · ` +
      `duplicated ${r.atHq.length - new Set(r.atHq).size} · written but not shown before the kill ${r.unseenButWhole.length} · chain findings ${r.chainFindings.length} · ${(r.elapsedMs / 1000).toFixed(1)} s`,
  );
  for (const f of r.chainFindings) console.log(`  ${f}`);
  const bad = r.missing.length > 0 || r.atHq.length !== new Set(r.atHq).size || r.chainFindings.length > 0;
  console.log(JSON.stringify({ kills: r.kills, seen: r.receiptsSeen.length, at_hq: r.atHq.length, missing: r.missing.length, duplicated: r.atHq.length - new Set(r.atHq).size, chain_findings: r.chainFindings.length }));
  process.exitCode = bad ? 1 : 0;
} finally {
  await hq.dispose();
}
