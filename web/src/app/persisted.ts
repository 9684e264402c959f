// Queries and mutations go by hash (Automatic Persisted Queries, Apollo's version 1): the body
// carries `extensions.persistedQuery.sha256Hash` and no `query`, so a request is a few hundred
// bytes instead of the whole document. The hash is the SHA-256 of the text the client would
// send (urql's printed document with the `__typename`s graphcache adds), which the server
// pre-registers for every named operation of graphql/operations/ (portal/core/documents.py,
// `urql_printed`). A server that does not know the hash answers `PersistedQueryNotFound`; the
// exchange then sends the hash with the full text once (the server keeps it for the next time).
import { stringifyDocument, type Exchange, type TypedDocumentNode } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';

/**
 * Before `fetchExchange`, after the cache (it hashes the document the cache formatted).
 * POST, not GET: the server takes no GraphQL over GET (`allow_queries_via_get=False`), and
 * every request carries the session's Authorization header, so no shared cache could keep
 * the answers anyway.
 */
export function persistedRequests(): Exchange {
  return persistedExchange({ preferGetForPersistedQueries: false, enableForMutation: true });
}

/** Lowercase hex SHA-256 of the text; `null` where Web Crypto is missing (not a secure context). */
export async function sha256Hex(text: string): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function notFound(body: unknown): boolean {
  const errors = (body as { errors?: Array<{ message?: unknown }> } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e.message === 'PersistedQueryNotFound');
}

/**
 * A named operation posted outside the urql client (login, token renewal, logout: they run
 * before a client exists or without one), by hash too: its printed text's SHA-256 (no cache,
 * no `__typename`), with the full text sent again only when the server does not know it.
 */
export async function postOperation<Variables extends object>(
  document: TypedDocumentNode<unknown, Variables>,
  operationName: string,
  variables: Variables,
  { accessToken, keepalive }: { accessToken?: string; keepalive?: boolean } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': 'id' };
  if (accessToken) headers.authorization = `Bearer ${accessToken}`;
  const query = stringifyDocument(document);
  const sha256Hash = await sha256Hex(query);
  const send = (withText: boolean) =>
    fetch('/graphql', {
      method: 'POST',
      headers,
      keepalive,
      body: JSON.stringify({
        operationName,
        ...(withText ? { query } : {}),
        variables,
        ...(sha256Hash ? { extensions: { persistedQuery: { version: 1, sha256Hash } } } : {}),
      }),
    });
  if (!sha256Hash) return send(true);
  const response = await send(false);
  const answer: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  return notFound(answer) ? send(true) : response;
}
