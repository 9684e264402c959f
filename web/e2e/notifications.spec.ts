// Notification settings (demo login `pegawai`): channels, per kind too, and quiet hours saved, read back after
// a reload and through the API; and the service worker's Web Push handler showing the generic
// text a push carries (a synthetic push event inside the real worker: headless Chromium has no
// push service to subscribe to).
import { Nav, loginAs } from './pages/app';
import { login, op } from './support/api';
import { expect, screen, test } from './support/fixtures';

interface Channels {
  email: string | null;
  emailEnabled: boolean;
  pushEnabled: boolean;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  webPushPublicKey: string | null;
  kinds: { category: string; inApp: boolean; email: boolean; push: boolean }[];
}

async function channelsOf(token: string): Promise<Channels> {
  return (await op<{ notificationChannels: Channels }>('NotificationChannels', {}, token)).notificationChannels;
}

test('notification settings: channels and quiet hours saved and read back after reload', async ({ page }) => {
  const token = await login('pegawai');
  const before = await channelsOf(token);
  try {
    await loginAs(page, 'pegawai');
    await new Nav(page).notificationBell().click();
    await page.getByRole('link', { name: 'Pengaturan notifikasi' }).click();
    await expect(page.getByRole('heading', { name: 'Pengaturan notifikasi', level: 1 })).toBeVisible();
    await expect(page.getByLabel('Di portal')).toBeChecked();
    await expect(page.getByLabel('Di portal')).toBeDisabled();
    await screen(page, 'pegawai-notification-settings');

    // e-mail on without an address: the API's user error next to the field
    await page.getByLabel('Kirim juga lewat e-mail').check();
    await page.getByLabel('Alamat e-mail').fill('');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByRole('alert')).toContainText('Isi alamat e-mail terlebih dahulu');

    // a valid choice: e-mail with quiet hours over the night
    await page.getByLabel('Alamat e-mail').fill('pegawai.e2e@tangerangselatankota.go.id');
    await page.getByLabel('Mulai').fill('21:30');
    await page.getByLabel('Selesai').fill('06:00');
    // per kind: feedback not by e-mail, verification results not marked new in the portal
    await page.getByRole('group', { name: 'Umpan balik' }).getByLabel('E-mail').uncheck();
    await page.getByRole('group', { name: 'Verifikasi aktivitas' }).getByLabel('Portal').uncheck();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pengaturan notifikasi disimpan.' })).toBeVisible();

    await page.reload();
    await expect(page.getByLabel('Kirim juga lewat e-mail')).toBeChecked();
    await expect(page.getByLabel('Alamat e-mail')).toHaveValue('pegawai.e2e@tangerangselatankota.go.id');
    await expect(page.getByLabel('Mulai')).toHaveValue('21:30');
    await expect(page.getByLabel('Selesai')).toHaveValue('06:00');
    await expect(page.getByRole('group', { name: 'Umpan balik' }).getByLabel('E-mail')).not.toBeChecked();
    await expect(page.getByRole('group', { name: 'Umpan balik' }).getByLabel('Portal')).toBeChecked();
    await expect(page.getByRole('group', { name: 'Verifikasi aktivitas' }).getByLabel('Portal')).not.toBeChecked();
    await expect(page.getByRole('group', { name: 'Peringatan mentoring' }).getByLabel('Push')).toBeChecked();
    const push = page.getByLabel('Kirim juga sebagai notifikasi push ke perangkat');
    if (before.webPushPublicKey === null) {
      // no VAPID key on this server: push cannot be chosen, and the screen says why
      await expect(push).toBeDisabled();
      await expect(page.getByText('Notifikasi push belum diaktifkan oleh pengelola portal.')).toBeVisible();
    }
    await screen(page, 'pegawai-notification-settings-saved');

    const saved = await channelsOf(token);
    expect(saved).toMatchObject({ email: 'pegawai.e2e@tangerangselatankota.go.id', emailEnabled: true, quietHoursStart: '21:30', quietHoursEnd: '06:00' });
    const kinds = Object.fromEntries(saved.kinds.map((k) => [k.category, k]));
    expect(kinds.FEEDBACK).toEqual({ category: 'FEEDBACK', inApp: true, email: false, push: true });
    expect(kinds.VERIFICATION).toEqual({ category: 'VERIFICATION', inApp: false, email: true, push: true });

    // quiet hours off again: both emptied
    await page.getByLabel('Mulai').fill('');
    await page.getByLabel('Selesai').fill('');
    await page.getByLabel('Kirim juga lewat e-mail').uncheck();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pengaturan notifikasi disimpan.' })).toBeVisible();
    expect(await channelsOf(token)).toMatchObject({ emailEnabled: false, quietHoursStart: null, quietHoursEnd: null });
  } finally {
    // leave the demo account as it was for the other journeys
    await op(
      'SetNotificationChannels',
      {
        input: {
          email: before.email,
          emailEnabled: before.emailEnabled,
          pushEnabled: before.pushEnabled,
          quietHoursStart: before.quietHoursStart,
          quietHoursEnd: before.quietHoursEnd,
          kinds: before.kinds,
        },
      },
      token,
    );
  }
});

test('opting in to push subscribes this device with the server key and registers it', async ({ page, context, baseURL }) => {
  // Headless Chromium has no push service: the browser's PushManager is a stand-in that records
  // what the app asks for, and the server (no VAPID key in the demo) answers with a key.
  const token = await login('pegawai');
  const before = await channelsOf(token);
  const serverKey = Buffer.alloc(65, 4).toString('base64url');
  const endpoint = `https://push.example.test/e2e-${Date.now().toString(36)}`;
  await context.grantPermissions(['notifications'], { origin: baseURL! });
  await page.addInitScript(
    ({ endpoint }) => {
      const record = window as unknown as { pushAsked?: { userVisibleOnly: boolean; keyBytes: number[] } };
      let current: PushSubscription | null = null;
      const subscription = {
        endpoint,
        toJSON: () => ({ endpoint, keys: { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) } }),
        unsubscribe: async () => true,
      } as unknown as PushSubscription;
      const pushManager = {
        getSubscription: async () => current,
        subscribe: async (options: PushSubscriptionOptionsInit) => {
          const key = new Uint8Array(options.applicationServerKey as ArrayBuffer);
          record.pushAsked = { userVisibleOnly: Boolean(options.userVisibleOnly), keyBytes: [key.length, key[0] ?? -1] };
          current = subscription;
          return subscription;
        },
      };
      const registration = { pushManager } as unknown as ServiceWorkerRegistration;
      Object.defineProperty(ServiceWorkerContainer.prototype, 'ready', { get: () => Promise.resolve(registration) });
      ServiceWorkerContainer.prototype.getRegistration = async () => registration;
    },
    { endpoint },
  );
  await page.route('**/graphql', async (route) => {
    // by operation name: the app sends a hash, not the document's text
    const sent = route.request().postDataJSON() as { operationName?: string } | null;
    if (sent?.operationName !== 'NotificationChannels') return route.continue();
    const response = await route.fetch();
    const json = await response.json();
    json.data.notificationChannels.webPushPublicKey = serverKey;
    return route.fulfill({ response, json });
  });
  try {
    await loginAs(page, 'pegawai');
    await page.goto('/notifikasi/pengaturan');
    const push = page.getByLabel('Kirim juga sebagai notifikasi push ke perangkat');
    await expect(push).toBeEnabled();
    await push.check();
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Pengaturan notifikasi disimpan.' })).toBeVisible();
    // the app subscribed with the server's key (65 bytes, uncompressed point) for visible pushes
    expect(await page.evaluate(() => (window as unknown as { pushAsked?: unknown }).pushAsked)).toEqual({ userVisibleOnly: true, keyBytes: [65, 4] });
    const saved = await op<{ notificationChannels: { pushEnabled: boolean; pushSubscriptions: number } }>('NotificationChannels', {}, token);
    expect(saved.notificationChannels.pushEnabled).toBe(true);
    expect(saved.notificationChannels.pushSubscriptions).toBeGreaterThanOrEqual(1);
    await expect(page.getByText(/perangkat terdaftar untuk notifikasi push/)).toBeVisible();
  } finally {
    await op('RemovePushSubscription', { endpoint }, token);
    await op(
      'SetNotificationChannels',
      { input: { email: before.email, emailEnabled: before.emailEnabled, pushEnabled: before.pushEnabled, quietHoursStart: before.quietHoursStart, quietHoursEnd: before.quietHoursEnd, kinds: before.kinds } },
      token,
    );
  }
});

test.describe('Web Push in the service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test('a push shows the generic text it carries and opens the screen of its kind', async ({ page, context, baseURL }) => {
    await context.grantPermissions(['notifications'], { origin: baseURL! });
    const registered = context.waitForEvent('serviceworker');
    await page.goto('/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const worker = context.serviceWorkers()[0] ?? (await registered);
    // exactly what the delivery job sends for a mentoring alert (portal.notifications.channels)
    const payload = {
      title: 'Ada hal yang perlu perhatian Anda',
      body: 'Ada hal yang perlu perhatian Anda di Kinerja Portal. Silakan masuk untuk melihatnya.',
      url: `${baseURL}/`,
      tag: 'MENTORING_ALERT',
    };
    const shown = await worker.evaluate(async (data) => {
      const scope = globalThis as unknown as {
        PushEvent: new (type: string, init: { data: string }) => Event;
        registration: ServiceWorkerRegistration;
        dispatchEvent(event: Event): boolean;
      };
      scope.dispatchEvent(new scope.PushEvent('push', { data }));
      for (let i = 0; i < 50; i += 1) {
        const list = await scope.registration.getNotifications({ tag: 'MENTORING_ALERT' });
        if (list.length) {
          const found = list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: (n.data as { url: string }).url }));
          list.forEach((n) => n.close());
          return found;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return [];
    }, JSON.stringify(payload));
    expect(shown).toEqual([{ title: payload.title, body: payload.body, tag: 'MENTORING_ALERT', url: `${baseURL}/tim/peringatan` }]);
  });
});
