// A fresh demo city for every run: `portal demo --no-serve` into a new SQLite file, then
// `portal serve` on a free port, with Redis so that a CLI run (score-db) reaches open pages.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, REPO, STATE_FILE, waitForHealth } from './support/server';

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-e2e-'));
  const portal = join(REPO, '.venv', 'bin', 'portal');
  const env: Record<string, string> = {
    PORTAL_DATABASE_URL: `sqlite:///${join(dir, 'portal.sqlite')}`,
    PORTAL_REDIS_URL: process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    PORTAL_REDIS_PREFIX: `web-e2e-${process.pid}:`,
    PORTAL_MODEL_DIR: join(dir, 'models'),
    PORTAL_WEB_DIR: join(REPO, 'web', 'dist'),
  };
  const childEnv = { ...process.env, ...env };
  const seeded = spawnSync(portal, ['demo', '--no-serve'], { env: childEnv, cwd: dir, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`portal demo failed:\n${seeded.stdout}\n${seeded.stderr}`);
  const port = await freePort();
  const log = openSync(join(dir, 'serve.log'), 'a'); // the server's log, out of the test report
  const child = spawn(portal, ['serve', '--port', String(port)], { env: childEnv, cwd: dir, stdio: ['ignore', log, log] });
  const baseURL = `http://127.0.0.1:${port}`;
  await waitForHealth(baseURL, Date.now() + 60_000);
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ baseURL, env, pid: child.pid, dir }, null, 2));
  process.env.E2E_BASE_URL = baseURL;
}
