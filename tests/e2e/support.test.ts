import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_MANAGER, enrolRegister, launchChromium, readyToSell, sellForCash } from '../support/browser.ts';
import { type HqProcess, createHqProcess, waitFor } from '../support/hq-process.ts';
import { productInAssortment } from '../support/demo-product.ts';
import { makeSale, pushRows } from '../support/sales.ts';

// IT at the register: the Support screen shows what this register is and how it syncs, and the
// diagnostics export is a JSON file that names the register and holds no secret.

const DEMO_PRODUCTS = 2000;
const STORE = '1001';
const REGISTER = '01';

/** Controls a screen reader (or a test) could not name: no label, aria-label or text. */
async function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button, [role="button"]')]
      .filter((el) => {
        const e = el as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null };
        return !(e.getAttribute('aria-label')?.trim() || e.getAttribute('aria-labelledby') || (e.labels && e.labels.length > 0) || (e.tagName === 'BUTTON' && e.textContent?.trim()));
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** The register token the browser keeps (IndexedDB kassa-config), to check it never leaves in the export. */
async function registerToken(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('kassa-config');
        open.onerror = () => reject(new Error('no config database'));
        open.onsuccess = () => {
          const get = open.result.transaction('config', 'readonly').objectStore('config').get('register');
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result as { registerToken?: string } | undefined)?.registerToken ?? '');
          };
          get.onerror = () => reject(new Error('no config'));
        };
      }),
  );
}

describe('the Support screen', () => {
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

  it('shows the register, its replica and sync state, and exports diagnostics without secrets', async () => {
    const page = await browser.newPage();
    const search = await enrolRegister(page, hq, { storeId: STORE, registerId: REGISTER });
    const token = await registerToken(page);
    expect(token.length).toBeGreaterThan(10);

    // The button is on the sale screen's top bar.
    await page.getByRole('button', { name: 'Support' }).click();
    const screen = page.getByRole('main', { name: 'Support' });
    await screen.waitFor();
    await expect.poll(() => page.getByTestId('support-store').innerText()).toBe(STORE);
    expect(await page.getByTestId('support-register').innerText()).toBe(REGISTER);
    expect(await page.getByTestId('support-hq').innerText()).toBe(hq.url);
    expect(await page.getByTestId('support-platform').innerText()).toBe('Web browser');
    await expect.poll(() => page.getByTestId('support-version').innerText()).toMatch(/^\d+\.\d+\.\d+/);
    await expect.poll(() => page.getByTestId('support-count-products').innerText(), { timeout: 30_000 }).toBe(String(DEMO_PRODUCTS));
    await expect.poll(() => page.getByTestId('support-waiting').innerText(), { timeout: 30_000 }).toBe('0 records waiting');
    expect(await page.getByTestId('support-status').innerText()).toBe('Online');
    expect(await page.getByTestId('support-storage').innerText()).toMatch(/MB/);
    const shown = await screen.innerText();
    expect(shown).not.toContain(token);
    expect(await unnamedControls(page)).toEqual([]);

    // Export: a JSON file named after the register, without the token, the enrolment token or secret fields.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export diagnostics' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kassa-diagnostics-1001-01-\d{8}-\d{4}\.json$/);
    const path = await download.path();
    const text = await readFile(path, 'utf8');
    const bundle = JSON.parse(text) as {
      format: number;
      app: { platform: string; version: string };
      register: { storeId: string; registerId: string; hqUrl: string; tokenPresent: boolean; tokenExpiresAt: string | null };
      replica: { databaseName: string; documents: Record<string, number> };
      sync: { waiting: number; online: boolean };
      receiptKey: { keyId: string } | null;
      problems: unknown[];
    };
    expect(bundle.format).toBe(1);
    expect(bundle.app.platform).toBe('web');
    expect(bundle.register).toMatchObject({ storeId: STORE, registerId: REGISTER, hqUrl: hq.url, tokenPresent: true });
    expect(bundle.register.tokenExpiresAt).toMatch(/^\d{4}-/);
    expect(bundle.replica.databaseName).toBe('kassa-1001-01');
    expect(bundle.replica.documents.products).toBe(DEMO_PRODUCTS);
    expect(bundle.sync.waiting).toBe(0);
    expect(bundle.receiptKey?.keyId).toBeTruthy();
    expect(bundle.problems).toEqual([]);
    expect(text).not.toContain(token);
    expect(text).not.toContain(hq.adminToken);
    for (const key of ['registerToken', 'enrolmentToken', 'privateJwk', 'pinHash', 'pinSalt', '"pin"', 'password', 'authorization']) {
      expect(text, key).not.toContain(key);
    }
    await expect.poll(() => screen.innerText()).toContain(`Saved ${download.suggestedFilename()}`);

    // Esc goes back to the sale, where scanning anywhere still reaches the search field.
    await page.keyboard.press('Escape');
    await search.waitFor();
    expect(await page.getByRole('main', { name: 'Support' }).count()).toBe(0);
    await page.locator('body').click();
    await page.keyboard.type('stroop');
    await expect.poll(() => search.inputValue()).toBe('stroop');

    // And "Back to sale" does the same.
    await page.getByRole('button', { name: 'Support' }).click();
    await screen.waitFor();
    await page.getByRole('button', { name: /Back to sale/ }).click();
    await search.waitFor();
  });

  it('names a sale HQ holds another of in Dutch, on the end of day and on Support', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const search = await enrolRegister(page, hq, { storeId: STORE, registerId: '03', operator: DEMO_MANAGER });
    // After enrolment HQ comes to hold another sale under this register's first number (as from
    // a copy of the register restored elsewhere), pushed with the register's own token.
    const other = makeSale(STORE, '03', 1, { priceCents: 4321 });
    const pushed = await fetch(`${hq.url}/api/replication/sales/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await registerToken(page)}`, 'content-type': 'application/json' },
      body: JSON.stringify(pushRows([other])),
    });
    expect(pushed.status).toBe(200);
    expect(await pushed.json()).toEqual([]);

    const product = productInAssortment(STORE, DEMO_PRODUCTS);
    expect(await sellForCash(page, search, product)).toBe(other.receiptNo);
    await page.getByRole('button', { name: /New sale/ }).click();

    // The store's manager reads the day in Dutch.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Language / Taal').selectOption('nl');
    await page.getByLabel('Medewerkersnummer').fill(DEMO_MANAGER.id);
    await page.getByLabel('Pincode').fill(DEMO_MANAGER.pin);
    await page.getByRole('button', { name: 'Aanmelden', exact: true }).click();
    await page.getByRole('button', { name: 'Dagafsluiting' }).click();
    const said = `${other.receiptNo} (Verkopen, nummer al bezet): Het hoofdkantoor heeft al een andere verkoop met nummer ${other.receiptNo}; deze blijft hier bewaard voor de manager`;
    const checklist = page.getByRole('region', { name: 'Controlelijst' });
    await expect.poll(() => checklist.innerText(), { timeout: 60_000 }).toContain(said);
    expect(await checklist.innerText()).toContain('1 geweigerd door het hoofdkantoor');
    // Made here 1, at HQ 1 (the other body, under the same number), not taken from here 1, unsent 0.
    expect((await page.getByTestId('eod-sales').innerText()).split(/\s+/).filter(Boolean)).toEqual(['✓', 'Verkopen', '1', '1', '1', '0']);
    // HQ's alert about the body it refused, in Dutch too (HQ's own text is English, for IT).
    expect(await checklist.innerText()).toContain(`Tegenstrijdig record — ${other.receiptNo} is nog een keer verstuurd met een andere inhoud; het hoofdkantoor houdt de eerste`);

    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Support' }).click();
    const problems = page.getByRole('table', { name: 'Laatste records die het hoofdkantoor niet heeft geaccepteerd' });
    await expect.poll(() => problems.innerText(), { timeout: 30_000 }).toContain('Verkopen');
    const row = await problems.locator('tbody tr').first().innerText();
    expect(row).toContain('nummer al bezet');
    expect(row).toContain(`Het hoofdkantoor heeft al een andere verkoop met nummer ${other.receiptNo}`);
    expect(row).not.toMatch(/\b(sales|conflict|already|holds)\b/);
  });

  it('builds the catalog image in a worker after the first sync, and the next start loads it', async () => {
    const page = await browser.newPage();
    await enrolRegister(page, hq, { storeId: STORE, registerId: '02' });
    await page.getByRole('button', { name: 'Support' }).click();
    const image = page.getByTestId('support-catalog-image');
    // Built off the main thread by the real worker bundle, from the real IndexedDB replica.
    await expect.poll(() => image.innerText(), { timeout: 60_000, interval: 500 }).toMatch(new RegExp(`: ${DEMO_PRODUCTS.toLocaleString('en-GB')} products, [\\d,]+ stock figures; 0 changes since.*last built in`));
    expect(await image.innerText()).toContain('this start read the replica row by row');
    const before = await page.evaluate(() => performance.getEntriesByName('kassa:catalog-image').length);
    expect(before).toBe(1);

    // A cold start: the image is loaded, the replica is not read row by row, and search answers.
    await page.reload();
    const search = await readyToSell(page);
    await search.fill('stroop');
    await page.locator('.results li button').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Support' }).click();
    await expect.poll(() => image.innerText()).toContain('this start loaded it');
    expect(await image.innerText()).toContain(`${DEMO_PRODUCTS.toLocaleString('en-GB')} products`);
    expect(await image.innerText()).not.toContain('could not be built');
  });

  it('enrols a register HQ withdrew again, and the sale that waited goes out with the new token', async () => {
    const page = await browser.newPage();
    await enrolRegister(page, hq, { storeId: STORE, registerId: '03' });
    // IT withdraws the register's token at HQ (retired by mistake).
    const revoked = await fetch(`${hq.url}/api/registers/${STORE}/03/revoke`, { method: 'POST', headers: { authorization: `Bearer ${hq.adminToken}` } });
    expect(revoked.status).toBe(200);

    // A sale: kept here and waiting; the status line says HQ refuses the register, and where to mend it.
    const product = productInAssortment(STORE, DEMO_PRODUCTS);
    await page.locator('body').click();
    await page.keyboard.type(product.barcode, { delay: 5 });
    await page.keyboard.press('Enter');
    await page.getByLabel(`Quantity for ${product.name}`).waitFor();
    await page.getByRole('button', { name: /Pay cash/ }).click();
    await page.getByLabel('Cash received').fill('100');
    await page.getByRole('button', { name: /Complete sale/ }).click();
    const receiptNo = (await page.getByTestId('receipt-number').innerText()).trim();
    expect(receiptNo).toMatch(/^1001-03-\d{6}$/);
    await page.getByRole('button', { name: /New sale/ }).click();
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 30_000 }).toMatch(/^Not syncing · 1 record waiting · .*HQ refuses this register: its enrolment was withdrawn\. Ask IT to enrol it again \(Support\)/s);

    // Support: enrol again with IT's token, as the same store and register.
    await page.getByRole('button', { name: 'Support' }).click();
    await page.getByText('HQ refuses this register now').waitFor();
    expect(await page.getByText('as store 1001, register 03').count()).toBe(1);
    expect(await unnamedControls(page)).toEqual([]);
    await page.getByLabel('Enrolment token').fill('not-the-token');
    await page.getByRole('button', { name: 'Enrol again' }).click();
    await page.getByText(/^Not enrolled: /).waitFor();
    await page.getByLabel('Enrolment token').fill(hq.adminToken);
    await page.getByRole('button', { name: 'Enrol again' }).click();

    // The register opens again on its replica: online, nothing waiting, the sale at HQ.
    await expect.poll(() => page.getByRole('status').innerText(), { timeout: 60_000 }).toMatch(/^Online · 0 records waiting · last sync \d/);
    await waitFor('the sale that waited, at HQ', async () => {
      const res = await fetch(`${hq.url}/api/stores/${STORE}/sales`, { headers: { authorization: `Bearer ${hq.adminToken}` } });
      const { sales } = (await res.json()) as { sales: { receiptNo: string }[] };
      return sales.some((x) => x.receiptNo === receiptNo);
    });
    await expect.poll(() => page.getByTestId('support-last-error').innerText(), { timeout: 30_000 }).toBe('none');
    expect(await page.getByText('HQ refuses this register now').count()).toBe(0);
    expect(await page.getByTestId('support-register').innerText()).toBe('03');
    await expect.poll(() => page.getByTestId('support-count-sales').innerText()).toBe('1');
  });
});
