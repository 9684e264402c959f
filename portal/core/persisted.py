"""Persisted documents: Apollo APQ (version 1), ``documentId`` requests and the allow-list.

A document's hash is the lowercase hex SHA-256 of its UTF-8 text. The named operations of
``graphql/operations/`` are known to every worker from start-up, under the hash of every form a
standard client sends them in (:mod:`portal.core.documents`): the file, ``print(parse(file))``
(Apollo; urql's without blank lines), the same with ``__typename`` added (their caches), and
the GraphQL Codegen client-preset's normalised text (its ``persisted-documents.json`` key,
``sha256:<hex>``, usable as ``{"documentId": …}`` or as an APQ hash). Other documents a client
registers (hash and text sent together) go to the shared store, so a hash registered through
one worker resolves on all of them. In allow-list mode only the named operations run: by any of
those hashes, or by a full text that equals one of them up to layout, comments, selection order
and ``__typename``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import GraphQLError

from portal.core.documents import SHA256_PREFIX, canonical, load_operations, sha256_hex, variants
from portal.core.error_codes import message as localised
from portal.core.store import Store

APQ_VERSION = 1
STORE_PREFIX = "apq:"
STORE_TTL_SECONDS = 7 * 24 * 3600
# Larger documents still run but are not stored (a string literal is one token of any length).
MAX_STORED_CHARS = 100_000
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


# Full texts checked against the allow-list, remembered per worker (texts over the limit are
# parsed every time; no named operation is that long).
_CANONICAL_CACHE = 2048
_CANONICAL_MAX_CHARS = 20_000


def document_hash(document: str) -> str:
    """The persisted-query hash of a document: SHA-256 of its UTF-8 text, lowercase hex."""
    return sha256_hex(document)


def load_manifest(directory: Path) -> dict[str, str]:
    """``{hash: document}`` of every named operation under ``directory`` (with its fragments)."""
    documents = (operation.document for operation in load_operations(directory).values())
    return {document_hash(text): text for text in documents}


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run; ``code`` goes to ``extensions.code``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def graphql_error(self) -> GraphQLError:
        """The error as it appears in the response."""
        return GraphQLError(localised(self.code), extensions={"code": self.code})


NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
REQUIRED = "PERSISTED_QUERY_REQUIRED"
# GraphQL over HTTP, Appendix A (persisted documents): ``{"documentId": "sha256:<hex>"}``; the
# view moves a request's top-level ``documentId`` into its extensions under this key.
DOCUMENT_ID = "documentId"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The document to run, and the hash to store it under once it ran (new APQ documents)."""

    query: str | None
    register_as: str | None = None


class PersistedQueries:
    """Resolves APQ requests against the named operations and the shared store."""

    def __init__(self, documents: Iterable[str], *, persisted_only: bool) -> None:
        self.documents = list(documents)
        self.persisted_only = persisted_only
        # {hash of a client form: the text to run}; the client-preset id also as sha256:<hex>
        self.manifest: dict[str, str] = {}
        self.canonical: set[str] = set()
        for document in self.documents:
            self.manifest.update(variants(document))
            key = canonical(document)
            if key is not None:
                self.canonical.add(key)
        self._is_named = lru_cache(maxsize=_CANONICAL_CACHE)(self._named)

    def allows(self, query: str | None) -> bool:
        """Whether a full-text document may run (always, unless in allow-list mode)."""
        return not self.persisted_only or (query is not None and self.is_named(query))

    def is_named(self, query: str) -> bool:
        """Whether the document is a named operation, up to layout, order and ``__typename``."""
        if document_hash(query) in self.manifest:
            return True
        if len(query) > _CANONICAL_MAX_CHARS:
            return self._named(query)
        return self._is_named(query)

    def _named(self, query: str) -> bool:
        return canonical(query) in self.canonical

    def lookup(self, document_id: str) -> str | None:
        """The named operation a hash or ``documentId`` stands for (``sha256:`` prefix or not)."""
        key = document_id.strip().lower()
        return self.manifest.get(key) or self.manifest.get(key.removeprefix(SHA256_PREFIX))

    async def resolve(
        self, store: Store, query: str | None, extensions: Mapping[str, Any] | None
    ) -> Resolved:
        """The document a request runs.

        Raises:
            PersistedQueryError: unknown hash, hash not matching the text, unsupported
                version, or (allow-list mode) a document that is not a named operation.
        """
        document_id = (extensions or {}).get(DOCUMENT_ID)
        if document_id is not None and query is None:
            found = self.lookup(document_id) if isinstance(document_id, str) else None
            if found is None:
                raise PersistedQueryError(NOT_FOUND, "PersistedQueryNotFound")
            return Resolved(found)
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if query is not None and not self.allows(query):
                raise PersistedQueryError(REQUIRED, _REQUIRED_MESSAGE)
            return Resolved(query)
        if not isinstance(persisted, Mapping) or persisted.get("version") != APQ_VERSION:
            raise PersistedQueryError(
                NOT_SUPPORTED, f"Only persisted query version {APQ_VERSION} is supported"
            )
        raw_hash = persisted.get("sha256Hash")
        sha = raw_hash.lower().removeprefix(SHA256_PREFIX) if isinstance(raw_hash, str) else ""
        if query is None:
            found = self.lookup(sha)
            if found is None and not self.persisted_only and _SHA256_HEX.fullmatch(sha):
                found = await store.get(STORE_PREFIX + sha)
            if found is None:
                # Apollo clients match this exact message and then resend with the full text
                raise PersistedQueryError(NOT_FOUND, "PersistedQueryNotFound")
            return Resolved(found)
        if document_hash(query) != sha:
            raise PersistedQueryError(
                HASH_MISMATCH, "sha256Hash does not match the SHA-256 of the query text"
            )
        if sha in self.manifest or self.is_named(query):
            return Resolved(query)
        if self.persisted_only:
            raise PersistedQueryError(REQUIRED, _REQUIRED_MESSAGE)
        return Resolved(query, register_as=sha if len(query) <= MAX_STORED_CHARS else None)

    @staticmethod
    async def remember(store: Store, sha: str, query: str) -> None:
        """Store a client-registered document for every worker, for a week.

        When it expired, the client's next hash-only request gets ``PersistedQueryNotFound``
        and the client registers it again.
        """
        await store.set(STORE_PREFIX + sha, query, ttl_seconds=STORE_TTL_SECONDS)


_REQUIRED_MESSAGE = (
    "Only the portal's named operations may run here: send one of graphql/operations/ "
    "(any layout), its persisted-query hash or its documentId"
)
