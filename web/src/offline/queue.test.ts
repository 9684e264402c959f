import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { OfflineQueue, settle, type ActivityDraft, type BatchResult, type SendBatch } from './queue';

const draft = (activityDate = '2026-12-04', quantity = 10): ActivityDraft => ({
  activityDate,
  description: 'Pelayanan imunisasi di posyandu',
  quantity,
  unit: 'dosis vaksin',
  durationMinutes: 120,
  indicatorId: 'SW5kaWNhdG9yOjI3OQ',
});

/** A fake server with the real idempotency rule: one row per key, later sends are replays. */
function fakeServer() {
  const rows = new Map<string, { id: string; activityDate: string }>();
  const calls: string[][] = [];
  const send: SendBatch = async (items) => {
    calls.push(items.map((i) => i.idempotencyKey));
    return items.map((i): BatchResult => {
      if (i.activity.quantity < 0) {
        return { idempotencyKey: i.idempotencyKey, replayed: false, activity: null, userErrors: [{ code: 'INVALID_VALUE', message: 'Jumlah tidak boleh negatif' }] };
      }
      const existing = rows.get(i.idempotencyKey);
      if (existing) return { idempotencyKey: i.idempotencyKey, replayed: true, activity: existing, userErrors: [] };
      const row = { id: `A${rows.size + 1}`, activityDate: i.activity.activityDate };
      rows.set(i.idempotencyKey, row);
      return { idempotencyKey: i.idempotencyKey, replayed: false, activity: row, userErrors: [] };
    });
  };
  return { rows, calls, send };
}

let queue: OfflineQueue;
let dbName = 0;

beforeEach(async () => {
  dbName += 1;
  queue = await OfflineQueue.open(`test-${dbName}`);
});

describe('OfflineQueue', () => {
  it('keeps activities logged offline with a unique idempotency key each', async () => {
    // given three activities logged without a connection
    const a = await queue.add('pegawai', draft());
    const b = await queue.add('pegawai', draft('2026-12-03'));
    const c = await queue.add('pegawai', draft('2026-12-02'));
    // then all three wait, each with its own key
    const pending = await queue.pending('pegawai');
    expect(pending.map((i) => i.key)).toEqual([a.key, b.key, c.key]);
    expect(new Set(pending.map((i) => i.key)).size).toBe(3);
    expect(pending.every((i) => i.state === 'pending')).toBe(true);
  });

  it('stores each queued activity exactly once when the connection returns', async () => {
    const server = fakeServer();
    for (const day of ['2026-12-02', '2026-12-03', '2026-12-04']) await queue.add('pegawai', draft(day));
    // when synced
    const report = await queue.sync('pegawai', server.send);
    // then three rows, one batch, nothing left pending
    expect(report).toEqual({ sent: 3, stored: 3, conflicts: 0, rejected: 0, failed: false });
    expect(server.rows.size).toBe(3);
    expect(server.calls).toHaveLength(1);
    expect(await queue.pending('pegawai')).toEqual([]);
  });

  it('retries with the same keys after a network failure and never duplicates', async () => {
    const server = fakeServer();
    await queue.add('pegawai', draft('2026-12-03'));
    await queue.add('pegawai', draft('2026-12-04'));
    // given a request that reached the server but whose answer was lost
    const lostAnswer: SendBatch = async (items) => {
      await server.send(items);
      throw new TypeError('Failed to fetch');
    };
    const first = await queue.sync('pegawai', lostAnswer);
    expect(first.failed).toBe(true);
    const stillPending = await queue.pending('pegawai');
    expect(stillPending.map((i) => i.attempts)).toEqual([1, 1]);
    // when retried
    const second = await queue.sync('pegawai', server.send);
    // then the same keys were sent again, the server replayed them, and there are still 2 rows
    expect(server.calls[0]).toEqual(server.calls[1]);
    expect(server.rows.size).toBe(2);
    expect(second.stored).toBe(2);
    expect((await queue.items('pegawai')).map((i) => i.state)).toEqual(['stored', 'stored']);
  });

  it('joins a sync already running instead of sending the items twice', async () => {
    const server = fakeServer();
    await queue.add('pegawai', draft());
    const [one, two] = await Promise.all([queue.sync('pegawai', server.send), queue.sync('pegawai', server.send)]);
    expect(one).toBe(two);
    expect(server.calls).toHaveLength(1);
  });

  it('shows rejected items with the server message and keeps them out of later syncs', async () => {
    const server = fakeServer();
    await queue.add('pegawai', draft('2026-12-04', -1));
    await queue.add('pegawai', draft('2026-12-04', 5));
    const report = await queue.sync('pegawai', server.send);
    expect(report.rejected).toBe(1);
    const [rejected, stored] = await queue.items('pegawai');
    expect(rejected?.state).toBe('rejected');
    expect(rejected?.message).toBe('Jumlah tidak boleh negatif');
    expect(stored?.state).toBe('stored');
    await queue.sync('pegawai', server.send);
    expect(server.calls).toHaveLength(1); // nothing pending: no request at all
  });

  it('sends at most 100 items per request', async () => {
    const server = fakeServer();
    for (let i = 0; i < 205; i += 1) await queue.add('pegawai', draft());
    const report = await queue.sync('pegawai', server.send);
    expect(server.calls.map((c) => c.length)).toEqual([100, 100, 5]);
    expect(report.stored).toBe(205);
  });

  it("keeps each account's items apart", async () => {
    const server = fakeServer();
    await queue.add('pegawai', draft());
    await queue.add('atasan', draft());
    await queue.sync('pegawai', server.send);
    expect(await queue.pending('atasan')).toHaveLength(1);
    expect(await queue.pending('pegawai')).toHaveLength(0);
  });

  it('dismisses settled items but never a pending one', async () => {
    const server = fakeServer();
    const pendingItem = await queue.add('pegawai', draft());
    await queue.dismiss(pendingItem.key);
    expect(await queue.items('pegawai')).toHaveLength(1);
    await queue.sync('pegawai', server.send);
    await queue.dismiss(pendingItem.key);
    expect(await queue.items('pegawai')).toHaveLength(0);
  });
});

describe('settle', () => {
  const item = { key: 'k', owner: 'p', draft: draft('2026-12-04'), queuedAt: '', seq: 1, state: 'pending' as const, attempts: 0, activityId: null, message: null };

  it('marks a replay of the same activity as stored', () => {
    const next = settle(item, { idempotencyKey: 'k', replayed: true, activity: { id: 'A1', activityDate: '2026-12-04' }, userErrors: [] });
    expect(next.state).toBe('stored');
  });

  it('marks a key the server holds for another activity as a conflict', () => {
    const next = settle(item, { idempotencyKey: 'k', replayed: true, activity: { id: 'A1', activityDate: '2026-11-30' }, userErrors: [] });
    expect(next.state).toBe('conflict');
    expect(next.activityId).toBe('A1');
  });

  it('leaves an item without an answer pending', () => {
    expect(settle(item, undefined)).toMatchObject({ state: 'pending', attempts: 1 });
  });
});
