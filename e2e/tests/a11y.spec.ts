import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { api, filters, navigate, search, settled, signIn } from './helpers';

/** WCAG 2.2 A and AA, and the target size of controls (2.5.8). */
async function expectNoViolations(page: Page, state: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'])
    .options({ rules: { 'target-size': { enabled: true } } })
    .analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(found, `axe violations in ${state}`).toEqual([]);
}

for (const width of [1280, 375]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 800 ? 800 : 740 } });

    test('the CDR explorer in each of its states', async ({ page, context }) => {
      await page.goto('/calls');
      await expect(page.getByText(/Enter your API username and password/)).toBeVisible();
      await expectNoViolations(page, 'Calls without credentials');

      await signIn(page);
      await expectNoViolations(page, 'Settings');
      await page.getByLabel('Remember on this device', { exact: true }).check();
      await expectNoViolations(page, 'Settings, remembering');
      await page.getByLabel('Remember on this device', { exact: true }).uncheck();

      await navigate(page, 'Calls');
      await settled(page);
      await expectNoViolations(page, 'Calls with results');

      await page.getByText('Columns', { exact: true }).click();
      await expectNoViolations(page, 'Calls, column chooser open');
      await page.getByText('Columns', { exact: true }).click();

      await page.getByRole('grid', { name: 'Call detail records' }).focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('heading', { name: 'Explain a charge' })).toBeVisible();
      await expectNoViolations(page, 'Calls, a charge explained');
      await page.getByRole('button', { name: 'Close' }).click();

      await page.getByLabel('Quick filter').fill('no call matches this');
      await expect(page.getByText(/None of the .* fetched calls match/)).toBeVisible();
      await expectNoViolations(page, 'Calls, quick filter matching nothing');
      await page.getByLabel('Quick filter').fill('');

      await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'latency=2000@getCDR' });
      await page.getByRole('button', { name: /^Search/ }).click();
      await expect(page.getByRole('progressbar')).toBeVisible();
      await expectNoViolations(page, 'Calls, searching');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByText('Search cancelled.')).toBeVisible();
      await expectNoViolations(page, 'Calls, search cancelled');

      await context.setExtraHTTPHeaders({ 'X-Sim-Fault': 'http502@getCDR' });
      await search(page);
      await expect(page.getByRole('alert')).toBeVisible();
      await expectNoViolations(page, 'Calls, an error');
      await context.setExtraHTTPHeaders({});

      for (const o of ['Answered', 'No answer', 'Busy', 'Failed']) await filters(page).getByLabel(o, { exact: true }).uncheck();
      await page.getByRole('button', { name: /^Search/ }).click();
      await expect(page.getByText('Choose at least one call status')).toBeVisible();
      await expectNoViolations(page, 'Calls, a filter to correct');
    });

    test('reseller calls, rates, termination rates and the other pages', async ({ page, request }) => {
      await signIn(page);
      await navigate(page, 'Reseller calls');
      await expect(page.getByText('Choose a client.')).toHaveCount(0);
      await expectNoViolations(page, 'Reseller calls, no client');
      const clients = await api(request, { method: 'getClients' });
      await filters(page).getByLabel('Client', { exact: true }).selectOption(String(clients.clients[0].client));
      await search(page);
      await expectNoViolations(page, 'Reseller calls with results');

      await navigate(page, 'Rates');
      await expectNoViolations(page, 'Rates, nothing searched');
      await page.getByLabel('Destination or prefix').fill('Canada');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByRole('table')).toBeVisible();
      await page.getByLabel('Dialed number').fill('+1 418 555 0100');
      await expectNoViolations(page, 'Rates with results and a number rated');
      await page.getByLabel('Destination or prefix').fill('zzzz');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByText(/No rates match/)).toBeVisible();
      await expectNoViolations(page, 'Rates, nothing found');

      await navigate(page, 'Termination rates');
      await expectNoViolations(page, 'Termination rates, nothing searched');
      await page.getByLabel('Destination or prefix').fill('Canada');
      await page.getByLabel('Compare Value and Premium').check();
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await expect(page.getByRole('table')).toBeVisible();
      await expectNoViolations(page, 'Termination rates compared');

      await page.goto('/nowhere');
      await expectNoViolations(page, 'Page not found');
    });
  });
}
