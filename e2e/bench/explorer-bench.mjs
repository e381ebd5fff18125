// Measures the CDR explorer in Debian's Chromium against `voipms-sim --calls 1000000`:
// decode, first paint, sort, quick filter, scroll frames and memory. Prints figures; never
// fails on a number. Run through `make bench-browser` (it builds the app and the simulator).
import { spawn } from 'node:child_process';
import { chromium } from '@playwright/test';

const port = Number(process.env.BENCH_PORT ?? 18181);
// The main account makes about 70% of the calls: 1.43M calls give about a million rows.
const calls = Number(process.env.BENCH_CALLS ?? 1_430_000);
const base = `http://127.0.0.1:${port}`;

const sim = spawn('../target/native/voipms-sim', [
  '--port', String(port), '--data-dir', '../target/bench-data', '--calls', String(calls),
  '--seed', '3', '--dist', '../dist', '--quiet', '--rate-limit', '0',
], { stdio: ['ignore', 'ignore', 'inherit'] });
const stop = () => sim.kill();
process.on('exit', stop);

async function waitUp() {
  for (let i = 0; i < 600; i++) {
    try { if ((await fetch(base + '/')).ok) return; } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('simulator did not start');
}
await waitUp();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-precise-memory-info'],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const measures = (name) => page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
const clear = () => page.evaluate(() => performance.clearMeasures());

await page.goto(base + '/settings');
await page.getByLabel('API username').fill('demo@example.com');
await page.getByLabel('API password').fill('demo-api-password');
await page.getByRole('link', { name: 'Calls', exact: true }).click();
// Opening Calls searches the last 7 days: let that finish before the measured search.
await page.locator('.counts, .empty, [role=alert]').first().waitFor({ timeout: 120_000 });
const form = page.getByRole('form', { name: 'Call filters' });
const to = await form.getByLabel('To', { exact: true }).inputValue();
const from = new Date(`${to}T00:00:00Z`); from.setUTCDate(from.getUTCDate() - 364);
await form.getByLabel('From', { exact: true }).fill(from.toISOString().slice(0, 10));
await page.waitForTimeout(500);
await clear();
const t0 = Date.now();
await form.getByRole('button', { name: /^Search/ }).click();
await page.waitForFunction(() => performance.getEntriesByName('cdr:decode').length > 0, null, { timeout: 600_000 });
await page.getByText(/^Fetching window/).waitFor({ state: 'detached', timeout: 600_000 });
await page.waitForFunction(() => performance.getEntriesByName('cdr:first-paint').length > 0, null, { timeout: 60_000 });
const searchMs = Date.now() - t0;
const counts = await page.getByText(/shown \/ [\d,]+ fetched/).textContent();
const decode = await measures('cdr:decode');
const paint = await measures('cdr:first-paint');
const firstSort = await measures('cdr:sort');
const summary = await measures('cdr:summary');

await clear();
await page.getByRole('button', { name: /^Total/ }).click();
await page.getByRole('columnheader', { name: /^Total/ }).and(page.locator('[aria-sort=descending]')).waitFor();
await page.waitForTimeout(300);
const sort = await measures('cdr:sort');

await clear();
await page.getByLabel('Quick filter').fill('inbound');
await page.waitForURL(/q=inbound/);
await page.waitForTimeout(500);
const filter = await measures('cdr:filter');
const shownFiltered = await page.getByText(/shown \/ [\d,]+ fetched/).textContent();
await page.getByLabel('Quick filter').fill('');
await page.waitForURL((u) => !u.search.includes('q='));
await page.waitForTimeout(500);

// A scripted scroll from top to bottom over 5 s, one step per frame.
const frames = await page.evaluate(() => new Promise((resolve) => {
  const body = document.querySelector('[role=grid]');
  const max = body.scrollHeight - body.clientHeight;
  const deltas = [];
  const start = performance.now();
  let last = start;
  function step(now) {
    deltas.push(now - last); last = now;
    const t = Math.min(1, (now - start) / 5000);
    body.scrollTop = t * max;
    if (t < 1) requestAnimationFrame(step); else resolve({ deltas: deltas.slice(1), bottom: body.scrollTop >= max - 1 });
  }
  requestAnimationFrame(step);
}));
const lastRow = await page.locator('[role=grid]').getAttribute('aria-rowcount');
const lastRendered = await page.locator(`[aria-rowindex="${lastRow}"]`).count();
const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0);
const cdp = await page.context().newCDPSession(page);
const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }))).metrics?.map((m) => [m.name, m.value]) ?? []);

const sum = (a) => a.reduce((x, y) => x + y, 0);
const fmt = (ms) => `${ms.toFixed(1)} ms`;
// A 60 Hz display paints every 16.7 ms; headless frames jitter by a fraction of a
// millisecond, so a frame counts as long only past 16.7 ms plus 1 ms.
const over = frames.deltas.filter((d) => d > 17.7).length;
console.log(`\nCDR explorer in Chromium, ${counts} (${calls.toLocaleString()} calls in the simulator)`);
console.log('| measure | figure | goal |');
console.log('|---|---|---|');
console.log(`| search, click to rows on screen | ${fmt(searchMs)} | |`);
console.log(`| decode from bytes, ${decode.length} windows | ${decode.map(fmt).join(' + ')} = ${fmt(sum(decode))} | |`);
console.log(`| data in hand to first paint (incl. default sort) | ${paint.map(fmt).join(', ')} | ≤ 100 ms |`);
console.log(`| default sort on arrival | ${firstSort.map(fmt).join(', ')} | |`);
console.log(`| summary on arrival | ${summary.map(fmt).join(', ')} | |`);
console.log(`| sort by Total | ${sort.map(fmt).join(', ')} | ≤ 300 ms |`);
console.log(`| quick filter "inbound" (${shownFiltered}) | ${filter.map(fmt).join(', ')} | ≤ 50 ms |`);
console.log(`| 5 s scroll top to bottom: frames, longer than 17.7 ms, longest | ${frames.deltas.length}, ${over}, ${fmt(Math.max(...frames.deltas))} | 0 over |`);
console.log(`| reached the last row | ${frames.bottom && lastRendered === 1} | |`);
console.log(`| JS heap used | ${(heap / 1048576).toFixed(0)} MB | |`);
if (metrics.JSHeapTotalSize) console.log(`| JS heap total (CDP) | ${(metrics.JSHeapTotalSize / 1048576).toFixed(0)} MB | |`);
await browser.close();
stop();
