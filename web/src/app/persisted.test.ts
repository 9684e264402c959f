import 'fake-indexeddb/auto';
import type { Client as WsClient } from 'graphql-ws';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stringifyDocument } from '@urql/core';
import { EmployeeHomeDocument, LogActivitiesDocument, LoginDocument, ViewerDocument } from '../gql/graphql';
import { makeClient } from './client';
import { postOperation } from './persisted';
import fixture from './persisted.fixture.json';

interface Body {
  operationName?: string;
  query?: string;
  variables?: unknown;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string; miss?: boolean } };
}

// graphcache's IndexedDB storage listens for `online` on window (kept for the whole file: it
// answers after a test has ended)
Object.assign(globalThis, { window: { crypto: globalThis.crypto, addEventListener: () => undefined, removeEventListener: () => undefined } });

const NOT_FOUND = { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The app's own client against a fake server: `answer` gets every body it receives. */
function app(answer: (body: Body) => unknown) {
  const sent: Array<{ method: string; body: Body; size: number }> = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    const text = String(init.body);
    const body = JSON.parse(text) as Body;
    sent.push({ method: init.method ?? 'GET', body, size: text.length });
    return new Response(JSON.stringify(answer(body)), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  const ws = { subscribe: () => () => undefined, dispose: () => undefined } as unknown as WsClient;
  return { client: makeClient(ws, `test-${Math.random()}`), sent };
}

describe('the app sends its operations by hash', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined, removeItem: () => undefined });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('a query: POST with the hash the server pre-registered, no document text', async () => {
    const { client, sent } = app(() => ({ data: null }));
    await client.query(EmployeeHomeDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    await client.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST']);
    expect(sent.map((s) => s.body.query)).toEqual([undefined, undefined]);
    expect(sent.map((s) => s.body.extensions?.persistedQuery)).toEqual([
      { version: 1, sha256Hash: fixture.hashes.EmployeeHome },
      { version: 1, sha256Hash: fixture.hashes.Viewer }, // a document with a fragment
    ]);
    expect(sent[0]!.size).toBeLessThan(250);
  });

  it('a mutation goes by hash too', async () => {
    const { client, sent } = app(() => ({ data: null }));
    await client.mutation(LogActivitiesDocument, { input: { items: [] } }).toPromise();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.query).toBeUndefined();
    expect(sent[0]!.body.extensions?.persistedQuery?.sha256Hash).toBe(fixture.hashes.LogActivities);
  });

  it('a server that does not know the hash gets the full text once, with the same hash', async () => {
    const { client, sent } = app((body) => (body.query ? { data: null } : NOT_FOUND));
    const result = await client.query(EmployeeHomeDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    expect(result.error).toBeUndefined();
    expect(sent).toHaveLength(2);
    const [first, retry] = sent.map((s) => s.body);
    expect(first!.query).toBeUndefined();
    expect(retry!.query).toContain('query EmployeeHome');
    expect(retry!.extensions?.persistedQuery).toEqual({ version: 1, sha256Hash: fixture.hashes.EmployeeHome, miss: true });
    // the hash is the text's SHA-256, or the server would refuse the pair as a mismatch
    expect(sha256(retry!.query!)).toBe(fixture.hashes.EmployeeHome);
  });

  it('login and token renewal (outside the client): by hash, the full text only for a server that does not know it', async () => {
    const variables = { input: { username: 'pegawai', password: 'x' } };
    const known = app(() => ({ data: { login: null } }));
    const response = await postOperation(LoginDocument, 'Login', variables);
    expect(await response.json()).toEqual({ data: { login: null } });
    const hash = sha256(stringifyDocument(LoginDocument));
    expect(known.sent.map((s) => s.body)).toEqual([{ operationName: 'Login', variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }]);

    const unknown = app((body) => (body.query ? { data: { login: null } } : NOT_FOUND));
    expect(await (await postOperation(LoginDocument, 'Login', variables)).json()).toEqual({ data: { login: null } });
    expect(unknown.sent.map((s) => s.body.query === undefined)).toEqual([true, false]);
    expect(sha256(unknown.sent[1]!.body.query!)).toBe(hash);
  });
});
