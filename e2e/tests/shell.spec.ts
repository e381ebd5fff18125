import { test, expect } from '@playwright/test';

const pages = [
  ['Calls', 'Calls'],
  ['Reseller calls', 'Reseller calls'],
  ['Rates', 'Rates'],
  ['Termination rates', 'Termination rates'],
  ['Settings', 'Settings'],
] as const;

test('every page is reachable through the navigation', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link, heading] of pages) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await expect(nav.getByRole('link', { name: link, exact: true })).toHaveAttribute('aria-current', 'page');
  }
  await expect(page.getByRole('contentinfo')).toContainText(/cdr-portal v\d+\.\d+\.\d+/);
  expect(errors).toEqual([]);
});

test('an unknown address says so and links back', async ({ page }) => {
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to Calls' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Calls');
});

async function fillSettings(page, remember: boolean) {
  await page.goto('/settings');
  await expect(page.getByLabel('API base URL')).toHaveValue(new URL(page.url()).origin);
  await page.getByLabel('API username').fill('demo@example.com');
  await page.getByLabel('API password').fill('demo-api-password');
  if (remember) {
    await page.getByLabel('Remember on this device').check();
    await expect(page.getByRole('note')).toContainText('stored unencrypted');
  }
}

test('without Remember the password is forgotten on reload', async ({ page }) => {
  await fillSettings(page, false);
  // Moving between pages keeps it in memory.
  await page.getByRole('link', { name: 'Calls', exact: true }).click();
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  await expect(page.getByLabel('API password')).toHaveValue('demo-api-password');
  await page.reload();
  await expect(page.getByLabel('API password')).toHaveValue('');
  await expect(page.getByLabel('API username')).toHaveValue('');
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  expect(stored).not.toContain('demo-api-password');
});

test('with Remember the password survives a reload until Forget', async ({ page }) => {
  await fillSettings(page, true);
  await page.reload();
  await expect(page.getByLabel('API password')).toHaveValue('demo-api-password');
  await expect(page.getByLabel('API username')).toHaveValue('demo@example.com');
  await expect(page.getByLabel('Remember on this device')).toBeChecked();
  await page.getByRole('button', { name: 'Forget' }).click();
  await expect(page.getByRole('status')).toContainText('removed from this device');
  await page.reload();
  await expect(page.getByLabel('API password')).toHaveValue('');
});

test('the shell is usable on a phone-sized screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.goto('/calls');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link] of pages) {
    await expect(nav.getByRole('link', { name: link, exact: true })).toBeInViewport();
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
