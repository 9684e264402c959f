"""Automatic persisted queries (Apollo APQ, version 1) and the allow-list of named operations.

A document's hash is the lowercase hex SHA-256 of its exact UTF-8 text. The documents of
``graphql/operations/`` (one file each, sent verbatim) are known to every worker from start-up;
other documents a client registers (hash and text sent together) go to the shared store, so a
hash registered through one worker resolves on all of them. In allow-list mode only the named
operations run, by hash or by full text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError

from portal.core.store import Store

APQ_VERSION = 1
STORE_PREFIX = "apq:"
STORE_TTL_SECONDS = 7 * 24 * 3600
# Larger documents still run but are not stored (a string literal is one token of any length).
MAX_STORED_CHARS = 100_000
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def document_hash(document: str) -> str:
    """The persisted-query hash of a document: SHA-256 of its UTF-8 text, lowercase hex."""
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def load_manifest(directory: Path) -> dict[str, str]:
    """``{hash: document}`` of every ``*.graphql`` file under ``directory``."""
    documents = (path.read_text(encoding="utf-8") for path in sorted(directory.rglob("*.graphql")))
    return {document_hash(text): text for text in documents}


class PersistedQueryError(Exception):
    """A persisted-query request that cannot run; ``code`` goes to ``extensions.code``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def graphql_error(self) -> GraphQLError:
        """The error as it appears in the response."""
        return GraphQLError(self.message, extensions={"code": self.code})


NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
REQUIRED = "PERSISTED_QUERY_REQUIRED"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The document to run, and the hash to store it under once it ran (new APQ documents)."""

    query: str | None
    register_as: str | None = None


class PersistedQueries:
    """Resolves APQ requests against the named operations and the shared store."""

    def __init__(self, manifest: Mapping[str, str], *, persisted_only: bool) -> None:
        self.manifest = dict(manifest)
        self.persisted_only = persisted_only

    def allows(self, query: str | None) -> bool:
        """Whether a full-text document may run (always, unless in allow-list mode)."""
        return not self.persisted_only or (query is not None and self.is_named(query))

    def is_named(self, query: str) -> bool:
        """Whether the document is one of the named operations, byte for byte."""
        return document_hash(query) in self.manifest

    async def resolve(
        self, store: Store, query: str | None, extensions: Mapping[str, Any] | None
    ) -> Resolved:
        """The document a request runs.

        Raises:
            PersistedQueryError: unknown hash, hash not matching the text, unsupported
                version, or (allow-list mode) a document that is not a named operation.
        """
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
        sha = raw_hash.lower() if isinstance(raw_hash, str) else ""
        if query is None:
            found = self.manifest.get(sha)
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
        if sha in self.manifest:
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
    "verbatim or its persisted-query hash"
)


_OPERATION_NAME = re.compile(r"^\s*(?:query|mutation|subscription)\s+([_A-Za-z]\w*)", re.MULTILINE)


def operation_names(documents: Iterable[str]) -> set[str]:
    """The names of the operations the documents define (metric labels stay bounded to these)."""
    return {m.group(1) for doc in documents for m in _OPERATION_NAME.finditer(doc)}
