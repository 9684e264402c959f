// Offline first for logging: with no connection activities are kept on the device with their
// idempotency keys, and stored exactly once when the connection returns.
import { ActivitiesPage, LogActivityPage, loginAs } from './pages/app';
import { activitiesDescribed, login } from './support/api';
import { expect, screen, test } from './support/fixtures';

test('network off -> log 3 activities -> network on -> exactly 3 stored, none twice', async ({ page, context }) => {
  const token = await login('pegawai');
  const stamp = Date.now().toString(36);
  const names = [1, 2, 3].map((n) => `Kunjungan rumah balita ${n} ${stamp}`);
  await loginAs(page, 'pegawai');
  const form = new LogActivityPage(page);
  await form.open();

  await context.setOffline(true);
  await expect(page.getByText('Luring', { exact: true })).toBeVisible();
  for (const name of names) {
    await form.log({ quantity: '1', minutes: '45', description: name });
    await expect(page.getByRole('status').filter({ hasText: 'Belum terkirim' })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: '3 belum terkirim' })).toBeVisible();
  await page.getByRole('link', { name: '3 belum terkirim' }).click(); // client-side route, no network
  const list = new ActivitiesPage(page);
  await expect(list.queued().filter({ hasText: stamp })).toHaveCount(3);
  for (const item of await list.queued().filter({ hasText: stamp }).all()) await expect(item).toContainText('Belum terkirim');
  await screen(page, 'pegawai-offline-queue');
  for (const name of names) expect(await activitiesDescribed(token, name)).toBe(0);

  await context.setOffline(false);
  await expect(page.getByRole('link', { name: /belum terkirim/ })).toHaveCount(0);
  for (const name of names) await expect(list.sent(name)).toHaveCount(1);
  for (const name of names) expect(await activitiesDescribed(token, name)).toBe(1);

  // Going off and on again (another sync) stores nothing twice.
  await context.setOffline(true);
  await context.setOffline(false);
  await page.reload();
  await expect(list.sent(names[0]!)).toHaveCount(1);
  for (const name of names) expect(await activitiesDescribed(token, name)).toBe(1);
});
