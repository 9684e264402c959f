"""Opaque global IDs (``base64url("Type:pk")``) and pagination cursors."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

from portal.core.errors import DomainError


def encode_global_id(type_name: str, pk: int | str) -> str:
    """Encode an opaque, URL-safe global ID for ``type_name`` and primary key ``pk``."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_global_id(global_id: str, field: str = "id") -> tuple[str, int]:
    """Decode a global ID into ``(type_name, integer pk)``.

    Raises:
        DomainError: code ``INVALID_ID`` when the value is not a global ID of this API.
    """
    padded = global_id + "=" * (-len(global_id) % 4)
    try:
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        type_name, _, pk = raw.partition(":")
        if not type_name or not pk.isdigit() or len(pk) > 18:  # noqa: PLR2004
            raise ValueError(raw)
        return type_name, int(pk)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise DomainError.single("INVALID_ID", "ID tidak valid", field) from exc


def decode_id_of(global_id: str, expected_type: str, field: str = "id") -> int:
    """Decode a global ID that must name ``expected_type``; return its primary key."""
    type_name, pk = decode_global_id(global_id, field)
    if type_name != expected_type:
        raise DomainError.single("INVALID_ID", f"ID tidak valid: bukan ID {expected_type}", field)
    return pk


def decode_optional_id(global_id: str | None, expected_type: str, field: str = "id") -> int | None:
    """:func:`decode_id_of` for an optional argument (``None`` or empty: ``None``)."""
    return decode_id_of(global_id, expected_type, field) if global_id else None


def decode_ids_of(global_ids: Sequence[str], expected_type: str, field: str = "ids") -> list[int]:
    """:func:`decode_id_of` for each of a list of IDs, in order."""
    return [decode_id_of(g, expected_type, field) for g in global_ids]
