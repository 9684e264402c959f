// The service worker's Web Push handlers (public/push-sw.js), run in a stand-in worker scope:
// a push event shows exactly the generic text it carries, a click opens the right screen.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const SOURCE = readFileSync(fileURLToPath(new URL('../../public/push-sw.js', import.meta.url)), 'utf8');
const ORIGIN = 'https://kinerja.tangerangselatankota.go.id';

type Handler = (event: unknown) => void;
interface Shown {
  title: string;
  options: { body: string; tag: string; data: { url: string } };
}

function worker(windows: { url: string; focused: string[]; navigated: string[] }[] = []) {
  const handlers: Record<string, Handler> = {};
  const shown: Shown[] = [];
  const opened: string[] = [];
  const self = {
    location: { origin: ORIGIN },
    addEventListener: (name: string, handler: Handler) => {
      handlers[name] = handler;
    },
    registration: {
      showNotification: async (title: string, options: Shown['options']) => {
        shown.push({ title, options });
      },
    },
    clients: {
      matchAll: async () =>
        windows.map((w) => ({
          url: w.url,
          focus: async function (this: unknown) {
            w.focused.push(w.url);
            return this;
          },
          navigate: async (url: string) => {
            w.navigated.push(url);
          },
        })),
      openWindow: async (url: string) => {
        opened.push(url);
      },
    },
  };
  runInNewContext(SOURCE, { self, URL, JSON });
  async function dispatch(name: string, event: Record<string, unknown>): Promise<void> {
    const waits: Promise<unknown>[] = [];
    handlers[name]!({ ...event, waitUntil: (p: Promise<unknown>) => waits.push(p) });
    await Promise.all(waits);
  }
  const push = (payload: string | null) =>
    dispatch('push', { data: payload === null ? null : { text: () => payload } });
  return { handlers, shown, opened, dispatch, push };
}

describe('push handler', () => {
  it('shows the title and body it was sent, tagged by kind, opening the screen of the kind', async () => {
    const sw = worker();
    await sw.push(JSON.stringify({ title: 'Aktivitas diverifikasi', body: 'Aktivitas diverifikasi. Silakan masuk.', url: `${ORIGIN}/`, tag: 'ACTIVITY_VERIFIED' }));
    expect(sw.shown).toHaveLength(1);
    expect(sw.shown[0]!.title).toBe('Aktivitas diverifikasi');
    expect(sw.shown[0]!.options.body).toBe('Aktivitas diverifikasi. Silakan masuk.');
    expect(sw.shown[0]!.options.tag).toBe('ACTIVITY_VERIFIED');
    expect(sw.shown[0]!.options.data.url).toBe(`${ORIGIN}/aktivitas`);
  });

  it('a mentoring alert shows only the generic text the server sent and opens the alert list', async () => {
    const sw = worker();
    const payload = { title: 'Ada hal yang perlu perhatian Anda', body: 'Ada hal yang perlu perhatian Anda di Kinerja Portal. Silakan masuk untuk melihatnya.', tag: 'MENTORING_ALERT' };
    await sw.push(JSON.stringify(payload));
    const { title, options } = sw.shown[0]!;
    expect(title).toBe(payload.title);
    expect(options.body).toBe(payload.body);
    expect(JSON.stringify(sw.shown)).not.toMatch(/skor|score|risiko|alasan|\d+%/i);
    expect(options.data.url).toBe(`${ORIGIN}/tim/peringatan`);
  });

  it('an empty or unreadable payload still shows a generic notification', async () => {
    const sw = worker();
    await sw.push(null);
    await sw.push('not json');
    expect(sw.shown.map((s) => s.title)).toEqual(['Kinerja Tangsel', 'Kinerja Tangsel']);
    expect(sw.shown[1]!.options.body).toMatch(/Buka Kinerja Portal/);
    expect(sw.shown[1]!.options.data.url).toBe(`${ORIGIN}/notifikasi`);
  });
});

describe('notificationclick handler', () => {
  const notification = (url: string) => {
    const closed: boolean[] = [];
    return { closed, value: { data: { url }, close: () => closed.push(true) } };
  };

  it('focuses an open window of the app and takes it to the screen', async () => {
    const open = { url: `${ORIGIN}/`, focused: [] as string[], navigated: [] as string[] };
    const sw = worker([open]);
    const n = notification(`${ORIGIN}/tim/peringatan`);
    await sw.dispatch('notificationclick', { notification: n.value });
    expect(n.closed).toEqual([true]);
    expect(open.focused).toEqual([`${ORIGIN}/`]);
    expect(open.navigated).toEqual([`${ORIGIN}/tim/peringatan`]);
    expect(sw.opened).toEqual([]);
  });

  it('opens the app when no window is open, never another origin', async () => {
    const sw = worker();
    await sw.dispatch('notificationclick', { notification: notification(`${ORIGIN}/aktivitas`).value });
    await sw.dispatch('notificationclick', { notification: notification('https://evil.example/phish').value });
    expect(sw.opened).toEqual([`${ORIGIN}/aktivitas`, `${ORIGIN}/notifikasi`]);
  });
});
