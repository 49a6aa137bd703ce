import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HqAlert } from '../../sync/hq/store.ts';
import type { SaleLookupResponse } from '../../sync/protocol/wire.ts';
import { enrolRegister, launchChromium } from '../support/browser.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { type HqProcess, createHqProcess, waitFor } from '../support/hq-process.ts';
import { formatCents } from '../../src/money.ts';

// Returns at any store: a sale made in Utrecht (1001) comes back in Amersfoort (1002) while
// Amersfoort is offline, through the signed code on the receipt; once synced, Utrecht's own
// replica and HQ agree on what is left. Zeist (1003), offline and unaware, takes back more of
// the same receipt: HQ records one double-return exception. And a return without a receipt
// needs a manager.

const DEMO_PRODUCTS = 2000;

interface Register {
  context: BrowserContext;
  page: Page;
}

describe('returns at any store', () => {
  let hq: HqProcess;
  let browser: Browser;
  let utrecht: Register;
  let amersfoort: Register;
  let zeist: Register;
  const product = productInAssortment('1001', DEMO_PRODUCTS, 0);
  let receiptNo = '';
  let code = '';

  const open = async (storeId: string): Promise<Register> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await enrolRegister(page, hq, { storeId, registerId: '01' });
    return { context, page };
  };
  const lookUp = async (page: Page, text: string): Promise<void> => {
    await page.getByRole('button', { name: /^Return/ }).first().click();
    const field = page.getByLabel('Receipt, order number or receipt code');
    await field.fill(text);
    await field.press('Enter');
  };
  /** From the return screens back to the sale screen (Esc: source → lookup → sale). */
  const backToSale = async (page: Page): Promise<void> => {
    for (let i = 0; i < 3 && !(await page.getByLabel('Search products').count()); i++) {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(100);
    }
    await page.getByLabel('Search products').waitFor();
  };
  /** Returns `quantity` of the product from the source on screen, refunded as planned. */
  const returnSome = async (page: Page, quantity: number): Promise<string> => {
    await page.getByLabel(`Return quantity for ${product.name}`).fill(String(quantity));
    await page.getByLabel(`Reason for ${product.name}`).selectOption('defective');
    await page.getByRole('button', { name: /Refund and complete return/ }).click();
    const returnNo = (await page.getByTestId('return-number').innerText()).trim();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Search products').waitFor();
    return returnNo;
  };
  const sale = async (): Promise<SaleLookupResponse> =>
    (await (await fetch(`${hq.url}/api/sales/${receiptNo}`, { headers: { authorization: `Bearer ${hq.adminToken}` } })).json()) as SaleLookupResponse;
  const returnedAtHq = async (): Promise<number> => (await sale()).returns.reduce((s, r) => s + r.lines.reduce((n, l) => n + l.quantity, 0), 0);
  const alerts = async (kind: string): Promise<HqAlert[]> => {
    const res = await fetch(`${hq.url}/api/alerts`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
    return ((await res.json()) as { alerts: HqAlert[] }).alerts.filter((a) => a.kind === kind);
  };

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

  it('a sale in Utrecht is returned in offline Amersfoort through the receipt code; after sync Utrecht and HQ agree on what is left', async () => {
    // The sale: three of one product, by card. Its receipt carries the signed code.
    const a = utrecht.page;
    for (let i = 0; i < 3; i++) {
      await a.locator('body').click();
      await a.keyboard.type(product.barcode);
      await a.keyboard.press('Enter');
    }
    await expect.poll(() => a.getByLabel(`Quantity for ${product.name}`).inputValue()).toBe('3');
    await a.getByRole('button', { name: /Pay card/ }).click();
    await a.getByRole('button', { name: /Card approved/ }).click();
    receiptNo = (await a.getByTestId('receipt-number').innerText()).trim();
    await a.getByTestId('receipt-qr').waitFor({ timeout: 20_000 });
    code = (await a.getByTestId('receipt-code').getAttribute('data-code')) ?? '';
    expect(code).toMatch(/^KR1\./);
    await a.getByRole('button', { name: /New sale/ }).click();

    // Amersfoort has Utrecht's register key (it came with the stores), then loses the network.
    await waitFor('the sale at HQ', async () => (await fetch(`${hq.url}/api/sales/${receiptNo}`, { headers: { authorization: `Bearer ${hq.adminToken}` } })).ok);
    const b = amersfoort.page;
    await amersfoort.context.setOffline(true);
    // A 2-D scanner types the code and Enter; Amersfoort never saw the sale.
    await lookUp(b, code);
    await b.getByTestId('return-source').waitFor();
    expect(await b.getByTestId('return-source').innerText()).toMatch(/receipt’s code|receipt's code/);
    expect(await b.getByTestId('returnable-1').innerText()).toBe('3');
    // The plan follows the card the sale was paid with.
    await b.getByLabel(`Return quantity for ${product.name}`).fill('2');
    await b.getByLabel(`Reason for ${product.name}`).selectOption('defective');
    expect(await b.getByTestId('refund-plan').innerText()).toMatch(/card/i);
    await b.getByRole('button', { name: /Refund and complete return/ }).click();
    const returnNo = (await b.getByTestId('return-number').innerText()).trim();
    expect(returnNo).toMatch(/^RET-1002-01-\d{6}$/);
    expect(await b.getByRole('article', { name: 'Return receipt' }).innerText()).toContain(receiptNo);
    await b.getByRole('button', { name: 'Done' }).click();
    expect(await returnedAtHq()).toBe(0);

    // Back online: the return reaches HQ, and Utrecht's replica pulls it (its goods came back).
    await amersfoort.context.setOffline(false);
    await expect.poll(returnedAtHq, { timeout: 30_000 }).toBe(2);
    await waitFor('the return in Utrecht’s replica', async () => {
      await lookUp(a, receiptNo);
      await a.getByTestId('return-source').waitFor();
      const left = await a.getByTestId('returnable-1').innerText();
      await backToSale(a);
      return left === '1';
    }, 30_000);
    // Offline, from its own replica alone, Utrecht still knows: 1 left — as HQ says.
    await utrecht.context.setOffline(true);
    await lookUp(a, receiptNo);
    await a.getByTestId('return-source').waitFor();
    expect(await a.getByTestId('return-source').innerText()).toMatch(/this register/i);
    expect(await a.getByTestId('returnable-1').innerText()).toBe('1');
    const atHq = await sale();
    expect(atHq.sale.lines[0]!.quantity - (await returnedAtHq())).toBe(1);
    await backToSale(a);
    await utrecht.context.setOffline(false);
  });

  it('Zeist, offline and unaware of Amersfoort’s return, takes back two more: HQ records one double-return exception', async () => {
    const c = zeist.page;
    await zeist.context.setOffline(true);
    await lookUp(c, code);
    await c.getByTestId('return-source').waitFor();
    // Zeist cannot know about the return in Amersfoort; the screen says HQ checks.
    expect(await c.getByTestId('returnable-1').innerText()).toBe('3');
    expect(await c.getByTestId('return-caveat').innerText()).toMatch(/HQ/);
    await returnSome(c, 2);
    await zeist.context.setOffline(false);
    const excess = await waitFor('the double return at HQ', async () => (await alerts('double_return'))[0]);
    expect(excess.body).toMatchObject({ lineNo: 1, sold: 3, returned: 4, excess: 1, excessCents: product.priceCents });
    expect(excess.message).toMatch(/1002|1003/);
    // One exception, however often the registers sync.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await alerts('double_return')).toHaveLength(1);
    expect(await returnedAtHq()).toBe(4);
  });

  it('a return without a receipt needs a manager, refunds at today’s price and is flagged for review', async () => {
    const a = utrecht.page;
    await a.getByRole('button', { name: /^Return/ }).first().click();
    await a.getByRole('button', { name: 'Return without receipt' }).click();
    await a.getByLabel('Find the product').fill(product.barcode);
    await a.getByLabel('Find the product').press('Enter');
    await a.getByLabel(`Return quantity for ${product.name}`).waitFor();
    await a.getByLabel(`Reason for ${product.name}`).selectOption('changed_mind');
    expect(await a.getByTestId('refund-total').innerText()).toContain(formatCents(product.priceCents, 'en-GB'));
    // Without the manager it does not complete.
    expect(await a.getByRole('button', { name: /Refund and complete return/ }).isDisabled()).toBe(true);
    await a.getByRole('button', { name: 'Manager approval' }).click();
    const dialog = a.getByRole('dialog', { name: 'Manager approval' });
    await dialog.waitFor();
    await dialog.getByLabel('Manager id').fill('900');
    await dialog.getByLabel('Manager PIN').fill('1111');
    await dialog.getByLabel('Reason', { exact: true }).fill('Regular customer');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await dialog.getByRole('alert').waitFor();
    await dialog.getByLabel('Manager PIN').fill('9999');
    await dialog.getByRole('button', { name: 'Approve' }).click();
    await a.getByTestId('return-approval').waitFor();
    await a.getByRole('button', { name: /Refund and complete return/ }).click();
    const returnNo = (await a.getByTestId('return-number').innerText()).trim();
    expect(await a.getByRole('article', { name: 'Return receipt' }).innerText()).toMatch(/review/i);
    const review = await waitFor('the review flag at HQ', async () => (await alerts('return_review')).find((x) => x.recordId === returnNo));
    expect(review.storeId).toBe('1001');
    await a.getByRole('button', { name: 'Done' }).click();
  });
  it('says in Dutch what a Dutch register cannot find: a typo, and a receipt HQ does not hold', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await enrolRegister(page, hq, { storeId: '1004', registerId: '01' });
    // Back to the chain's language on the sign-in screen, as a Dutch cashier has it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Language / Taal').selectOption('nl');
    await page.getByLabel('Medewerkersnummer').fill('100');
    await page.getByLabel('Pincode').fill('1234');
    await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
    await page.getByLabel('Producten zoeken').waitFor();

    await page.keyboard.press('F10');
    const field = page.getByLabel('Bon, ordernummer of retourcode');
    const alert = page.getByTestId('return-lookup-error');
    const lookUpDutch = async (typed: string, said: string | RegExp): Promise<void> => {
      await field.fill(typed);
      await field.press('Enter');
      if (typeof said === 'string') await expect.poll(() => alert.innerText()).toBe(said);
      else await expect.poll(() => alert.innerText()).toMatch(said);
    };
    await lookUpDutch('theedoek', '“theedoek” is geen bonnummer, ordernummer of code van een bon.');
    await lookUpDutch('1001-01-000404', /^Bon 1001-01-000404 is niet bekend bij het hoofdkantoor .*: scan de code op de bon\.$/);
  });
});
