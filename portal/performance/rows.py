"""Plain rows the performance services return (no ORM objects leave the service layer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """An annual or evaluation period."""

    id: int
    year: int
    kind: str
    number: int
    name: str
    parent_id: int | None
    starts_on: date
    ends_on: date
    submission_deadline: date
    status: str
    evaluation_frequency: str | None


@dataclass(frozen=True, slots=True)
class SkpRow:
    """An SKP header."""

    id: int
    employee_id: int
    period_id: int
    rater_id: int | None
    rater_superior_id: int | None
    opd_id: int
    unor_id: int
    jabatan_name: str
    jabatan_kind: str
    status: str
    return_note: str | None
    revision: int
    resources: str
    accountability: str
    consequences: str
    submitted_at: datetime | None
    approved_at: datetime | None
    served_from: date | None = None
    served_until: date | None = None
    mutasi_id: int | None = None

    @property
    def active(self) -> bool:
        """Not closed by a mutasi (one active SKP per employee and annual period)."""
        return self.served_until is None

    @property
    def ever_approved(self) -> bool:
        """Approved now, or approved before and under a recorded revision."""
        return self.approved_at is not None


@dataclass(frozen=True, slots=True)
class RhkRow:
    """A planned result."""

    id: int
    skp_id: int
    kind: str
    description: str
    parent_rhk_id: int | None
    perspective: str | None
    position: int


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """An individual performance indicator (IKI)."""

    id: int
    rhk_id: int
    skp_id: int
    aspect: str
    description: str
    target_value: float
    unit: str
    position: int


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """A logged daily activity."""

    id: int
    employee_id: int
    period_id: int
    indicator_id: int | None
    activity_date: date
    description: str
    quantity: float
    unit: str
    duration_minutes: int | None
    evidence_links: list[str]
    status: str
    idempotency_key: str
    verifier_id: int | None
    verified_at: datetime | None
    rejection_note: str | None
    logged_at: datetime
    verified_for_id: int | None = None
