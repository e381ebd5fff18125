import * as fs from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import { api, counts, filters, formFields, kpi, money, navigate, rows, search, settled, signIn } from './helpers';

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Checks that what the page shows equals the simulator's answer to the form's request. */
async function expectSameAsSimulator(page: Page, request: any, extra: Record<string, string> = {}, method = 'getCDR') {
  const answer = await api(request, { method, ...(await formFields(page)), ...extra });
  const expected = rows(answer);
  if (expected.length === 0) {
    await expect(page.getByText('No calls match these filters.')).toBeVisible();
    return expected;
  }
  expect(await counts(page)).toEqual({ shown: expected.length, fetched: expected.length });
  expect(await kpi(page, 'Calls')).toBe(expected.length.toLocaleString('en-US'));
  const answered = expected.filter((r) => r.disposition === 'ANSWERED').length;
  expect(await kpi(page, 'Answered')).toBe(answered.toLocaleString('en-US'));
  expect(await kpi(page, 'Cost')).toBe(money(expected.map((r) => r.total)));
  await expect(page.getByRole('grid', { name: 'Call detail records' })).toHaveAttribute(
    'aria-rowcount',
    String(expected.length + 1),
  );
  return expected;
}

async function allOutcomes(page: Page) {
  for (const o of ['Answered', 'No answer', 'Busy', 'Failed']) await page.getByLabel(o, { exact: true }).check();
}

test('each filter shows the rows and totals the simulator answers', async ({ page, request }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  const seen: number[] = [];

  const cases: [string, () => Promise<void>][] = [
    ['last 7 days, everything', async () => {}],
    ['answered only', async () => {
      for (const o of ['No answer', 'Busy', 'Failed']) await page.getByLabel(o, { exact: true }).uncheck();
    }],
    ['incoming', async () => {
      await allOutcomes(page);
      await filters(page).getByLabel('Call type', { exact: true }).selectOption('incoming');
    }],
    ['outgoing and billed', async () => {
      await filters(page).getByLabel('Call type', { exact: true }).selectOption('outgoing');
      await filters(page).getByLabel('Call billing', { exact: true }).selectOption('billed');
    }],
    ['free calls of one account', async () => {
      await filters(page).getByLabel('Call type', { exact: true }).selectOption('all');
      await filters(page).getByLabel('Call billing', { exact: true }).selectOption('free');
      await filters(page).getByLabel('Account', { exact: true }).selectOption('100000_VoIP');
    }],
    ['timezone +05:30', async () => {
      await filters(page).getByLabel('Call billing', { exact: true }).selectOption('all');
      await filters(page).getByLabel('Account', { exact: true }).selectOption('all');
      await filters(page).getByLabel('Timezone', { exact: true }).selectOption('5.5');
    }],
    ['custom dates', async () => {
      const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
      await filters(page).getByLabel('From', { exact: true }).fill(addDays(to, -40));
      await filters(page).getByLabel('To', { exact: true }).fill(addDays(to, -30));
    }],
  ];
  for (const [name, apply] of cases) {
    await test.step(name, async () => {
      await apply();
      await search(page);
      seen.push((await expectSameAsSimulator(page, request)).length);
    });
  }
  // The cases are not all empty, and the filters really narrow the rows.
  expect(seen[0]).toBeGreaterThan(50);
  expect(seen[1]).toBeLessThan(seen[0]);
});

test('the reseller page shows each client its own calls', async ({ page, request }) => {
  await signIn(page);
  await navigate(page, 'Reseller calls');
  const totals: number[] = [];
  for (const client of ['561115', '561116']) {
    await filters(page).getByLabel('Client', { exact: true }).selectOption(client);
    const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
    await filters(page).getByLabel('From', { exact: true }).fill(addDays(to, -60));
    await search(page);
    const expected = await expectSameAsSimulator(page, request, { client }, 'getResellerCDR');
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(expected.map((r) => r.account.split('_')[0]))).toEqual(new Set([client]));
    totals.push(expected.length);
  }
  expect(page.url()).toContain('client=561116');
});

test('a range over 92 days is fetched in windows with progress', async ({ page, context, request }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
  const from = addDays(to, -150);
  await filters(page).getByLabel('From', { exact: true }).fill(from);
  // Slow answers keep the progress bar on screen long enough to see it.
  await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'latency=700@getCDR' });
  await page.getByRole('button', { name: /^Search/ }).click();
  await expect(page.getByText(/^Fetching window \d of 2/)).toBeVisible();
  await expect(page.getByRole('progressbar')).toBeVisible();
  await settled(page);
  await context.setExtraHTTPHeaders({});

  const fields = await formFields(page);
  expect(fields.date_from).toBe(from);
  const first = rows(await api(request, { method: 'getCDR', ...fields, date_to: addDays(from, 91) }));
  const second = rows(await api(request, { method: 'getCDR', ...fields, date_from: addDays(from, 92) }));
  const expected = first.length + second.length;
  expect(first.length).toBeGreaterThan(0);
  expect(second.length).toBeGreaterThan(0);
  expect(await counts(page)).toEqual({ shown: expected, fetched: expected });
  expect(await kpi(page, 'Cost')).toBe(money([...first, ...second].map((r) => r.total)));
});

test('the CSV holds exactly the rows and columns shown', async ({ page }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  // Narrow the view and drop a column: the export follows what is shown.
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('group', { name: 'Visible columns' }).getByLabel('Unique ID', { exact: true }).uncheck();
  await page.getByLabel('Quick filter', { exact: true }).fill('inbound');
  await expect(page).toHaveURL(/q=inbound/);
  const { shown } = await counts(page);
  expect(shown).toBeGreaterThan(0);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^calls-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.csv$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  const lines = text.split('\r\n').filter((l) => l.length > 0);
  expect(lines[0]).toMatch(/^Date \(UTC[^)]*\),Caller ID,Destination,Description,Account,Disposition,Duration,Rate,Total,Destination type$/);
  expect(lines.length - 1).toBe(shown);
  for (const line of lines.slice(1)) expect(line.toLowerCase()).toContain('inbound');
  // The first data row is the grid's first row, cell for cell.
  const cells = await page.getByRole('row').nth(1).getByRole('gridcell').allTextContents();
  const parsed = parseCsvLine(lines[1]).map((c) => (c.startsWith("'") ? c.slice(1) : c));
  expect(parsed).toEqual(cells.map((c) => c.trim()));
});

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}

test('a reload restores the view from the URL', async ({ page }) => {
  await signIn(page, { remember: true });
  await navigate(page, 'Calls');
  await settled(page);
  await filters(page).getByLabel('Busy', { exact: true }).uncheck();
  await filters(page).getByLabel('Call billing', { exact: true }).selectOption('billed');
  await search(page);
  await page.getByRole('button', { name: /^Total/ }).click();
  await expect(page).toHaveURL(/sort=total\.desc/);
  const url = page.url();
  const before = await counts(page);
  const firstRow = await page.getByRole('row').nth(1).textContent();

  await page.reload();
  await settled(page);
  expect(page.url()).toBe(url);
  await expect(filters(page).getByLabel('Busy', { exact: true })).not.toBeChecked();
  await expect(filters(page).getByLabel('Call billing', { exact: true })).toHaveValue('billed');
  expect(await counts(page)).toEqual(before);
  await expect(page.getByRole('row').nth(1)).toHaveText(firstRow!);
  await expect(page.getByRole('columnheader', { name: /^Total/ })).toHaveAttribute('aria-sort', 'descending');

  // Back goes to the search before the sort.
  await page.goBack();
  await expect(page).not.toHaveURL(/sort=total/);
});

test('errors say what to do and keep the earlier rows', async ({ page, context }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  const before = await counts(page);
  expect(before.fetched).toBeGreaterThan(0);
  const grid = page.getByRole('grid', { name: 'Call detail records' });

  await test.step('a wrong password', async () => {
    await navigate(page, 'Settings');
    await page.getByLabel('API password', { exact: true }).fill('not-the-password');
    await navigate(page, 'Calls');
    await search(page);
    await expect(page.getByRole('alert')).toContainText('did not accept the username or password');
    await expect(grid).toBeVisible();
    expect(await counts(page)).toEqual(before);
    await navigate(page, 'Settings');
    await page.getByLabel('API password', { exact: true }).fill('demo-api-password');
    await navigate(page, 'Calls');
  });

  await test.step('ip_not_enabled', async () => {
    await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'status=ip_not_enabled@getCDR' });
    await search(page);
    await expect(page.getByRole('alert')).toContainText('allow-list');
    expect(await counts(page)).toEqual(before);
  });

  await test.step('an HTTP 502 from a proxy, then Retry', async () => {
    await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'http502@getCDR' });
    await search(page);
    await expect(page.getByRole('alert')).toContainText('HTTP 502');
    expect(await counts(page)).toEqual(before);
    await context.setExtraHTTPHeaders({});
    await page.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await settled(page);
    expect(await counts(page)).toEqual(before);
  });

  await test.step('a truncated body', async () => {
    await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'truncate@getCDR' });
    await search(page);
    await expect(page.getByRole('alert')).toContainText('cut off');
    expect(await counts(page)).toEqual(before);
    await context.setExtraHTTPHeaders({});
  });
});

test('an invalid filter is caught before any request', async ({ page }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  let requests = 0;
  page.on('request', (r) => r.url().endsWith('/api/v1/rest.php') && /getCDR/.test(r.postData() ?? '') && requests++);
  for (const o of ['Answered', 'No answer', 'Busy', 'Failed']) await page.getByLabel(o, { exact: true }).uncheck();
  const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
  await filters(page).getByLabel('From', { exact: true }).fill(addDays(to, 3));
  await page.getByRole('button', { name: /^Search/ }).click();
  await expect(page.getByText('Choose at least one call status')).toBeVisible();
  await expect(filters(page).getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(requests).toBe(0);
});

test('a caller id holding markup is shown as text', async ({ page }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  await page.evaluate(() => ((window as any).__pwned = false));
  const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
  await filters(page).getByLabel('From', { exact: true }).fill(addDays(to, -80));
  await search(page);
  await page.getByLabel('Quick filter', { exact: true }).fill('<script>');
  await expect(page).toHaveURL(/q=%3Cscript%3E/);
  const cell = page.getByRole('gridcell', { name: '"<script>alert(1)</script>" <5145550666>' }).first();
  await expect(cell).toBeVisible();
  expect(await page.locator('.grid script').count()).toBe(0);
});

test('the grid is driven from the keyboard', async ({ page }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  const to = await filters(page).getByLabel('To', { exact: true }).inputValue();
  await filters(page).getByLabel('From', { exact: true }).fill(addDays(to, -80));
  await search(page);
  const grid = page.getByRole('grid', { name: 'Call detail records' });
  const total = Number(await grid.getAttribute('aria-rowcount')) - 1;
  expect(total).toBeGreaterThan(100);
  const cols = Number(await grid.getAttribute('aria-colcount'));
  await grid.focus();
  // The ARIA grid pattern: Ctrl+End is the last cell of the last row.
  await page.keyboard.press('Control+End');
  const last = `cdr-grid-r${total - 1}-c${cols - 1}`;
  await expect(grid).toHaveAttribute('aria-activedescendant', last);
  await expect(page.locator(`#${last}`)).toBeInViewport();
  await expect(page.locator(`#cdr-grid-r${total - 1}`)).toHaveAttribute('aria-rowindex', String(total + 1));
  // Home and End stay in the row; arrows and Page Down move the cell.
  await page.keyboard.press('Home');
  await expect(grid).toHaveAttribute('aria-activedescendant', `cdr-grid-r${total - 1}-c0`);
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('PageDown');
  const active = await grid.getAttribute('aria-activedescendant');
  const [, row, col] = /^cdr-grid-r(\d+)-c(\d+)$/.exec(active!)!;
  expect(Number(row)).toBeGreaterThan(5);
  expect(Number(col)).toBe(1);
  await page.keyboard.press('End');
  await expect(grid).toHaveAttribute('aria-activedescendant', `cdr-grid-r${row}-c${cols - 1}`);
  await expect(page.locator(`#cdr-grid-r${row}-c${cols - 1}`)).toHaveAttribute('aria-colindex', String(cols));
  // Only the rows in view are in the DOM.
  expect(await page.getByRole('row').count()).toBeLessThan(40);
});
