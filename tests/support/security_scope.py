"""Who may see which object, written down from DESIGN.md, and a leak detector for responses.

The rules here are the test's own reading of the specification, kept apart from the portal's
policy code on purpose: the BOLA matrix and the fuzzer compare what the API returns with them.

* Directory objects (OPD, unit, employee name/jabatan, period, survey, competency, published
  course) are public to every logged-in user; nothing is visible to an anonymous request.
* An employee's private data (profile, SKP, activities, evaluations, training) is visible to the
  employee, their supervisor chain, an ADMIN_OPD of their OPD and ADMIN_BKPSDM. RHKs and
  indicators are also visible to the owner's direct reports (cascading).
* Conversations (feedback messages, dialog kinerja and its actions) belong to the employee and
  their supervisor chain only; admins of the OPD see that a thread exists, never its messages.
* Coaching assignments: the employee, the coach, the chain, admins of the employee's OPD.
* Mentoring alerts: the supervisor chain and BKPSDM; the employee sees the offer unless it was
  dismissed; never an ADMIN_OPD.
* Notifications: their recipient only. Draft courses: administrators only.
* Socialization programs and sessions: program managers and BKPSDM, admins of a targeted OPD,
  and the employees invited to (or attending) them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from portal.adoption.tables import (
    Attendance,
    Invitation,
    Program,
    ProgramOpd,
    ProgramUnit,
    Session,
)
from portal.coaching.tables import CoachingAssignment
from portal.core.errors import DomainError
from portal.core.ids import decode_global_id
from portal.feedback.tables import DialogAction, DialogKinerja, FeedbackMessage, FeedbackThread
from portal.mentoring.tables import MentoringAlert
from portal.notifications.tables import Notification
from portal.people.tables import ActingAppointment, Employee
from portal.performance.tables import Activity, Evaluation, Indicator, Rhk, Skp
from portal.processes.tables import Objection
from training.tables import Course, TrainingAssignment

PUBLIC_COURSE_STATUSES = frozenset({"PUBLISHED", "CLOSED"})


@dataclass(frozen=True, slots=True)
class Scope:
    """What the specification lets one viewer see (``authenticated`` False: anonymous)."""

    label: str
    authenticated: bool = True
    account_id: int | None = None
    employee_id: int | None = None
    supervisor_id: int | None = None
    subordinate_ids: frozenset[int] = frozenset()
    admin_opd_ids: frozenset[int] = frozenset()
    bkpsdm: bool = False
    manager: bool = False

    @property
    def is_admin(self) -> bool:
        """Any administrator."""
        return self.bkpsdm or bool(self.admin_opd_ids)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules need to know about one object, read from the database."""

    type_name: str
    pk: int
    employee_id: int | None = None  # whose data it is
    opd_id: int | None = None  # that employee's OPD
    coach_id: int | None = None
    status: str | None = None
    account_id: int | None = None
    target_opd_ids: frozenset[int] = frozenset()
    participant_ids: frozenset[int] = frozenset()  # session: its own; program: any session's
    program_participant_ids: frozenset[int] = frozenset()
    decider_id: int | None = None  # a keberatan's atasan pejabat penilai
    principal_id: int | None = None  # a Plt/Plh appointment's two officials
    acting_id: int | None = None


def _private(v: Scope, f: Facts) -> bool:
    return (
        v.employee_id == f.employee_id
        or v.bkpsdm
        or f.opd_id in v.admin_opd_ids
        or f.employee_id in v.subordinate_ids
    )


def _converse(v: Scope, f: Facts) -> bool:
    return f.employee_id is not None and (
        v.employee_id == f.employee_id or f.employee_id in v.subordinate_ids
    )


def _cascaded(v: Scope, f: Facts) -> bool:
    return _private(v, f) or (v.supervisor_id is not None and v.supervisor_id == f.employee_id)


def _thread(v: Scope, f: Facts) -> bool:
    return _converse(v, f) or v.bkpsdm or f.opd_id in v.admin_opd_ids


def _coaching(v: Scope, f: Facts) -> bool:
    return (v.employee_id is not None and v.employee_id == f.coach_id) or _thread(v, f)


def _alert(v: Scope, f: Facts) -> bool:
    own = v.employee_id == f.employee_id and f.status != "DISMISSED"
    return own or v.bkpsdm or f.employee_id in v.subordinate_ids


def _program(v: Scope, f: Facts) -> bool:
    return (
        v.manager
        or v.bkpsdm
        or bool(f.target_opd_ids & v.admin_opd_ids)
        or v.employee_id in f.participant_ids
    )


def _session(v: Scope, f: Facts) -> bool:
    if v.manager or v.bkpsdm or v.employee_id in f.participant_ids:
        return True
    program_visible = bool(f.target_opd_ids & v.admin_opd_ids) or (
        v.employee_id in f.program_participant_ids
    )
    return bool(v.admin_opd_ids) and program_visible


def _objection(v: Scope, f: Facts) -> bool:
    decides = v.employee_id is not None and v.employee_id == f.decider_id
    return decides or (f.decider_id is None and v.bkpsdm) or _private(v, f)


def _acting(v: Scope, f: Facts) -> bool:
    official = v.employee_id is not None and v.employee_id in (f.principal_id, f.acting_id)
    return official or v.bkpsdm or f.opd_id in v.admin_opd_ids


def _public(v: Scope, f: Facts) -> bool:
    return True


RULES: dict[str, Callable[[Scope, Facts], bool]] = {
    "Opd": _public,
    "Unor": _public,
    "Employee": _public,  # the directory part; `profile` follows `profile_visible`
    "Period": _public,
    "Survey": _public,
    "Competency": _public,
    "Course": lambda v, f: f.status in PUBLIC_COURSE_STATUSES or v.is_admin,
    "Skp": _private,
    "Activity": _private,
    "Evaluation": _private,
    "TrainingAssignment": _private,
    "Rhk": _cascaded,
    "Indicator": _cascaded,
    "FeedbackThread": _thread,
    "FeedbackMessage": _converse,
    "DialogKinerja": _converse,
    "DialogAction": _converse,
    "CoachingAssignment": _coaching,
    "MentoringAlert": _alert,
    "Notification": lambda v, f: f.account_id is not None and v.account_id == f.account_id,
    "Program": _program,
    "Session": _session,
    "Objection": _objection,
    "ActingAppointment": _acting,
}


def visible(scope: Scope, facts: Facts) -> bool:
    """Whether the specification lets ``scope`` see the object."""
    return scope.authenticated and RULES[facts.type_name](scope, facts)


def profile_visible(scope: Scope, employee: Facts) -> bool:
    """Whether ``scope`` may read an employee's private profile."""
    return scope.authenticated and _private(scope, employee)


# --- facts from the database -------------------------------------------------------------------


async def _one(query: Any) -> dict[str, Any] | None:
    rows = await query
    return dict(rows[0]) if rows else None


async def _owned(table: Any, owner: Any, pk: int, **extra: Any) -> dict[str, Any] | None:
    """Select the owning employee (``owner`` is a foreign-key path to Employee) and its OPD."""
    columns = [owner.as_alias("employee_id"), owner.opd.as_alias("opd_id")]
    columns += [column.as_alias(name) for name, column in extra.items()]
    return await _one(table.select(*columns).where(table.id == pk))


async def _participants(session_ids: list[int]) -> frozenset[int]:
    if not session_ids:
        return frozenset()
    invited = await Invitation.select(Invitation.employee).where(
        Invitation.session.is_in(session_ids)
    )
    attended = await Attendance.select(Attendance.employee).where(
        Attendance.session.is_in(session_ids)
    )
    return frozenset(r["employee"] for r in [*invited, *attended])


async def _program_targets(program_id: int) -> frozenset[int]:
    opds = await ProgramOpd.select(ProgramOpd.opd).where(ProgramOpd.program == program_id)
    units = await ProgramUnit.select(ProgramUnit.unor.opd.as_alias("opd")).where(
        ProgramUnit.program == program_id
    )
    return frozenset(r["opd"] for r in [*opds, *units])


async def _program_sessions(program_id: int) -> list[int]:
    return [r["id"] for r in await Session.select(Session.id).where(Session.program == program_id)]


# type -> (table, foreign-key path from it to the Employee whose data it is, extra columns)
_OWNED: dict[str, tuple[Any, Any, dict[str, Any]]] = {
    "Skp": (Skp, Skp.employee, {}),
    "Activity": (Activity, Activity.employee, {}),
    "Evaluation": (Evaluation, Evaluation.employee, {}),
    "FeedbackThread": (FeedbackThread, FeedbackThread.employee, {}),
    "DialogKinerja": (DialogKinerja, DialogKinerja.employee, {}),
    "TrainingAssignment": (TrainingAssignment, TrainingAssignment.employee, {}),
    "Rhk": (Rhk, Rhk.skp.employee, {}),
    "Indicator": (Indicator, Indicator.skp.employee, {}),
    "FeedbackMessage": (FeedbackMessage, FeedbackMessage.thread.employee, {}),
    "DialogAction": (DialogAction, DialogAction.dialog.employee, {}),
    "CoachingAssignment": (
        CoachingAssignment,
        CoachingAssignment.employee,
        {"coach_id": CoachingAssignment.coach},
    ),
    "MentoringAlert": (MentoringAlert, MentoringAlert.employee, {"status": MentoringAlert.status}),
    "Objection": (Objection, Objection.employee, {"decider_id": Objection.decider}),
}


async def _session_facts(pk: int) -> dict[str, Any] | None:
    row = await _one(Session.select(Session.program).where(Session.id == pk))
    if row is None:
        return None
    program = row["program"]
    return {
        "target_opd_ids": await _program_targets(program),
        "participant_ids": await _participants([pk]),
        "program_participant_ids": await _participants(await _program_sessions(program)),
    }


async def _facts_row(type_name: str, pk: int) -> dict[str, Any] | None:  # noqa: PLR0911
    if type_name in _OWNED:
        table, owner, extra = _OWNED[type_name]
        return await _owned(table, owner, pk, **extra)
    match type_name:
        case "Employee":
            return await _one(
                Employee.select(
                    Employee.id.as_alias("employee_id"), Employee.opd.as_alias("opd_id")
                ).where(Employee.id == pk)
            )
        case "Notification":
            return await _one(
                Notification.select(Notification.account.as_alias("account_id")).where(
                    Notification.id == pk
                )
            )
        case "Course":
            return await _one(Course.select(Course.status).where(Course.id == pk))
        case "Program":
            if not await Program.exists().where(Program.id == pk):
                return None
            return {
                "target_opd_ids": await _program_targets(pk),
                "participant_ids": await _participants(await _program_sessions(pk)),
            }
        case "Session":
            return await _session_facts(pk)
        case "ActingAppointment":
            return await _one(
                ActingAppointment.select(
                    ActingAppointment.opd.as_alias("opd_id"),
                    ActingAppointment.principal.as_alias("principal_id"),
                    ActingAppointment.acting.as_alias("acting_id"),
                ).where(ActingAppointment.id == pk)
            )
        case _:
            return {}


async def load_facts(type_name: str, pk: int) -> Facts | None:
    """The facts of one object; None when the type has no rule or the row does not exist."""
    if type_name not in RULES:
        return None
    row = await _facts_row(type_name, pk)
    return None if row is None else Facts(type_name=type_name, pk=pk, **row)


# --- the leak detector -------------------------------------------------------------------------


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _dicts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _dicts(item)


def _object_id(obj: dict[str, Any]) -> tuple[str, int] | None:
    raw = obj.get("id")
    if not isinstance(raw, str):
        return None
    try:
        return decode_global_id(raw)
    except DomainError:
        return None


@dataclass
class LeakDetector:
    """Finds objects in a response body that the viewer's scope does not cover.

    Every object carrying a global ``id`` is looked up in the database and judged by
    :data:`RULES`; an employee object with a non-null ``profile`` is judged by
    :func:`profile_visible`; and every canary text (a unique marker planted in a private text
    field of the world) found anywhere in the body must belong to an object the scope covers,
    so a leak through a field without an ``id`` next to it is caught too.
    """

    canaries: dict[str, tuple[str, int]] = field(default_factory=dict)
    frozen: bool = False  # True while nothing changes the world: facts are then cached
    _cache: dict[tuple[str, int], Facts | None] = field(default_factory=dict)

    async def facts(self, type_name: str, pk: int) -> Facts | None:
        """:func:`load_facts`, cached while the world is frozen."""
        if not self.frozen:
            return await load_facts(type_name, pk)
        key = (type_name, pk)
        if key not in self._cache:
            self._cache[key] = await load_facts(type_name, pk)
        return self._cache[key]

    async def leaks(self, body: dict[str, Any], scope: Scope) -> list[str]:
        """Descriptions of everything in ``body`` that ``scope`` should not see."""
        found: list[str] = []
        seen: set[tuple[str, int, bool]] = set()
        for obj in _dicts(body.get("data")):
            ident = _object_id(obj)
            if ident is None:
                continue
            type_name, pk = ident
            with_profile = type_name == "Employee" and obj.get("profile") is not None
            if (type_name, pk, with_profile) in seen:
                continue
            seen.add((type_name, pk, with_profile))
            facts = await self.facts(type_name, pk)
            if facts is None:
                continue
            if not visible(scope, facts):
                found.append(f"{type_name}:{pk} returned to {scope.label}")
            if with_profile and not profile_visible(scope, facts):
                found.append(f"profile of Employee:{pk} returned to {scope.label}")
        text = json.dumps(body.get("data"), ensure_ascii=False)
        for canary, (type_name, pk) in self.canaries.items():
            if canary not in text:
                continue
            facts = await self.facts(type_name, pk)
            if facts is not None and not visible(scope, facts):
                found.append(f"text of {type_name}:{pk} ({canary}) returned to {scope.label}")
        return found
