// Budgets of the web app (issue 18), measured against a real portal with the demo city:
//   1. the app shell: gzipped (and brotli) JS + CSS of web/dist, GraphiQL excluded;
//   2. the employee home "usable" (greeting, SKP progress bar and the log button on screen)
//      under Chromium's "Slow 3G" (CDP Network.emulateNetworkConditions: 2 000 ms latency,
//      50 kB/s down and up, DevTools' Slow3GConditions) after a cold start (new profile: no
//      HTTP cache, no service worker, no stored data but a logged-in session: the tokens in
//      localStorage and the document cookie of the same login, with which a build that lists
//      home-operations.json gets the home's data in its document), and again from the service
//      worker's cache (the same profile, reopened); "Slow 4G" (DevTools' former Fast 3G:
//      562.5 ms, 180 kB/s) for comparison.
// Usage: (cd web && npm run build) && node bench/web_budgets.mjs [--runs 3] [--db FILE]
//   [--build NAME=DIR ...] [--profile 'Slow 3G'] [--trace]
// Prints a Markdown table; seeding the demo city takes ~30 s on the CI machine. Each --build
// is a built web/dist (default: web/dist) served by its own portal over the same seeded city;
// their runs alternate, so two builds (before/after) are compared side by side in one run.
// --trace prints the requests of each build's first cold start (start, end, bytes on the wire).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3) || 3;
const SEEDED = args.includes('--db') ? args[args.indexOf('--db') + 1] : null;
const TRACE = args.includes('--trace');
const BUILDS = args.flatMap((a, i) => (args[i - 1] === '--build' ? [[a.split('=')[0], resolve(a.split('=').slice(1).join('='))]] : []));
if (!BUILDS.length) BUILDS.push(['web/dist', join(REPO, 'web', 'dist')]);
const ONLY = args.flatMap((a, i) => (args[i - 1] === '--profile' ? [a] : []));
const PROFILES = {
  'Slow 3G': { offline: false, latency: 400 * 5, downloadThroughput: ((500 * 1000) / 8) * 0.8, uploadThroughput: ((500 * 1000) / 8) * 0.8 },
  'Slow 4G': { offline: false, latency: 150 * 3.75, downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, uploadThroughput: ((750 * 1000) / 8) * 0.9 },
  // For context only, not the budget's profile: Slow 3G's nominal 400 ms RTT applied once per
  // request (DevTools applies 5x, since CDP throttling has no TCP/TLS handshakes to delay).
  'Slow 3G at 400 ms/request': { offline: false, latency: 400, downloadThroughput: ((500 * 1000) / 8) * 0.8, uploadThroughput: ((500 * 1000) / 8) * 0.8 },
};

function shellSize(root) {
  // The shell: what index.html loads (its script and style, their static imports and
  // modulepreloads) and the service worker's window helper. Lazy chunks (the administration
  // screens, Chart.js, the QR encoder) load only on the routes that need them: listed apart.
  const dist = join(root, 'assets');
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const shell = new Set([...html.matchAll(/\/assets\/([^"']+\.(?:js|css))/g)].map((m) => m[1]));
  for (const name of readdirSync(dist)) if (name.startsWith('workbox-window')) shell.add(name);
  // static imports of the entry (import ... from "./x.js" at the top level, not import())
  for (const name of [...shell]) {
    if (!name.endsWith('.js')) continue;
    const code = readFileSync(join(dist, name), 'utf8');
    for (const m of code.matchAll(/(?:^|[;\n])import\s*(?:[^"'()]*?from\s*)?["']\.\/([^"']+)["']/g)) shell.add(m[1]);
  }
  const sum = (names) => {
    let raw = 0;
    let gz = 0;
    let br = 0;
    for (const name of names) {
      const data = readFileSync(join(dist, name));
      raw += data.length;
      gz += gzipSync(data, { level: 9 }).length;
      br += brotliCompressSync(data).length;
    }
    return { raw, gz, br };
  };
  const lazy = readdirSync(dist).filter((n) => /\.(js|css)$/.test(n) && !shell.has(n));
  return { ...sum([...shell]), lazy: sum(lazy), lazyCount: lazy.length };
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startPortal(webDir, seeded) {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-bench-'));
  const db = join(dir, 'portal.sqlite');
  const env = { ...process.env, PORTAL_DATABASE_URL: `sqlite:///${db}`, PORTAL_MODEL_DIR: join(dir, 'models'), PORTAL_RATE_LIMIT_PER_MINUTE: '0', PORTAL_WEB_DIR: webDir };
  const portal = join(REPO, '.venv', 'bin', 'portal');
  if (seeded) copyFileSync(seeded, db);
  else if (spawnSync(portal, ['demo', '--no-serve'], { env, cwd: dir, stdio: 'ignore' }).status !== 0) throw new Error('seeding failed');
  const port = await freePort();
  const child = spawn(portal, ['serve', '--port', String(port)], { env, cwd: dir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i += 1) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, dir, db };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('portal did not start');
}

async function session(url) {
  const query = readFileSync(join(REPO, 'graphql', 'operations', 'accounts', 'Login.graphql'), 'utf8');
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { input: { username: 'pegawai', password: 'Tangsel#2026' } } }),
  });
  const { login } = (await res.json()).data;
  // the document cookie a browser keeps from this login (portal/accounts/document.py), if the
  // server sets one: GET / then carries the home's data
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('kinerja_document='));
  return {
    stored: { accessToken: login.accessToken, refreshToken: login.refreshToken, accessTokenExpiresAt: login.accessTokenExpiresAt, roles: login.roles, username: 'pegawai' },
    cookie: cookie ? { name: 'kinerja_document', value: cookie.slice('kinerja_document='.length), url, httpOnly: true, sameSite: 'Strict' } : null,
  };
}

/** Milliseconds from navigation start until the home is usable. */
async function homeUsable(page) {
  await page.getByRole('progressbar').first().waitFor({ state: 'visible', timeout: 120_000 });
  await page.getByRole('link', { name: '+ Catat aktivitas' }).waitFor({ state: 'visible' });
  return page.evaluate(() => performance.now());
}

/** The requests of a page (CDP Network events): what, when (ms from navigation), bytes on the wire. */
function recordRequests(cdp) {
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!requests.has(e.requestId)) requests.set(e.requestId, { url: e.request.url, method: e.request.method, start: e.timestamp, body: e.request.postData ?? '' });
  });
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { status: e.response.status, fromSW: e.response.fromServiceWorker, headersAt: e.timestamp });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength });
  });
  return requests;
}

function printTrace(name, requests, usableMs) {
  const all = [...requests.values()].sort((a, b) => a.start - b.start);
  const t0 = all[0]?.start ?? 0;
  console.log(`\n${name}: the requests of the first cold start (home usable at ${(usableMs / 1000).toFixed(2)} s)\n`);
  console.log('| # | request | start s | end s | bytes |');
  console.log('|---|---|---|---|---|');
  all.forEach((r, i) => {
    const path = new URL(r.url).pathname;
    const op = r.body.match(/"operationName":"(\w+)"/)?.[1];
    const what = `${r.method} ${path}${op ? ` (${op})` : ''}`;
    const end = r.end ? ((r.end - t0) * 1000 / 1000).toFixed(2) : '-';
    console.log(`| ${i + 1} | ${what} | ${(r.start - t0).toFixed(2)} | ${end} | ${r.bytes ?? '-'} |`);
  });
}

async function measure(browser, url, profile, trace) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const { stored, cookie } = await session(url);
  if (cookie) await context.addCookies([cookie]);
  await context.addInitScript((s) => {
    if (!localStorage.getItem('kinerja.session')) localStorage.setItem('kinerja.session', s);
  }, JSON.stringify(stored));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', PROFILES[profile]);
  const requests = recordRequests(cdp);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const cold = await (async () => {
    await page.goto(url, { waitUntil: 'commit' });
    return homeUsable(page);
  })().catch(async (error) => {
    printTrace(`${trace ?? profile} (failed)`, requests, NaN);
    console.log(errors.join('\n'), '\n', (await page.locator('body').innerText()).slice(0, 400));
    throw error;
  });
  // let the service worker install and precache, and the cache reach IndexedDB, unthrottled
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForTimeout(1500);
  await page.close();
  const again = await context.newPage();
  const cdp2 = await context.newCDPSession(again);
  await cdp2.send('Network.enable');
  await cdp2.send('Network.emulateNetworkConditions', PROFILES[profile]);
  await again.goto(url, { waitUntil: 'commit' });
  const warm = await homeUsable(again);
  const controlled = await again.evaluate(() => Boolean(navigator.serviceWorker.controller));
  await context.close();
  if (trace) printTrace(trace, requests, cold);
  return { cold, warm, controlled };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const sizes = BUILDS.map(([, dir]) => shellSize(dir));
let seeded = SEEDED;
const portals = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
try {
  for (const [, dir] of BUILDS) {
    const portal = await startPortal(dir, seeded);
    seeded ??= portal.db; // one seeded city for every build
    portals.push(portal);
  }
  for (const profile of Object.keys(PROFILES).filter((p) => !ONLY.length || ONLY.includes(p))) {
    const runs = BUILDS.map(() => []);
    for (let i = 0; i < RUNS; i += 1) {
      for (const [b, [name]] of BUILDS.entries()) {
        const trace = TRACE && i === 0 ? `${name}, ${profile}` : null;
        runs[b].push(await measure(browser, portals[b].url, profile, trace));
      }
    }
    for (const [b, [name]] of BUILDS.entries()) rows.push({ name, profile, runs: runs[b] });
  }
} finally {
  await browser.close();
  for (const { child } of portals) child.kill('SIGTERM');
  for (const { dir } of portals) rmSync(dir, { recursive: true, force: true });
}

const kb = (n) => (n / 1024).toFixed(1);
const s = (ms) => (ms / 1000).toFixed(2);
console.log();
console.log(`| build | app shell (what index.html loads) raw | gzip -9 | brotli | lazy chunks (not in the shell) gzip | budget |`);
console.log(`|---|---|---|---|---|---|`);
for (const [b, [name]] of BUILDS.entries()) {
  const size = sizes[b];
  console.log(`| ${name} | ${kb(size.raw)} KB | **${kb(size.gz)} KB** | ${kb(size.br)} KB | ${size.lazyCount}: ${kb(size.lazy.gz)} KB | 200 KB gzipped |`);
}
console.log();
console.log(`| build | network | home usable, cold start (median of ${RUNS}; each run, s) | from the service worker's cache | budget |`);
console.log(`|---|---|---|---|---|`);
for (const { name, profile, runs } of rows) {
  const cold = runs.map((r) => r.cold);
  const warm = runs.map((r) => r.warm);
  const controlled = runs.every((r) => r.controlled) ? '' : ' (not controlled!)';
  console.log(`| ${name} | ${profile} | **${s(median(cold))} s** (${cold.map(s).join(', ')}) | **${s(median(warm))} s** (${warm.map(s).join(', ')})${controlled} | 3 s cold, 1 s cached |`);
}
