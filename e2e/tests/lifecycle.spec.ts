import { test, expect, type Page } from '@playwright/test';
import { counts, filters, navigate, search, settled, signIn } from './helpers';

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const isCdr = (postData: string | null) => /getCDR/.test(postData ?? '');

/** Collects console errors and uncaught exceptions of the page, and getCDR traffic. */
function watch(page: Page) {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  const cdr = { started: [] as number[], aborted: 0, finished: 0 };
  page.on('request', (r) => isCdr(r.postData()) && cdr.started.push(Date.now()));
  page.on('requestfailed', (r) => {
    if (isCdr(r.postData()) && /ERR_ABORTED|aborted/i.test(r.failure()?.errorText ?? '')) cdr.aborted++;
  });
  page.on('requestfinished', (r) => isCdr(r.postData()) && cdr.finished++);
  return { errors, cdr };
}

async function noFatalError(page: Page, errors: string[]) {
  await expect(page.getByText(/stopped on an internal error/)).toHaveCount(0);
  expect(errors).toEqual([]);
}

test('a page left while its search runs aborts the search and the app goes on', async ({ page, context }) => {
  const { errors, cdr } = watch(page);
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  const before = await counts(page);
  const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
  // About 400 days: five windows, two at a time, each answered slowly.
  await filters(page).getByLabel('From', { exact: true }).fill(addDays(to, -400));
  await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'latency=1500@getCDR' });
  const startedBefore = cdr.started.length;
  await page.getByRole('button', { name: /^Search/ }).click();
  await expect(page.getByText(/^Fetching window 1 of 5/)).toBeVisible();
  await expect.poll(() => cdr.started.length - startedBefore).toBe(2);

  await navigate(page, 'Settings');
  const left = Date.now();
  await page.setViewportSize({ width: 700, height: 500 });
  // Longer than the answers would have taken: nothing more is sent, both in flight stop.
  await page.waitForTimeout(2500);
  expect(cdr.started.filter((t) => t > left)).toEqual([]);
  expect(cdr.aborted).toBe(2);
  await context.setExtraHTTPHeaders({});

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Calls');
  await settled(page);
  await noFatalError(page, errors);
  // Back returns to the long search, which runs again to its end.
  expect((await counts(page)).fetched).toBeGreaterThanOrEqual(before.fetched);
});

test('typing in the quick filter then leaving does not crash or filter', async ({ page }) => {
  const { errors } = watch(page);
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  await page.getByLabel('Quick filter').pressSequentially('inb', { delay: 20 });
  // Gone before the pause that would apply the filter.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rates', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rates');
  await page.waitForTimeout(500);
  await page.setViewportSize({ width: 600, height: 600 });
  expect(page.url()).not.toContain('q=inb');
  await noFatalError(page, errors);
  await navigate(page, 'Calls');
  await settled(page);
  await expect(page.getByLabel('Quick filter')).toHaveValue('');
  await noFatalError(page, errors);
});

test('sorting and the quick filter keep filter edits not yet searched', async ({ page }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  const busy = filters(page).getByLabel('Busy', { exact: true });
  await busy.uncheck();
  await filters(page).getByLabel('Call billing', { exact: true }).selectOption('billed');

  await page.getByRole('button', { name: /^Total/ }).click();
  await expect(page).toHaveURL(/sort=total/);
  await page.getByLabel('Quick filter').fill('a');
  await expect(page).toHaveURL(/q=a/);
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('group', { name: 'Visible columns' }).getByLabel('Account').uncheck();
  await expect(page).toHaveURL(/cols=/);

  await expect(busy).not.toBeChecked();
  await expect(filters(page).getByLabel('Call billing', { exact: true })).toHaveValue('billed');
  // The edits were not searched: the address still holds every outcome.
  const url = () => decodeURIComponent(page.url());
  expect(url()).not.toContain('disp=');
  await search(page);
  expect(url()).toMatch(/\?range=last7&tz=[^&]+&disp=answered,noanswer,failed&billing=billed&q=a&sort=total/);
});
