// Budgets of the web app (issue 18), measured against a real portal with the demo city:
//   1. the app shell: gzipped (and brotli) JS + CSS of web/dist, GraphiQL excluded;
//   2. the employee home "usable" (greeting, SKP progress bar and the log button on screen)
//      under Chromium's "Slow 3G" (CDP Network.emulateNetworkConditions: 2 000 ms latency,
//      50 kB/s down and up, DevTools' Slow3GConditions) after a cold start (new profile: no
//      HTTP cache, no service worker, no stored data), and again from the service worker's
//      cache (the same profile, reopened); "Slow 4G" (DevTools' former Fast 3G: 562.5 ms,
//      180 kB/s) for comparison.
// Usage: (cd web && npm run build) && node bench/web_budgets.mjs [--runs 3] [--db FILE]
// Prints a Markdown table; seeding the demo city takes ~30 s on the CI machine.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(REPO, 'web', 'package.json'));
const { chromium } = require('playwright-core');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 3) || 3;
const SEEDED = args.includes('--db') ? args[args.indexOf('--db') + 1] : null;
const PROFILES = {
  'Slow 3G': { offline: false, latency: 400 * 5, downloadThroughput: ((500 * 1000) / 8) * 0.8, uploadThroughput: ((500 * 1000) / 8) * 0.8 },
  'Slow 4G': { offline: false, latency: 150 * 3.75, downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, uploadThroughput: ((750 * 1000) / 8) * 0.9 },
};

function shellSize() {
  // The shell: what index.html loads (its script and style, their static imports and
  // modulepreloads) and the service worker's window helper. Lazy chunks (the administration
  // screens, Chart.js, the QR encoder) load only on the routes that need them: listed apart.
  const dist = join(REPO, 'web', 'dist', 'assets');
  const html = readFileSync(join(REPO, 'web', 'dist', 'index.html'), 'utf8');
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

async function startPortal() {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-bench-'));
  const db = join(dir, 'portal.sqlite');
  const env = { ...process.env, PORTAL_DATABASE_URL: `sqlite:///${db}`, PORTAL_MODEL_DIR: join(dir, 'models'), PORTAL_RATE_LIMIT_PER_MINUTE: '0' };
  const portal = join(REPO, '.venv', 'bin', 'portal');
  if (SEEDED) copyFileSync(SEEDED, db);
  else if (spawnSync(portal, ['demo', '--no-serve'], { env, cwd: dir, stdio: 'ignore' }).status !== 0) throw new Error('seeding failed');
  const port = await freePort();
  const child = spawn(portal, ['serve', '--port', String(port)], { env, cwd: dir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i += 1) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child, dir };
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
  return { accessToken: login.accessToken, refreshToken: login.refreshToken, accessTokenExpiresAt: login.accessTokenExpiresAt, roles: login.roles, username: 'pegawai' };
}

/** Milliseconds from navigation start until the home is usable. */
async function homeUsable(page) {
  await page.getByRole('progressbar').first().waitFor({ state: 'visible', timeout: 120_000 });
  await page.getByRole('link', { name: '+ Catat aktivitas' }).waitFor({ state: 'visible' });
  return page.evaluate(() => performance.now());
}

async function measure(browser, url, profile) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const stored = await session(url);
  await context.addInitScript((s) => {
    if (!localStorage.getItem('kinerja.session')) localStorage.setItem('kinerja.session', s);
  }, JSON.stringify(stored));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', PROFILES[profile]);
  const cold = await (async () => {
    await page.goto(url, { waitUntil: 'commit' });
    return homeUsable(page);
  })();
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
  return { cold, warm, controlled };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const size = shellSize();
const { url, child, dir } = await startPortal();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = [];
try {
  for (const profile of Object.keys(PROFILES)) {
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await measure(browser, url, profile));
    rows.push({ profile, runs });
  }
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

const kb = (n) => (n / 1024).toFixed(1);
const s = (ms) => (ms / 1000).toFixed(2);
console.log(`| app shell (web/dist/assets JS + CSS) | raw | gzip -9 | brotli | budget |`);
console.log(`|---|---|---|---|---|`);
console.log(`| total | ${kb(size.raw)} KB | **${kb(size.gz)} KB** | ${kb(size.br)} KB | 200 KB gzipped |`);
console.log(`| lazy chunks (${size.lazyCount}, not in the shell) | ${kb(size.lazy.raw)} KB | ${kb(size.lazy.gz)} KB | ${kb(size.lazy.br)} KB | loaded by their routes |`);
console.log();
console.log(`| home usable (median of ${RUNS}; each run: s) | cold start | from the service worker's cache | budget |`);
console.log(`|---|---|---|---|`);
for (const { profile, runs } of rows) {
  const cold = runs.map((r) => r.cold);
  const warm = runs.map((r) => r.warm);
  const controlled = runs.every((r) => r.controlled) ? '' : ' (not controlled!)';
  console.log(`| ${profile} | **${s(median(cold))} s** (${cold.map(s).join(', ')}) | **${s(median(warm))} s** (${warm.map(s).join(', ')})${controlled} | 3 s cold, 1 s cached |`);
}
