import { defineConfig } from '@playwright/test';

// The built app (dist/) is served by the API simulator on a loopback port, exactly as
// `make run` does, with a small deterministic data set of its own.
const port = Number(process.env.E2E_PORT ?? 18080);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      // Debian's Chromium: Playwright must never download a browser of its own.
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // No per-minute request limit: the suite may send hundreds of requests a minute, and the
  // limit has its own tests in the simulator's crate.
  webServer: {
    command:
      `../target/native/voipms-sim --port ${port} --dist ../dist ` +
      `--data-dir ../target/e2e-data --calls 5000 --seed 7 --rate-limit 0`,
    url: `${baseURL}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
