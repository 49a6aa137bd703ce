import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SalesListResponse } from '../../sync/protocol/wire.ts';
import { verifyChain } from '../../src/chain.ts';
import { enrolRegister, readyToSell, inEnglish } from './browser.ts';
import { startChromium, type ChromiumProcess } from './chromium-process.ts';
import { productInAssortment } from './demo-product.ts';
import { prng } from '../../resources/demo/generate.ts';
import type { HqProcess } from './hq-process.ts';

/**
 * The register's browser killed (SIGKILL) at random moments while a cashier checks out and the
 * register syncs, then started again on the same profile. Afterwards every sale whose receipt
 * the cashier saw must be at HQ exactly once, and nothing at HQ may be partial or forged.
 */
export interface KillReport {
  kills: number;
  receiptsSeen: string[];
  atHq: string[];
  missing: string[];
  /** Sales at HQ that no receipt showed (killed between the write and the screen): allowed, they are whole. */
  unseenButWhole: string[];
  chainFindings: string[];
  elapsedMs: number;
}

const STORE = '1001';


/** One checkout as a cashier does it; returns the receipt number once it is on screen. */
async function checkout(page: Page, barcode: string, name: string): Promise<string> {
  // The code typed into the search field and Enter (what a cashier does when a label will not
  // scan): the same lookup as the scanner, without depending on keystroke timing on a busy machine.
  // After a restart the cashier signs in again (the shift is still open).
  const search = await readyToSell(page, { timeoutMs: 60_000 });
  await search.fill(barcode);
  await search.press('Enter');
  await page.getByLabel(`Quantity for ${name}`).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: /Pay cash/ }).click();
  await page.getByLabel('Cash received').fill('100');
  await page.getByRole('button', { name: /Complete sale/ }).click();
  const receipt = (await page.getByTestId('receipt-number').innerText({ timeout: 10_000 })).trim();
  await page.getByRole('button', { name: /New sale/ }).click();
  return receipt;
}

export async function runKillScenario(hq: HqProcess, opts: { kills: number; seed?: number; demoProducts: number; log?: (line: string) => void }): Promise<KillReport> {
  const started = Date.now();
  const random = prng(opts.seed ?? 1);
  const product = productInAssortment(STORE, opts.demoProducts);
  const profile = mkdtempSync(join(tmpdir(), 'kassa-profile-'));
  const seen: string[] = [];
  let chrome: ChromiumProcess | null = null;
  try {
    chrome = await startChromium(profile);
    let page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
    await enrolRegister(page, hq, { timeoutMs: 180_000 });

    for (let k = 0; k < opts.kills; k++) {
      // Sell a little, then pull the plug somewhere in the middle of a checkout or a sync.
      // At least one whole sale per start, so every round has something to lose.
      try {
        seen.push(await checkout(page, product.barcode, product.name));
      } catch (e) {
        if (process.env.KASSA_DEBUG_SHOTS) await page.screenshot({ path: `${process.env.KASSA_DEBUG_SHOTS}/kill-${k}.png` });
        throw new Error(`after restart ${k}: ${(e as Error).message}\n${await page.locator('body').innerText().catch(() => '?')}`);
      }
      const killAfterMs = 300 + Math.floor(random() * 2500);
      const current = chrome;
      const killer = new Promise<void>((resolve) => setTimeout(() => void current.kill().then(resolve), killAfterMs));
      const selling = (async () => {
        for (;;) seen.push(await checkout(page, product.barcode, product.name));
      })().catch(() => undefined);
      await killer;
      await selling;
      opts.log?.(`kill ${k + 1}/${opts.kills} after ${killAfterMs} ms; receipts seen so far ${seen.length}`);
      chrome = await startChromium(profile);
      page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
      await inEnglish(page);
      await page.goto(hq.url);
    }
    // Last start: one more sale, then wait until nothing is waiting.
    seen.push(await checkout(page, product.barcode, product.name));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !/\b0 records waiting/.test(await page.getByRole('status').innerText())) await page.waitForTimeout(250);

    const res = await fetch(`${hq.url}/api/stores/${STORE}/sales?limit=1000`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
    const sales = ((await res.json()) as SalesListResponse).sales;
    const atHq = sales.map((s) => s.receiptNo);
    const findings = verifyChain(sales.map(({ receivedAt: _r, ...sale }) => sale))
      // Numbers reserved by a checkout the kill cut short are never used: allowed, and noted.
      .filter((f) => f.kind !== 'numbers_skipped')
      .map((f) => `${f.kind} ${f.seq}: ${f.reason}`);
    // And HQ's own check on ingest found nothing either (beyond numbers a kill left unused).
    const alertsRes = await fetch(`${hq.url}/api/alerts?storeId=${STORE}&open=1`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
    const alerts = ((await alertsRes.json()) as { alerts: { kind: string; message: string }[] }).alerts;
    findings.push(...alerts.filter((a) => a.kind !== 'chain_numbers_skipped').map((a) => `HQ alert ${a.kind}: ${a.message}`));
    return {
      kills: opts.kills,
      receiptsSeen: seen,
      atHq,
      missing: seen.filter((r) => !atHq.includes(r)),
      unseenButWhole: atHq.filter((r) => !seen.includes(r)),
      chainFindings: findings,
      elapsedMs: Date.now() - started,
    };
  } finally {
    await chrome?.kill();
    // SIGKILL reaches the browser process; its children (renderer, storage) die a moment later
    // and may still write into the profile meanwhile (ENOTEMPTY once in CI): retry, and never let
    // the clean-up of a temporary folder hide the scenario's own result.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (e) {
      opts.log?.(`could not remove ${profile}: ${(e as Error).message}`);
    }
  }
}
