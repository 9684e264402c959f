// The offline queue for activity logging: every activity the employee logs is first written
// to IndexedDB with its idempotency key, then sent with the `logActivities` mutation (a batch
// of up to 100). A lost connection leaves it queued ("belum terkirim"); a retry sends the same
// key, which the server stores once and replays afterwards, so retries never duplicate.
// Independent of React and of urql: the transport is passed in, so it is unit-tested alone.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** What the employee entered (the `ActivityFields` of the schema). */
export interface ActivityDraft {
  activityDate: string;
  description: string;
  quantity: number;
  unit: string;
  durationMinutes: number | null;
  indicatorId: string | null;
}

/**
 * pending: not sent yet, or the last try failed on the network;
 * stored: the server holds it (first time, or a replay of an earlier try that got through);
 * conflict: the key was already used on the server for a different activity;
 * rejected: the server refused it (userErrors), with its message.
 */
export type ItemState = 'pending' | 'stored' | 'conflict' | 'rejected';

export interface QueuedItem {
  key: string;
  owner: string;
  draft: ActivityDraft;
  queuedAt: string;
  /** Order of logging on this device (timestamps alone tie within a millisecond). */
  seq: number;
  state: ItemState;
  attempts: number;
  activityId: string | null;
  message: string | null;
}

/** One result of the batch, as the `LogActivities` operation returns it. */
export interface BatchResult {
  idempotencyKey: string;
  replayed: boolean;
  activity: { id: string; activityDate: string } | null;
  userErrors: { message: string; code: string }[];
}

/** Sends a batch; throws when the request did not get an answer (offline, 5xx, timeout). */
export type SendBatch = (items: { idempotencyKey: string; activity: ActivityDraft }[]) => Promise<BatchResult[]>;

export interface SyncReport {
  sent: number;
  stored: number;
  conflicts: number;
  rejected: number;
  failed: boolean;
}

interface QueueSchema extends DBSchema {
  items: { key: string; value: QueuedItem; indexes: { byOwner: string } };
}

export const MAX_BATCH = 100;
type Listener = () => void;

function newKey(): string {
  return crypto.randomUUID();
}

let counter = 0;
function nextSeq(): number {
  counter = (counter + 1) % 1000;
  return Date.now() * 1000 + counter;
}

export class OfflineQueue {
  private readonly listeners = new Set<Listener>();
  private syncing: Promise<SyncReport> | null = null;

  private constructor(private readonly db: IDBPDatabase<QueueSchema>) {}

  static async open(name = 'kinerja-offline'): Promise<OfflineQueue> {
    const db = await openDB<QueueSchema>(name, 1, {
      upgrade(database) {
        const store = database.createObjectStore('items', { keyPath: 'key' });
        store.createIndex('byOwner', 'owner');
      },
    });
    return new OfflineQueue(db);
  }

  close(): void {
    this.db.close();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /** Queue an activity for `owner` (the logged-in username) with a fresh idempotency key. */
  async add(owner: string, draft: ActivityDraft, key: string = newKey()): Promise<QueuedItem> {
    const item: QueuedItem = {
      key,
      owner,
      draft,
      queuedAt: new Date().toISOString(),
      seq: nextSeq(),
      state: 'pending',
      attempts: 0,
      activityId: null,
      message: null,
    };
    await this.db.add('items', item);
    this.changed();
    return item;
  }

  /** The owner's items, oldest first. */
  async items(owner: string): Promise<QueuedItem[]> {
    const items = await this.db.getAllFromIndex('items', 'byOwner', owner);
    return items.sort((a, b) => a.seq - b.seq);
  }

  async pending(owner: string): Promise<QueuedItem[]> {
    return (await this.items(owner)).filter((item) => item.state === 'pending');
  }

  /** Forget an item the employee has seen (a stored, conflicting or rejected one). */
  async dismiss(key: string): Promise<void> {
    const item = await this.db.get('items', key);
    if (item && item.state !== 'pending') {
      await this.db.delete('items', key);
      this.changed();
    }
  }

  /** Drop the stored ones (the server has them; the screens show them from there). */
  async clearStored(owner: string): Promise<void> {
    const tx = this.db.transaction('items', 'readwrite');
    for (const item of await tx.store.index('byOwner').getAll(owner)) {
      if (item.state === 'stored') await tx.store.delete(item.key);
    }
    await tx.done;
    this.changed();
  }

  /**
   * Send the owner's pending items in batches of at most 100 and record each result. Calls
   * made while a sync runs join it, so one device never sends the same item twice at once
   * (and if it did, the server would store it once).
   */
  sync(owner: string, send: SendBatch): Promise<SyncReport> {
    this.syncing ??= this.runSync(owner, send).finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async runSync(owner: string, send: SendBatch): Promise<SyncReport> {
    const report: SyncReport = { sent: 0, stored: 0, conflicts: 0, rejected: 0, failed: false };
    const pending = await this.pending(owner);
    for (let start = 0; start < pending.length; start += MAX_BATCH) {
      const batch = pending.slice(start, start + MAX_BATCH);
      let results: BatchResult[];
      try {
        results = await send(batch.map((item) => ({ idempotencyKey: item.key, activity: item.draft })));
      } catch {
        await this.recordAttempt(batch);
        report.failed = true;
        break;
      }
      report.sent += batch.length;
      const byKey = new Map(results.map((r) => [r.idempotencyKey, r]));
      const tx = this.db.transaction('items', 'readwrite');
      for (const item of batch) {
        const result = byKey.get(item.key);
        const next = settle(item, result);
        if (next.state === 'stored') report.stored += 1;
        if (next.state === 'conflict') report.conflicts += 1;
        if (next.state === 'rejected') report.rejected += 1;
        await tx.store.put(next);
      }
      await tx.done;
      this.changed();
    }
    return report;
  }

  private async recordAttempt(batch: QueuedItem[]): Promise<void> {
    const tx = this.db.transaction('items', 'readwrite');
    for (const item of batch) await tx.store.put({ ...item, attempts: item.attempts + 1 });
    await tx.done;
    this.changed();
  }
}

/** The item after the server's answer for it (pure). */
export function settle(item: QueuedItem, result: BatchResult | undefined): QueuedItem {
  const attempts = item.attempts + 1;
  if (!result) return { ...item, attempts }; // no answer for this key: try again later
  if (result.activity) {
    // A replay of a key the server already holds: the same activity arriving again (an earlier
    // try got through) is stored; a different one under that key is a conflict.
    const conflict = result.replayed && result.activity.activityDate !== item.draft.activityDate;
    return {
      ...item,
      attempts,
      state: conflict ? 'conflict' : 'stored',
      activityId: result.activity.id,
      message: null,
    };
  }
  const message = result.userErrors.map((e) => e.message).join('; ') || null;
  return { ...item, attempts, state: 'rejected', message };
}
