import { defineConfig } from '@playwright/test';
import mainConfig from './playwright.config';

// The deployment smoke test (e2e/nginx/): the built app served by a real nginx rendered from
// deploy/nginx.conf, with the simulator as its API upstream. scripts/nginx-test.sh starts both
// and passes the address in NGINX_BASE_URL, so there is no webServer here. Its own folder keeps
// it out of the main suite (playwright.config.ts runs ./tests only).
const baseURL = process.env.NGINX_BASE_URL ?? 'http://127.0.0.1:18443';

export default defineConfig({
  testDir: './nginx',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results/nginx',
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'off',
    // The same Chromium (Debian's) and flags as the main suite.
    launchOptions: mainConfig.use?.launchOptions,
  },
});
