// End-to-end tests in the system Chromium (Debian's `chromium`; browser builds cannot be
// downloaded) against a real portal: e2e/global-setup.ts seeds the demo city into a fresh
// SQLite file and starts `portal serve` on a free port with Redis for live events.
import { defineConfig } from '@playwright/test';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './e2e',
  // E2E_REUSE=1: run against the server of e2e/.state/server.json left by an earlier setup
  // (a developer's loop; CI always starts a fresh demo city).
  ...(process.env.E2E_REUSE ? {} : { globalSetup: './e2e/global-setup.ts', globalTeardown: './e2e/global-teardown.ts' }),
  // One shared demo city and a 2-core machine: journeys run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 360, height: 640 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    serviceWorkers: 'block',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'off',
  },
});
