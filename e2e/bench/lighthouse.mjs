// What a visitor feels, measured with Lighthouse (issue 15): the Calls page showing results and
// the Rates page showing a rates search, each with Lighthouse's desktop preset and its default
// mobile preset (Lighthouse's own simulated throttling), as a first visit (empty HTTP cache)
// and as a repeat visit (the HTTP cache of the first kept). Served the way production serves
// it: a real nginx rendered from deploy/ (brotli and gzip copies, Cache-Control, CSP, the API
// guard) in front of the simulator, plain http on loopback (scripts/nginx-serve.sh).
//
// Prints one table (page × preset × visit → performance score, LCP, TBT, CLS, FCP, Speed
// Index, bytes transferred, the targets missed), then what limits each row: the LCP element
// and its phases, the longest main-thread tasks and what they ran, render-blocking requests,
// layout shifts and the bytes of each request. Writes the same to e2e/bench/LIGHTHOUSE.md, and
// Lighthouse's own HTML flow reports to target/lighthouse/. Never fails on a figure; exits
// non-zero only when a page did not show its results (then its figures measure nothing) or
// when no run of a row gave a valid report.
//
// Run through `make bench-lighthouse`, or `cd e2e && node bench/lighthouse.mjs` once dist/ and
// target/native/voipms-sim are built (about 4 min on two cores). Environment: LH_RUNS (5: each
// audit runs that many times and the run of the median score is shown, the mobile figures
// swing with the machine's load), LH_PORT (18470;
// the simulator gets the next port), LH_PRESETS (desktop,mobile), LH_PAGES (calls,rates),
// LH_RESULTS (e2e/bench/LIGHTHOUSE.md; "-" for none), LH_REPORTS (target/lighthouse),
// CHROMIUM (/usr/bin/chromium).
//
// The credentials are typed into Settings with "Remember on this device" ticked, as a user
// does, so that they are in localStorage. A first visit then resets the origin's storage the
// Lighthouse way (HTTP cache, Cache Storage, service workers, ...) but not localStorage (not in
// clearStorageTypes), so that the audited load finds the credentials and searches; a repeat
// visit resets nothing (disableStorageReset).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { startFlow, desktopConfig } from 'lighthouse';
import { computeMedianRun } from 'lighthouse/core/lib/median-run.js';
import { TraceProcessor } from 'lighthouse/core/lib/tracehouse/trace-processor.js';
import { MainThreadTasks } from 'lighthouse/core/lib/tracehouse/main-thread-tasks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const e2e = path.resolve(here, '..');
const root = path.resolve(e2e, '..');

const RUNS = Math.max(1, Number(process.env.LH_RUNS ?? 5));
const port = Number(process.env.LH_PORT ?? 18470);
const base = `http://127.0.0.1:${port}`;
const presets = (process.env.LH_PRESETS ?? 'desktop,mobile').split(',').map((s) => s.trim());
const pageNames = (process.env.LH_PAGES ?? 'calls,rates').split(',').map((s) => s.trim());
const resultsFile = process.env.LH_RESULTS ?? path.join(here, 'LIGHTHOUSE.md');
const reportsDir = path.resolve(process.env.LH_REPORTS ?? path.join(root, 'target/lighthouse'));
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const USER = 'demo@example.com';
const PASSWORD = 'demo-api-password';
const SIM_ARGS = ['--calls', '20000', '--seed', '7', '--rate-limit', '0'];
const started = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Lighthouse's configs, performance only (the other categories do not change these figures).
// Mobile is Lighthouse's default: a Moto G Power screen, slow 4G (150 ms RTT, 1.6 Mbps) and a
// 4x CPU slowdown, simulated. Desktop: 1350x940, 40 ms RTT, 10 Mbps, no CPU slowdown.
const CONFIGS = {
  desktop: { ...desktopConfig, settings: { ...desktopConfig.settings, onlyCategories: ['performance'] } },
  mobile: { extends: 'lighthouse:default', settings: { onlyCategories: ['performance'] } },
};
// The targets of issue 15.
const TARGETS = {
  desktop: { score: 100, lcp: 1000, tbt: 50 },
  mobile: { score: 95, lcp: 2000, tbt: 150 },
};
// Lighthouse's default clearStorageTypes, spelled out: localStorage is not among them, and it
// holds the remembered credentials.
const CLEAR_STORAGE_TYPES = ['file_systems', 'shader_cache', 'service_workers', 'cache_storage'];
const VISITS = {
  first: { name: 'first visit', disableStorageReset: false, clearStorageTypes: CLEAR_STORAGE_TYPES, skipAboutBlank: false },
  repeat: { name: 'repeat visit', disableStorageReset: true, skipAboutBlank: false },
};

// --- what this script starts, and how it stops ---------------------------------------------
let server = null;
let browser = null;
let userDataDir = null;

async function stopBrowser() {
  const b = browser;
  browser = null;
  if (b) await Promise.race([b.close().catch(() => {}), sleep(10_000)]);
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  userDataDir = null;
}
async function stopServer() {
  const p = server;
  server = null;
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  p.kill('SIGTERM'); // nginx-serve.sh stops nginx and the simulator, and removes its files
  await Promise.race([once(p, 'exit'), sleep(15_000)]);
}
async function stopAll() {
  await stopBrowser();
  await stopServer();
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => { stopAll().finally(() => process.exit(130)); });
}
// Whatever way this process ends, the server script gets its TERM (it cleans up by itself).
process.on('exit', () => { server?.kill('SIGTERM'); });

async function startServer() {
  server = spawn(path.join(root, 'scripts/nginx-serve.sh'), SIM_ARGS, {
    cwd: root,
    env: { ...process.env, SERVE_PORT: String(port), SERVE_SIM_PORT: String(port + 1) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: server.stdout });
  const ready = new Promise((resolve, reject) => {
    lines.on('line', (l) => { if (l.includes('serving http')) resolve(l); });
    server.on('exit', (code) => reject(new Error(`scripts/nginx-serve.sh exited (${code}) before serving`)));
  });
  const line = await Promise.race([ready, sleep(180_000).then(() => { throw new Error('nginx-serve.sh did not start within 180 s'); })]);
  console.log(line);
}

async function launchBrowser() {
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdr-lighthouse-chromium-'));
  // Debian's Chromium with the flags of the other benchmarks; nothing downloads a browser.
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: false, // --headless is in args, as the other benchmarks pass it
    defaultViewport: null, // Lighthouse emulates the screen of its preset
    // Our own handlers stop the browser, then the server (puppeteer's would exit at once).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${userDataDir}`],
  });
  return browser;
}

/**
 * Lighthouse 12.2.3's trace engine reads each PipelineReporter begin event's
 * args.chrome_frame_reporter.frame_sequence (to date the screenshots), and Chromium 156 writes
 * that object as args.frame_reporter: the engine throws, and with it the RootCauses and
 * TraceElements gatherers, which name the LCP element and the layout shifts' elements. The
 * figures do not depend on it (Speed Index has its own screenshot code). So the trace chunks
 * get the old name too as they arrive, in the one place every CDP event of puppeteer passes
 * through (the session's emit), for this process only; nothing under node_modules changes.
 */
async function shimFrameReporterEvents(page) {
  const session = await page.createCDPSession();
  const proto = Object.getPrototypeOf(session);
  if (!proto.cdrPortalFrameReporterShim) {
    const emit = proto.emit;
    proto.emit = function (type, event) {
      if (type === 'Tracing.dataCollected') {
        for (const e of event?.value ?? []) {
          if (e.name === 'PipelineReporter' && e.ph === 'b' && e.args && !e.args.chrome_frame_reporter) {
            e.args.chrome_frame_reporter = e.args.frame_reporter ?? {};
          }
        }
      }
      return emit.call(this, type, event);
    };
    proto.cdrPortalFrameReporterShim = true;
  }
  await session.detach();
}

/** Types the credentials into Settings, ticks "Remember on this device", waits until stored. */
async function rememberCredentials(page) {
  await page.goto(`${base}/settings`, { waitUntil: 'load' });
  await page.locator('::-p-aria(API username)').fill(USER);
  await page.locator('::-p-aria(API password)').fill(PASSWORD);
  await page.locator('::-p-aria(Remember on this device)').click();
  await page.waitForFunction(
    (p) => localStorage.getItem('cdr-portal.password') === p, { timeout: 10_000 }, PASSWORD);
}

/**
 * The longest main-thread tasks of a trace as they ran here (unthrottled), each with what ran
 * inside it (self time by trace event, as DevTools' performance panel names them) and the app's
 * User Timing measures (src/perf.rs: cdr:decode, cdr:sort, cdr:first-paint, ...) that began in
 * it. Lighthouse's long-tasks audit gives the simulated durations but not their content.
 */
function observedTasks(trace) {
  try {
    const p = TraceProcessor.processTrace(trace);
    const tasks = MainThreadTasks.getMainThreadTasks(p.mainThreadEvents, p.frames,
      p.timestamps.traceEnd, p.timestamps.timeOrigin);
    const measures = p.processEvents
      .filter((e) => e.cat.includes('blink.user_timing') && e.ph === 'b')
      .map((e) => ({ name: e.name, at: (e.ts - p.timestamps.timeOrigin) / 1000 }));
    return tasks.filter((t) => !t.parent).sort((a, b) => b.duration - a.duration).slice(0, 3).map((t) => {
      const self = new Map();
      const walk = (n) => {
        self.set(n.event.name, (self.get(n.event.name) ?? 0) + n.selfTime);
        n.children.forEach(walk);
      };
      walk(t);
      return {
        start: t.startTime,
        duration: t.duration,
        inside: [...self].filter(([, v]) => v >= 1).sort((a, b) => b[1] - a[1]).slice(0, 6),
        measures: [...new Set(measures.filter((m) => m.at >= t.startTime && m.at < t.endTime).map((m) => m.name))],
      };
    });
  } catch (e) {
    return { error: String(e?.message ?? e) };
  }
}

/** What the audited page shows once Lighthouse is done with it: results, or why not. */
async function shown(page, name) {
  return page.evaluate((name) => {
    const alert = document.querySelector('[role=alert]')?.textContent?.trim();
    if (name === 'calls') {
      const rows = document.querySelectorAll('[role=grid] [role=row][aria-rowindex]').length;
      const counts = document.querySelector('.counts')?.textContent?.trim();
      return { ok: rows > 1 && !!counts, what: counts ?? alert ?? 'no results' };
    }
    const rows = document.querySelectorAll('table.rates tbody tr').length;
    return { ok: rows > 0, what: rows > 0 ? `${rows} rates` : (alert ?? 'no rates table') };
  }, name);
}

/** The first package of the simulator's account, asked through nginx as the app asks. */
async function firstPackage() {
  const form = new FormData();
  form.set('api_username', USER);
  form.set('api_password', PASSWORD);
  form.set('method', 'getPackages');
  const answer = await (await fetch(`${base}/api/v1/rest.php`, { method: 'POST', body: form })).json();
  const id = answer.packages?.[0]?.package;
  if (!id) throw new Error(`getPackages gave no package: ${JSON.stringify(answer).slice(0, 200)}`);
  return id;
}

// --- the runs --------------------------------------------------------------------------------
await startServer();
let exitCode = 0;
/** results[page][preset][visit] = [{lhr, shows, run, tasks}], one per run */
const results = {};
let chromiumVersion = '?';
let pages;
try {
  const pkg = await firstPackage();
  pages = {
    calls: { title: 'Calls', url: `${base}/calls` },
    rates: { title: 'Rates', url: `${base}/rates?package=${pkg}&q=Canada` },
  };
  fs.mkdirSync(reportsDir, { recursive: true });
  for (let run = 1; run <= RUNS; run++) {
    for (const preset of presets) {
      const b = await launchBrowser();
      chromiumVersion = await b.version();
      const page = await b.newPage();
      await shimFrameReporterEvents(page);
      await rememberCredentials(page);
      for (const name of pageNames) {
        const { url, title } = pages[name];
        let flow, seen, flowResult;
        // Now and then Lighthouse loses a trace (NO_NAVSTART, NO_FCP): the flow is run again,
        // at most twice; a run that still fails is left out of the median.
        for (let attempt = 1; attempt <= 3; attempt++) {
          flow = await startFlow(page, { name: `${title}, ${preset}, run ${run}`, config: CONFIGS[preset] });
          seen = {};
          for (const visit of Object.keys(VISITS)) {
            await flow.navigate(url, VISITS[visit]);
            seen[visit] = await shown(page, name);
          }
          flowResult = await flow.createFlowResult();
          const failed = flowResult.steps.find((st) => st.lhr.runtimeError);
          if (!failed) break;
          console.log(`run ${run}/${RUNS} ${title} ${preset}: ${failed.lhr.runtimeError.code} ` +
            `(${failed.lhr.runtimeError.message.slice(0, 100)})${attempt < 3 ? ', once more' : ''}`);
        }
        const report = path.join(reportsDir, `${name}-${preset}-run${run}`);
        fs.writeFileSync(`${report}.html`, await flow.generateReport());
        const gathered = flow.createArtifactsJson().gatherSteps;
        Object.keys(VISITS).forEach((visit, i) => {
          const lhr = flowResult.steps[i].lhr;
          ((results[name] ??= {})[preset] ??= {})[visit] ??= [];
          results[name][preset][visit].push({ lhr, shows: seen[visit], run, tasks: observedTasks(gathered[i].artifacts.Trace) });
          const s = score(lhr);
          console.log(`run ${run}/${RUNS} ${title} ${preset} ${visit}: performance ${s ?? 'n/a'}, ` +
            `LCP ${sec(num(lhr, 'largest-contentful-paint'))}, TBT ${ms(num(lhr, 'total-blocking-time'))}; ` +
            `shows ${seen[visit].what}`);
          if (!seen[visit].ok) exitCode = 1;
        });
      }
      await stopBrowser();
    }
  }
} finally {
  await stopAll();
}

// --- figures ---------------------------------------------------------------------------------
function num(lhr, id) { return lhr.audits[id]?.numericValue; }
function score(lhr) {
  const s = lhr.categories.performance?.score;
  return s == null ? null : Math.round(s * 100);
}
function sec(v) { return v == null ? 'n/a' : `${(v / 1000).toFixed(2)} s`; }
function ms(v) { return v == null ? 'n/a' : `${Math.round(v).toLocaleString('en-US')} ms`; }
function kb(v) { return v == null ? 'n/a' : `${(v / 1024).toFixed(1)} KB`; }
function cls(v) { return v == null ? 'n/a' : v.toFixed(3); }
function short(url) {
  try {
    const u = new URL(url);
    return u.origin === base ? (u.pathname + u.search) : url;
  } catch { return url ?? '(no url)'; }
}

function misses(lhr, preset) {
  const t = TARGETS[preset];
  const out = [];
  const s = score(lhr);
  if (s == null || s < t.score) out.push(`score < ${t.score}`);
  if (!(num(lhr, 'largest-contentful-paint') <= t.lcp)) out.push(`LCP > ${sec(t.lcp)}`);
  if (!(num(lhr, 'total-blocking-time') <= t.tbt)) out.push(`TBT > ${t.tbt} ms`);
  // CLS 0 as Lighthouse shows it: to three decimals.
  if (!(num(lhr, 'cumulative-layout-shift') < 0.0005)) out.push('CLS > 0');
  return out.length ? out.join(', ') : 'none';
}

const rows = [];
for (const name of pageNames) {
  for (const preset of presets) {
    for (const visit of Object.keys(VISITS)) {
      const all = results[name]?.[preset]?.[visit] ?? [];
      const valid = all.filter((r) => !r.lhr.runtimeError &&
        Number.isFinite(num(r.lhr, 'first-contentful-paint')) && Number.isFinite(num(r.lhr, 'interactive')));
      if (!valid.length) {
        console.log(`no valid run of ${name} ${preset} ${visit}`);
        exitCode = 1;
        continue;
      }
      // The run of the median score; among runs of that score, the one closest to the median
      // FCP and TTI (Lighthouse's computeMedianRun, which alone can pick an outlying score).
      const scores = valid.map((r) => score(r.lhr) ?? -1).sort((a, b) => a - b);
      const middle = scores[Math.floor((scores.length - 1) / 2)];
      const medianLhr = computeMedianRun(valid.filter((r) => (score(r.lhr) ?? -1) === middle).map((r) => r.lhr));
      rows.push({ name, preset, visit, all, median: valid.find((r) => r.lhr === medianLhr) });
    }
  }
}

const out = [];
const say = (s = '') => out.push(s);
const table = [];
table.push('| page | preset | visit | performance (each run) | LCP | TBT | CLS | FCP | Speed Index | transferred | targets missed |');
table.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const { name, preset, visit, all, median } of rows) {
  const l = median.lhr;
  const each = all.map((r) => (r.lhr.runtimeError ? 'error' : score(r.lhr) ?? 'n/a')).join(', ');
  table.push(`| ${pages[name].title} | ${preset} | ${visit} | ${score(l) ?? 'n/a'} (${each}) | ` +
    `${sec(num(l, 'largest-contentful-paint'))} | ${ms(num(l, 'total-blocking-time'))} | ` +
    `${cls(num(l, 'cumulative-layout-shift'))} | ${sec(num(l, 'first-contentful-paint'))} | ` +
    `${sec(num(l, 'speed-index'))} | ${kb(num(l, 'total-byte-weight'))} | ` +
    `${median.shows.ok ? misses(l, preset) : `NO RESULTS SHOWN (${median.shows.what})`} |`);
}

// What limits a row, from the report's own diagnostics.
function nodeText(node) {
  if (!node) return '(no element)';
  const snippet = (node.snippet ?? '').replace(/\s+/g, ' ').slice(0, 120);
  const label = node.nodeLabel === node.selector ? '' : (node.nodeLabel ?? '').replace(/\s+/g, ' ').slice(0, 80);
  return `\`${node.selector ?? '?'}\` ${snippet ? `\`${snippet}\`` : ''}${label ? ` “${label}”` : ''}`;
}
function diagnose({ lhr: l, tasks: observed }) {
  const lines = [];
  // LCP element and its phases.
  const lcpEl = l.audits['largest-contentful-paint-element']?.details;
  const lcpTables = lcpEl?.type === 'list' ? lcpEl.items : lcpEl ? [lcpEl] : [];
  const node = lcpTables[0]?.items?.[0]?.node;
  const phases = lcpTables[1]?.items?.map((p) => `${p.phase} ${ms(p.timing)}`).join(', ');
  lines.push(`- LCP element: ${nodeText(node)}${phases ? `; phases: ${phases}` : ''}`);
  // Long tasks (durations as simulated under the preset's CPU throttling), with what ran.
  const lt = l.audits['long-tasks']?.details;
  const dbg = lt?.debugData;
  const tasks = (lt?.items ?? []).slice(0, 5).map((t, i) => {
    const d = dbg?.tasks?.[i];
    const parts = d ? Object.entries(d)
      .filter(([k, v]) => !['urlIndex', 'startTime', 'duration'].includes(k) && v >= 1)
      .sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ') : '';
    return `${ms(t.duration)} at ${ms(t.startTime)} (${short(t.url)}${parts ? `; ${parts}` : ''})`;
  });
  lines.push(`- Long tasks (${lt?.items?.length ?? 0}): ${tasks.length ? tasks.join('; ') : 'none'}`);
  // What those tasks are: the longest ones as they ran here, with what ran inside them.
  const slowdown = l.configSettings?.throttling?.cpuSlowdownMultiplier ?? 1;
  if (Array.isArray(observed) && observed.length) {
    lines.push(`- Longest tasks as run here (unthrottled; Lighthouse simulates them ${slowdown}x longer): ` +
      observed.map((t) => `${ms(t.duration)} at ${ms(t.start)}: ` +
        `${t.inside.map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}` +
        `${t.measures.length ? `; measures begun: ${t.measures.join(', ')}` : ''}`).join(' | '));
  } else if (observed?.error) {
    lines.push(`- Longest tasks as run here: trace not readable (${observed.error})`);
  }
  // Where the main thread went, by script and by kind of work.
  const boot = (l.audits['bootup-time']?.details?.items ?? []).slice(0, 4)
    .map((i) => `${short(i.url)} ${ms(i.total)} (script ${ms(i.scripting)}, parse/compile ${ms(i.scriptParseCompile)})`);
  if (boot.length) lines.push(`- Main thread by script: ${boot.join('; ')}`);
  const work = (l.audits['mainthread-work-breakdown']?.details?.items ?? []).slice(0, 5)
    .map((i) => `${i.groupLabel ?? i.group} ${ms(i.duration)}`);
  if (work.length) lines.push(`- Main thread by kind: ${work.join(', ')}`);
  // Render-blocking requests.
  const rb = l.audits['render-blocking-resources'];
  const rbItems = (rb?.details?.items ?? []).map((i) => `${short(i.url)} (${kb(i.totalBytes)}, ${ms(i.wastedMs)})`);
  lines.push(`- Render-blocking: ${rbItems.length ? rbItems.join('; ') : 'none'}` +
    `${rb?.details?.overallSavingsMs ? ` (estimated savings ${ms(rb.details.overallSavingsMs)})` : ''}`);
  // Layout shifts and their elements.
  const shifts = (l.audits['layout-shifts']?.details?.items ?? []).map((i) => {
    const causes = (i.subItems?.items ?? []).map((s) => s.cause).filter(Boolean).join(', ');
    return `${cls(i.score)} ${nodeText(i.node)}${causes ? ` (${causes})` : ''}`;
  });
  lines.push(`- Layout shifts: ${shifts.length ? shifts.join('; ') : 'none'}`);
  // Bytes of each request, as transferred (from cache: 0 or a 304's headers).
  const reqs = (l.audits['network-requests']?.details?.items ?? [])
    .filter((r) => !r.url.startsWith('data:'))
    .map((r) => `${short(r.url)}${r.statusCode === 200 ? '' : ` (${r.statusCode})`} ${kb(r.transferSize)}` +
      `${r.resourceSize && r.resourceSize !== r.transferSize ? ` (${kb(r.resourceSize)} decoded)` : ''}`);
  lines.push(`- Requests (${reqs.length}), transferred: ${reqs.join('; ')}`);
  const warnings = (l.runWarnings ?? []).map((w) => w.replace(/\s+/g, ' '));
  if (warnings.length) lines.push(`- Lighthouse warnings: ${warnings.join(' | ')}`);
  return lines;
}

const cpu = (os.cpus()[0]?.model ?? '?').trim();
const first = rows[0]?.median.lhr;
const benchmarks = rows.map((r) => r.median.lhr.environment?.benchmarkIndex).filter(Boolean);
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
say(`# Lighthouse (issue 15), ${date}`);
say();
say(`Machine: ${os.cpus().length} cores, ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, load average ` +
  `${os.loadavg().map((x) => x.toFixed(1)).join(' ')} at the end; ${chromiumVersion} (Debian's ${chromium}, headless); ` +
  `Lighthouse ${first?.lighthouseVersion ?? '?'} (benchmarkIndex ${benchmarks.length ? `${Math.min(...benchmarks)}–${Math.max(...benchmarks)}` : '?'}); ` +
  `Node ${process.version}; run took ${((Date.now() - started) / 60000).toFixed(1)} min.  `);
say(`Served by nginx from deploy/nginx.conf (scripts/nginx-serve.sh: brotli_static and gzip_static copies, production Cache-Control), ` +
  `plain HTTP/1.1 on loopback, the simulator (${SIM_ARGS.join(' ')}) as the API upstream. ` +
  `Pages: ${pageNames.map((n) => `${pages?.[n]?.title} \`${short(pages?.[n]?.url)}\``).join(', ')}.  `);
say(`Presets: desktop = Lighthouse's desktop config (1350x940, 40 ms RTT, 10 Mbps, CPU 1x); mobile = its default ` +
  `(Moto G Power, 150 ms RTT, 1.6 Mbps, CPU 4x); throttling simulated (Lantern). First visit: HTTP cache cleared ` +
  `(credentials kept in localStorage); repeat visit: the same navigation again with the cache kept. ` +
  `${RUNS} run(s) each; a row is the run of the median score (of those, the one Lighthouse's computeMedianRun picks), ` +
  `the scores of every run in brackets.  `);
say(`Targets: performance desktop 100 / mobile ≥ 95, LCP desktop ≤ 1.0 s / mobile ≤ 2.0 s, TBT desktop ≤ 50 ms / ` +
  `mobile ≤ 150 ms, CLS 0. HTML reports: ${path.relative(root, reportsDir)}/.`);
say();
for (const line of table) say(line);
say();
say('## What limits each row (the run shown in the table)');
for (const { name, preset, visit, median } of rows) {
  say();
  say(`### ${pages[name].title}, ${preset}, ${visit} (run ${median.run}; shows ${median.shows.what})`);
  say();
  for (const line of diagnose(median)) say(line);
}

console.log();
console.log(out.join('\n'));
if (resultsFile !== '-') {
  fs.writeFileSync(resultsFile, `${out.join('\n')}\n`);
  console.log(`\nwritten to ${path.relative(process.cwd(), resultsFile)}`);
}
process.exit(exitCode);
