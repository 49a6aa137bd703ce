import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { roundCash } from '../../src/rounding.ts';
import { DENOMINATIONS_CENTS } from '../../src/shift.ts';
import type { SalesListResponse } from '../../sync/protocol/wire.ts';
import type { ZReportsResponse } from '../../sync/protocol/z-reports.ts';
import { DEMO_CASHIER, DEMO_MANAGER, approveAsManager, launchChromium, sellForCash } from '../support/browser.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { type HqProcess, createHqProcess, waitFor } from '../support/hq-process.ts';

// Store operations at one register, as a cashier and a manager do them: the register starts in
// Dutch and switches to English; operators sign in with their PIN (wrong PINs lock the id out for
// a while); a shift opens with a float, takes a cash sale and a safe drop; the register locks
// itself when left alone and opens again with the PIN, the cart untouched; the shift closes with
// a count per note and coin (short by 10 cents), the Z report shows it, and HQ lists the Z report
// as matching its own records; the manager's end of day refuses to mark the day done while HQ
// is down, and does once everything is confirmed.

const DEMO_PRODUCTS = 300;
const STORE = '1001';

/** Notes and coins making up `cents` (largest first): a count a cashier could make. */
function countFor(cents: number): Map<number, number> {
  const counts = new Map<number, number>();
  let rest = cents;
  for (const d of DENOMINATIONS_CENTS) {
    const n = Math.floor(rest / d);
    if (n > 0) counts.set(d, n);
    rest -= n * d;
  }
  if (rest !== 0) throw new Error(`${cents} cannot be counted in notes and coins`);
  return counts;
}

const euro = (cents: number): string => `€${Math.floor(cents / 100).toLocaleString('en-GB')}.${String(cents % 100).padStart(2, '0')}`;

describe('operators, shifts and the end of day', () => {
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

  const admin = async <T,>(path: string): Promise<T> => {
    const res = await fetch(`${hq.url}${path}`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  const signIn = async (page: Page, who: { id: string; pin: string }): Promise<void> => {
    await page.getByLabel('Operator number').fill(who.id);
    await page.getByLabel('PIN', { exact: true }).fill(who.pin);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  };

  it('signs in, runs a shift from float to a Z report HQ confirms, and closes the day', async () => {
    const product = productInAssortment(STORE, DEMO_PRODUCTS);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    // A clock the test can move: the register locks itself after 5 minutes without a touch.
    await page.clock.install();
    await page.goto(hq.url);

    // 1. Dutch by default: enrolment and sign-in speak Dutch.
    await page.getByLabel('Filiaal', { exact: true }).selectOption(STORE);
    await page.getByLabel('Koppelcode').fill(hq.adminToken);
    await page.getByRole('button', { name: 'Kassa koppelen' }).click();
    await page.getByRole('heading', { name: 'Aanmelden' }).waitFor({ timeout: 120_000 });
    expect(await page.getByLabel('Medewerkersnummer').count()).toBe(1);

    // 2. Switched to English, the words change at once.
    await page.getByLabel('Language / Taal').selectOption('en');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // 3. A wrong PIN is refused; five in a row lock that id out for a while (checked offline, in the replica).
    for (let i = 0; i < 4; i++) {
      await signIn(page, { id: DEMO_MANAGER.id, pin: '0000' });
      await expect.poll(() => page.getByRole('alert').innerText()).toBe('Operator number or PIN is wrong.');
    }
    await signIn(page, { id: DEMO_MANAGER.id, pin: '0000' });
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Too many wrong PINs: try again in 30 s/);
    // Even the right PIN waits out the lock.
    await signIn(page, DEMO_MANAGER);
    await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Too many wrong PINs/);

    // 4. The cashier signs in; no shift is open, so the register asks for the float first.
    await signIn(page, DEMO_CASHIER);
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();
    await page.getByLabel('Starting float').fill('150,00');
    await page.getByRole('button', { name: 'Open shift' }).click();
    const search = page.getByLabel('Search products');
    await search.waitFor();
    expect(await page.getByTestId('operator').innerText()).toContain('(100)');

    // 5. A cash sale.
    const receiptNo = await sellForCash(page, search, product);
    await page.getByRole('button', { name: /New sale/ }).click();
    const cashTaken = roundCash(product.priceCents);

    // 6. The shift (F3): the X report expects float + the sale's cash; a safe drop of € 50 takes it down.
    await search.waitFor();
    await page.keyboard.press('F3');
    await expect.poll(() => page.getByTestId('expected-cash').innerText()).toBe(euro(15000 + cashTaken));
    await page.getByRole('button', { name: 'Cash out' }).click();
    const drop = page.getByRole('dialog', { name: 'Cash out' });
    await drop.getByLabel('Amount').fill('50');
    await drop.getByLabel('Reason').selectOption('safe_drop');
    await drop.getByRole('button', { name: 'Cash out' }).click();
    const expected = 15000 + cashTaken - 5000;
    await expect.poll(() => page.getByTestId('expected-cash').innerText()).toBe(euro(expected));
    expect(await page.getByRole('article', { name: 'X report' }).innerText()).toMatch(/Sales \(1\)/);
    await page.getByRole('button', { name: 'Back to sale' }).click();

    // 7. Left alone with a product in the cart, the register locks itself; the PIN opens it, the cart untouched.
    await search.fill(product.barcode);
    await search.press('Enter');
    await page.getByLabel(`Quantity for ${product.name}`).waitFor();
    await page.clock.fastForward('05:01');
    await page.getByRole('heading', { name: 'Register locked' }).waitFor();
    expect(await page.getByLabel(`Quantity for ${product.name}`).count()).toBe(0);
    await page.getByLabel('PIN', { exact: true }).fill(DEMO_CASHIER.pin);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByLabel(`Quantity for ${product.name}`).waitFor();
    // Taking it off the cart is a void: the manager approves it (the lock of step 3 has run out).
    await page.getByRole('button', { name: `Remove ${product.name}` }).click();
    await approveAsManager(page, `Void: ${product.name}`, 'customer left without it');
    await page.getByLabel(`Quantity for ${product.name}`).waitFor({ state: 'detached' });

    // 8. Close the shift with a count 10 cents short: the difference shows before and on the Z report.
    await page.keyboard.press('F3');
    await page.getByRole('button', { name: 'Close shift', exact: true }).click();
    const close = page.getByRole('dialog', { name: 'Close shift' });
    for (const [d, n] of countFor(expected - 10)) await close.getByLabel(`Count of ${euro(d)}`).fill(String(n));
    await expect.poll(() => close.getByTestId('cash-difference').innerText()).toBe(`-${euro(10)} (short)`);
    await close.getByRole('button', { name: 'Close shift and make Z report' }).click();
    const z = page.getByRole('article', { name: 'Z report' });
    await z.waitFor();
    expect(await z.getByTestId('z-difference').innerText()).toContain(`-${euro(10)}`);
    const shiftNo = (await z.getByTestId('shift-number').innerText()).trim();
    await page.getByRole('button', { name: 'Done' }).click();
    // No shift open now: the next sale needs one.
    await page.getByRole('heading', { name: 'Open a shift' }).waitFor();

    // 9. HQ has the sale with its operator, and the Z report, matching its own records, with the difference flagged.
    const zReport = await waitFor('the Z report at HQ, checked', async () => {
      const list = await admin<ZReportsResponse>(`/api/stores/${STORE}/z-reports`);
      const entry = list.zReports.find((r) => r.shiftNo === shiftNo);
      return entry?.check.status === 'matches' ? entry : null;
    });
    expect(zReport.differenceCents).toBe(-10);
    expect(zReport.expectedCents).toBe(expected);
    expect(zReport.report.sales.count).toBe(1);
    const sale = (await admin<SalesListResponse>(`/api/stores/${STORE}/sales?limit=50`)).sales.find((s) => s.receiptNo === receiptNo);
    expect(sale?.operatorId).toBe(DEMO_CASHIER.id);

    // 10. The manager's end of day with HQ down: the day cannot be marked done, and the screen says why.
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The manager's lock-out (step 3) is over once its 30 s have passed.
    await page.clock.fastForward('00:31');
    await signIn(page, DEMO_MANAGER);
    await page.getByRole('button', { name: 'Open shift' }).click();
    await search.waitFor();
    await hq.kill();
    await page.getByRole('button', { name: 'End of day' }).click();
    const blockers = page.getByTestId('day-blockers');
    await expect.poll(() => blockers.innerText(), { timeout: 60_000 }).toMatch(/HQ cannot be reached/);
    expect(await page.getByRole('button', { name: 'Mark day done' }).isDisabled()).toBe(true);

    // 11. HQ back: everything confirmed, but the manager's own shift is open — close it, then the day is done.
    await hq.start();
    await page.getByRole('button', { name: /Sync and check again/ }).click();
    // Only the open shift stands in the way: HQ confirmed every record.
    await expect.poll(() => blockers.innerText(), { timeout: 60_000 }).toBe('The day cannot be marked done yet: the shift is still open.');
    expect(await page.getByTestId('eod-sales').innerText()).toMatch(/✓/);
    // The cash difference of the closed shift is listed for the manager, with what to do.
    expect(await page.getByRole('region', { name: 'Checklist' }).innerText()).toMatch(/Cash difference/);
    await page.getByRole('button', { name: 'Go to the shift' }).click();
    await page.getByRole('button', { name: 'Close shift', exact: true }).click();
    const close2 = page.getByRole('dialog', { name: 'Close shift' });
    for (const [d, n] of countFor(15000)) await close2.getByLabel(`Count of ${euro(d)}`).fill(String(n));
    await close2.getByRole('button', { name: 'Close shift and make Z report' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Open shift' }).waitFor();
    // The end of day is reachable from here too (top bar), for a manager.
    await page.getByRole('button', { name: 'End of day' }).click();
    await expect.poll(async () => (await blockers.count()) === 0 && (await page.getByRole('button', { name: 'Mark day done' }).isEnabled()), { timeout: 60_000 }).toBe(true);
    await page.getByRole('button', { name: 'Mark day done' }).click();
    await expect.poll(() => page.getByTestId('day-done').innerText()).toMatch(/Day marked done at .* by 900/);
    const both = await admin<ZReportsResponse>(`/api/stores/${STORE}/z-reports`);
    expect(both.zReports.map((r) => r.check.status)).toEqual(['matches', 'matches']);
  });
});
