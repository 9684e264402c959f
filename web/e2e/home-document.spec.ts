// The home carried by the document itself (issue 18): after a login the browser keeps an
// HttpOnly document cookie; a cold start of `/` then gets the home's data in the page and the
// page's inline renderer draws the home before the app's script has arrived. The app then
// takes the same answers instead of fetching them again. Logging out expires the cookie.
import type { BrowserContext, Page, Route } from '@playwright/test';
import { loginAs } from './pages/app';
import { expect, test } from './support/fixtures';

const HOME_OPERATIONS = ['Viewer', 'EmployeeHome', 'Activities'];
const COOKIE = 'kinerja_document';

async function documentCookie(context: BrowserContext) {
  return (await context.cookies()).find((c) => c.name === COOKIE);
}

/** The GraphQL operations the page sends over the network (by name). */
function graphqlSent(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname !== '/graphql' || request.method() !== 'POST') return;
    const name = (request.postDataJSON() as { operationName?: string } | null)?.operationName;
    if (name) sent.push(name);
  });
  return sent;
}

test('a cold start shows the home from the document before the app script, then the app takes over without refetching', async ({ page, context }) => {
  await loginAs(page, 'pegawai');
  const cookie = await documentCookie(context);
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  await page.close();

  // a new page of the same profile: the session in localStorage, the cookie, no app running
  const cold = await context.newPage();
  const sent = graphqlSent(cold);
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const scripts: Route[] = [];
  await cold.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
    scripts.push(route);
    await held; // the app's script "still downloading"
    await route.continue();
  });
  await cold.goto('/', { waitUntil: 'commit' });

  const bar = cold.getByRole('progressbar', { name: 'Jumlah dosis vaksin yang diberikan' });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuetext', /%, seharusnya \d+% saat ini/);
  const logLink = cold.getByRole('link', { name: '+ Catat aktivitas' });
  await expect(logLink).toBeVisible();
  await expect(logLink).toHaveAttribute('href', '/aktivitas/baru');
  await expect(cold.getByRole('heading', { name: /^Selamat (pagi|siang|sore|malam), Fitri/ })).toBeVisible();
  await expect(cold.getByRole('heading', { name: 'Aktivitas hari ini' })).toBeVisible();
  expect(scripts.length).toBe(1); // the app's script was asked for, and is held back
  expect(await cold.evaluate(() => typeof (window as { __kinerjaEarly?: unknown }).__kinerjaEarly)).toBe('object');
  expect(sent).toEqual([]); // nothing fetched: the data came with the document

  release();
  // the app's own home: its sections the document does not draw, and its navigation
  await expect(cold.getByRole('heading', { name: 'Rekomendasi pelatihan' })).toBeVisible();
  await expect(cold.getByRole('navigation', { name: 'Navigasi utama' })).toBeVisible();
  await expect(cold.getByRole('progressbar', { name: 'Jumlah dosis vaksin yang diberikan' })).toHaveCount(1);
  await expect(cold.getByRole('link', { name: '+ Catat aktivitas' })).toHaveCount(1);
  expect(sent.filter((name) => HOME_OPERATIONS.includes(name))).toEqual([]);
});

test('logging out expires the document cookie, and the next start is the login screen', async ({ page, context }) => {
  await loginAs(page, 'pegawai');
  expect(await documentCookie(context)).toBeDefined();
  await page.getByRole('button', { name: 'Keluar' }).click();
  await expect(page.getByRole('heading', { name: 'Kinerja ASN Tangerang Selatan' })).toBeVisible();
  await expect.poll(async () => (await documentCookie(context))?.value ?? null).toBeNull();

  const next = await context.newPage();
  const response = await next.goto('/');
  expect(await response!.text()).not.toContain('type="application/json"');
  await expect(next.getByLabel('NIP atau nama pengguna')).toBeVisible();
  await expect(next.getByRole('progressbar')).toHaveCount(0);
});
