import { test, expect, type Page } from '@playwright/test';

// Through nginx (deploy/nginx.conf) with its Content-Security-Policy: the app must boot, reach
// the API simulator through the same-origin proxy, and never trip the CSP or log an error.

// scripts/nginx-test.sh also runs this file against an nginx with HTTP basic auth
// (BASIC_AUTH_FILE), passing NGINX_BASIC_AUTH=user:password: the browser answers the first
// challenge with them and must then send them with the app's own API requests.
const basicAuth = process.env.NGINX_BASIC_AUTH;
if (basicAuth) {
  const colon = basicAuth.indexOf(':');
  test.use({ httpCredentials: { username: basicAuth.slice(0, colon), password: basicAuth.slice(colon + 1) } });
}

/** Collects console errors, uncaught exceptions, CSP violation events and failed requests. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) {
      problems.push(`console.${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  return problems;
}

/** CSP violations as the page saw them (securitypolicyviolation events, including CSSOM ones). */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

/** Waits for the page's heading; if the app never renders, says what went wrong on the way. */
async function expectHeading(page: Page, text: string, problems: string[]) {
  try {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text);
  } catch (e) {
    throw new Error(`no "${text}" heading: did the app boot? Seen on the way: ${problems.join(' | ') || 'nothing'}\n${e}`);
  }
}

test('a deep link boots the app under the CSP', async ({ page }) => {
  const problems = watch(page);
  await recordViolations(page);
  const response = await page.goto('/calls?range=last7');
  const headers = response!.headers();
  expect(headers['content-security-policy']).toContain("'wasm-unsafe-eval'");
  expect(headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
  expect(headers['cache-control']).toBe('no-cache');
  await expectHeading(page, 'Calls', problems);
  expect(await violations(page)).toEqual([]);
  expect(problems).toEqual([]);
});

test('Settings, a CDR search and a rate search through nginx, with no CSP violation', async ({ page }) => {
  const problems = watch(page);
  await recordViolations(page);

  // The credentials live in memory only: from here on, move with the navigation links.
  await page.goto('/settings');
  await expectHeading(page, 'Settings', problems);
  await expect(page.getByLabel('API base URL')).toHaveValue(new URL(page.url()).origin);
  await page.getByLabel('API username').fill('demo@example.com');
  await page.getByLabel('API password').fill('demo-api-password');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Calls', exact: true }).click();
  await expectHeading(page, 'Calls', problems);
  const cdr = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/rest.php') && r.request().method() === 'POST' &&
      (r.request().postData() ?? '').includes('getCDR'),
  );
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const answer = await cdr;
  expect(answer.status()).toBe(200);
  expect(answer.headers()['cache-control']).toBe('no-store');
  expect(answer.request().headers()['content-type']).toMatch(/^multipart\/form-data/);
  await expect(
    page.getByRole('grid', { name: 'Call detail records' }).or(page.getByText('No calls match these filters.')),
  ).toBeVisible();

  await nav.getByRole('link', { name: 'Rates', exact: true }).click();
  await expectHeading(page, 'Rates', problems);
  // The first package is chosen once the packages have loaded (getPackages, through nginx).
  await expect(page.getByLabel('Package')).not.toHaveValue('');
  await page.getByLabel('Destination or prefix').fill('Canada');
  const rates = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/rest.php') && r.request().method() === 'POST' &&
      (r.request().postData() ?? '').includes('getRates'),
  );
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  expect((await rates).status()).toBe(200);
  await expect(
    page.getByRole('table', { name: /^Rates of package/ }).or(page.getByText(/^No rates match/)),
  ).toBeVisible();

  expect(await violations(page)).toEqual([]);
  expect(problems).toEqual([]);
});
