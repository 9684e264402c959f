"""A small city for the socialization-program tests: two OPDs, their admins and a manager."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal.adoption.tables import Survey
from portal.core import clock
from portal.core.auth import Role
from portal.core.ids import encode_global_id
from portal.people.tables import Employee
from support.api import Api
from support.factories import PASSWORD, Factory, Person


@dataclass
class World:
    api: Api
    opds: dict[str, int]
    units: dict[str, int]
    people: dict[str, Person]
    tokens: dict[str, str] = field(default_factory=dict)

    def gid(self, type_name: str, pk: int) -> str:
        return encode_global_id(type_name, pk)

    def person_id(self, label: str) -> str:
        return encode_global_id("Employee", self.people[label].id)

    async def data(self, op: str, variables: dict[str, Any], who: str) -> dict[str, Any]:
        return await self.api.data(op, variables, token=self.tokens[who])

    async def mutate(self, op: str, payload: dict[str, Any], who: str) -> dict[str, Any]:
        """Run a mutation with ``input``; return its payload (first field of data)."""
        data = await self.api.data(op, {"input": payload}, token=self.tokens[who])
        (result,) = data.values()
        return dict(result)


async def build_world(api: Api, factory: Factory, *, extra_b: int = 0) -> World:
    """DINKES (head unit + puskesmas below it) and BAPENDA, people in both, and logins."""
    dinkes = await factory.opd("DINKES", "Dinas Kesehatan")
    bapenda = await factory.opd("BAPENDA", "Badan Pendapatan Daerah")
    head = await factory.unor(dinkes, "DINKES")
    pkm = await factory.unor(dinkes, "DINKES.PKM", parent_id=head)
    bunit = await factory.unor(bapenda, "BAPENDA")
    people: dict[str, Person] = {}
    people["kadis"] = await factory.employee(head, name="Kepala Dinas")
    people["kapus"] = await factory.employee(pkm, supervisor=people["kadis"], name="Kepala PKM")
    for i in range(1, 4):
        people[f"perawat{i}"] = await factory.employee(
            pkm, supervisor=people["kapus"], name=f"Perawat {i}"
        )
    for i in range(1, 3 + extra_b):
        people[f"bapenda{i}"] = await factory.employee(bunit, name=f"Pegawai Bapenda {i}")
    await Employee.update({Employee.hired_on: date(2020, 1, 6)}).where(Employee.id > 0)
    world = World(
        api=api,
        opds={"dinkes": dinkes, "bapenda": bapenda},
        units={"head": head, "pkm": pkm, "bapenda": bunit},
        people=people,
    )
    await factory.admin("sosialisasi", Role.PENGELOLA_SOSIALISASI)
    await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    await factory.admin("admin.dinkes", Role.ADMIN_OPD, dinkes)
    await factory.admin("admin.bapenda", Role.ADMIN_OPD, bapenda)
    logins = {
        "manager": "sosialisasi",
        "bkpsdm": "admin.bkpsdm",
        "admin_dinkes": "admin.dinkes",
        "admin_bapenda": "admin.bapenda",
    }
    logins.update({label: p.username for label, p in people.items()})
    for label, username in logins.items():
        world.tokens[label] = await api.login(username, PASSWORD)
    return world


async def program_with_session(world: World, *, capacity: int = 50) -> tuple[str, str]:
    """A program targeting DINKES with one session that started an hour ago."""
    today = clock.today()
    program = await world.mutate(
        "CreateProgram",
        {
            "name": "Sosialisasi e-Kinerja",
            "goal": "Semua pegawai mencatat aktivitas harian",
            "startsOn": (today - timedelta(days=30)).isoformat(),
            "endsOn": (today + timedelta(days=60)).isoformat(),
            "targetOpdIds": [world.gid("Opd", world.opds["dinkes"])],
        },
        "manager",
    )
    assert program["userErrors"] == [], program
    start = datetime.now(UTC) - timedelta(hours=1)
    session = await world.mutate(
        "CreateSession",
        {
            "programId": program["program"]["id"],
            "title": "Pengenalan pencatatan aktivitas",
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=2)).isoformat(),
            "facilitator": "Tim BKPSDM",
            "capacity": capacity,
            "place": "Aula Dinkes",
            "targetUnitIds": [world.gid("Unor", world.units["pkm"])],
        },
        "manager",
    )
    assert session["userErrors"] == [], session
    return program["program"]["id"], session["session"]["id"]


async def close_survey(survey_gid: str) -> None:
    """Close a survey as of yesterday (answers are accepted only while it is open)."""
    from portal.core.ids import decode_id_of

    pk = decode_id_of(survey_gid, "Survey")
    yesterday = clock.today() - timedelta(days=1)
    await Survey.update(
        {Survey.opens_on: yesterday - timedelta(days=7), Survey.closes_on: yesterday}
    ).where(Survey.id == pk)


def today_iso(offset: int = 0) -> str:
    return (clock.today() + timedelta(days=offset)).isoformat()


def iso(day: date) -> str:
    return day.isoformat()
