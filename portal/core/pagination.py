"""Keyset pagination over integer primary keys, shared by every connection.

Every connection pages forward (``first``/``after``); the lists users sort also page backward
(``last``/``before``) and take an ordering (:class:`SortKey`): one column, with the primary key
as tie-breaker so the order is total. A cursor names its row: ``c:<pk>`` in a list's default
(primary key) order, ``s:<ordering>:<pk>:<value>`` in a user-chosen order, so a page continues
from the row's position without reading it again. A cursor of another ordering is refused
(``INVALID_CURSOR``) rather than silently skipping rows.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from portal.core.errors import DomainError

T = TypeVar("T")


class HasId(Protocol):
    """A row keyed by an integer primary key."""

    @property
    def id(self) -> int:
        """Primary key."""
        ...


R = TypeVar("R", bound=HasId)

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class SortKey:
    """An ordering of a list: one column (then the primary key), or the primary key alone.

    Attributes:
        name: the ordering's name in cursors (e.g. ``NAME``); distinct per ordering of a list.
        column: the Piccolo column sorted on; ``None`` for the primary key alone.
        value: the sort value of a row (unused for the primary key alone).
        parse: the sort value back from its text in a cursor (raises ``ValueError``).
        descending: descending order (the primary key tie-breaker follows it).
    """

    name: str
    column: Any = None
    value: Callable[[Any], object] = lambda _row: None
    parse: Callable[[str], object] = str
    descending: bool = False

    def reverse(self, descending: bool) -> SortKey:
        """The same ordering in the given direction."""
        return SortKey(self.name, self.column, self.value, self.parse, descending)


BY_ID = SortKey("ID")
"""Primary key order, ascending (the default of most lists)."""
BY_ID_DESC = SortKey("ID", descending=True)
"""Primary key order, descending ("newest first")."""


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Validated pagination arguments.

    ``first`` is the page size whichever way the page goes; ``after_pk`` is the cursor's row
    (``after`` or, when ``backward``, ``before``) and ``after_value`` its sort value.
    """

    first: int
    after_pk: int | None
    backward: bool = False
    sort: SortKey = field(default=BY_ID)
    after_value: object = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page of rows with their cursor keys and the total count of the filtered set."""

    items: list[T]
    keys: list[int]
    total_count: int
    has_next_page: bool
    has_previous_page: bool
    cursors: tuple[str, ...] = ()


def encode_cursor(pk: int) -> str:
    """Opaque cursor for the row with primary key ``pk``."""
    return base64.urlsafe_b64encode(f"c:{pk}".encode()).decode().rstrip("=")


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_of(row: Any, sort: SortKey) -> str:  # noqa: ANN401 - any row with an ``id``
    """Opaque cursor of ``row`` in the order ``sort``."""
    if sort.column is None:
        return encode_cursor(row.id)
    value = sort.value(row)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return _b64(f"s:{sort.name}:{row.id}:{text}")


def _invalid_cursor(argument: str, exc: Exception | None = None) -> DomainError:
    error = DomainError.single("INVALID_CURSOR", "Kursor halaman tidak valid", argument)
    if exc is not None:
        error.__cause__ = exc
    return error


def decode_cursor(cursor: str, sort: SortKey = BY_ID, argument: str = "after") -> int:
    """Primary key encoded in a cursor of the order ``sort``.

    Raises:
        DomainError: code ``INVALID_CURSOR`` (also for a cursor of another ordering).
    """
    return _decode(cursor, sort, argument)[0]


def _decode(cursor: str, sort: SortKey, argument: str) -> tuple[int, object]:
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        if sort.column is None:
            prefix, _, pk = raw.partition(":")
            if prefix != "c" or not pk.isdigit() or len(pk) > 18:  # noqa: PLR2004
                raise ValueError(raw)
            return int(pk), None
        prefix, name, pk, text = [*raw.split(":", 3), "", "", ""][:4]
        if prefix != "s" or name != sort.name or not pk.isdigit() or len(pk) > 18:  # noqa: PLR2004
            raise ValueError(raw)
        return int(pk), sort.parse(text)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise _invalid_cursor(argument, exc) from exc


def page_size(value: int, argument: str = "first", max_size: int = MAX_PAGE_SIZE) -> int:
    """``value`` when it is a valid page size (1 to ``max_size``), for lists and connections.

    Raises:
        DomainError: code ``INVALID_PAGE_SIZE``, addressed to ``argument``.
    """
    if not 1 <= value <= max_size:
        raise DomainError.single(
            "INVALID_PAGE_SIZE", f"{argument} harus antara 1 dan {max_size}", argument
        )
    return value


def page_request(
    first: int | None,
    after: str | None,
    *,
    last: int | None = None,
    before: str | None = None,
    sort: SortKey = BY_ID,
    max_size: int = MAX_PAGE_SIZE,
) -> PageRequest:
    """Validate pagination arguments: ``first``/``after`` forward or ``last``/``before`` back.

    Raises:
        DomainError: ``INVALID_PAGE_SIZE`` unless the size is between 1 and ``max_size``;
            ``REQUIRED`` when neither ``first`` nor ``last`` is given; ``INVALID_INPUT`` when
            the forward and backward arguments are mixed; ``INVALID_CURSOR`` for a cursor that
            is malformed or of another ordering.
    """
    if last is None and before is None:
        if first is None:
            raise DomainError.single("REQUIRED", "first atau last wajib diisi", "first")
        pk, value = _decode(after, sort, "after") if after else (None, None)
        return PageRequest(
            page_size(first, "first", max_size), pk, backward=False, sort=sort, after_value=value
        )
    if first is not None or after is not None:
        raise DomainError.single(
            "INVALID_INPUT",
            "Gunakan first/after atau last/before, tidak keduanya",
            "last" if first is not None else "before",
        )
    if last is None:
        raise DomainError.single("REQUIRED", "last wajib diisi bersama before", "last")
    pk, value = _decode(before, sort, "before") if before else (None, None)
    return PageRequest(
        page_size(last, "last", max_size), pk, backward=True, sort=sort, after_value=value
    )


def keyset(query: Any, pk: Any, request: PageRequest) -> Any:  # noqa: ANN401 - a Piccolo select
    """``query`` limited to the requested page: cursor condition, order and ``first + 1`` rows.

    ``pk`` is the table's primary key column. Backward pages are read in reverse order;
    :func:`page_of` turns them around.
    """
    sort = request.sort
    descending = sort.descending != request.backward
    if request.after_pk is not None:
        after = request.after_pk
        if sort.column is None:
            query = query.where(pk < after if descending else pk > after)
        else:
            col, value = sort.column, request.after_value
            beyond = col < value if descending else col > value
            tie = pk < after if descending else pk > after
            query = query.where(beyond | ((col == value) & tie))
    if sort.column is not None:
        query = query.order_by(sort.column, ascending=not descending)
    return query.order_by(pk, ascending=not descending).limit(request.first + 1)


def page_of(rows: list[R], request: PageRequest, total: int) -> Page[R]:
    """The page out of ``first + 1`` fetched rows (the extra row only says another page exists).

    For a backward request the rows come in reverse order (see :func:`keyset`) and are put back.
    """
    more = len(rows) > request.first
    items = rows[: request.first]
    if request.backward:
        items.reverse()
    return Page(
        items=items,
        keys=[item.id for item in items],
        total_count=total,
        has_next_page=request.after_pk is not None if request.backward else more,
        has_previous_page=more if request.backward else request.after_pk is not None,
        cursors=tuple(cursor_of(item, request.sort) for item in items),
    )
