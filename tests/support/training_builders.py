"""Builders for training tests: a small organisation with logins, courses and competencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.core.auth import Role
from portal.core.ids import encode_global_id
from portal.performance.enums import BerAkhlak
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from training.enums import CompetencyKind, CourseForm, CourseMode, CourseStatus, ScheduleKind
from training.services import catalogue
from training.services.catalogue import CourseData
from training.tables import Course


def gid(type_name: str, pk: int) -> str:
    """Global ID of a row."""
    return encode_global_id(type_name, pk)


def codes(payload: dict[str, Any]) -> list[str]:
    """The userErrors codes of a payload."""
    return [e["code"] for e in payload["userErrors"]]


@dataclass
class TrainingWorld:
    """Dinkes (head unit, a puskesmas with a sub-unit) and Bapenda, with one login per role."""

    people: dict[str, Person]
    units: dict[str, int]
    opds: dict[str, int]
    usernames: dict[str, str]
    tokens: dict[str, str]

    def token(self, who: str) -> str:
        """Access token of a viewer label."""
        return self.tokens[who]


async def build_world(api: Api, factory: Factory, *, login: bool = True) -> TrainingWorld:
    """top -> boss -> staff1, staff2 (puskesmas), staff3 (its sub-unit); other in Bapenda."""
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    head = await factory.unor(dinkes, "DINKES")
    pkm = await factory.unor(dinkes, "DINKES.PKM", parent_id=head)
    pustu = await factory.unor(dinkes, "DINKES.PKM.PUSTU", parent_id=pkm)
    b_unit = await factory.unor(bapenda, "BAPENDA")
    top = await factory.employee(head, name="Kepala Dinas")
    boss = await factory.employee(pkm, supervisor=top, name="Kepala Puskesmas")
    staff1 = await factory.employee(pkm, supervisor=boss, name="Perawat Satu")
    staff2 = await factory.employee(pkm, supervisor=boss, name="Perawat Dua")
    staff3 = await factory.employee(pustu, supervisor=boss, name="Bidan Pustu")
    other = await factory.employee(b_unit, name="Pegawai Bapenda")
    people = {
        "top": top,
        "boss": boss,
        "staff1": staff1,
        "staff2": staff2,
        "staff3": staff3,
        "other": other,
    }
    usernames = {k: p.username for k, p in people.items()}
    usernames["admin_dinkes"] = await factory.admin("admin.dinkes", Role.ADMIN_OPD, dinkes)
    usernames["admin_bapenda"] = await factory.admin("admin.bapenda", Role.ADMIN_OPD, bapenda)
    usernames["admin_bkpsdm"] = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    tokens = {}
    if login:
        for label in ("staff1", "staff2", "boss", "top", "other", "admin_dinkes", "admin_bkpsdm"):
            tokens[label] = await api.login(usernames[label], PASSWORD)
    return TrainingWorld(
        people=people,
        units={"head": head, "pkm": pkm, "pustu": pustu, "bapenda": b_unit},
        opds={"dinkes": dinkes, "bapenda": bapenda},
        usernames=usernames,
        tokens=tokens,
    )


async def login(api: Api, world: TrainingWorld, who: str) -> str:
    """Log a viewer in (and remember the token)."""
    if who not in world.tokens:
        world.tokens[who] = await api.login(world.usernames[who], PASSWORD)
    return world.tokens[who]


async def competency(
    code: str,
    name: str,
    *,
    kind: CompetencyKind = CompetencyKind.TEKNIS,
    berakhlak: tuple[BerAkhlak, ...] = (),
    themes: tuple[str, ...] = (),
) -> int:
    """Create a competency; return its id."""
    row = await catalogue.create_competency(
        None, code=code, kind=kind, name=name, berakhlak=berakhlak, themes=themes
    )
    return row.id


async def course(
    title: str = "Pelayanan Prima",
    *,
    jp: int = 8,
    mode: CourseMode = CourseMode.KLASIKAL,
    form: CourseForm = CourseForm.DIKLAT,
    capacity: int | None = None,
    status: CourseStatus = CourseStatus.PUBLISHED,
    competency_ids: tuple[int, ...] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
    enrolment_opens: date | None = None,
    enrolment_closes: date | None = None,
    provider: str = "BPSDM Provinsi Banten",
) -> int:
    """Create a course straight through the service (PUBLISHED by default); return its id."""
    row = await catalogue.create_course(
        None,
        CourseData(
            title=title,
            provider=provider,
            mode=mode,
            form=form,
            jp_hours=jp,
            schedule_kind=ScheduleKind.SELF_PACED,
            capacity=capacity,
            competency_ids=competency_ids,
            starts_on=starts_on,
            ends_on=ends_on,
            enrolment_opens=enrolment_opens,
            enrolment_closes=enrolment_closes,
        ),
    )
    if status is not CourseStatus.DRAFT:
        await Course.update({Course.status: status.value}).where(Course.id == row.id)
    return row.id
