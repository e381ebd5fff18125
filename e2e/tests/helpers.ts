import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const USER = 'demo@example.com';
export const PASSWORD = 'demo-api-password';

/** The filter form of a CDR explorer page. */
export const filters = (page: Page) => page.getByRole('form', { name: 'Call filters' });

/** Enters the demo credentials on the Settings page, as a person would. */
export async function signIn(page: Page, opts: { remember?: boolean; password?: string } = {}) {
  await page.goto('/settings');
  await page.getByLabel('API username', { exact: true }).fill(USER);
  await page.getByLabel('API password', { exact: true }).fill(opts.password ?? PASSWORD);
  if (opts.remember) await page.getByLabel('Remember on this device', { exact: true }).check();
}

/** Goes to a page through the navigation (a reload would forget an in-memory password). */
export async function navigate(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
}

/** Calls the simulator directly, the way the app does (multipart POST). */
export async function api(request: APIRequestContext, fields: Record<string, string>) {
  const res = await request.post('/api/v1/rest.php', {
    multipart: { api_username: USER, api_password: PASSWORD, ...fields },
  });
  expect(res.status()).toBe(200);
  return res.json();
}

/** The CDR filter the form on screen describes, as API fields. */
export async function formFields(page: Page): Promise<Record<string, string>> {
  const checked = async (label: string) => ((await page.getByLabel(label, { exact: true }).isChecked()) ? '1' : '0');
  return {
    date_from: await filters(page).getByLabel('From', { exact: true }).inputValue(),
    date_to: await filters(page).getByLabel('To', { exact: true }).inputValue(),
    timezone: await filters(page).getByLabel('Timezone', { exact: true }).inputValue(),
    answered: await checked('Answered'),
    noanswer: await checked('No answer'),
    busy: await checked('Busy'),
    failed: await checked('Failed'),
    calltype: await filters(page).getByLabel('Call type', { exact: true }).inputValue(),
    callbilling: await filters(page).getByLabel('Call billing', { exact: true }).inputValue(),
    account: await filters(page).getByLabel('Account', { exact: true }).inputValue(),
  };
}

/** Waits until no search is running and its outcome (rows, empty state, error) shows. */
export async function settled(page: Page) {
  await expect(page.getByText(/^Fetching window/)).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator('.counts, .empty, [role=alert]').first()).toBeVisible();
}

/** Clicks Search and waits for the answer of the getCDR request it sends. */
export async function search(page: Page) {
  const answered = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/rest.php') && /getResellerCDR|getCDR/.test(r.request().postData() ?? ''),
  );
  await page.getByRole('button', { name: /^Search/ }).click();
  await answered;
  await settled(page);
}

/** The "N shown / M fetched" counts above the grid. */
export async function counts(page: Page): Promise<{ shown: number; fetched: number }> {
  const text = await page.getByText(/shown \/ [\d,]+ fetched/).textContent();
  const m = /([\d,]+) shown \/ ([\d,]+) fetched/.exec(text ?? '');
  if (!m) throw new Error(`no counts in ${text}`);
  const n = (s: string) => Number(s.replaceAll(',', ''));
  return { shown: n(m[1]), fetched: n(m[2]) };
}

/** A KPI of the summary, by its label. */
export async function kpi(page: Page, label: string): Promise<string> {
  const item = page.getByRole('region', { name: 'Summary of the calls shown' }).locator('.kpi', {
    has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }),
  });
  return ((await item.locator('dd').textContent()) ?? '').trim();
}

/** Sums money strings exactly (units of 1e-8) and formats as the summary does: $1,234.5679. */
export function money(totals: string[]): string {
  let units = 0n;
  for (const t of totals) {
    const neg = t.startsWith('-');
    const [w, f = ''] = t.replace('-', '').split('.');
    const u = BigInt(w || '0') * 100000000n + BigInt((f + '00000000').slice(0, 8));
    units += neg ? -u : u;
  }
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const tenk = (abs + 5000n) / 10000n;
  const whole = (tenk / 10000n).toLocaleString('en-US');
  return `${sign}$${whole}.${(tenk % 10000n).toString().padStart(4, '0')}`;
}

/** Rows of a getCDR-like answer (empty-result statuses count as none). */
export function rows(answer: any): any[] {
  if (answer.status !== 'success') return [];
  return Array.isArray(answer.cdr) ? answer.cdr : [answer.cdr];
}
