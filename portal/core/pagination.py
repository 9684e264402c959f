"""Keyset pagination over integer primary keys, shared by every connection."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

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
class PageRequest:
    """A validated ``first``/``after`` pair."""

    first: int
    after_pk: int | None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """A page of rows with their cursor keys and the total count of the filtered set."""

    items: list[T]
    keys: list[int]
    total_count: int
    has_next_page: bool
    has_previous_page: bool


def encode_cursor(pk: int) -> str:
    """Opaque cursor for the row with primary key ``pk``."""
    return base64.urlsafe_b64encode(f"c:{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Primary key encoded in a cursor.

    Raises:
        DomainError: code ``INVALID_CURSOR``.
    """
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        prefix, _, pk = raw.partition(":")
        if prefix != "c" or not pk.isdigit() or len(pk) > 18:  # noqa: PLR2004
            raise ValueError(raw)
        return int(pk)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise DomainError.single("INVALID_CURSOR", "Kursor halaman tidak valid", "after") from exc


def page_request(first: int, after: str | None, max_size: int = MAX_PAGE_SIZE) -> PageRequest:
    """Validate pagination arguments.

    Raises:
        DomainError: code ``INVALID_PAGE_SIZE`` unless ``1 <= first <= max_size``.
    """
    if not 1 <= first <= max_size:
        raise DomainError.single(
            "INVALID_PAGE_SIZE", f"first must be between 1 and {max_size}", "first"
        )
    return PageRequest(first=first, after_pk=decode_cursor(after) if after else None)


def page_of(rows: list[R], request: PageRequest, total: int) -> Page[R]:
    """The page out of ``first + 1`` fetched rows (the extra row only says a next page exists)."""
    items = rows[: request.first]
    return Page(
        items=items,
        keys=[item.id for item in items],
        total_count=total,
        has_next_page=len(rows) > request.first,
        has_previous_page=request.after_pk is not None,
    )
