// This browser's Web Push subscription: made with the server's VAPID key after the user opts
// in (the browser asks for permission then, never on its own), registered with the API, and
// removed again when the user opts out.
import type { Client } from 'urql';
import { RegisterPushSubscriptionDocument, RemovePushSubscriptionDocument } from '../gql/graphql';

export type PushSupport = 'ok' | 'unsupported' | 'denied';

export function pushSupport(): PushSupport {
  if (typeof window === 'undefined' || !('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return 'unsupported';
  }
  return Notification.permission === 'denied' ? 'denied' : 'ok';
}

/** The VAPID key (base64url) as the bytes `pushManager.subscribe` takes. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export type PushResult = { ok: true; count: number } | { ok: false; reason: 'unsupported' | 'denied' | 'failed'; message?: string };

async function registration(): Promise<ServiceWorkerRegistration | null> {
  if (!('serviceWorker' in navigator)) return null;
  const existing = await navigator.serviceWorker.getRegistration();
  return existing ? navigator.serviceWorker.ready : null;
}

/** Ask for permission, subscribe this browser, and register it with the API. */
export async function subscribePush(client: Client, publicKey: string): Promise<PushResult> {
  if (pushSupport() === 'unsupported') return { ok: false, reason: 'unsupported' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, reason: 'denied' };
  const reg = await registration();
  if (!reg) return { ok: false, reason: 'unsupported' };
  try {
    const subscription =
      (await reg.pushManager.getSubscription()) ??
      (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(publicKey) }));
    const json = subscription.toJSON();
    const result = await client
      .mutation(RegisterPushSubscriptionDocument, {
        input: { endpoint: json.endpoint ?? subscription.endpoint, p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
      })
      .toPromise();
    const errors = result.data?.registerPushSubscription.userErrors ?? [];
    if (result.error || errors.length) {
      return { ok: false, reason: 'failed', message: errors[0]?.message ?? result.error?.message };
    }
    return { ok: true, count: result.data?.registerPushSubscription.pushSubscriptions ?? 0 };
  } catch (error) {
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : undefined };
  }
}

/** Forget this browser's subscription, here and at the API. */
export async function unsubscribePush(client: Client): Promise<void> {
  const reg = await registration();
  const subscription = reg ? await reg.pushManager.getSubscription() : null;
  if (!subscription) return;
  await client.mutation(RemovePushSubscriptionDocument, { endpoint: subscription.endpoint }).toPromise();
  await subscription.unsubscribe();
}
