// The GraphQL client: urql with graphcache (a normalised cache keyed by the schema's global IDs,
// so a verification arriving for one activity updates every screen that shows it) and
// graphql-ws for subscriptions (graphql-transport-ws on /graphql, the token in the
// connection_init payload). Every document is a named operation from graphql/operations/,
// typed by codegen (src/gql/); queries and mutations are sent by hash (persisted.ts).
import { Client, fetchExchange, mapExchange, subscriptionExchange } from '@urql/core';
import { offlineExchange, type Cache } from '@urql/exchange-graphcache';
import { makeDefaultStorage } from '@urql/exchange-graphcache/default-storage';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { keylessTypes } from '../gql/keyless';
import { ActivitiesDocument, EmployeeHomeDocument, NotificationsDocument, SurveysDocument } from '../gql/graphql';
import { todayIso } from '../i18n/format';
import { endEarlyFreshness, takeEarlyResponse } from './early';
import { persistedRequests } from './persisted';
import { freshAccessToken, onSessionChange, saveSession } from './session';

const SESSION_ENDING_CODES = new Set([
  'UNAUTHENTICATED',
  'TOKEN_EXPIRED',
  'TOKEN_REVOKED',
  'INVALID_TOKEN',
  'ACCOUNT_DISABLED',
]);

function invalidateRoot(cache: Cache, ...fields: string[]): void {
  const wanted = new Set(fields);
  for (const info of cache.inspectFields('Query')) {
    if (wanted.has(info.fieldName)) cache.invalidate('Query', info.fieldName, info.arguments ?? undefined);
  }
}

function wsUrl(): string {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * The socket checks its session on the server: it is closed with 4403 when the access token
 * expires (graphql-ws then reconnects, asking `connectionParams` for a fresh token, and
 * resubscribes) and with 4401 when the session ended (not retried). To keep the socket and its
 * subscriptions, every renewed token is also handed to the open socket in band: a `ping`
 * whose payload carries the new token (the server answers with a `pong`).
 */
export function makeWsClient(): WsClient {
  let open: WebSocket | null = null;
  let sentToken: string | null = null;
  const client = createWsClient({
    url: wsUrl(),
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    connectionParams: async () => {
      const token = await freshAccessToken();
      sentToken = token;
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: (socket) => {
        open = socket as WebSocket;
      },
      closed: () => {
        open = null;
      },
    },
  });
  const stopRenewing = onSessionChange((session) => {
    const token = session?.accessToken ?? null;
    if (!token || token === sentToken || open?.readyState !== WebSocket.OPEN) return;
    sentToken = token;
    open.send(JSON.stringify({ type: 'ping', payload: { authorization: `Bearer ${token}` } }));
  });
  const dispose = client.dispose.bind(client);
  client.dispose = () => {
    stopRenewing();
    return dispose();
  };
  return client;
}

const keys = Object.fromEntries(keylessTypes.map((name) => [name, () => null]));

/**
 * The normalised cache is also kept in IndexedDB (one database per account, 7 days), so the
 * app opens on the last data it saw, offline too, and refreshes it from the network.
 */
export function cacheStorageName(username: string): string {
  return `kinerja-cache-${username}`;
}

/**
 * `onCacheRead` runs once the stored cache has been read into memory: send queries only then.
 * A result that arrives while it is being read goes to a temporary layer of graphcache and is
 * never stored (the next start would not find it), and a query sent before finds nothing.
 */
export function makeClient(ws: WsClient, username: string, onCacheRead: () => void = () => undefined): Client {
  let read = false;
  const cacheRead = () => {
    if (read) return;
    read = true;
    onCacheRead();
  };
  setTimeout(cacheRead, 2_000); // a store that does not answer never holds the app back longer
  const storage = makeDefaultStorage({ idbName: cacheStorageName(username), maxAge: 7, onCacheHydrated: cacheRead });
  return new Client({
    url: '/graphql',
    // Screens show what the cache has at once and refresh it from the network.
    requestPolicy: 'cache-and-network',
    // POST only: the server takes no queries over GET (they would land in logs and caches).
    preferGetMethod: false,
    fetch: async (input, init) => {
      // the home's first queries may already be on their way (index.html's early requests)
      const early = await takeEarlyResponse(init?.body);
      if (early) return early;
      const token = await freshAccessToken();
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      // the app's screens are Indonesian: ask for the server's messages in Indonesian too,
      // whatever the browser's language (the server answers English to Accept-Language: en)
      headers.set('accept-language', 'id');
      return fetch(input, { ...init, headers });
    },
    exchanges: [
      mapExchange({
        onOperation(operation) {
          // a write: the answers the page came with are no longer the server's state
          if (operation.kind === 'mutation') endEarlyFreshness();
        },
        onError(error) {
          const codes = error.graphQLErrors.map((e) => String(e.extensions?.code ?? ''));
          if (codes.some((code) => SESSION_ENDING_CODES.has(code))) saveSession(null);
        },
      }),
      offlineExchange({
        storage,
        keys,
        updates: {
          Mutation: {
            logActivity: (_r, _a, cache) => invalidateRoot(cache, 'activities', 'mySkp', 'teamProgress'),
            logActivities: (_r, _a, cache) => invalidateRoot(cache, 'activities', 'mySkp', 'teamProgress'),
            updateActivity: (_r, _a, cache) => invalidateRoot(cache, 'activities'),
            verifyActivities: (_r, _a, cache) => invalidateRoot(cache, 'activities', 'teamProgress'),
            postFeedbackMessage: (_r, _a, cache) => invalidateRoot(cache, 'feedbackThreads', 'node'),
            openFeedbackThread: (_r, _a, cache) => invalidateRoot(cache, 'feedbackThreads'),
            markFeedbackThreadRead: (_r, _a, cache) => invalidateRoot(cache, 'unreadFeedbackCount'),
            setNotificationChannels: (_r, _a, cache) => invalidateRoot(cache, 'notificationChannels'),
            registerPushSubscription: (_r, _a, cache) => invalidateRoot(cache, 'notificationChannels'),
            removePushSubscription: (_r, _a, cache) => invalidateRoot(cache, 'notificationChannels'),
            markNotificationsRead: (_r, _a, cache) =>
              invalidateRoot(cache, 'notifications', 'unreadNotificationCount'),
            actOnMentoringAlert: (_r, _a, cache) => invalidateRoot(cache, 'mentoringAlerts'),
            acceptRecommendation: (_r, _a, cache) =>
              invalidateRoot(cache, 'trainingRecommendations', 'jpLedger', 'trainingAssignments'),
            enrolTraining: (_r, _a, cache) =>
              invalidateRoot(cache, 'trainingRecommendations', 'jpLedger', 'trainingAssignments'),
            answerSurvey: (_r, _a, cache) => invalidateRoot(cache, 'surveys'),
            startEvaluation: (_r, _a, cache) => invalidateRoot(cache, 'evaluations'),
            finaliseEvaluation: (_r, _a, cache) => invalidateRoot(cache, 'evaluations'),
            recordDialogKinerja: (_r, _a, cache) => invalidateRoot(cache, 'openDialogActions'),
            createPeriod: (_r, _a, cache) => invalidateRoot(cache, 'periods'),
            createAdminAccount: (_r, _a, cache) => invalidateRoot(cache, 'accounts'),
            createProgram: (_r, _a, cache) => invalidateRoot(cache, 'programs'),
            createSession: (_r, _a, cache) => invalidateRoot(cache, 'programs'),
            inviteUnit: (_r, _a, cache) => invalidateRoot(cache, 'programs', 'node'),
            checkIn: (_r, _a, cache) => invalidateRoot(cache, 'programs', 'node'),
            createSurvey: (_r, _a, cache) => invalidateRoot(cache, 'surveys'),
            openSurvey: (_r, _a, cache) => invalidateRoot(cache, 'surveys'),
            closeSurvey: (_r, _a, cache) => invalidateRoot(cache, 'surveys', 'surveyResults'),
            setOrgPredikat: (_r, _a, cache) => invalidateRoot(cache, 'distributionCurve'),
            finaliseOpdPeriod: (_r, _a, cache) => invalidateRoot(cache, 'distributionCurve', 'incentiveRows'),
            importEmployees: (_r, _a, cache) => invalidateRoot(cache, 'employees', 'opds'),
          },
          Subscription: {
            notificationReceived: (result, _a, cache) => {
              invalidateRoot(cache, 'notifications', 'unreadNotificationCount');
              const notification = result.notificationReceived as { kind?: string; subjectId?: string | null };
              const kind = notification.kind ?? '';
              if (kind.startsWith('ACTIVITY_') && notification.subjectId) {
                // The activity's status changed: drop it so every screen showing it refetches.
                cache.invalidate({ __typename: 'Activity', id: notification.subjectId });
                invalidateRoot(cache, 'activities', 'mySkp');
              }
              if (kind === 'THREAD_MESSAGE') invalidateRoot(cache, 'feedbackThreads', 'unreadFeedbackCount');
              if (kind === 'MENTORING_ALERT') invalidateRoot(cache, 'mentoringAlerts', 'mySupportOffers');
            },
            mentoringAlertRaised: (_r, _a, cache) => invalidateRoot(cache, 'mentoringAlerts'),
          },
        },
      }),
      persistedRequests(),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });
}

/**
 * Start the home screen's queries together with `Viewer` instead of after it: on a slow
 * connection every round trip saved is seconds (the screens then find them in the cache).
 */
export function prefetchHome(client: Client): void {
  if (window.location.pathname !== '/') return;
  const today = todayIso();
  void client.query(EmployeeHomeDocument, {}).toPromise();
  void client.query(ActivitiesDocument, { first: 20, filter: { dateFrom: today, dateTo: today } }).toPromise();
  void client.query(SurveysDocument, { first: 5, openOnly: true }).toPromise();
  void client.query(NotificationsDocument, { first: 1 }).toPromise();
}
