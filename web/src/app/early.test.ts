import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { todayIso } from '../i18n/format';
import { endEarlyFreshness, earlyRequestsScript, earlyRequestsSettled, forgetEarlyResponses, HOME_DATA_ID, HOME_EARLY_OPERATIONS, SESSION_KEY, takeEarlyResponse, TODAY } from './early';

const OPERATIONS = HOME_EARLY_OPERATIONS.map((op) => ({ ...op, hash: `hash-of-${op.operationName}` }));

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { operationName: string; query?: string; variables: unknown; extensions?: unknown };
}

function browser(path: string, session: object | null, answer: (sent: Sent) => Promise<Response>, controlled = false, embedded: object | null = null) {
  const sent: Sent[] = [];
  const element = embedded ? { textContent: JSON.stringify(embedded), removed: false, remove() { this.removed = true; } } : null;
  vi.stubGlobal('document', { getElementById: (id: string) => (id === HOME_DATA_ID && !element?.removed ? element : null) });
  const store = new Map<string, string>(session ? [[SESSION_KEY, JSON.stringify(session)]] : []);
  vi.stubGlobal('location', { pathname: path });
  vi.stubGlobal('localStorage', { getItem: (key: string) => store.get(key) ?? null });
  vi.stubGlobal('window', globalThis);
  vi.stubGlobal('navigator', { serviceWorker: { controller: controlled ? {} : null } });
  vi.stubGlobal('fetch', (url: string, init: { headers: Record<string, string>; body: string }) => {
    const request = { url, headers: init.headers, body: JSON.parse(init.body) as Sent['body'] };
    sent.push(request);
    return answer(request);
  });
  return sent;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const json = (data: unknown) => Promise.resolve(new Response(JSON.stringify({ data }), { status: 200, headers: { 'content-type': 'application/json' } }));
const runScript = () => new Function(earlyRequestsScript(OPERATIONS, SESSION_KEY))();
/** The body urql sends: its own key order, the variables as the screen wrote them. */
const urqlBody = (operationName: string, variables: unknown) =>
  JSON.stringify({ operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } });

describe('early requests of index.html', () => {
  beforeEach(() => {
    delete (globalThis as Record<string, unknown>).__kinerjaEarly;
    delete (globalThis as Record<string, unknown>).__kinerjaEarlyFresh;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('sends the home operations with the stored token, and the client takes each answer once', async () => {
    const sent = browser('/', { accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, (s) => json({ op: s.body.operationName }));
    runScript();
    expect(sent.map((s) => s.body.operationName)).toEqual(['Viewer', 'EmployeeHome', 'Activities']);
    expect(sent.every((s) => s.url === '/graphql' && s.headers.authorization === 'Bearer tok')).toBe(true);
    // by hash, as the app's persisted exchange sends them: no document text on the wire
    expect(sent.map((s) => s.body.query)).toEqual([undefined, undefined, undefined]);
    expect(sent[1]!.body.extensions).toEqual({ persistedQuery: { version: 1, sha256Hash: 'hash-of-EmployeeHome' } });
    expect(sent[2]!.body.variables).toEqual({ first: 20, filter: { dateFrom: todayIso(), dateTo: todayIso() } });
    expect(JSON.stringify(sent)).not.toContain(TODAY);

    const today = todayIso();
    const activities = await takeEarlyResponse(urqlBody('Activities', { filter: { dateTo: today, dateFrom: today }, first: 20 }));
    expect(await activities!.json()).toEqual({ data: { op: 'Activities' } });
    expect(takeEarlyResponse(urqlBody('Activities', { first: 20, filter: { dateFrom: today, dateTo: today } }))).toBeNull();
    expect(takeEarlyResponse(urqlBody('Activities', { first: 50 }))).toBeNull(); // other variables
    expect(takeEarlyResponse(urqlBody('Surveys', {}))).toBeNull(); // not sent early
    const viewer = await takeEarlyResponse(urqlBody('Viewer', undefined));
    expect(await viewer!.json()).toEqual({ data: { op: 'Viewer' } });
    await earlyRequestsSettled();
  });

  it('answers no one once the session that sent them ended (a next login sends its own)', async () => {
    browser('/', { accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, (s) => json({ op: s.body.operationName }));
    runScript();
    forgetEarlyResponses();
    expect(takeEarlyResponse(urqlBody('Viewer', undefined))).toBeNull();
    expect(takeEarlyResponse(urqlBody('EmployeeHome', undefined))).toBeNull();
  });

  it('sends nothing off the home, from the service worker, without a session or with a token about to expire', () => {
    expect(browser('/', { accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, () => json({}), true)).toEqual([]);
    runScript();
    expect(browser('/tim', { accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, () => json({}))).toEqual([]);
    runScript();
    expect(browser('/', null, () => json({}))).toEqual([]);
    runScript();
    const soon = new Date(Date.now() + 30_000).toISOString();
    const sent = browser('/', { accessToken: 'tok', accessTokenExpiresAt: soon }, () => json({}));
    runScript();
    expect(sent).toEqual([]);
    expect(takeEarlyResponse(urqlBody('Viewer', {}))).toBeNull();
  });

  it('leaves a failed early request to the client (no answer taken)', async () => {
    browser('/', { accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, (s) =>
      s.body.operationName === 'Viewer' ? Promise.reject(new TypeError('offline')) : Promise.resolve(new Response('busy', { status: 503 })),
    );
    runScript();
    expect(await takeEarlyResponse(urqlBody('Viewer', {}))).toBeNull();
    expect(await takeEarlyResponse(urqlBody('EmployeeHome', {}))).toBeNull();
    await expect(earlyRequestsSettled()).resolves.toBeUndefined();
  });
});

describe('answers the server embedded in the document', () => {
  const today = todayIso();
  const page = (username: string) => ({
    answers: [
      { operationName: 'Viewer', variables: {}, body: { data: { viewer: { username } } } },
      { operationName: 'EmployeeHome', variables: {}, body: { data: { mySkp: null } } },
      { operationName: 'Activities', variables: { first: 20, filter: { dateFrom: today, dateTo: today } }, body: { data: { activities: { edges: [] } } } },
    ],
  });
  beforeEach(() => {
    delete (globalThis as Record<string, unknown>).__kinerjaEarly;
    delete (globalThis as Record<string, unknown>).__kinerjaEarlyFresh;
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('are taken by the client instead of sending any request, even with an expired token', async () => {
    const expired = new Date(Date.now() - 60_000).toISOString();
    const sent = browser('/', { username: 'pegawai', accessToken: 'tok', accessTokenExpiresAt: expired }, () => json({}), false, page('pegawai'));
    runScript();
    expect(sent).toEqual([]);
    const activities = await takeEarlyResponse(urqlBody('Activities', { first: 20, filter: { dateTo: today, dateFrom: today } }));
    expect(await activities!.json()).toEqual({ data: { activities: { edges: [] } } });
    const viewer = await takeEarlyResponse(urqlBody('Viewer', undefined));
    expect(await viewer!.json()).toEqual({ data: { viewer: { username: 'pegawai' } } });
    // the home asks again when it mounts (cache-and-network): answered once more, while fresh
    const again = await takeEarlyResponse(urqlBody('Viewer', {}));
    expect(await again!.json()).toEqual({ data: { viewer: { username: 'pegawai' } } });
    expect(takeEarlyResponse(urqlBody('Viewer', {}))).toBeNull(); // a third time: the network's
    await takeEarlyResponse(urqlBody('EmployeeHome', {}));
    vi.useFakeTimers({ now: Date.now() + 11_000 });
    expect(takeEarlyResponse(urqlBody('EmployeeHome', {}))).toBeNull(); // later: the network's turn
    vi.useRealTimers();
  });

  it('are stale after the first mutation: what follows a write comes from the server', async () => {
    browser('/', { username: 'pegawai', accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, () => json({}), false, page('pegawai'));
    runScript();
    expect(await takeEarlyResponse(urqlBody('EmployeeHome', {}))).not.toBeNull();
    endEarlyFreshness(); // the client sent a mutation (by hash: the body does not say so)
    expect(takeEarlyResponse(urqlBody('EmployeeHome', {}))).toBeNull();
  });

  it("are another user's: dropped, and the stored session's own requests are sent", () => {
    const sent = browser('/', { username: 'atasan', accessToken: 'tok', accessTokenExpiresAt: inAnHour() }, () => json({}), false, page('pegawai'));
    runScript();
    expect(sent.map((s) => s.body.operationName)).toEqual(['Viewer', 'EmployeeHome', 'Activities']);
    expect(document.getElementById(HOME_DATA_ID)).toBeNull();
  });

  it('without a stored session: dropped, nothing taken', () => {
    const sent = browser('/', null, () => json({}), false, page('pegawai'));
    runScript();
    expect(sent).toEqual([]);
    expect(document.getElementById(HOME_DATA_ID)).toBeNull();
    expect(takeEarlyResponse(urqlBody('Viewer', undefined))).toBeNull();
  });
});
