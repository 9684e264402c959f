// The home's first queries, sent by a small inline script of index.html as soon as the page
// arrives, while the app's script is still downloading: on a slow connection the data then
// arrives together with the script instead of one round trip after it. The script sends the
// named operations of graphql/operations/ (the server's allow-list) by the hash the app's
// client sends them by (persisted.ts: the document as the client prints it, with the
// `__typename`s its normalised cache adds, so the answers fit the cache) and the stored
// session's access token; the app's GraphQL client takes each answer once, for the same
// operation and variables, instead of sending the request again (an answer
// `PersistedQueryNotFound` too: its persisted exchange then sends the full text itself).
// The script is `startEarlyRequests` itself, inlined by vite.config.ts (`earlyRequestsScript`)
// and allowed by its hash in the page's CSP (portal/web.py): it must not use anything outside
// its own body.

export interface EarlyOperation {
  operationName: string;
  /** SHA-256 (hex) of the document as the client sends it (`stringifyDocument(formatDocument(doc))`). */
  hash: string;
  /** `TODAY` stands for today's date (YYYY-MM-DD, Asia/Jakarta), as `todayIso()` gives it. */
  variables: Record<string, unknown>;
}

export interface EarlyAnswer {
  status: number;
  contentType: string;
  text: string;
}

export const TODAY = '$today';
/**
 * The home's answers the server embedded in the document (portal/home_document.py: with a
 * valid document cookie, `GET /` runs these operations itself): a JSON script of this id,
 * `{"answers": [{"operationName", "variables", "body"}]}`. The early script takes them
 * instead of sending its requests, and the renderer (home-render.ts) draws the home from them.
 */
export const HOME_DATA_ID = 'kinerja-home-data';

export interface EmbeddedAnswer {
  operationName: string;
  variables: Record<string, unknown>;
  body: { data?: Record<string, unknown> | null };
}
/** Where the session lives in localStorage (session.ts). */
export const SESSION_KEY = 'kinerja.session';
const GLOBAL = '__kinerjaEarly';
/** Until when (epoch ms) the document's embedded answers answer every repeat of their query. */
const FRESH_UNTIL = '__kinerjaEarlyFresh';
/**
 * How long the answers the document carried stay fresh: the app asks for the home's data once
 * to fill its cache and again when the home mounts (`cache-and-network`); data that came with
 * the page a few seconds ago answers both (at most twice each), so nothing is fetched twice.
 * The first mutation ends it: what follows must see the server's new state.
 */
export const EMBEDDED_FRESH_MS = 10_000;
const EMBEDDED_TAKES = 2;
const taken = new WeakMap<Promise<EarlyAnswer>, number>();

/**
 * What the home needs first, sent early: who is logged in, the SKP progress and today's work
 * (the same operations and variables as `prefetchHome` in client.ts). Three requests, so with
 * the app's script and style they fit the six connections a browser opens to one HTTP/1.1 host.
 */
export const HOME_EARLY_OPERATIONS: ReadonlyArray<Omit<EarlyOperation, 'hash'>> = [
  { operationName: 'Viewer', variables: {} },
  { operationName: 'EmployeeHome', variables: {} },
  { operationName: 'Activities', variables: { first: 20, filter: { dateFrom: TODAY, dateTo: TODAY } } },
];

declare global {
  interface Window {
    [GLOBAL]?: Record<string, Promise<EarlyAnswer>>;
    [FRESH_UNTIL]?: number;
  }
}

/**
 * The inline script: only on a cold start of the home (`/`, no service worker controlling the
 * page: with one, the app opens on its stored cache and refreshes it itself). Answers the
 * server embedded are taken when they belong to the stored session's user (a page of another
 * user's data is removed: nothing draws it, nothing takes it); otherwise the requests are sent,
 * only with an access token valid for more than a minute.
 */
export function startEarlyRequests(operations: EarlyOperation[], sessionKey: string, today: string, dataId: string, freshMs: number): void {
  try {
    if (location.pathname !== '/' || navigator.serviceWorker?.controller) return;
    const raw = localStorage.getItem(sessionKey);
    const session = JSON.parse(raw ?? '{}') as { accessToken?: string; accessTokenExpiresAt?: string; username?: string };
    const stable = (value: unknown): string =>
      value && typeof value === 'object'
        ? Array.isArray(value)
          ? `[${value.map(stable).join(',')}]`
          : `{${Object.keys(value)
              .sort()
              .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
              .join(',')}}`
        : JSON.stringify(value);
    const embedded = document.getElementById(dataId);
    if (embedded) {
      const page = JSON.parse(embedded.textContent ?? '{}') as { answers?: EmbeddedAnswer[] };
      const viewer = page.answers?.find((a) => a.operationName === 'Viewer')?.body.data?.['viewer'] as { username?: string } | undefined;
      if (page.answers && viewer?.username && viewer.username === session.username) {
        const taken: Record<string, Promise<EarlyAnswer>> = {};
        for (const a of page.answers) {
          taken[`${a.operationName}:${stable(a.variables)}`] = Promise.resolve({ status: 200, contentType: 'application/json', text: JSON.stringify(a.body) });
        }
        (window as unknown as Record<string, unknown>)['__kinerjaEarly'] = taken;
        (window as unknown as Record<string, unknown>)['__kinerjaEarlyFresh'] = Date.now() + freshMs;
        return;
      }
      embedded.remove();
    }
    if (!session.accessToken || Date.parse(session.accessTokenExpiresAt ?? '') - Date.now() < 60_000) return;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const answers: Record<string, Promise<EarlyAnswer>> = {};
    for (const op of operations) {
      const variables = JSON.parse(JSON.stringify(op.variables).split(JSON.stringify(today)).join(JSON.stringify(day))) as Record<string, unknown>;
      answers[`${op.operationName}:${stable(variables)}`] = fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'id', authorization: `Bearer ${session.accessToken}` },
        body: JSON.stringify({ operationName: op.operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: op.hash } } }),
      }).then(async (r) => ({ status: r.status, contentType: r.headers.get('content-type') ?? 'application/json', text: await r.text() }));
    }
    (window as unknown as Record<string, unknown>)['__kinerjaEarly'] = answers;
  } catch {
    // no early requests: the app sends its queries itself
  }
}

/** The same key the inline script gives an operation: its name and its variables, keys sorted. */
export function earlyKey(operationName: string, variables: unknown): string {
  const stable = (value: unknown): string =>
    value && typeof value === 'object'
      ? Array.isArray(value)
        ? `[${value.map(stable).join(',')}]`
        : `{${Object.keys(value)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
            .join(',')}}`
      : JSON.stringify(value);
  return `${operationName}:${stable(variables ?? {})}`;
}

/**
 * The early answer to a GraphQL request body (urql's JSON: operationName, variables, hash),
 * taken once (an answer the document carried: as often as asked while it is fresh); `null`
 * when the inline script did not send this operation with these variables. A failed early
 * request also gives `null` (the client then sends the request itself).
 */
export function takeEarlyResponse(body: unknown): Promise<Response | null> | null {
  const answers = typeof window === 'undefined' ? undefined : window[GLOBAL];
  if (!answers || typeof body !== 'string') return null;
  let request: { operationName?: string; variables?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return null;
  }
  if (!request.operationName) return null;
  const key = earlyKey(request.operationName, request.variables);
  const answer = answers[key];
  const times = answer ? (taken.get(answer) ?? 0) : 0;
  const fresh = (window[FRESH_UNTIL] ?? 0) > Date.now();
  if (!answer || times >= (fresh ? EMBEDDED_TAKES : 1)) return null;
  taken.set(answer, times + 1);
  return answer.then(
    (a) => (a.status === 200 ? new Response(a.text, { status: a.status, headers: { 'content-type': a.contentType } }) : null),
    () => null,
  );
}

/**
 * A write was sent (client.ts, for every mutation): no answer the document carried is fresh
 * any more, so what follows comes from the server.
 */
export function endEarlyFreshness(): void {
  if (typeof window !== 'undefined') window[FRESH_UNTIL] = 0;
}

/** Settles when every early request has (or there were none): nothing then competes with them. */
export function earlyRequestsSettled(): Promise<void> {
  const answers = typeof window === 'undefined' ? undefined : window[GLOBAL];
  return Promise.allSettled(Object.values(answers ?? {})).then(() => undefined);
}

/** The inline script's text for index.html: the function above with its arguments. */
export function earlyRequestsScript(operations: EarlyOperation[], sessionKey: string): string {
  return `(${startEarlyRequests.toString()})(${JSON.stringify(operations)},${JSON.stringify(sessionKey)},${JSON.stringify(TODAY)},${JSON.stringify(HOME_DATA_ID)},${EMBEDDED_FRESH_MS})`;
}

/** Drop the early answers not taken yet: they belong to the session that just ended. */
export function forgetEarlyResponses(): void {
  if (typeof window === 'undefined') return;
  delete window[GLOBAL];
  delete window[FRESH_UNTIL];
}
