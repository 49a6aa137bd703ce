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

/**
 * A cashier's first start: open HQ's register page, pick the store and register, paste the
 * enrolment token, and wait for the first sync to end on the sale screen. Returns the search field.
 */
export async function enrolRegister(
  page: Page,
  hq: { url: string; adminToken: string },
  opts: { storeId?: string; registerId?: string; timeoutMs?: number } = {},
): Promise<Locator> {
  await page.goto(hq.url);
  if (opts.storeId) await page.getByLabel('Store', { exact: true }).selectOption(opts.storeId);
  if (opts.registerId) await page.getByLabel('Register', { exact: true }).selectOption(opts.registerId);
  await page.getByLabel('Enrolment token').fill(hq.adminToken);
  await page.getByRole('button', { name: 'Enrol register' }).click();
  const search = page.getByLabel('Search products');
  await search.waitFor({ timeout: opts.timeoutMs ?? 120_000 });
  return search;
}
