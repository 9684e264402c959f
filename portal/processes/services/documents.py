"""Official documents (issue 20): the SKP with its Lampiran and the Dokumen Evaluasi Kinerja.

Whoever may read the evaluation (or SKP) may issue and download its document: reading goes
through the performance services, which apply the employee's PRIVATE audience. Issuing
registers the document's printed facts (names and NIPs of the employee, the rater and the
rater's superior, period, predikat) with a document number and a verification code; issuing
the same facts again returns the same document, changed facts get a new number. The public
verification page (:mod:`portal.processes.http`) shows the registered facts and nothing else.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import is_unique_violation, row_columns, transaction
from portal.core.errors import DomainError, NotFoundError
from portal.people.enums import Golongan
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from portal.performance.enums import BerAkhlak, EvaluationStatus, Predikat, Rating, RhkKind
from portal.performance.evaluation.services import evaluations
from portal.performance.evaluation.services.evaluations import RATING_LABELS
from portal.performance.planning.services import periods
from portal.performance.planning.services import skp as skp_service
from portal.performance.rows import SkpRow
from portal.processes.enums import DocumentKind
from portal.processes.tables import OfficialDocument
from portal.settings import get_settings

CITY = "Pemerintah Kota Tangerang Selatan"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


@dataclass(frozen=True, slots=True)
class Official:
    """A person as a document prints them."""

    name: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str


@dataclass(frozen=True, slots=True)
class Line:
    """One RHK with one indicator (a table row of the SKP or the evaluation)."""

    kind: str
    rhk: str
    parent_rhk: str
    aspect: str
    indicator: str
    target: str
    realisation: str = ""
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class Behaviour:
    """One BerAKHLAK value: the leader's expectation (SKP) or the rater's note (evaluation)."""

    value: str
    text: str


@dataclass(frozen=True, slots=True)
class DocumentContent:
    """Everything a document prints; :attr:`facts` is the part the verification page repeats."""

    kind: DocumentKind
    period: str
    opd: str
    employee: Official
    rater: Official | None
    rater_superior: Official | None
    lines: list[Line]
    behaviours: list[Behaviour]
    resources: str = ""
    accountability: str = ""
    consequences: str = ""
    hasil_rating: str = ""
    perilaku_rating: str = ""
    predikat: str = ""
    feedback: str = ""
    acting_rater: Official | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        """The verifiable facts: who, which period, and (evaluation) the predikat."""
        people_facts = {
            "pegawai": asdict(self.employee),
            "pejabatPenilai": asdict(self.rater) if self.rater else None,
            "atasanPejabatPenilai": asdict(self.rater_superior) if self.rater_superior else None,
        }
        facts: dict[str, Any] = {
            "jenis": self.kind.document_title,
            "periode": self.period,
            "instansi": self.opd,
            **people_facts,
        }
        if self.kind is DocumentKind.EVALUATION:
            facts["predikat"] = self.predikat
        return facts


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """A registered document."""

    id: int
    kind: str
    skp_id: int
    evaluation_id: int | None
    employee_id: int
    opd_id: int
    number: str
    verification_code: str
    fingerprint: str
    facts: Any
    issued_at: datetime

    @property
    def verify_url(self) -> str:
        """The public verification page the QR code points to."""
        return f"{get_settings().public_url}/verifikasi/{self.verification_code}"

    def fact_dict(self) -> dict[str, Any]:
        """The registered facts (JSON text on SQLite, a value on PostgreSQL)."""
        value = json.loads(self.facts) if isinstance(self.facts, str) else self.facts
        return dict(value)


_COLUMNS = row_columns(
    OfficialDocument,
    IssuedDocument,
    skp_id=OfficialDocument.skp.as_alias("skp_id"),
    evaluation_id=OfficialDocument.evaluation.as_alias("evaluation_id"),
    employee_id=OfficialDocument.employee.as_alias("employee_id"),
    opd_id=OfficialDocument.opd.as_alias("opd_id"),
)


def _number(value: float) -> str:
    """Indonesian notation: 12.480 and 2,5."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


async def _officials(ids: list[int | None]) -> list[Official | None]:
    wanted = [i for i in ids if i is not None]
    rows = {e.id: e for e in await people.employees_by_ids(wanted) if e is not None}
    units = {
        u.id: u.name
        for u in await people.unors_by_ids(sorted({e.unor_id for e in rows.values()}))
        if u is not None
    }
    return [_official(rows[i], units) if i in rows else None for i in ids]


def _official(e: EmployeeRow, units: dict[int, str]) -> Official:
    golongan = e.golongan or ""
    pangkat = (
        f"{Golongan(golongan).pangkat} ({golongan})"
        if golongan in Golongan._value2member_map_
        else golongan or "-"
    )
    return Official(
        name=e.name,
        nip=e.nip,
        pangkat=pangkat,
        jabatan=e.jabatan_name,
        unit=units.get(e.unor_id, ""),
    )


async def _skp_lines(skp: SkpRow) -> list[tuple[Line, int]]:
    """The SKP's rows, UTAMA first, each with its indicator's id."""
    (rhks,) = await skp_service.rhks_by_skp([skp.id])
    (indicators,) = await skp_service.indicators_by_skp([skp.id])
    parents = {
        r.id: r.description
        for r in await skp_service.rhks_by_ids([r.parent_rhk_id for r in rhks if r.parent_rhk_id])
        if r is not None
    }
    by_rhk: dict[int, list[Any]] = {}
    for i in indicators:
        by_rhk.setdefault(i.rhk_id, []).append(i)
    order = {RhkKind.UTAMA.value: 0, RhkKind.TAMBAHAN.value: 1}
    lines = []
    for r in sorted(rhks, key=lambda r: (order.get(r.kind, 2), r.position, r.id)):
        for i in sorted(by_rhk.get(r.id, []), key=lambda i: (i.position, i.id)):
            line = Line(
                kind=r.kind,
                rhk=r.description,
                parent_rhk=parents.get(r.parent_rhk_id or -1, "-"),
                aspect=i.aspect.title(),
                indicator=i.description,
                target=f"{_number(i.target_value)} {i.unit}",
            )
            lines.append((line, i.id))
    return lines


async def _base(skp: SkpRow, period_id: int, kind: DocumentKind) -> dict[str, Any]:
    employee, rater, superior = await _officials(
        [skp.employee_id, skp.rater_id, skp.rater_superior_id]
    )
    assert employee is not None  # noqa: S101 - the SKP's employee exists (NOT NULL)
    (opd,) = await people.opds_by_ids([skp.opd_id])
    period = await periods.get_period(period_id)
    return {
        "kind": kind,
        "period": f"{period.name} ({period.starts_on:%d-%m-%Y} s.d. {period.ends_on:%d-%m-%Y})",
        "opd": f"{opd.name if opd else ''}, {CITY}",
        "employee": employee,
        "rater": rater,
        "rater_superior": superior,
    }


async def skp_content(viewer: Viewer, skp_id: int) -> tuple[SkpRow, DocumentContent]:
    """The SKP document of an SKP the viewer may read (NOT_FOUND otherwise)."""
    skp = await skp_service.get_skp(viewer, skp_id)
    (expectations,) = await skp_service.expectations_by_skp([skp.id])
    content = DocumentContent(
        **await _base(skp, skp.period_id, DocumentKind.SKP),
        lines=[line for line, _ in await _skp_lines(skp)],
        behaviours=[Behaviour(v.label, expectations.get(v.value, "") or "-") for v in BerAkhlak],
        resources=skp.resources,
        accountability=skp.accountability,
        consequences=skp.consequences,
        extra={"status": skp.status},
    )
    return skp, content


async def evaluation_content(
    viewer: Viewer, evaluation_id: int
) -> tuple[SkpRow, evaluations.EvaluationRow, DocumentContent]:
    """The Dokumen Evaluasi Kinerja of a FINAL evaluation the viewer may read."""
    evaluation = await evaluations.get_evaluation(viewer, evaluation_id)
    if evaluation.status != EvaluationStatus.FINAL or evaluation.predikat is None:
        raise DomainError.single(
            "INVALID_STATE", "Dokumen hanya untuk penilaian yang sudah FINAL", "evaluationId"
        )
    (skp,) = await skp_service.skps_by_ids([evaluation.skp_id])
    assert skp is not None  # noqa: S101 - NOT NULL foreign key
    (indicator_rows,) = await evaluations.indicator_rows_by_evaluation([evaluation_id])
    (behaviours,) = await evaluations.behaviours_by_evaluation([evaluation_id])
    by_indicator = {i.indicator_id: i for i in indicator_rows}
    (indicators,) = await skp_service.indicators_by_skp([skp.id])
    units = {i.id: i.unit for i in indicators}
    lines = []
    for line, indicator_id in await _skp_lines(skp):
        row = by_indicator.get(indicator_id)
        realised = None if row is None else row.realisation
        lines.append(
            replace(
                line,
                realisation="-"
                if realised is None
                else f"{_number(realised)} {units.get(indicator_id, '')}",
                feedback=row.feedback if row is not None else "",
            )
        )
    (acting,) = await _officials([evaluation.acting_rater_id])
    content = DocumentContent(
        **await _base(skp, evaluation.period_id, DocumentKind.EVALUATION),
        lines=lines,
        behaviours=[Behaviour(BerAkhlak(b.value).label, b.note or "-") for b in behaviours],
        hasil_rating=RATING_LABELS[Rating(evaluation.hasil_rating)]
        if evaluation.hasil_rating
        else "-",
        perilaku_rating=(
            RATING_LABELS[Rating(evaluation.perilaku_rating)] if evaluation.perilaku_rating else "-"
        ),
        predikat=Predikat(evaluation.predikat).label,
        feedback=evaluation.feedback,
        acting_rater=acting,
    )
    return skp, evaluation, content


async def _register(
    viewer: Viewer, content: DocumentContent, skp: SkpRow, evaluation_id: int | None
) -> IssuedDocument:
    facts = content.facts()
    fingerprint = hashlib.sha256(
        json.dumps([content.kind.value, skp.id, evaluation_id, facts], sort_keys=True).encode()
    ).hexdigest()
    existing = await (
        OfficialDocument.select(*_COLUMNS)
        .where(OfficialDocument.fingerprint == fingerprint)
        .first()
    )
    if existing is not None:
        return IssuedDocument(**existing)
    year = clock.today().year
    for _ in range(5):  # a number or code taken by a concurrent issue: draw again
        code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
        try:
            async with transaction():
                count = await OfficialDocument.count().where(
                    OfficialDocument.kind == content.kind.value
                )
                prefix = "SKP" if content.kind is DocumentKind.SKP else "EKP"
                number = f"800/{prefix}/{year}/{count + 1:06d}"
                (inserted,) = await OfficialDocument.insert(
                    OfficialDocument(
                        kind=content.kind.value,
                        skp=skp.id,
                        evaluation=evaluation_id,
                        employee=skp.employee_id,
                        opd=skp.opd_id,
                        number=number,
                        verification_code=code,
                        fingerprint=fingerprint,
                        facts=facts,
                        issued_by_account=viewer.account_id,
                    )
                )
                await audit.record(
                    account_id=viewer.account_id,
                    action="DOCUMENT_ISSUED",
                    entity_type="OfficialDocument",
                    entity_id=int(inserted["id"]),
                    after={"kind": content.kind.value, "number": number, "skp_id": skp.id},
                )
        except Exception as exc:
            if is_unique_violation(exc):
                continue
            raise
        row = (
            await OfficialDocument.select(*_COLUMNS)
            .where(OfficialDocument.id == inserted["id"])
            .first()
        )
        assert row is not None  # noqa: S101 - written above
        return IssuedDocument(**row)
    raise DomainError.single("CONFLICT", "Nomor dokumen bentrok; coba lagi", None)


async def issue_skp(viewer: Viewer, skp_id: int) -> tuple[IssuedDocument, DocumentContent]:
    """Issue (or find) the SKP document of an SKP the viewer may read."""
    skp, content = await skp_content(viewer, skp_id)
    return await _register(viewer, content, skp, None), content


async def issue_evaluation(
    viewer: Viewer, evaluation_id: int
) -> tuple[IssuedDocument, DocumentContent]:
    """Issue (or find) the Dokumen Evaluasi Kinerja of a FINAL evaluation the viewer may read."""
    skp, evaluation, content = await evaluation_content(viewer, evaluation_id)
    return await _register(viewer, content, skp, evaluation.id), content


async def by_code(code: str) -> IssuedDocument:
    """The document with a verification code (public: anyone holding the paper may check)."""
    normalised = code.strip().upper()
    row = await (
        OfficialDocument.select(*_COLUMNS)
        .where(OfficialDocument.verification_code == normalised)
        .first()
    )
    if row is None:
        raise NotFoundError("OfficialDocument", "code")
    return IssuedDocument(**row)
