import * as fs from 'node:fs';
import { test, expect, type Locator, type Page } from '@playwright/test';
import { api, filters, navigate, settled, signIn } from './helpers';

// The simulator's deck (crates/voipms-sim/src/gen.rs): package 92364 "Standard" is the first
// getPackages lists; it bills clients in whole minutes over route 1 (Value).
const PACKAGE = '92364';

/** Money text of the API (`0.00520000`) as an exact count of 1e-8 units. */
function units(text: string): bigint {
  const neg = text.trim().startsWith('-');
  const [w, f = ''] = text.trim().replace('-', '').split('.');
  const u = BigInt(w || '0') * 100000000n + BigInt((f + '00000000').slice(0, 8));
  return neg ? -u : u;
}

/** As the app shows rates and costs: `$0.0052`, at least 4 and at most 8 decimals. */
function amount(u: bigint): string {
  const sign = u < 0n ? '-' : '';
  const abs = u < 0n ? -u : u;
  const frac = (abs % 100000000n).toString().padStart(8, '0');
  const keep = Math.max(4, frac.replace(/0+$/, '').length);
  return `${sign}$${(abs / 100000000n).toLocaleString('en-US')}.${frac.slice(0, keep)}`;
}

/** The increment rule: whole increments billed, per-minute rate, rounded to 8 decimals. */
function charge(seconds: number, increment: number, rate: bigint): { billed: number; cost: bigint } {
  const inc = Math.max(1, increment);
  const billed = Math.ceil(seconds / inc) * inc;
  const n = BigInt(billed) * rate;
  return { billed, cost: n >= 0n ? (n + 30n) / 60n : (n - 30n) / 60n };
}

/** Margin percent of the client rate in hundredths, rounded half away from zero. */
function marginPercent(client: bigint, real: bigint): string {
  if (client === 0n) return '—';
  const diff = client - real;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  let q = (abs(diff) * 20000n + abs(client)) / (2n * abs(client));
  if ((diff < 0n) !== (client < 0n) && q !== 0n) q = -q;
  const s = q < 0n ? '-' : '';
  const a = abs(q);
  return `${s}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}%`;
}

function list(answer: any, key: string): any[] {
  if (answer.status !== 'success') return [];
  return Array.isArray(answer[key]) ? answer[key] : [answer[key]];
}

/** Every body row of a table as the texts of its cells (row header first). */
async function tableRows(table: Locator): Promise<string[][]> {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('th, td')).map((c) => (c.textContent ?? '').trim())),
  );
}

const rateForm = (page: Page, name: string) => page.getByRole('form', { name });

async function searchRates(page: Page, query: string) {
  const form = rateForm(page, 'Rate search');
  await expect(form.getByLabel('Package', { exact: true })).toHaveValue(PACKAGE);
  await form.getByLabel('Destination or prefix', { exact: true }).fill(query);
  const answered = page.waitForResponse((r) => /getRates/.test(r.request().postData() ?? ''));
  await form.getByRole('button', { name: 'Search', exact: true }).click();
  await answered;
}

test('a rates search shows the simulator answer, sorts, survives back, and says when nothing matches', async ({
  page,
  request,
}) => {
  await signIn(page);
  await navigate(page, 'Rates');
  await searchRates(page, 'Canada');
  await expect(page).toHaveURL(/\/rates\?package=92364&q=Canada$/);

  const expected = list(await api(request, { method: 'getRates', package: PACKAGE, query: 'Canada' }), 'rates');
  expect(expected.length).toBeGreaterThan(30);
  const table = page.getByRole('table', { name: /^Rates of package 92364 matching “Canada”/ });
  await expect(table.locator('tbody tr')).toHaveCount(expected.length);
  const want = expected.map((r) => {
    const client = units(r.client_rate);
    const real = units(r.real_rate);
    return [
      r.destination,
      r.prefix,
      `${r.client_increment} s`,
      amount(client),
      `${r.real_increment} s`,
      amount(real),
      amount(client - real),
      marginPercent(client, real),
    ];
  });
  await expect.poll(() => tableRows(table)).toEqual(want);

  // Sorting by a header button: aria-sort says how, the rows follow.
  const header = table.getByRole('columnheader', { name: /^Real rate/ });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const byRate = [...want].sort((a, b) => Number(units(a[5].slice(1)) - units(b[5].slice(1))));
  await expect.poll(async () => (await tableRows(table)).map((r) => r[5])).toEqual(byRate.map((r) => r[5]));
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(table.getByRole('columnheader', { name: /^Destination/ })).not.toHaveAttribute('aria-sort');

  // The search lives in the URL: leaving and coming back restores it.
  await navigate(page, 'Calls');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rates');
  await expect(rateForm(page, 'Rate search').getByLabel('Destination or prefix', { exact: true })).toHaveValue('Canada');
  await expect(table.locator('tbody tr')).toHaveCount(expected.length);

  // The CSV holds the same rows with exact amounts.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('rates-92364-canada.csv');
  const csv = fs.readFileSync(await file.path(), 'utf8').split('\r\n');
  expect(csv[0]).toBe(
    'Destination,Prefix,Client increment (s),Client rate,Real increment (s),Real rate,Margin per minute,Margin (% of client rate)',
  );
  expect(csv.length).toBe(expected.length + 2);
  const exact = (u: bigint) => `${u / 100000000n}.${(u % 100000000n).toString().padStart(8, '0')}`;
  expect(csv.slice(1, -1)).toEqual(
    expected.map((r) => {
      const client = units(r.client_rate);
      const real = units(r.real_rate);
      return [
        r.destination,
        r.prefix,
        r.client_increment,
        exact(client),
        r.real_increment,
        exact(real),
        exact(client - real),
        marginPercent(client, real).replace('%', ''),
      ].join(',');
    }),
  );

  // no_rate is an empty result, said as such.
  await searchRates(page, 'Atlantis');
  await expect(page.getByRole('status').filter({ hasText: 'No rates match “Atlantis”.' })).toBeVisible();
});

test('a missing search term is blocked before any request, and a failure keeps the rows with a Retry', async ({
  page,
}) => {
  await signIn(page);
  await navigate(page, 'Rates');
  await searchRates(page, 'Mexico');
  const table = page.getByRole('table', { name: /^Rates of package 92364 matching “Mexico”/ });
  await expect(table.locator('tbody tr')).toHaveCount(4);

  const sent: string[] = [];
  page.on('request', (r) => {
    if (/getRates/.test(r.postData() ?? '')) sent.push(r.url());
  });
  const form = rateForm(page, 'Rate search');
  const query = form.getByLabel('Destination or prefix', { exact: true });
  await query.fill('   ');
  await form.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(query).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByText('Enter a search term, such as Canada.')).toBeVisible();
  expect(sent).toEqual([]);

  // The gateway fails once: the message and Retry show, the earlier rows stay.
  await page.route('**/api/v1/rest.php', (route) =>
    route.continue({ headers: { ...route.request().headers(), 'x-sim-fault': 'http502@getRates' } }),
  );
  await query.fill('Cuba');
  await form.getByRole('button', { name: 'Search', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('HTTP 502');
  await expect(alert).toContainText('previous search are still shown');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await page.unroute('**/api/v1/rest.php');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('table', { name: /matching “Cuba”: 1 rate$/ })).toBeVisible();
});

test('termination rates of one route, then Value and Premium side by side, equal the simulator answers', async ({
  page,
  request,
}) => {
  await signIn(page);
  await navigate(page, 'Termination rates');
  const form = rateForm(page, 'Termination rate search');
  await expect(form.getByLabel('Route', { exact: true })).toHaveValue('1');
  await form.getByLabel('Destination or prefix', { exact: true }).fill('Mexico');
  await form.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/\/termination-rates\?route=1&q=Mexico$/);

  const value = list(await api(request, { method: 'getTerminationRates', route: '1', query: 'Mexico' }), 'rates');
  const premium = list(await api(request, { method: 'getTerminationRates', route: '2', query: 'Mexico' }), 'rates');
  expect(value.length).toBe(4);
  const single = page.getByRole('table', { name: /^Termination rates of route Value matching “Mexico”/ });
  await expect.poll(() => tableRows(single)).toEqual(
    value.map((r) => [r.destination, r.prefix, `${r.increment} s`, amount(units(r.rate))]),
  );

  await form.getByLabel('Compare Value and Premium', { exact: true }).check();
  await expect(form.getByLabel('Route', { exact: true })).toBeDisabled();
  await form.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/\/termination-rates\?q=Mexico&compare=1$/);
  const compared = page.getByRole('table', { name: /^Value and Premium routes matching “Mexico”/ });
  const want = value.map((v) => {
    const p = premium.find((x) => x.prefix === v.prefix);
    return [
      v.destination,
      v.prefix,
      `${v.increment} s`,
      amount(units(v.rate)),
      `${p.increment} s`,
      amount(units(p.rate)),
      amount(units(p.rate) - units(v.rate)),
    ];
  });
  await expect.poll(() => tableRows(compared)).toEqual(want);
  await expect(compared.getByRole('columnheader', { name: 'Difference (Premium − Value)' })).toBeVisible();
});

test('rate a number: the longest prefix, the increment rule, and inline errors', async ({ page, request }) => {
  await signIn(page);
  await navigate(page, 'Rates');
  const number = page.getByLabel('Dialed number', { exact: true });
  const length = page.getByLabel('Call length (seconds)', { exact: true });
  await expect(page.getByText('Search rates first')).toBeVisible();

  // A Canada number at 27 s: the client pays whole minutes, the reseller 6 s increments.
  await searchRates(page, 'Canada');
  const canada = list(await api(request, { method: 'getRates', package: PACKAGE, query: 'Canada' }), 'rates');
  const quebec = canada.find((r) => r.prefix === '1418');
  await number.fill('+1 (418) 555-0100');
  await length.fill('27');
  const quote = page.getByRole('table', { name: 'Cost of a 27 s call' });
  const line = (label: string, inc: string, rate: string) => {
    const { billed, cost } = charge(27, Number(inc), units(rate));
    return [label, quebec.destination, '1418', amount(units(rate)), `${inc} s`, `${billed} s`, amount(cost)];
  };
  await expect.poll(() => tableRows(quote)).toEqual([
    line('Client', quebec.client_increment, quebec.client_rate),
    line('Real', quebec.real_increment, quebec.real_rate),
  ]);
  expect((await tableRows(quote))[1][5]).toBe('30 s');
  await expect(page.getByRole('status').filter({ hasText: '14185550100 matches Canada - 418 Quebec City' })).toBeVisible();

  // A zero-length call costs nothing.
  await length.fill('0');
  await expect(page.getByRole('table', { name: 'Cost of a 0 s call' }).locator('tbody tr').first()).toContainText('$0.0000');

  // Letters are refused beside the field.
  await number.fill('418-555-CALL');
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('“C” cannot be part of a phone number')).toBeVisible();
  await length.fill('ten');
  await expect(length).toHaveAttribute('aria-invalid', 'true');

  // Mexico City bills 60 s increments on both sides: 61 s is two minutes.
  await searchRates(page, 'Mexico');
  const mexico = list(await api(request, { method: 'getRates', package: PACKAGE, query: 'Mexico' }), 'rates');
  const city = mexico.find((r) => r.prefix === '5255');
  await number.fill('011 52 55 1234 5678');
  await length.fill('61');
  const cost61 = page.getByRole('table', { name: 'Cost of a 61 s call' });
  await expect(cost61.locator('tbody tr')).toHaveCount(2);
  const rows = await tableRows(cost61);
  expect(rows[0].slice(0, 3)).toEqual(['Client', 'Mexico - Mexico City', '5255']);
  expect(rows[0][5]).toBe('120 s');
  expect(rows[0][6]).toBe(amount(charge(61, Number(city.client_increment), units(city.client_rate)).cost));
  expect(rows[1][6]).toBe(amount(charge(61, Number(city.real_increment), units(city.real_rate)).cost));

  // A number none of the rates shown covers.
  await number.fill('+44 20 7946 0000');
  await expect(page.getByText('No rate among the 4 shown matches 442079460000.')).toBeVisible();

  // The same on the Termination rates page, against the route's own increments.
  await navigate(page, 'Termination rates');
  const form = rateForm(page, 'Termination rate search');
  await expect(form.getByLabel('Route', { exact: true })).toHaveValue('1');
  await form.getByLabel('Destination or prefix', { exact: true }).fill('52');
  await form.getByRole('button', { name: 'Search', exact: true }).click();
  const value = list(await api(request, { method: 'getTerminationRates', route: '1', query: '52' }), 'rates');
  const mx = value.find((r) => r.prefix === '5255');
  await page.getByLabel('Dialed number', { exact: true }).fill('+52 55 1234 5678');
  await page.getByLabel('Call length (seconds)', { exact: true }).fill('61');
  const { billed, cost } = charge(61, Number(mx.increment), units(mx.rate));
  await expect.poll(() => tableRows(page.getByRole('table', { name: 'Cost of a 61 s call' }))).toEqual([
    ['Value', 'Mexico - Mexico City', '5255', amount(units(mx.rate)), '60 s', `${billed} s`, amount(cost)],
  ]);
});

test('explain a charge: a billed call recomputes to the total the API returned', async ({ page }) => {
  await signIn(page);
  await navigate(page, 'Calls');
  await settled(page);
  const form = filters(page);
  // Outbound Mexico calls (60 s increments), over the whole generated range.
  const to = await form.getByLabel('To', { exact: true }).inputValue();
  const from = new Date(`${to}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 120);
  await form.getByLabel('From', { exact: true }).fill(from.toISOString().slice(0, 10));
  await form.getByLabel('Call billing', { exact: true }).selectOption('billed');
  await form.getByRole('button', { name: /^Search/ }).click();
  await settled(page);
  await page.getByLabel('Quick filter', { exact: true }).fill('01152');

  const grid = page.getByRole('grid', { name: 'Call detail records' });
  await expect(grid.getByRole('row').nth(1)).toContainText('01152');
  await grid.getByRole('row').nth(1).dblclick();

  const panel = page.getByRole('region', { name: 'Explain a charge' });
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(' to 01152');
  await expect(panel.getByLabel('Package for the rate lookup', { exact: true })).toHaveValue(PACKAGE);
  const fact = (term: string) => panel.locator('dt', { hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd[1]');
  await expect(fact('Increment')).toHaveText('60 s');
  const total = await fact('Total from the API').textContent();
  await expect(fact('Recomputed total')).toHaveText(total ?? '');
  await expect(fact('Difference')).toHaveText('$0.0000');
  await expect(panel.locator('.verdict')).toHaveText('The recomputed total equals the API\'s total.');
  await expect(panel).toContainText('the longest prefix that matches the number');

  // Another call, with Enter from the grid: an inbound or Canadian one, 6 s increments.
  await page.getByLabel('Quick filter', { exact: true }).fill('');
  await grid.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await expect(panel.locator('.verdict')).toHaveText(/^The recomputed total equals the API's total/);
  await expect(fact('Recomputed total')).toHaveText((await fact('Total from the API').textContent()) ?? '');

  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toBeHidden();
  await expect(grid).toBeFocused();
});
