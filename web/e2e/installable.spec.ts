// Installable: a web app manifest with the city's icons, a service worker that keeps the app
// shell, so the app opens with no connection; and GraphiQL from the portal's own assets.
import { SCREENSHOTS, expect, test } from './support/fixtures';

test.use({ serviceWorkers: 'allow' });

test('has a web app manifest and icons for installing', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = await (await request.get(href!)).json();
  expect(manifest).toMatchObject({ name: 'Kinerja ASN Tangerang Selatan', lang: 'id', display: 'standalone', start_url: '/' });
  const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
  expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of manifest.icons) expect((await request.get(icon.src)).ok()).toBe(true);
});

test('opens without a connection once the service worker has the app shell', async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload(); // now controlled by the service worker
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  await context.setOffline(true);
  await page.goto('/aktivitas/baru'); // a client route, straight from the cache
  await expect(page.getByRole('heading', { name: 'Kinerja ASN Tangerang Selatan' })).toBeVisible();
  await context.setOffline(false);
});

test('serves GraphiQL at /graphql from its own assets, with no request elsewhere', async ({ page, baseURL }) => {
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(baseURL!) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/graphql');
  await expect(page.locator('.graphiql-container')).toBeVisible();
  await expect(page.getByText('Kinerja')).toHaveCount(0); // not the app: the explorer
  await page.waitForTimeout(1500);
  expect(elsewhere).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/graphiql.png` });
});
