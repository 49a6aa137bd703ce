import { type Browser, type Locator, type Page, chromium } from 'playwright-core';

/** Debian's Chromium, driven by Playwright; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** The demo chain's cashier (sync/hq/seed.ts): every store, PIN 1234. */
export const DEMO_CASHIER = { id: '100', pin: '1234' } as const;
/** The demo chain's manager: every store, PIN 9999. */
export const DEMO_MANAGER = { id: '900', pin: '9999' } as const;

/**
 * A manager's approval at the register (a void, a price change): the dialog named `dialogName`
 * gets the manager's id, PIN and `reason`, then Approve; waits until the dialog has closed.
 * `fields` fills the change's own fields first (the new price), by label.
 */
export async function approveAsManager(
  page: Page,
  dialogName: string,
  reason: string,
  opts: { manager?: { id: string; pin: string }; fields?: Record<string, string> } = {},
): Promise<void> {
  const manager = opts.manager ?? DEMO_MANAGER;
  const dialog = page.getByRole('dialog', { name: dialogName });
  await dialog.waitFor();
  for (const [label, value] of Object.entries(opts.fields ?? {})) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByLabel('Manager id', { exact: true }).fill(manager.id);
  await dialog.getByLabel('Manager PIN', { exact: true }).fill(manager.pin);
  await dialog.getByLabel('Reason', { exact: true }).fill(reason);
  await dialog.getByRole('button', { name: 'Approve' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 30_000 });
}

/**
 * The register in English for this page (its default is Dutch): the tests read English words.
 * An init script, so it holds for every later navigation and reload of the page.
 */
export async function inEnglish(page: Page): Promise<void> {
  await page.addInitScript(() => {
    try {
      localStorage.setItem('kassa.language', 'en');
    } catch {
      // An opaque origin (about:blank) has no storage; the register's own page does.
    }
  });
}

/**
 * From wherever a started register stands to the sale screen, as a cashier does it: sign in
 * (operator and PIN) when the sign-in screen shows, open a shift with the proposed float when no
 * shift is open. Returns the search field.
 */
export async function readyToSell(
  page: Page,
  opts: { operator?: { id: string; pin: string }; timeoutMs?: number } = {},
): Promise<Locator> {
  const operator = opts.operator ?? DEMO_CASHIER;
  const search = page.getByLabel('Search products');
  const operatorField = page.getByLabel('Operator number');
  const unlockPin = page.getByRole('button', { name: 'Unlock' });
  const openShift = page.getByRole('button', { name: 'Open shift' });
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    await search.or(operatorField).or(unlockPin).or(openShift).first().waitFor({ timeout: Math.max(1, deadline - Date.now()) });
    if (await search.isVisible()) return search;
    if (await operatorField.isVisible()) {
      await operatorField.fill(operator.id);
      await page.getByLabel('PIN', { exact: true }).fill(operator.pin);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await operatorField.waitFor({ state: 'detached', timeout: 30_000 });
    } else if (await unlockPin.isVisible()) {
      await page.getByLabel('PIN', { exact: true }).fill(operator.pin);
      await unlockPin.click();
      await unlockPin.waitFor({ state: 'detached', timeout: 30_000 });
    } else if (await openShift.isVisible()) {
      await openShift.click();
      await openShift.waitFor({ state: 'detached', timeout: 30_000 });
    }
  }
}

/**
 * A cashier's first start: open HQ's register page, pick the store and register, paste the
 * enrolment token, wait for the first sync, sign in as the demo cashier and open a shift.
 * Returns the search field of the sale screen.
 */
export async function enrolRegister(
  page: Page,
  hq: { url: string; adminToken: string },
  opts: { storeId?: string; registerId?: string; timeoutMs?: number; operator?: { id: string; pin: string } } = {},
): Promise<Locator> {
  await inEnglish(page);
  await page.goto(hq.url);
  if (opts.storeId) await page.getByLabel('Store', { exact: true }).selectOption(opts.storeId);
  if (opts.registerId) await page.getByLabel('Register', { exact: true }).selectOption(opts.registerId);
  await page.getByLabel('Enrolment token').fill(hq.adminToken);
  await page.getByRole('button', { name: 'Enrol register' }).click();
  return readyToSell(page, { timeoutMs: opts.timeoutMs ?? 120_000, ...(opts.operator ? { operator: opts.operator } : {}) });
}

/**
 * A cash sale of one product, as a cashier makes it: its barcode typed into the search field
 * and Enter, *Pay cash*, € 100 received, *Complete sale*. Returns the receipt number shown, and
 * leaves the receipt on screen.
 */
export async function sellForCash(page: Page, search: Locator, product: { barcode: string; name: string }): Promise<string> {
  await search.fill(product.barcode);
  await search.press('Enter');
  await page.getByLabel(`Quantity for ${product.name}`).waitFor();
  await page.getByRole('button', { name: /Pay cash/ }).click();
  await page.getByLabel('Cash received').fill('100');
  await page.getByRole('button', { name: /Complete sale/ }).click();
  return (await page.getByTestId('receipt-number').innerText()).trim();
}
