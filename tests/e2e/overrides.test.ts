import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { formatCents } from '../../src/money.ts';
import type { HqAlert } from '../../sync/hq/store.ts';
import type { SalesListResponse } from '../../sync/protocol/wire.ts';
import { approveAsManager, enrolRegister, launchChromium } from '../support/browser.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { type HqProcess, createHqProcess, waitFor } from '../support/hq-process.ts';

// A manager's approval at the register, recorded on the sale it approves: the cashier changes a
// line's price (a wrong manager PIN first, refused, the cart untouched), voids a line (a cancelled
// approval changes nothing), and pays. The receipt shows the changed price and nothing of the
// void; HQ holds the sale with the line's price override and the void; the X report counts both.

const DEMO_PRODUCTS = 300;
const STORE = '1001';
const euro = (cents: number): string => formatCents(cents, 'en-GB');

describe('price overrides and voids', () => {
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

  it('changes a price and voids a line with the manager’s PIN; HQ and the X report have both', async () => {
    const kept = productInAssortment(STORE, DEMO_PRODUCTS, 0);
    const voided = productInAssortment(STORE, DEMO_PRODUCTS, 1);
    expect(voided.id).not.toBe(kept.id);
    // 1,00 off the shelf price (or 1,00 more for something that costs less).
    const newPrice = kept.priceCents >= 100 ? kept.priceCents - 100 : kept.priceCents + 100;
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    // The demo cashier (100) signs in and opens a shift.
    const search = await enrolRegister(page, hq, { storeId: STORE, registerId: '01' });
    const total = page.getByTestId('cart-total');

    // Two of one product (raising a quantity needs nobody), one of another.
    await search.fill(kept.barcode);
    await search.press('Enter');
    await page.getByLabel(`Quantity for ${kept.name}`).waitFor();
    await page.getByRole('button', { name: `Increase ${kept.name}` }).click();
    await expect.poll(() => page.getByLabel(`Quantity for ${kept.name}`).inputValue()).toBe('2');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await search.fill(voided.barcode);
    await search.press('Enter');
    await page.getByLabel(`Quantity for ${voided.name}`).waitFor();
    const before = euro(2 * kept.priceCents + voided.priceCents);
    await expect.poll(() => total.innerText()).toBe(before);

    // A new price with a wrong PIN: refused, the cart as it was.
    await page.getByRole('button', { name: `Change price of ${kept.name}` }).click();
    const priceDialog = page.getByRole('dialog', { name: `Change price: ${kept.name}` });
    await priceDialog.getByLabel('New price', { exact: true }).fill((newPrice / 100).toFixed(2));
    await priceDialog.getByLabel('Manager id', { exact: true }).fill('900');
    await priceDialog.getByLabel('Manager PIN', { exact: true }).fill('0000');
    await priceDialog.getByLabel('Reason', { exact: true }).fill('damaged box');
    await priceDialog.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => priceDialog.getByRole('alert').innerText()).toBe('Wrong manager id or PIN, or not a manager.');
    expect(await total.innerText()).toBe(before);
    // The right PIN: the line sells at the new price and says what it was and who approved it.
    await approveAsManager(page, `Change price: ${kept.name}`, 'damaged box', { fields: { 'New price': (newPrice / 100).toFixed(2) } });
    await expect.poll(() => total.innerText()).toBe(euro(2 * newPrice + voided.priceCents));
    expect(await page.getByTestId(`price-was-${kept.id}`).innerText()).toBe(`was ${euro(kept.priceCents)}, approved by 900`);

    // Lowering a quantity asks a manager first; cancelling leaves the cart as it was.
    await page.getByRole('button', { name: `Decrease ${kept.name}` }).click();
    await page.getByRole('dialog', { name: `Void: ${kept.name}` }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await page.getByLabel(`Quantity for ${kept.name}`).inputValue()).toBe('2');

    // Removing a line is a void: approved, the line goes.
    await page.getByRole('button', { name: `Remove ${voided.name}` }).click();
    await approveAsManager(page, `Void: ${voided.name}`, 'customer changed their mind');
    await page.getByLabel(`Quantity for ${voided.name}`).waitFor({ state: 'detached' });
    const due = 2 * newPrice;
    await expect.poll(() => total.innerText()).toBe(euro(due));

    // Pay cash; the receipt shows the changed price, and nothing of the void.
    await page.getByRole('button', { name: /Pay cash/ }).click();
    await page.getByLabel('Cash received').fill(String(Math.ceil(due / 100) + 5));
    await page.getByRole('button', { name: /Complete sale/ }).click();
    const receiptNo = (await page.getByTestId('receipt-number').innerText()).trim();
    const receipt = await page.getByRole('article', { name: 'Receipt' }).innerText();
    expect(receipt).toContain(`price changed, was ${euro(kept.priceCents)}`);
    expect(receipt).not.toContain(voided.name);
    await page.getByRole('button', { name: /New sale/ }).click();

    // HQ holds the sale with the line's override and the void, as the register recorded them.
    const sale = await waitFor('the sale at HQ', async () => {
      const res = await fetch(`${hq.url}/api/stores/${STORE}/sales?limit=20`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as SalesListResponse).sales.find((s) => s.receiptNo === receiptNo) ?? null;
    });
    expect(sale.lines).toHaveLength(1);
    expect(sale.lines[0]).toMatchObject({ productId: kept.id, quantity: 2, unitPriceCents: newPrice, amountCents: due });
    expect(sale.lines[0]?.priceOverride).toEqual({ originalUnitPriceCents: kept.priceCents, managerId: '900', reason: 'damaged box' });
    expect(sale.voids).toEqual([
      { productId: voided.id, name: voided.name, quantity: 1, unitPriceCents: voided.priceCents, managerId: '900', reason: 'customer changed their mind' },
    ]);
    expect(sale.totalCents).toBe(due);
    // Both are part of the sealed sale: HQ finds its hash matches its content (no chain alert).
    const alerts = await fetch(`${hq.url}/api/alerts`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
    expect(((await alerts.json()) as { alerts: HqAlert[] }).alerts.filter((a) => a.recordId === receiptNo)).toEqual([]);

    // The X report (F3) counts 1 override and 1 void, with their amounts.
    await page.getByLabel('Search products').waitFor();
    await page.keyboard.press('F3');
    const x = page.getByRole('article', { name: 'X report' });
    await x.waitFor();
    const text = await x.innerText();
    expect(text).toMatch(/Price overrides \(1\)/);
    expect(text).toMatch(/Voids \(1\)/);
    expect(await x.getByTestId('shift-overrides').innerText()).toBe(euro((newPrice - kept.priceCents) * 2));
    expect(await x.getByTestId('shift-voids').innerText()).toBe(euro(voided.priceCents));
  });
});
