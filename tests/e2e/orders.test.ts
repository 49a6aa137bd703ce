import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { OrderDoc } from '../../sync/protocol/docs.ts';
import { enrolRegister, launchChromium } from '../support/browser.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { type HqProcess, createHqProcess, waitFor } from '../support/hq-process.ts';

// Customer orders across stores, offline: an order made in Utrecht (1001) for pick-up in
// Amersfoort (1002) is handed out there while Amersfoort is offline, and syncs; an order
// cancelled in Zeist (1003) — found through HQ, it was never replicated there — while
// Amersfoort, offline, hands it out: both ends show the same exception.

const DEMO_PRODUCTS = 2000;

interface Register {
  context: BrowserContext;
  page: Page;
}

describe('customer orders across stores', () => {
  let hq: HqProcess;
  let browser: Browser;
  let utrecht: Register;
  let amersfoort: Register;
  let zeist: Register;
  const p1 = productInAssortment('1001', DEMO_PRODUCTS, 0);
  const p2 = productInAssortment('1001', DEMO_PRODUCTS, 1);

  const open = async (storeId: string): Promise<Register> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await enrolRegister(page, hq, { storeId, registerId: '01' });
    return { context, page };
  };
  const scan = async (page: Page, product: { barcode: string; name: string }): Promise<void> => {
    await page.locator('body').click();
    await page.keyboard.type(product.barcode);
    await page.keyboard.press('Enter');
    await page.getByLabel(`Quantity for ${product.name}`).waitFor();
  };
  /** Makes an order at Utrecht of the given products, all for pick-up in Amersfoort, paid by card. */
  const orderForAmersfoort = async (products: { barcode: string; name: string }[], customer: string): Promise<string> => {
    const { page } = utrecht;
    for (const p of products) await scan(page, p);
    await page.getByRole('button', { name: /Customer order/ }).click();
    await page.getByLabel('Name', { exact: true }).fill(customer);
    await page.getByLabel('Phone').fill('06 1234 5678');
    for (const p of products) await page.getByLabel(`Pick-up store: ${p.name}`).selectOption('1002');
    await page.getByRole('button', { name: /Pay card/ }).click();
    await page.getByRole('dialog', { name: 'Pay card and create order' }).getByRole('button', { name: /Card approved/ }).click();
    const orderNo = (await page.getByTestId('order-number').innerText()).trim();
    const confirmation = await page.getByRole('article', { name: 'Order confirmation' }).innerText();
    expect(confirmation).toContain(customer);
    expect(confirmation).toContain('Kassa Amersfoort');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Search products').waitFor();
    return orderNo;
  };
  const openOrder = async (page: Page, orderNo: string): Promise<void> => {
    const back = page.getByRole('button', { name: /Back to orders/ });
    if (await back.count()) await back.click();
    if (!(await page.getByLabel('Find order').count())) await page.getByRole('button', { name: /^Orders/ }).click();
    await page.getByLabel('Find order').fill(orderNo);
    await page.getByLabel('Find order').press('Enter');
    await page.getByTestId('order-source').waitFor();
  };
  const hqOrder = async (orderNo: string): Promise<OrderDoc> => {
    const res = await fetch(`${hq.url}/api/orders/${orderNo}`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
    return (await res.json()) as OrderDoc;
  };
  const statusLine = (page: Page) => page.locator('.status').innerText();

  beforeAll(async () => {
    hq = await createHqProcess({ demoProducts: DEMO_PRODUCTS });
    await hq.start();
    browser = await launchChromium();
    utrecht = await open('1001');
    amersfoort = await open('1002');
    zeist = await open('1003');
  });
  afterAll(async () => {
    await browser?.close();
    await hq?.dispose();
  });

  it('an order made in Utrecht is handed out in Amersfoort while offline, and syncs', async () => {
    const orderNo = await orderForAmersfoort([p1, p2], 'Anna de Vries');
    expect(orderNo).toMatch(/^ORD-1001-01-\d{6}$/);

    // It reaches Amersfoort by replication and waits there, ready for pick-up.
    const b = amersfoort.page;
    await b.getByRole('button', { name: /^Orders/ }).click();
    await b.getByTestId(`order-${orderNo}`).waitFor({ timeout: 30_000 });
    expect(await b.getByTestId('ready-for-pickup').innerText()).toContain('Anna de Vries');

    // The network goes; the customer comes; the cashier hands out both lines and takes the balance.
    await amersfoort.context.setOffline(true);
    await b.getByTestId(`order-${orderNo}`).click();
    await b.getByTestId('order-source').waitFor();
    expect(await b.getByTestId('order-source').innerText()).toContain('works offline');
    await b.getByLabel('Select all open lines').check();
    await b.getByRole('button', { name: /Hand out/ }).click();
    const handOut = b.getByRole('dialog', { name: 'Hand out' });
    const balance = await handOut.getByTestId('handout-balance').innerText();
    await handOut.getByRole('button', { name: /Pay card/ }).click();
    await handOut.getByRole('button', { name: /Card approved/ }).click();
    await b.getByRole('article', { name: 'Pick-up receipt' }).waitFor();
    expect(await b.getByTestId('balance-paid').innerText()).toBe(balance);
    await b.getByRole('button', { name: 'Back to order' }).click();
    await expect.poll(() => b.getByTestId('order-status').innerText()).toBe('Completed');
    expect(await b.getByText('not yet at HQ').count()).toBeGreaterThan(0);
    await expect.poll(() => statusLine(b), { timeout: 15_000 }).toMatch(/1 record waiting/);

    // HQ has not heard of the pick-up.
    expect((await hqOrder(orderNo)).status).toBe('open');

    // Back online: the pick-up goes out by itself and HQ agrees.
    await amersfoort.context.setOffline(false);
    await expect.poll(() => statusLine(b), { timeout: 30_000 }).toMatch(/0 records waiting/);
    await expect.poll(async () => (await hqOrder(orderNo)).status, { timeout: 15_000 }).toBe('completed');
    await expect.poll(() => b.getByText('not yet at HQ').count(), { timeout: 15_000 }).toBe(0);

    // Utrecht, where it was made, sees it picked up in Amersfoort.
    await openOrder(utrecht.page, orderNo);
    await expect.poll(() => utrecht.page.getByTestId('order-status').innerText(), { timeout: 30_000 }).toBe('Completed');
    expect(await utrecht.page.getByTestId('line-status-1').innerText()).toContain('Picked up at Amersfoort');
    expect(await utrecht.page.getByTestId('order-history').innerText()).toMatch(/Picked up\s+Kassa Amersfoort/);
    await utrecht.page.getByRole('button', { name: /Back to orders/ }).click();
    await utrecht.page.keyboard.press('Escape');
  });

  it('cancelled in Zeist while offline Amersfoort hands it out: the hand-out stands and both show the exception', async () => {
    const orderNo = await orderForAmersfoort([p2], 'Bert Bakker');
    const b = amersfoort.page;
    await b.getByRole('button', { name: /Back to orders/ }).click();
    await b.getByTestId(`order-${orderNo}`).waitFor({ timeout: 30_000 });
    await amersfoort.context.setOffline(true);

    // Zeist never had the order: it asks HQ, and the screen says so.
    const c = zeist.page;
    await openOrder(c, orderNo);
    expect(await c.getByTestId('order-source').innerText()).toContain('From HQ');
    await c.getByLabel(`Select line 1: ${p2.name}`).check();
    await c.getByRole('button', { name: /Cancel lines/ }).click();
    const cancelDialog = c.getByRole('dialog', { name: 'Cancel lines' });
    const refund = await cancelDialog.getByTestId('cancel-refund').innerText();
    await cancelDialog.getByLabel('Reason').fill('Customer called');
    await cancelDialog.getByRole('button', { name: 'Cancel the lines' }).click();
    await expect.poll(() => c.getByTestId('order-status').innerText()).toBe('Cancelled');
    await expect.poll(async () => (await hqOrder(orderNo)).status, { timeout: 15_000 }).toBe('cancelled');

    // Meanwhile, offline Amersfoort still sees the order open and hands it out.
    await b.getByTestId(`order-${orderNo}`).click();
    await b.getByTestId('order-source').waitFor();
    expect(await b.getByTestId('order-status').innerText()).toBe('Open');
    await b.getByLabel(`Select line 1: ${p2.name}`).check();
    await b.getByRole('button', { name: /Hand out/ }).click();
    const handOut = b.getByRole('dialog', { name: 'Hand out' });
    await handOut.getByRole('button', { name: /Pay card/ }).click();
    await handOut.getByRole('button', { name: /Card approved/ }).click();
    await b.getByRole('article', { name: 'Pick-up receipt' }).waitFor();
    await b.getByRole('button', { name: 'Back to order' }).click();

    // The network is back. HQ's rule: the goods left the store, so the hand-out stands and
    // the cancellation (and the refund paid for it) is the exception — at both stores.
    await amersfoort.context.setOffline(false);
    const exception = await waitFor('the exception at HQ', async () => {
      const res = await fetch(`${hq.url}/api/orders/exceptions`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
      const body = (await res.json()) as { orders: { id: string; exceptions: { kind: string; storeId: string; amountCents: number }[] }[] };
      return body.orders.find((o) => o.id === orderNo)?.exceptions[0];
    });
    expect(exception).toMatchObject({ kind: 'cancelled_after_handout', storeId: '1003' });
    expect((await hqOrder(orderNo)).status).toBe('completed');

    for (const page of [b, c]) {
      const box = page.getByTestId('order-exceptions');
      await box.waitFor({ timeout: 30_000 });
      expect(await box.innerText()).toMatch(/line \d+ both handed out and cancelled \(store 1003\)/);
      expect(await box.innerText()).toContain(`short ${refund}`);
      await expect.poll(() => page.getByTestId('order-status').innerText(), { timeout: 30_000 }).toBe('Completed');
    }
    // Zeist now holds the order in its own replica: it acted on it.
    await c.getByRole('button', { name: /Back to orders/ }).click();
    await openOrder(c, orderNo);
    await expect.poll(() => c.getByTestId('order-source').innerText(), { timeout: 30_000 }).toContain('works offline');
  });
});
