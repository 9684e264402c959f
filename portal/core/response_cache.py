"""Serialized answers of the hot named screens, served again until the data changes (issue 22).

A dashboard request spends most of its time in GraphQL execution (resolving ~2 000 fields),
not in SQL. For the operations of :data:`HOT_OPERATIONS` the encoded response body is kept in
the shared store, and the next identical request gets those bytes without running a resolver.

**What an answer depends on, all in the key or the version:**

* the document (exactly one of the named operations, as the persisted-query manifest knows
  it: other documents, even equal up to layout, run normally), the operation name and the
  variables;
* the viewer: account, employee, roles and administered OPDs (the authenticator reads them
  from the database on every request, before the cache is asked: a revoked session or a
  changed role never reaches a stored answer), and the ``Accept-Language`` choice;
* today's date in the deployment's time zone (``PORTAL_TIMEZONE``): expected pace, current
  periods, acting appointments, bookable courses and JP years follow the date;
* the **data version** :data:`VERSION_KEY`, bumped once after every committed write of any
  table a read shows (:func:`portal.core.db.set_write_listener`: the engine notices every
  write statement, so services, imports, jobs and the worker need not remember to bump).

A stored entry carries the version it was computed at; the version and the entry are read in
one round trip (``Store.mget``) and the entry is served only when the two match. The version
is read *before* execution, so an answer that raced a write is stored under the old version,
which no reader asks for once the write's bump landed.

Only answers without any error are stored. While the store cannot answer (a Redis outage),
nothing is served from it; bumps lost in an outage are bounded by :data:`TTL_SECONDS`.
``PORTAL_RESPONSE_CACHE=0`` turns the whole mechanism off.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from portal.core import clock
from portal.core.db import set_write_listener
from portal.core.store import Store

if TYPE_CHECKING:
    from portal.core.auth import Viewer

logger = logging.getLogger(__name__)

HOT_OPERATIONS = frozenset({"SupervisorDashboard", "EmployeeHome", "TeamProgress", "MySkp"})
"""Read-only screens whose answers depend only on the key above (no 'now' beyond the date)."""

VERSION_KEY = "rc:version"
ENTRY_PREFIX = "rc:entry:"
TTL_SECONDS = 300
VERSION_TTL_SECONDS = 30 * 24 * 3600  # far longer than any entry lives


class ResponseCache:
    """The stored answers of the hot operations, for one app (one store)."""

    def __init__(self, store: Store, documents: Mapping[str, str]) -> None:
        """``documents``: ``{document text: operation name}`` of the hot named operations."""
        self.store = store
        self.documents = dict(documents)

    def operation(self, query: str | None, operation_name: str | None) -> str | None:
        """The hot operation a request runs, or None (anything else executes normally)."""
        if query is None:
            return None
        name = self.documents.get(query)
        if name is None or (operation_name is not None and operation_name != name):
            return None
        return name

    @staticmethod
    def key(name: str, variables: Mapping[str, Any] | None, viewer: Viewer, language: str) -> str:
        """The store key of one request's answer (without the data version)."""
        identity = (
            name,
            variables or {},
            viewer.account_id,
            viewer.employee_id,
            sorted(viewer.roles),
            sorted(viewer.admin_opd_ids),
            language,
            clock.today().isoformat(),
        )
        digest = hashlib.sha256(msgspec.json.encode(identity, order="sorted")).hexdigest()
        return f"{ENTRY_PREFIX}{name}:{digest[:40]}"

    async def lookup(self, key: str) -> tuple[bytes | None, str | None]:
        """``(stored body, current version)``; the version is None when nothing may be stored."""
        try:
            found = await self.store.mget([VERSION_KEY, key])
        except Exception:  # a cache never fails a request
            logger.exception("reading the response cache failed")
            return None, None
        if found is None:  # the store is degraded: every worker must agree, so no caching
            return None, None
        version = found[0] or "0"
        entry = found[1]
        if entry is not None:
            stored_version, _, body = entry.partition(":")
            if stored_version == version:
                return body.encode(), version
        return None, version

    async def save(self, key: str, version: str, body: bytes) -> None:
        """Store an answer computed while ``version`` was current."""
        try:
            await self.store.set(key, f"{version}:{body.decode()}", ttl_seconds=TTL_SECONDS)
        except Exception:
            logger.exception("writing the response cache failed")


_stores: list[Store] = []


async def bump_all() -> None:
    """Move every registered store to a new data version (after a committed write)."""
    for store in _stores:
        try:
            await store.incr(VERSION_KEY, VERSION_TTL_SECONDS)
        except Exception:  # a committed write must not fail; entries still expire
            logger.exception("bumping the response cache version failed")


def register(store: Store) -> None:
    """Bump ``store``'s data version after every write of this process (app and worker)."""
    if store not in _stores:
        _stores.append(store)
    set_write_listener(bump_all)


def unregister(store: Store) -> None:
    """Stop bumping ``store`` (shutdown)."""
    if store in _stores:
        _stores.remove(store)
    if not _stores:
        set_write_listener(None)


def hot_documents(named: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{document text: name}`` of the named operations that are hot."""
    return {document: name for name, document in named if name in HOT_OPERATIONS}
