// The side-by-side browser benchmark of issue 8: our explorer against plain JS (V8's JSON.parse)
// and AG Grid Community, in Debian's Chromium, at about 10k, 100k and 1M rows, in one run.
// Prints one markdown table (measure | rows | ours | peer | ratio | goal | met); never fails on
// a number. Run through `make bench-browser`, or `cd e2e && node bench/compare.mjs` once
// target/native/voipms-sim and dist/ are built.
//
// Environment: BENCH_SIZES=10k,100k,1M (a subset to go faster), BENCH_PORT (the simulator's;
// the peer page takes the next one), BENCH_DEADLINE_MIN (default 45: everything is stopped and
// the exit status is 2 past it), BENCH_RESULTS=path (also write the table and the machine
// there), CHROMIUM (default /usr/bin/chromium).
//
// Everything is on 127.0.0.1: one simulator at a time (`--calls` chosen so that the main
// account, ~70% of the calls, has about the number of rows wanted over the simulator's 122
// days), and a small node server for the peer page, the AG Grid build and a pass-through of
// the getCDR requests to the simulator.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const here = path.dirname(fileURLToPath(import.meta.url));
const e2e = path.resolve(here, '..');
const root = path.resolve(e2e, '..');

const SIZES = [
  { label: '10k', calls: 14_300 },
  { label: '100k', calls: 143_000 },
  { label: '1M', calls: 1_430_000 },
];
const wanted = (process.env.BENCH_SIZES ?? '10k,100k,1M').split(',').map((s) => s.trim());
const sizes = SIZES.filter((s) => wanted.includes(s.label));
const simPort = Number(process.env.BENCH_PORT ?? 18191);
const pagePort = simPort + 1;
const simBase = `http://127.0.0.1:${simPort}`;
const pageBase = `http://127.0.0.1:${pagePort}`;
const deadlineMin = Number(process.env.BENCH_DEADLINE_MIN ?? 45);
// The simulator generates 122 days of calls ending now; the search covers them all (two
// windows: 92 + 31 days).
const RANGE_DAYS = 122;
const viewport = { width: 1400, height: 900 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();

// --- Everything this script starts, and how it stops ---------------------------------------
let sim = null;
let browser = null;
let server = null;

async function stopSim() {
  const p = sim;
  sim = null;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM');
  await Promise.race([once(p, 'exit'), sleep(5000)]);
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

async function cleanup() {
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
  browser = null;
  if (server) server.close();
  server = null;
  await stopSim();
}

process.on('exit', () => { if (sim && sim.exitCode === null) sim.kill('SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { cleanup().finally(() => process.exit(130)); });
}
const deadline = setTimeout(() => {
  console.error(`compare.mjs: still running after ${deadlineMin} min; stopping everything`);
  cleanup().finally(() => process.exit(2));
}, deadlineMin * 60_000);

async function startSim(calls) {
  const dataDir = path.join(root, 'target/bench-compare', String(calls));
  sim = spawn(path.join(root, 'target/native/voipms-sim'), [
    '--port', String(simPort), '--data-dir', dataDir, '--calls', String(calls),
    '--seed', '3', '--dist', path.join(root, 'dist'), '--quiet', '--rate-limit', '0',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sim.stderr.on('data', (d) => { log += d; });
  const me = sim;
  // Generating 1.43M calls takes a while on a busy machine.
  for (let i = 0; i < 20 * 60 * 5; i++) {
    if (me.exitCode !== null) throw new Error(`simulator exited: ${log}`);
    try { if ((await fetch(simBase + '/')).ok) break; } catch {}
    await sleep(200);
  }
  const generated = /generated .* in ([\d.]+ s)/.exec(log);
  console.error(`simulator: ${calls.toLocaleString('en')} calls${generated ? `, generated in ${generated[1]}` : ', store reused'}`);
}

// --- The peer page: AG Grid's build, and getCDR passed through to the simulator -------------
const agPackage = JSON.parse(fs.readFileSync(path.join(e2e, 'node_modules/ag-grid-community/package.json'), 'utf8'));
const files = {
  '/ag-grid.html': [path.join(here, 'ag-grid.html'), 'text/html; charset=utf-8'],
  '/ag-grid-community.min.js': [path.join(e2e, 'node_modules/ag-grid-community/dist/ag-grid-community.min.js'), 'text/javascript'],
};
server = http.createServer(async (req, res) => {
  try {
    const file = files[req.url];
    if (req.method === 'GET' && file) {
      res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
      res.end(fs.readFileSync(file[0]));
    } else if (req.method === 'POST' && req.url === '/api/v1/rest.php') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const r = await fetch(simBase + req.url, {
        method: 'POST', headers: { 'content-type': req.headers['content-type'] }, body: Buffer.concat(chunks),
      });
      const body = Buffer.from(await r.arrayBuffer());
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  } catch (e) {
    res.writeHead(502);
    res.end(String(e));
  }
});
server.listen(pagePort, '127.0.0.1');
await once(server, 'listening');

// --- In-page helpers --------------------------------------------------------------------------
const INIT = () => {
  // Trunk's loader hands the wasm exports (memory included) to this event.
  addEventListener('TrunkApplicationStarted', (e) => { window.__wasmExports = e.detail?.wasm ?? null; });
  window.__afterPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  // Resolves once the measure `name` exists and the frame after it has been painted.
  window.__waitMeasure = (name) => new Promise((resolve) => {
    const poll = () => {
      const e = performance.getEntriesByName(name, 'measure').at(-1);
      if (e) {
        setTimeout(() => resolve({ end: performance.now(), start: e.startTime, duration: e.duration }), 0);
      } else {
        requestAnimationFrame(poll);
      }
    };
    requestAnimationFrame(poll);
  });
};

// A scripted scroll from top to bottom over 5 s, one step per frame; the deltas between frames.
const scroll = (page, selectors) => page.evaluate(async (sels) => {
  const body = sels.map((s) => document.querySelector(s)).find((e) => e && e.scrollHeight > e.clientHeight + 1);
  if (!body) return null;
  body.scrollTop = 0;
  await window.__afterPaint();
  await window.__afterPaint();
  return new Promise((resolve) => {
    const max = body.scrollHeight - body.clientHeight;
    const deltas = [];
    const start = performance.now();
    let last = start;
    function step(now) {
      deltas.push(now - last); last = now;
      const t = Math.min(1, (now - start) / 5000);
      body.scrollTop = t * max;
      if (t < 1) requestAnimationFrame(step);
      else setTimeout(() => resolve({ deltas: deltas.slice(1), bottom: body.scrollTop >= max - 1 }), 100);
    }
    requestAnimationFrame(step);
  });
}, selectors);

const frameStats = (s) => s && {
  frames: s.deltas.length,
  over167: s.deltas.filter((d) => d > 16.7).length,
  over177: s.deltas.filter((d) => d > 17.7).length,
  longest: Math.max(...s.deltas),
  bottom: s.bottom,
};

async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  await sleep(200);
  return page.evaluate(() => {
    let wasm = null;
    let source = null;
    const exp = window.__wasmExports;
    if (exp?.memory instanceof WebAssembly.Memory) {
      wasm = exp.memory.buffer.byteLength;
      source = 'TrunkApplicationStarted detail.wasm.memory';
    } else {
      const b = window.wasmBindings ?? {};
      const m = Object.values(b).find((v) => v instanceof WebAssembly.Memory);
      if (m) { wasm = m.buffer.byteLength; source = 'wasmBindings'; }
    }
    return {
      heap: performance.memory?.usedJSHeapSize ?? null,
      wasm,
      source,
      bindingsExport0: window.wasmBindings ? typeof window.wasmBindings.__wbindgen_export_0 : 'no wasmBindings',
      bindingsMemory: window.wasmBindings ? typeof window.wasmBindings.memory : 'no wasmBindings',
    };
  });
}

const num = (s) => Number(String(s).replace(/,/g, ''));

// --- Ours ---------------------------------------------------------------------------------
async function runOurs() {
  const ctx = await browser.newContext({ viewport });
  await ctx.addInitScript(INIT);
  const page = await ctx.newPage();
  page.setDefaultTimeout(120_000);
  const cdp = await ctx.newCDPSession(page);
  const measures = (n) => page.evaluate((m) => performance.getEntriesByName(m, 'measure').map((e) => e.duration), n);
  const clear = () => page.evaluate(() => performance.clearMeasures());
  const captured = [];
  let capturing = false;
  page.on('request', (r) => {
    if (capturing && r.method() === 'POST' && r.url().endsWith('/api/v1/rest.php')) captured.push(r);
  });

  await page.goto(simBase + '/settings');
  await page.getByLabel('API username').fill('demo@example.com');
  await page.getByLabel('API password').fill('demo-api-password');
  await page.getByRole('link', { name: 'Calls', exact: true }).click();
  const form = page.getByRole('form', { name: 'Call filters' });
  // Arriving on Calls runs the default search (last 7 days): let it finish first.
  await form.waitFor();
  await sleep(1000);
  await page.getByText(/^Fetching window/).waitFor({ state: 'detached', timeout: 300_000 });
  await sleep(500);
  const to = await form.getByLabel('To', { exact: true }).inputValue();
  const from = new Date(`${to}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - RANGE_DAYS);
  await form.getByLabel('From', { exact: true }).fill(from.toISOString().slice(0, 10));
  await sleep(300);
  await clear();
  capturing = true;
  const t0 = Date.now();
  await form.getByRole('button', { name: /^Search/ }).click();
  await page.waitForFunction(() => performance.getEntriesByName('cdr:first-paint').length > 0, null,
    { timeout: 900_000, polling: 100 });
  const searchMs = Date.now() - t0;
  capturing = false;
  const counts = await page.getByText(/shown \/ [\d,]+ fetched/).textContent();
  const [, shown, fetched] = /([\d,]+) shown \/ ([\d,]+) fetched/.exec(counts);
  const decode = await measures('cdr:decode');
  const firstPaint = (await measures('cdr:first-paint'))[0];

  // The same requests, byte for byte, for the peer.
  const requests = [];
  for (const r of captured) {
    const body = r.postData() ?? '';
    if (!body.includes('getCDR')) continue;
    requests.push({ body, contentType: (await r.allHeaders())['content-type'] });
  }
  const box = await page.getByRole('grid', { name: 'Call detail records' }).boundingBox();
  const mem = await memory(page, cdp);
  await sleep(300);
  const frames = frameStats(await scroll(page, ['[role=grid]']));
  const lastRow = await page.locator('[role=grid]').getAttribute('aria-rowcount');
  const lastRendered = await page.locator(`[aria-rowindex="${lastRow}"]`).count();
  if (frames) frames.bottom = frames.bottom && lastRendered === 1;

  // Sort by Total (the header's first click sorts descending).
  await clear();
  const header = page.getByRole('button', { name: /^Total/ });
  const sort = await header.evaluate((b) => {
    const t0 = performance.now();
    const p = window.__waitMeasure('cdr:sort');
    b.click();
    return p.then((r) => ({ compute: r.duration, painted: r.end - r.start, clickToPaint: r.end - t0 }));
  });
  await page.getByRole('columnheader', { name: /^Total/ }).and(page.locator('[aria-sort=descending]')).waitFor();
  await sleep(500);

  // Quick filter (after its 200 ms pause in typing): from the start of the filter to paint.
  await clear();
  const pending = page.evaluate(() => window.__waitMeasure('cdr:filter').then((r) => ({ compute: r.duration, painted: r.end - r.start })));
  await page.getByLabel('Quick filter').fill('inbound');
  const filter = await pending;
  await page.waitForURL(/q=inbound/);
  await sleep(300);
  const filtered = /([\d,]+) shown/.exec(await page.getByText(/shown \/ [\d,]+ fetched/).textContent())[1];
  await ctx.close();
  return {
    rows: num(fetched), shown: num(shown), windows: decode.length, decode, firstPaint, searchMs,
    requests, box, mem, frames, sort, filter: { ...filter, matched: num(filtered) },
  };
}

// --- The peer: JSON.parse and AG Grid Community --------------------------------------------
async function runPeer(requests, box) {
  const ctx = await browser.newContext({ viewport });
  await ctx.addInitScript(INIT);
  const page = await ctx.newPage();
  page.setDefaultTimeout(120_000);
  const cdp = await ctx.newCDPSession(page);
  await page.goto(pageBase + '/ag-grid.html');
  await page.evaluate(({ w, h }) => window.bench.create(w, h), { w: Math.round(box?.width ?? 0), h: Math.round(box?.height ?? 0) });
  const load = await page.evaluate((reqs) => window.bench.load(reqs), requests);
  if (load.statuses.some((s) => s !== 'success')) throw new Error(`peer fetch: ${load.statuses}`);
  const show = await page.evaluate(() => window.bench.show());
  const mem = await memory(page, cdp);
  await sleep(300);
  const frames = frameStats(await scroll(page, ['.ag-grid-viewport', '.ag-body-viewport', '.ag-body-vertical-scroll-viewport']));
  await sleep(300);
  if (frames) frames.bottom = frames.bottom && await page.evaluate(() => window.bench.lastRowShown());
  const sort = await page.evaluate(() => window.bench.sortByTotal());
  await sleep(500);
  const filter = await page.evaluate(() => window.bench.quickFilter('inbound'));
  await ctx.close();
  return {
    rows: load.rows, bytes: load.bytes, parse: load.perWindow, firstPaint: show.painted, showSync: show.sync,
    mem, frames, sort: { compute: sort.sync, painted: sort.painted },
    filter: { compute: filter.sync, painted: filter.painted, matched: filter.shown },
  };
}

// --- The run ----------------------------------------------------------------------------------
const results = [];
let failed = null;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-precise-memory-info'],
  });
  for (const size of sizes) {
    await startSim(size.calls);
    const ours = await runOurs();
    console.error(`${size.label}: ours done (${ours.rows.toLocaleString('en')} rows, search ${ours.searchMs} ms)`);
    const peer = await runPeer(ours.requests, ours.box);
    console.error(`${size.label}: peer done (${peer.rows.toLocaleString('en')} rows)`);
    results.push({ size, ours, peer });
    await stopSim();
  }
} catch (e) {
  failed = e;
  console.error(`compare.mjs: ${e.stack ?? e}`);
}
const chromiumVersion = browser?.version() ?? '?';
await cleanup();
clearTimeout(deadline);

// --- The table --------------------------------------------------------------------------------
const sum = (a) => a.reduce((x, y) => x + y, 0);
const ms = (v) => (v == null ? '—' : `${v.toFixed(1)} ms`);
const mb = (v) => (v == null ? 'cannot be read' : `${(v / 1048576).toFixed(0)} MB`);
const ratio = (a, b) => (a == null || b == null || b === 0 ? '—' : `${(a / b).toFixed(2)}x`);
const yes = (ok) => (ok == null ? '' : ok ? 'yes' : 'no');
const rowsOf = (r) => (r.ours.rows === r.peer.rows ? r.ours.rows.toLocaleString('en') : `${r.ours.rows.toLocaleString('en')} / ${r.peer.rows.toLocaleString('en')}`);
const lines = [
  '| measure | rows | ours | peer | ratio (ours/peer) | goal (issue 8) | met |',
  '|---|---|---|---|---|---|---|',
];
const add = (m, r, o, p, q, g, ok) => lines.push(`| ${m} | ${r} | ${o} | ${p} | ${q} | ${g} | ${yes(ok)} |`);
for (const r of results) {
  const d = sum(r.ours.decode);
  const j = sum(r.peer.parse);
  const mbytes = (sum(r.peer.bytes) / 1048576).toFixed(0);
  add(`decode, bytes → rows (${r.ours.windows} windows, ${mbytes} MB); peer: TextDecoder + JSON.parse`, rowsOf(r),
    ms(d), ms(j), ratio(d, j), '≤ 0.35x', d / j <= 0.35);
}
for (const r of results) {
  add('data in hand → first grid paint (newest first); peer: AG Grid setGridOption(rowData)', rowsOf(r),
    ms(r.ours.firstPaint), ms(r.peer.firstPaint), ratio(r.ours.firstPaint, r.peer.firstPaint), '≤ 0.5x',
    r.ours.firstPaint / r.peer.firstPaint <= 0.5);
}
for (const r of results) {
  const o = r.ours.frames;
  const p = r.peer.frames;
  const f = (s, k) => (s ? `${s[k]} of ${s.frames}${s.bottom ? '' : ' (last row not reached)'}` : 'no scroller');
  add('5 s scroll top → bottom: frames > 16.7 ms', rowsOf(r), f(o, 'over167'), f(p, 'over167'), '', '0', o ? o.over167 === 0 : false);
  add('5 s scroll: frames > 17.7 ms (1 ms headless jitter)', rowsOf(r), f(o, 'over177'), f(p, 'over177'), '', '0', o ? o.over177 === 0 : false);
  add('5 s scroll: longest frame', rowsOf(r), ms(o?.longest), ms(p?.longest), ratio(o?.longest, p?.longest), '≤ 16.7 ms', o ? o.longest <= 16.7 : false);
}
for (const r of results) {
  add('sort by Total, compute (ours cdr:sort; peer applyColumnState returns)', rowsOf(r),
    ms(r.ours.sort.compute), ms(r.peer.sort.compute), ratio(r.ours.sort.compute, r.peer.sort.compute), '≤ 300 ms', r.ours.sort.compute <= 300);
  add('sort by Total, start → next frame painted', rowsOf(r),
    `${ms(r.ours.sort.painted)} (from the click: ${ms(r.ours.sort.clickToPaint)})`, ms(r.peer.sort.painted), ratio(r.ours.sort.painted, r.peer.sort.painted), '≤ 300 ms', r.ours.sort.painted <= 300);
}
for (const r of results) {
  const m = `ours ${r.ours.filter.matched.toLocaleString('en')}, peer ${r.peer.filter.matched.toLocaleString('en')} match`;
  add(`quick filter "inbound", compute (ours cdr:filter; peer setGridOption returns; ${m})`, rowsOf(r),
    ms(r.ours.filter.compute), ms(r.peer.filter.compute), ratio(r.ours.filter.compute, r.peer.filter.compute), '≤ 50 ms', r.ours.filter.compute <= 50);
  add('quick filter "inbound", start → next frame painted', rowsOf(r),
    ms(r.ours.filter.painted), ms(r.peer.filter.painted), ratio(r.ours.filter.painted, r.peer.filter.painted), '≤ 50 ms', r.ours.filter.painted <= 50);
}
for (const r of results) {
  const oh = r.ours.mem.heap;
  const ow = r.ours.mem.wasm;
  const ph = r.peer.mem.heap;
  add('JS heap used after loading (after a GC)', rowsOf(r), mb(oh), mb(ph), ratio(oh, ph), '', null);
  add('wasm memory after loading (peer: none)', rowsOf(r), mb(ow), '—', '', '', null);
  add('JS heap + wasm memory', rowsOf(r), ow == null ? '—' : mb(oh + ow), mb(ph), ow == null ? '—' : ratio(oh + ow, ph), '', null);
}
const table = lines.join('\n');
const runMin = ((Date.now() - started) / 60000).toFixed(1);
const cpu = (os.cpus()[0]?.model ?? '?').trim();
const memSource = results[0]?.ours.mem.source ?? 'cannot be read';
const header = [
  `Side-by-side browser benchmark (issue 8), ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
  `Machine: ${os.cpus().length} cores, ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB; Chromium ${chromiumVersion} headless` +
    ` (Debian); Node ${process.version}; AG Grid Community ${agPackage.version}; run took ${runMin} min.`,
  `Simulator --seed 3 with --calls ${results.map((r) => r.size.calls.toLocaleString('en')).join(' / ')}, search of the last ${RANGE_DAYS + 1} days.`,
  `Wasm memory read from: ${memSource} (wasmBindings.__wbindgen_export_0: ${results[0]?.ours.mem.bindingsExport0 ?? '?'}, wasmBindings.memory: ${results[0]?.ours.mem.bindingsMemory ?? '?'}).`,
].join('\n');
console.log(`\n${header}\n\n${table}`);
if (failed) console.log(`\nStopped early: ${failed.message ?? failed}`);
if (process.env.BENCH_RESULTS) {
  const notes = [
    'How each figure is taken (bench/compare.mjs):',
    '',
    '- Ours: the User Timing measures the app records (`cdr:decode` summed over the windows, `cdr:first-paint`,',
    '  `cdr:sort`, `cdr:filter`); "start → next frame painted" runs from the start of the measure to a task queued',
    '  from the first animation frame after it (rAF + setTimeout 0), the clock of `cdr:first-paint`.',
    '- Peer decode: the same getCDR requests, byte for byte, fetched in a page (through a loopback pass-through to',
    '  the simulator) with `fetch` + `arrayBuffer`, then `JSON.parse(new TextDecoder().decode(buf))` per window, summed.',
    '- Peer grid: AG Grid Community (browser build, defaults, 10 columns, newest first, money columns compared as',
    '  numbers) at the size of our grid; an empty grid is painted first, then `setGridOption(\'rowData\')`,',
    '  `applyColumnState` (total, descending) and `setGridOption(\'quickFilterText\', \'inbound\')` are timed to the',
    '  frame after paint ("compute" is the time until the call returns).',
    '- Scroll: 5 s from top to bottom, one scrollTop step per animation frame; frame = time between frames.',
    '- Memory: `performance.memory.usedJSHeapSize` (--enable-precise-memory-info) after a forced GC, each side in',
    '  its own browser context; the wasm memory is the size of the module\'s WebAssembly.Memory, which never shrinks',
    '  (a high-water mark, response bodies copied in included).',
  ].join('\n');
  fs.writeFileSync(process.env.BENCH_RESULTS,
    `# ${header.split('\n')[0]}\n\n${header.split('\n').slice(1).map((l) => `${l}  `).join('\n')}\n\n${table}\n\n${notes}\n`);
}
process.exit(failed ? 1 : 0);
