// The login session on this device: the access and refresh tokens in localStorage (so an
// installed app stays logged in across restarts and can sync queued activities), renewed with
// the `RefreshToken` operation shortly before the access token expires. Each refresh token
// works once, so renewals are single-flight: concurrent requests wait for the same renewal.
import { LogoutDocument, RefreshTokenDocument, type RefreshTokenMutation, type Role } from '../gql/graphql';
import { forgetEarlyResponses, SESSION_KEY } from './early';
import { postOperation } from './persisted';

export interface Session {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  roles: Role[];
  username: string;
}

const KEY = SESSION_KEY;
const RENEW_BEFORE_MS = 60_000;
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();
let renewal: Promise<Session | null> | null = null;

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else {
    localStorage.removeItem(KEY);
    forgetEarlyResponses(); // never answer the next account with the last one's data
  }
  for (const listener of listeners) listener(session);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Log out: the device forgets the session at once (a page opened or reloaded right after is
 * logged out, whatever the network does), then the server ends the session in the background
 * (`keepalive`: the request outlives the page) and expires the document cookie (the page with
 * the home's data, portal/home_document.py). `cacheName` is the account's stored cache,
 * deleted so nothing of it stays readable on a shared device.
 */
export function logOut(cacheName: string): void {
  const session = readSession();
  saveSession(null);
  indexedDB.deleteDatabase(cacheName);
  if (session) void endOnServer(session).catch(() => undefined);
}

/** `Logout` needs a live access token: an expired one is exchanged first (not stored). */
async function endOnServer(session: Session): Promise<void> {
  let { accessToken, refreshToken } = session;
  if (Date.parse(session.accessTokenExpiresAt) - Date.now() < RENEW_BEFORE_MS) {
    const renewed = await refreshed(refreshToken);
    if (!renewed?.accessToken || !renewed.refreshToken) return; // the session has ended already
    ({ accessToken, refreshToken } = renewed);
  }
  await postOperation(
    LogoutDocument,
    'Logout',
    { input: { refreshToken } },
    { accessToken, keepalive: true },
  );
}

async function refreshed(refreshToken: string): Promise<RefreshTokenMutation['refreshToken'] | undefined> {
  const response = await postOperation(
    RefreshTokenDocument,
    'RefreshToken',
    { input: { refreshToken } },
  );
  const body = (await response.json()) as { data?: RefreshTokenMutation | null };
  return body.data?.refreshToken;
}

async function renew(session: Session): Promise<Session | null> {
  const payload = await refreshed(session.refreshToken);
  if (!payload?.accessToken || !payload.refreshToken || !payload.accessTokenExpiresAt) {
    saveSession(null); // the session ended (expired, revoked or reused): log in again
    return null;
  }
  const next: Session = {
    ...session,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    accessTokenExpiresAt: payload.accessTokenExpiresAt,
    roles: payload.roles,
  };
  saveSession(next);
  return next;
}

/**
 * The access token to send now, renewed first when it expires within a minute. Offline, the
 * current token is returned as is (the request fails on the network, not on the token).
 */
export async function freshAccessToken(): Promise<string | null> {
  const session = readSession();
  if (!session) return null;
  const expiresAt = Date.parse(session.accessTokenExpiresAt);
  if (expiresAt - Date.now() > RENEW_BEFORE_MS) return session.accessToken;
  if (typeof navigator !== 'undefined' && !navigator.onLine) return session.accessToken;
  renewal ??= renew(session)
    .catch(() => session) // a network failure keeps the session for the next try
    .finally(() => {
      renewal = null;
    });
  return (await renewal)?.accessToken ?? null;
}
