"""Builders for performance-cycle tests.

Two kinds of helpers live here:

* :class:`Cycle` drives the SKP workflow through the real GraphQL endpoint (named operations),
  for tests about behaviour;
* ``insert_*`` functions write approved SKPs and verified activities straight into the tables,
  for tests that only need a lot of data fast (query counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal.core import clock
from portal.core.auth import Role
from portal.core.ids import decode_global_id, encode_global_id
from portal.people.enums import JabatanKind
from portal.performance.enums import ActivityStatus, Aspect, PeriodKind, RhkKind, SkpStatus
from portal.performance.planning.services import periods
from portal.performance.rows import PeriodRow
from portal.performance.tables import Activity, Indicator, Rhk, Skp
from support.api import Api
from support.factories import PASSWORD, Factory, Person

YEAR = 2026


def gid(type_name: str, pk: int) -> str:
    """The global ID of ``type_name`` ``pk``."""
    return encode_global_id(type_name, pk)


def pk_of(global_id: str) -> int:
    """The primary key inside a global ID."""
    return decode_global_id(global_id)[1]


def today() -> date:
    """Today as the app sees it (the deployment's time zone)."""
    return clock.today()


def past_day(days_ago: int) -> date:
    """A day in the past that is still inside this year (the app's today is late November)."""
    day = today() - timedelta(days=days_ago)
    assert day.year == today().year, "test dates must stay inside the current year"
    return day


async def open_year(year: int = YEAR, frequency: PeriodKind = PeriodKind.QUARTERLY) -> PeriodRow:
    """Create the annual period of ``year`` with its evaluation periods (as the system)."""
    return await periods.create_year(None, year, frequency)


def indicator(
    description: str = "Dokumen perizinan terverifikasi",
    target: float = 120.0,
    unit: str = "dokumen",
    aspect: str = Aspect.KUANTITAS.value,
) -> dict[str, Any]:
    """An ``IndicatorInput``."""
    return {"aspect": aspect, "description": description, "targetValue": target, "unit": unit}


def rhk(
    description: str,
    *,
    kind: str = RhkKind.UTAMA.value,
    parent: str | None = None,
    perspective: str | None = None,
    indicators: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An ``RhkFields`` input."""
    fields: dict[str, Any] = {
        "kind": kind,
        "description": description,
        "indicators": indicators if indicators is not None else [indicator()],
    }
    if parent is not None:
        fields["parentRhkId"] = parent
    if perspective is not None:
        fields["perspective"] = perspective
    return fields


def codes(errors: list[dict[str, Any]]) -> list[str]:
    """The codes of a ``userErrors`` list."""
    return [e["code"] for e in errors]


@dataclass(frozen=True, slots=True)
class ApprovedSkp:
    """An SKP taken through the workflow to APPROVED (global IDs)."""

    skp: str
    rhks: list[str]
    indicators: list[str]


class Cycle:
    """Drives the SKP workflow through GraphQL (every call is a named operation)."""

    def __init__(self, api: Api, period: str) -> None:
        self.api = api
        self.period = period

    async def create_skp(self, token: str) -> dict[str, Any]:
        """Start the viewer's SKP; return it (fails on userErrors)."""
        payload = (
            await self.api.data("CreateSkp", {"input": {"periodId": self.period}}, token=token)
        )["createSkp"]
        assert payload["userErrors"] == [], payload["userErrors"]
        skp: dict[str, Any] = payload["skp"]
        return skp

    async def save_rhk(
        self, token: str, skp: str, fields: dict[str, Any], rhk_id: str | None = None
    ) -> dict[str, Any]:
        """Run SaveRhk; return the payload (``rhk`` and ``userErrors``)."""
        variables: dict[str, Any] = {"input": {"skpId": skp, "rhk": fields}}
        if rhk_id is not None:
            variables["input"]["rhkId"] = rhk_id
        payload: dict[str, Any] = (await self.api.data("SaveRhk", variables, token=token))[
            "saveRhk"
        ]
        return payload

    async def add_rhk(self, token: str, skp: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Save a new RHK; return it (fails on userErrors)."""
        payload = await self.save_rhk(token, skp, fields)
        assert payload["userErrors"] == [], payload["userErrors"]
        saved: dict[str, Any] = payload["rhk"]
        return saved

    async def action(self, name: str, token: str, skp: str, note: str | None = None) -> Any:
        """Run SubmitSkp/ApproveSkp (no note) or ReturnSkp/ReviseSkp (with a note)."""
        variables: dict[str, Any] = {"skpId": skp}
        if note is not None:
            variables["note"] = note
        data = await self.api.data(name, {"input": variables}, token=token)
        return data[name[0].lower() + name[1:]]

    async def submit(self, token: str, skp: str) -> dict[str, Any]:
        """SubmitSkp payload."""
        payload: dict[str, Any] = await self.action("SubmitSkp", token, skp)
        return payload

    async def approve(self, token: str, skp: str) -> dict[str, Any]:
        """ApproveSkp payload."""
        payload: dict[str, Any] = await self.action("ApproveSkp", token, skp)
        return payload

    async def return_(self, token: str, skp: str, note: str) -> dict[str, Any]:
        """ReturnSkp payload."""
        payload: dict[str, Any] = await self.action("ReturnSkp", token, skp, note)
        return payload

    async def revise(self, token: str, skp: str, reason: str) -> dict[str, Any]:
        """ReviseSkp payload."""
        payload: dict[str, Any] = await self.action("ReviseSkp", token, skp, reason)
        return payload

    async def skp(self, token: str, skp: str) -> dict[str, Any] | None:
        """The whole SKP through ``node(id:)`` (SkpById), or None when not visible."""
        node: dict[str, Any] | None = (await self.api.data("SkpById", {"id": skp}, token=token))[
            "node"
        ]
        return node

    async def approved_skp(self, owner: str, rater: str, rhks: list[dict[str, Any]]) -> ApprovedSkp:
        """Create, fill, submit and approve an SKP; return its IDs."""
        skp = (await self.create_skp(owner))["id"]
        saved = [await self.add_rhk(owner, skp, fields) for fields in rhks]
        submitted = await self.submit(owner, skp)
        assert submitted["userErrors"] == [], submitted["userErrors"]
        approved = await self.approve(rater, skp)
        assert approved["userErrors"] == [], approved["userErrors"]
        assert approved["skp"]["status"] == SkpStatus.APPROVED.value
        return ApprovedSkp(
            skp=skp,
            rhks=[r["id"] for r in saved],
            indicators=[i["id"] for r in saved for i in r["indicators"]],
        )


@dataclass
class Org:
    """Dinas Kesehatan with a cascading chain, a peer, and an unrelated OPD.

    ``head`` (JPT Pratama, Kepala Dinas, no supervisor) -> ``boss`` (Administrator, Kepala
    Puskesmas) -> ``staff`` and ``peer`` (Pelaksana). ``outsider`` works at Bapenda.
    """

    period: str
    period_id: int
    people: dict[str, Person]
    tokens: dict[str, str] = field(default_factory=dict)
    opd_id: int = 0
    other_opd_id: int = 0
    pkm_unit: int = 0


async def build_org(api: Api, factory: Factory) -> Org:
    """Create the organisation, the 2026 period, admins, and log everybody in."""
    annual = await open_year()
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    head_unit = await factory.unor(dinkes, "DINKES")
    pkm = await factory.unor(dinkes, "DINKES.PKM", parent_id=head_unit)
    b_unit = await factory.unor(bapenda, "BAPENDA")
    head = await factory.employee(
        head_unit, name="Kepala Dinas", jabatan_kind=JabatanKind.JPT_PRATAMA
    )
    boss = await factory.employee(
        pkm, supervisor=head, name="Kepala Puskesmas", jabatan_kind=JabatanKind.ADMINISTRATOR
    )
    staff = await factory.employee(pkm, supervisor=boss, name="Perawat Satu")
    peer = await factory.employee(pkm, supervisor=boss, name="Perawat Dua")
    outsider = await factory.employee(b_unit, name="Pegawai Bapenda")
    people = {"head": head, "boss": boss, "staff": staff, "peer": peer, "outsider": outsider}
    org = Org(
        period=gid("Period", annual.id),
        period_id=annual.id,
        people=people,
        opd_id=dinkes,
        other_opd_id=bapenda,
        pkm_unit=pkm,
    )
    logins = {k: p.username for k, p in people.items()}
    logins["admin_opd"] = await factory.admin("admin.dinkes", Role.ADMIN_OPD, dinkes)
    logins["admin_other_opd"] = await factory.admin("admin.bapenda", Role.ADMIN_OPD, bapenda)
    logins["bkpsdm"] = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    logins["sosialisasi"] = await factory.admin("sosialisasi", Role.PENGELOLA_SOSIALISASI)
    for label, username in logins.items():
        org.tokens[label] = await api.login(username, PASSWORD)
    return org


@dataclass(frozen=True, slots=True)
class Chain:
    """Approved SKPs down the chain head -> boss -> staff (global IDs)."""

    head: ApprovedSkp
    boss: ApprovedSkp
    staff: ApprovedSkp


async def approved_chain(cycle: Cycle, org: Org) -> Chain:
    """Approve the head's (by BKPSDM), the boss's and the staff's SKP, cascading."""
    t = org.tokens
    head = await cycle.approved_skp(
        t["head"],
        t["bkpsdm"],
        [rhk("Meningkatnya derajat kesehatan masyarakat", perspective="PENERIMA_LAYANAN")],
    )
    boss = await cycle.approved_skp(
        t["boss"],
        t["head"],
        [rhk("Meningkatnya cakupan imunisasi di wilayah puskesmas", parent=head.rhks[0])],
    )
    staff = await cycle.approved_skp(
        t["staff"],
        t["boss"],
        [
            rhk(
                "Terlaksananya vaksinasi anak",
                parent=boss.rhks[0],
                indicators=[
                    indicator("Dosis vaksin diberikan", 1200, "dosis vaksin"),
                    indicator("Laporan vaksinasi", 12, "laporan"),
                ],
            )
        ],
    )
    return Chain(head=head, boss=boss, staff=staff)


# --- direct inserts (fast, no GraphQL) -------------------------------------------------------


async def insert_approved_skp(
    employee: Person, period_id: int, *, rater_id: int | None, indicators: int = 2
) -> tuple[int, list[int]]:
    """Write an APPROVED SKP with one UTAMA RHK and ``indicators`` indicators."""
    now = datetime.now(UTC)
    skp = await Skp.insert(
        Skp(
            employee=employee.id,
            period=period_id,
            rater=rater_id,
            opd=employee.opd_id,
            unor=employee.unor_id,
            jabatan_name="Pengadministrasi Umum",
            jabatan_kind=JabatanKind.PELAKSANA.value,
            status=SkpStatus.APPROVED.value,
            submitted_at=now,
            approved_at=now,
        )
    )
    skp_id = int(skp[0]["id"])
    rhk_row = await Rhk.insert(
        Rhk(skp=skp_id, kind=RhkKind.UTAMA.value, description="Layanan administrasi", position=0)
    )
    rows = await Indicator.insert(
        *(
            Indicator(
                rhk=rhk_row[0]["id"],
                skp=skp_id,
                aspect=Aspect.KUANTITAS.value,
                description=f"Indikator {n + 1}",
                target_value=100.0,
                unit="dokumen",
                position=n,
            )
            for n in range(indicators)
        )
    )
    return skp_id, [int(r["id"]) for r in rows]


async def insert_activities(
    employee_id: int,
    period_id: int,
    indicator_id: int | None,
    days: list[date],
    *,
    quantity: float = 1.0,
    status: ActivityStatus = ActivityStatus.VERIFIED,
    verifier_id: int | None = None,
    key_prefix: str = "seed",
) -> list[int]:
    """Write one activity per day (``status``, e.g. VERIFIED) for an employee."""
    now = datetime.now(UTC)
    verified = status is not ActivityStatus.SUBMITTED
    rows = await Activity.insert(
        *(
            Activity(
                employee=employee_id,
                period=period_id,
                indicator=indicator_id,
                activity_date=day,
                description=f"Kegiatan {n + 1}",
                quantity=quantity,
                unit="dokumen",
                evidence_links=[],
                status=status.value,
                idempotency_key=f"{key_prefix}-{indicator_id}-{n}",
                verifier=verifier_id if verified else None,
                verified_at=now if verified else None,
            )
            for n, day in enumerate(days)
        )
    )
    return [int(r["id"]) for r in rows]
