"""Domain exceptions. Services raise them; the GraphQL layer turns them into ``userErrors``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One business-rule failure, addressed to an input field when there is one."""

    code: str
    message: str
    field: str | None = None
    english: str | None = None  # the specific message in English, for Accept-Language: en

    @property
    def path(self) -> list[str] | None:
        """The input field as a path (``indicators.0.targetValue`` -> its three parts)."""
        return self.field.split(".") if self.field else None


class DomainError(Exception):
    """A business rule refused the operation; carries one or more :class:`FieldError`."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors: tuple[FieldError, ...] = errors

    @classmethod
    def single(
        cls, code: str, message: str, field: str | None = None, english: str | None = None
    ) -> DomainError:
        """Build an error carrying one :class:`FieldError`.

        ``message`` is Indonesian; ``english``, when given, is the same specific text in
        English (otherwise English readers get the catalogue's text for ``code``).
        """
        return cls(FieldError(code=code, message=message, field=field, english=english))


class NotFoundError(DomainError):
    """The object does not exist, or the viewer may not see it (indistinguishable on purpose)."""

    def __init__(self, what: str = "Object", field: str | None = "id") -> None:
        # ``what`` names the object in logs; the message is the catalogue's (one per code)
        super().__init__(FieldError("NOT_FOUND", "Data tidak ditemukan", field))
        self.what = what


class PermissionDeniedError(DomainError):
    """The viewer is logged in but their role does not allow the operation."""

    def __init__(self, message: str = "Anda tidak berwenang melakukan ini") -> None:
        super().__init__(FieldError("FORBIDDEN", message, None))


class AuthenticationError(Exception):
    """No valid credentials (missing, expired or revoked token)."""

    def __init__(
        self, message: str = "Silakan masuk terlebih dahulu", code: str = "UNAUTHENTICATED"
    ) -> None:
        super().__init__(message)
        self.code = code


class ServiceUnavailableError(Exception):
    """A backing service (the database) cannot be reached right now; the client should retry.

    Raised by the database layer when a connection died under a request. Whether a write that
    failed this way was applied is unknown to the server too, which is what idempotency keys
    are for: the retry either applies it or replays the first result.
    """

    code = "SERVICE_UNAVAILABLE"
    retry_after_seconds = 1
