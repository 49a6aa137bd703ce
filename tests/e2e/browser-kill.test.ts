import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HqProcess, createHqProcess } from '../support/hq-process.ts';
import { runKillScenario } from '../support/kill-scenario.ts';

// A register's browser killed mid-checkout and mid-sync, five times (the long version,
// `npm run faults:browser`, does it 50 times): no sale the cashier saw is lost or doubled.

const DEMO_PRODUCTS = 3_000;

describe('register killed at random moments', () => {
  let hq: HqProcess;
  beforeAll(async () => {
    hq = await createHqProcess({ demoProducts: DEMO_PRODUCTS });
    await hq.start();
  });
  afterAll(async () => {
    await hq?.dispose();
  });

  it('keeps every completed sale exactly once at HQ, whole and in one unbroken chain', async () => {
    const report = await runKillScenario(hq, { kills: Number(process.env.KASSA_BROWSER_KILLS ?? 5), seed: 7, demoProducts: DEMO_PRODUCTS });
    expect(report.receiptsSeen.length).toBeGreaterThan(report.kills);
    expect(report.missing).toEqual([]);
    expect(new Set(report.atHq).size).toBe(report.atHq.length);
    expect(new Set(report.receiptsSeen).size).toBe(report.receiptsSeen.length);
    expect(report.chainFindings).toEqual([]);
  });
});
