"""Serialized answers of the hot named screens, served again until the data changes (issue 22).

A dashboard request spends most of its time in GraphQL execution (resolving ~2 000 fields),
not in SQL. For the operations of :data:`HOT_OPERATIONS` the encoded response body is kept in
the shared store, and the next identical request gets those bytes without running a resolver.

**What an answer depends on, all in the key or the version:**

* the document, exactly one of the named operations in one of the forms a standard client
  sends it in (:func:`portal.core.documents.variants`: the file, its print, urql's print with
  graphcache's ``__typename``; other documents, even equal up to layout, run normally), the
  text itself (a form with ``__typename`` answers with it), the operation name and the
  variables;
* the viewer: account, employee, roles and administered OPDs (the authenticator reads them
  from the database on every request, before the cache is asked: a revoked session or a
  changed role never reaches a stored answer), and the ``Accept-Language`` choice;
* today's date in the deployment's time zone (``PORTAL_TIMEZONE``): expected pace, current
  periods, acting appointments, bookable courses and JP years follow the date;
* the **data versions**: the global :data:`VERSION_KEY`, moved after every committed write
  that did not declare whom it changes (:func:`portal.core.db.set_write_listener`: the
  engine notices every write statement, so services, imports, jobs and the worker need not
  remember to bump); the version of every employee the answer depends on (the viewer and
  everyone they supervise: ``rc:v:emp:<id>``), moved by the writes declared with
  :func:`portal.core.db.write_scope`; for wide viewers (administrators) :data:`WIDE_KEY`,
  moved by every declared write.

A stored entry carries the versions it was computed at and names its employees; the global
version and the entry are read in one round trip (``Store.mget``), the employees' versions
in a second, and the entry is served only when all match. The versions are read *before*
execution, so an answer that raced a write is stored under an old version, which no reader
asks for once the write's bump landed.

Only answers without any error are stored. While the store cannot answer (a Redis outage),
nothing is served from it; bumps lost in an outage are bounded by :data:`TTL_SECONDS`.
``PORTAL_RESPONSE_CACHE=0`` stops serving stored answers; the data versions still move (a
worker's caches of derived data, :func:`data_version`, follow them).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from portal.core import clock
from portal.core.auth import Role
from portal.core.db import set_write_listener
from portal.core.documents import variants
from portal.core.store import Store

if TYPE_CHECKING:
    from portal.core.auth import Viewer

logger = logging.getLogger(__name__)

HOT_OPERATIONS = frozenset({"SupervisorDashboard", "EmployeeHome", "TeamProgress", "MySkp"})
"""Read-only screens whose answers depend only on the key above (no 'now' beyond the date)."""

VERSION_KEY = "rc:version"
"""The global data version: moved by every write not scoped to employees (the safety net)."""
WIDE_KEY = "rc:v:wide"
"""Moved by every scoped write: the version of viewers whose screens reach beyond their team."""
EMPLOYEE_PREFIX = "rc:v:emp:"
"""``rc:v:emp:<id>``: moved by the scoped writes that change what screens show of employee id."""
ENTRY_PREFIX = "rc:entry:"
EPOCH_KEY = "rc:epoch"
"""A token drawn once per store lifetime: versions start again when a store is emptied (tests,
a Redis restart), so what a process keeps keys by the epoch too (:func:`data_version`)."""
TTL_SECONDS = 300
VERSION_TTL_SECONDS = 30 * 24 * 3600  # far longer than any entry lives
_NARROW_ROLES = frozenset({Role.PEGAWAI, Role.ATASAN})


def is_wide(viewer: Viewer) -> bool:
    """Whether the viewer's screens may show employees beyond themself and their team.

    Administrators (OPD, BKPSDM, sosialisasi) see city or OPD figures (adoption, everyone's
    progress): their answers follow :data:`WIDE_KEY`, which every scoped write moves.
    """
    return (
        viewer.employee_id is None
        or bool(viewer.admin_opd_ids)
        or not viewer.roles <= _NARROW_ROLES
    )


def employee_key(employee_id: int) -> str:
    """The store key of one employee's data version."""
    return f"{EMPLOYEE_PREFIX}{employee_id}"


@dataclasses.dataclass(slots=True)
class Versions:
    """The data versions an answer is computed at (read before its execution)."""

    global_version: str
    wide: str | None = None
    """:data:`WIDE_KEY`'s value for a wide viewer, else None."""
    employees: dict[int, str] = dataclasses.field(default_factory=dict)
    """The version of every employee the answer depends on (the viewer and their team)."""
    known: bool = False
    """Whether ``employees`` is already read (from a stale entry of the same global version)."""

    def header(self) -> str:
        """The versions as the stored entry's prefix (no ``:`` in it)."""
        people = ",".join(f"{i}={v}" for i, v in sorted(self.employees.items()))
        return f"{self.global_version};{self.wide or ''};{people}"

    @classmethod
    def parse(cls, header: str) -> Versions | None:
        """The versions of a stored entry's prefix (None: unreadable, a miss)."""
        try:
            global_version, wide, people = header.split(";")
            employees = {}
            for pair in filter(None, people.split(",")):
                employee, _, version = pair.partition("=")
                employees[int(employee)] = version
        except ValueError:
            return None
        return cls(global_version, wide or None, employees)


class ResponseCache:
    """The stored answers of the hot operations, for one app (one store)."""

    def __init__(self, store: Store, documents: Mapping[str, str]) -> None:
        """``documents``: ``{document text: operation name}`` of the hot named operations."""
        self.store = store
        self.documents = documents

    def operation(self, query: str, operation_name: str | None) -> str | None:
        """The hot operation a request runs, or None (anything else executes normally)."""
        name = self.documents.get(query)
        if name is None or (operation_name is not None and operation_name != name):
            return None
        return name

    @staticmethod
    def key(
        name: str,
        query: str,
        variables: Mapping[str, Any] | None,
        viewer: Viewer,
        language: str,
    ) -> str:
        """The store key of one request's answer (without the data version)."""
        identity = (
            name,
            query,
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

    async def _mget(self, keys: list[str]) -> list[str | None] | None:
        try:
            return await self.store.mget(keys)
        except Exception:  # a cache never fails a request
            logger.exception("reading the response cache failed")
            return None

    async def lookup(self, key: str, *, wide: bool = False) -> tuple[bytes | None, Versions | None]:
        """``(stored body, current versions)``; the versions are None when nothing may be stored.

        The global (and for a wide viewer the wide) version and the entry come in one round
        trip; an entry of the current global version names the employees it depends on, whose
        versions come in a second. On a miss whose entry was of the current global version,
        the versions returned already hold those employees' (``known``): the team is the same.
        """
        found = await self._mget([VERSION_KEY, WIDE_KEY, key])
        if found is None:  # the store is degraded: every worker must agree, so no caching
            return None, None
        current = Versions(found[0] or "0", (found[1] or "0") if wide else None)
        entry = found[2]
        if entry is None:
            return None, current
        header, _, body = entry.partition(":")
        stored = Versions.parse(header)
        if stored is None or (stored.global_version, stored.wide) != (
            current.global_version,
            current.wide,
        ):
            return None, current
        ids = sorted(stored.employees)
        if ids:
            versions = await self._mget([employee_key(i) for i in ids])
            if versions is None:
                return None, None
            current.employees = {i: v or "0" for i, v in zip(ids, versions, strict=True)}
        current.known = True
        if current.employees == stored.employees:
            return body.encode(), current
        return None, current

    async def read_employees(self, versions: Versions, employee_ids: Iterable[int]) -> bool:
        """Read the versions of the employees an answer depends on (before its execution)."""
        ids = sorted(set(employee_ids))
        if not ids:
            return True
        found = await self._mget([employee_key(i) for i in ids])
        if found is None:
            return False
        versions.employees = {i: v or "0" for i, v in zip(ids, found, strict=True)}
        versions.known = True
        return True

    async def save(self, key: str, versions: Versions, body: bytes) -> None:
        """Store an answer computed while ``versions`` were current."""
        try:
            value = f"{versions.header()}:{body.decode()}"
            await self.store.set(key, value, ttl_seconds=TTL_SECONDS)
        except Exception:
            logger.exception("writing the response cache failed")


_stores: list[Store] = []


async def bump_all(employee_ids: frozenset[int] | None = None) -> None:
    """Move the data versions a committed write changed, in every registered store.

    ``None`` (a write not scoped to employees): the global version. Otherwise the versions
    of those employees and the wide one.
    """
    keys = [VERSION_KEY] if employee_ids is None else [WIDE_KEY, *map(employee_key, employee_ids)]
    for store in _stores:
        for key in keys:
            try:
                if await store.incr(key, VERSION_TTL_SECONDS) == 1 and key != VERSION_KEY:
                    # a new counter (first write, or its window expired): start it where no
                    # earlier window's value can be, or an answer stored at "1" just before an
                    # expiry would match again after the next write (a rarely written employee)
                    await store.set(key, str(time.time_ns()), ttl_seconds=VERSION_TTL_SECONDS)
            except Exception:  # a committed write must not fail; entries still expire
                logger.exception("bumping the response cache version failed")


def register(store: Store) -> None:
    """Bump ``store``'s data versions after every write of this process (app and worker)."""
    if store not in _stores:
        _stores.append(store)
    set_write_listener(bump_all)


def unregister(store: Store) -> None:
    """Stop bumping ``store`` (shutdown)."""
    if store in _stores:
        _stores.remove(store)
    if not _stores:
        set_write_listener(None)


async def data_version(store: Store) -> str | None:
    """``store``'s global data version (with its epoch), for a worker's cache of derived data.

    A value computed while this version was current may be reused while it still is: every
    committed write not scoped to employees moves it (the scoped writes change activities,
    notifications and feedback only: :func:`portal.core.db.write_scope`). None (compute
    anew) unless this process moves the store's versions after its writes (:func:`register`)
    and the store answers.
    """
    if store not in _stores:
        return None
    try:
        found = await store.mget([VERSION_KEY, EPOCH_KEY])
        if found is None:
            return None
        epoch = found[1]
        if epoch is None:  # a racing worker may draw another: one wins, the other misses once
            epoch = uuid.uuid4().hex
            await store.set(EPOCH_KEY, epoch)
    except Exception:  # a cache never fails a request
        logger.exception("reading the data version failed")
        return None
    return f"{epoch}:{found[0] or '0'}"


def hot_documents(named: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{document text: name}`` of the hot named operations, in every form clients send."""
    return {
        text: name
        for name, document in named
        if name in HOT_OPERATIONS
        for text in variants(document).values()
    }
