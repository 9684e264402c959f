// The app sends its GraphQL by hash (src/app/persisted.ts): no request carries a document's
// text. Against a second portal on the same demo city started in allow-list mode
// (PORTAL_PERSISTED_ONLY=1), where a hash the server did not pre-register would fail: the
// home loads its data, on the app's requests and on index.html's early requests alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { loginAs, Nav } from './pages/app';
import { expect, test as base } from './support/fixtures';
import { freePort, REPO, server, waitForHealth } from './support/server';

interface Sent {
  operationName?: string;
  query?: string;
  extensions?: { persistedQuery?: { sha256Hash?: string } };
}

const test = base.extend<object, { persistedOnly: string }>({
  persistedOnly: [
    async ({}, use) => {
      const { env, dir } = server();
      const port = await freePort();
      const portal = join(REPO, '.venv', 'bin', 'portal');
      const child: ChildProcess = spawn(portal, ['serve', '--port', String(port)], {
        env: { ...process.env, ...env, PORTAL_PERSISTED_ONLY: '1' },
        cwd: dir,
        stdio: 'ignore',
      });
      const url = `http://127.0.0.1:${port}`;
      try {
        await waitForHealth(url, Date.now() + 60_000);
        await use(url);
      } finally {
        child.kill('SIGTERM');
      }
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ persistedOnly }, use) => {
    await use(persistedOnly);
  },
});

/** Every GraphQL request the page sends (body and size), and every refusal it gets. */
function graphqlTraffic(page: Page) {
  const sent: Array<Sent & { bytes: number }> = [];
  const refused: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname !== '/graphql' || request.method() !== 'POST') return;
    const body = request.postData() ?? '';
    sent.push({ ...(JSON.parse(body) as Sent), bytes: Buffer.byteLength(body) });
  });
  page.on('response', async (response) => {
    if (new URL(response.url()).pathname !== '/graphql' || response.request().method() !== 'POST') return;
    const text = await response.text().catch(() => '');
    if (text.includes('PERSISTED_QUERY')) refused.push(text.slice(0, 200));
  });
  return { sent, refused };
}

test('the app sends no document text, and a server that runs only known hashes answers it', async ({ page, context }) => {
  const traffic = graphqlTraffic(page);
  await loginAs(page, 'pegawai');
  await expect(page.getByRole('progressbar', { name: 'Jumlah dosis vaksin yang diberikan' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Aktivitas hari ini' })).toBeVisible();
  await new Nav(page).go('Aktivitas');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

  const names = traffic.sent.map((s) => s.operationName);
  expect(names).toEqual(expect.arrayContaining(['Login', 'Viewer', 'EmployeeHome']));
  expect(traffic.sent.filter((s) => s.query !== undefined).map((s) => s.operationName)).toEqual([]);
  expect(traffic.sent.every((s) => /^[0-9a-f]{64}$/.test(s.extensions?.persistedQuery?.sha256Hash ?? ''))).toBe(true);
  expect(traffic.refused).toEqual([]);
  const home = traffic.sent.find((s) => s.operationName === 'EmployeeHome')!;
  expect(home.bytes).toBeLessThan(250);
  test.info().annotations.push({ type: 'EmployeeHome request body', description: `${home.bytes} bytes` });

  // a cold start without the document cookie: index.html's early requests, by hash too
  await page.close();
  await context.clearCookies({ name: 'kinerja_document' });
  const cold = await context.newPage();
  const early = graphqlTraffic(cold);
  await cold.goto('/');
  await expect(cold.getByRole('progressbar', { name: 'Jumlah dosis vaksin yang diberikan' })).toBeVisible();
  await expect(cold.getByRole('heading', { name: 'Aktivitas hari ini' })).toBeVisible();
  expect(early.sent.slice(0, 3).map((s) => s.operationName)).toEqual(['Viewer', 'EmployeeHome', 'Activities']);
  expect(early.sent.filter((s) => s.query !== undefined).map((s) => s.operationName)).toEqual([]);
  expect(early.refused).toEqual([]);
});
