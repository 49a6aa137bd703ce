import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SalesListResponse } from '../../sync/protocol/wire.ts';
import { launchChromium, readyToSell, inEnglish } from '../support/browser.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { type HqProcess, createHqProcess, waitFor } from '../support/hq-process.ts';

// The walking skeleton as a cashier lives it: enrol, first sync, scan, pay cash, HQ goes away,
// sell again offline, HQ comes back, and HQ holds both sales.

const DEMO_PRODUCTS = 20_000;
const STORE = '1001';


async function scan(page: Page, code: string, delayMs = 5): Promise<void> {
  // A keyboard-wedge scanner: fast digits, then Enter (typed into no field in particular).
  await page.keyboard.type(code, { delay: delayMs });
  await page.keyboard.press('Enter');
}

/** Controls a screen reader (or a test) could not name: no label, aria-label or text. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button, [role="button"], progress, [role="progressbar"]')]
      .filter((el) => {
        const e = el as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null };
        const named =
          e.getAttribute('aria-label')?.trim() ||
          e.getAttribute('aria-labelledby') ||
          (e.labels && e.labels.length > 0) ||
          (e.tagName === 'BUTTON' && e.textContent?.trim());
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

async function salesAtHq(hq: HqProcess): Promise<SalesListResponse['sales']> {
  const res = await fetch(`${hq.url}/api/stores/${STORE}/sales`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as SalesListResponse).sales;
}

describe('walking skeleton in Chromium', () => {
  let hq: HqProcess;
  let browser: Browser;

  beforeAll(async () => {
    hq = await createHqProcess({ demoProducts: DEMO_PRODUCTS });
    await hq.start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hq?.dispose();
  });

  it('enrols, syncs, sells online and offline, and HQ ends up with both sales', async () => {
    const product = productInAssortment(STORE, DEMO_PRODUCTS);
    const page = await browser.newPage();
    await inEnglish(page);
    await page.goto(hq.url);

    // 1. Pick the register's identity.
    await page.getByLabel('Enrolment token').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByLabel('Store', { exact: true }).selectOption(STORE);
    await page.getByLabel('Register', { exact: true }).selectOption('01');
    await page.getByLabel('Enrolment token').fill(hq.adminToken);
    await page.getByRole('button', { name: 'Enrol register' }).click();

    // 2. First sync with a progress bar; then the sale screen.
    await expect.poll(() => page.getByRole('progressbar').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await unnamedControls(page)).toEqual([]);
    // 3. Sign in as the demo cashier and open a shift with the proposed float.
    await readyToSell(page, { timeoutMs: 180_000 });

    // 4. Scan a barcode: the product is in the cart at once.
    await page.locator('body').click();
    await scan(page, product.barcode);
    await page.getByLabel(`Quantity for ${product.name}`).waitFor();
    expect(await unnamedControls(page)).toEqual([]);

    // 4/5. Pay cash with a 100 euro note.
    await page.getByRole('button', { name: /Pay cash/ }).click();
    await page.getByLabel('Cash received').fill('100');
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('button', { name: /Complete sale/ }).click();

    // 6. Receipt with its number.
    const receiptNo1 = (await page.getByTestId('receipt-number').innerText()).trim();
    expect(receiptNo1).toMatch(/^1001-01-\d{6}$/);
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByRole('button', { name: /New sale/ }).click();

    // HQ receives it by itself.
    await waitFor('first sale at HQ', async () => (await salesAtHq(hq)).some((s) => s.receiptNo === receiptNo1));

    // 7. HQ stops: the register keeps selling and says it is offline, with a record waiting.
    await hq.kill();
    await page.locator('body').click();
    // A cashier typing the code by hand, slowly, works the same way.
    await scan(page, product.barcode, 150);
    await page.getByLabel(`Quantity for ${product.name}`).waitFor();
    await page.getByRole('button', { name: /Pay cash/ }).click();
    await page.getByLabel('Cash received').fill('100');
    await page.getByRole('button', { name: /Complete sale/ }).click();
    const receiptNo2 = (await page.getByTestId('receipt-number').innerText()).trim();
    expect(receiptNo2).toMatch(/^1001-01-\d{6}$/);
    expect(receiptNo2).not.toBe(receiptNo1);
    await page.getByRole('button', { name: /New sale/ }).click();

    const status = page.getByRole('status').filter({ hasText: /offline/i });
    await status.waitFor({ timeout: 30_000 });
    await expect.poll(async () => page.getByRole('status').innerText(), { timeout: 30_000 }).toMatch(/1 records? waiting/i);

    // HQ comes back: the waiting record goes out by itself and the count drops to zero.
    await hq.start();
    await expect.poll(async () => page.getByRole('status').innerText(), { timeout: 60_000 }).toMatch(/online/i);
    await expect.poll(async () => page.getByRole('status').innerText(), { timeout: 60_000 }).not.toMatch(/[1-9]\d* records? waiting/i);

    const sales = await waitFor('both sales at HQ', async () => {
      const s = await salesAtHq(hq);
      return s.some((x) => x.receiptNo === receiptNo2) ? s : null;
    });
    const mine = sales.filter((s) => s.receiptNo === receiptNo1 || s.receiptNo === receiptNo2);
    expect(mine).toHaveLength(2);
    // Newest first, each with its lines, totals and tenders.
    expect(mine[0]?.receiptNo).toBe(receiptNo2);
    for (const s of mine) {
      expect(s.lines[0]?.barcode).toBe(product.barcode);
      expect(s.totalCents).toBe(product.priceCents);
      expect(s.tenders[0]?.kind).toBe('cash');
    }
  });
});
