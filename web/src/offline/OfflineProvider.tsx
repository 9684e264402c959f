// Connects the offline queue to the app: syncs when the app starts, when the connection
// returns, after each new activity and every 30 s while something waits, through the
// `logActivities` mutation.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useClient } from 'urql';
import { LogActivitiesDocument } from '../gql/graphql';
import { OfflineQueue, type ActivityDraft, type BatchResult, type QueuedItem, type SendBatch, type SyncReport } from './queue';

interface OfflineState {
  online: boolean;
  items: QueuedItem[];
  pendingCount: number;
  log: (draft: ActivityDraft) => Promise<QueuedItem | null>;
  sync: () => Promise<SyncReport | null>;
  dismiss: (key: string) => Promise<void>;
}

const OfflineContext = createContext<OfflineState | null>(null);
let shared: Promise<OfflineQueue> | null = null;

function openQueue(): Promise<OfflineQueue> {
  shared ??= OfflineQueue.open();
  return shared;
}

export function OfflineProvider({ owner, children }: { owner: string; children: ReactNode }) {
  const client = useClient();
  const [queue, setQueue] = useState<OfflineQueue | null>(null);
  const [items, setItems] = useState<QueuedItem[]>([]);
  const [online, setOnline] = useState(() => navigator.onLine);

  const send = useCallback<SendBatch>(
    async (batch) => {
      const result = await client
        .mutation(LogActivitiesDocument, { input: { items: batch } }, { requestPolicy: 'network-only' })
        .toPromise();
      const payload = result.data?.logActivities;
      if (result.error?.networkError || !payload) throw result.error ?? new Error('no answer');
      if (payload.userErrors.length) throw new Error(payload.userErrors.map((e) => e.message).join('; '));
      return payload.results.map(
        (r): BatchResult => ({
          idempotencyKey: r.idempotencyKey,
          replayed: r.replayed,
          activity: r.activity ? { id: r.activity.id, activityDate: r.activity.activityDate } : null,
          userErrors: r.userErrors.map((e) => ({ code: e.code, message: e.message })),
        }),
      );
    },
    [client],
  );

  useEffect(() => {
    let alive = true;
    void openQueue().then((q) => {
      if (!alive) return;
      setQueue(q);
      const refresh = () => void q.items(owner).then((all) => alive && setItems(all));
      refresh();
      const unsubscribe = q.subscribe(refresh);
      cleanup = unsubscribe;
    });
    let cleanup: (() => void) | null = null;
    return () => {
      alive = false;
      cleanup?.();
    };
  }, [owner]);

  const sync = useCallback(async () => {
    if (!queue || !navigator.onLine) return null;
    return queue.sync(owner, send);
  }, [queue, owner, send]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      void sync();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    void sync();
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [sync]);

  const pendingCount = items.filter((i) => i.state === 'pending').length;
  useEffect(() => {
    if (!pendingCount) return undefined;
    const timer = window.setInterval(() => void sync(), 30_000);
    return () => window.clearInterval(timer);
  }, [pendingCount, sync]);

  const log = useCallback(
    async (draft: ActivityDraft) => {
      if (!queue) return null;
      const item = await queue.add(owner, draft);
      await sync();
      return (await queue.items(owner)).find((i) => i.key === item.key) ?? item;
    },
    [queue, owner, sync],
  );

  const dismiss = useCallback(async (key: string) => queue?.dismiss(key), [queue]);

  const value = useMemo<OfflineState>(
    () => ({ online, items, pendingCount, log, sync, dismiss }),
    [online, items, pendingCount, log, sync, dismiss],
  );
  return <OfflineContext.Provider value={value}>{children}</OfflineContext.Provider>;
}

export function useOffline(): OfflineState {
  const state = useContext(OfflineContext);
  if (!state) throw new Error('useOffline outside OfflineProvider');
  return state;
}
