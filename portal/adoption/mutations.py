"""Mutation fields of the socialization program, with their inputs and payloads (thin)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime

import strawberry

from portal.adoption.enums import CheckInStatus
from portal.adoption.services import attendance, programs, surveys
from portal.adoption.services.attendance import CheckInOutcome, InviteOutcome, ParticipantRow
from portal.adoption.services.programs import ProgramRow, SessionRow
from portal.adoption.services.surveys import SurveyRow
from portal.adoption.types import (
    InvitationType,
    ProgramType,
    SessionType,
    SurveyType,
)
from portal.core.auth import Viewer
from portal.core.context import Info
from portal.core.graphql import (
    Input,
    RowPayload,
    UserError,
    mutate,
    viewer_mutation,
)
from portal.core.ids import decode_id_of, decode_ids_of, decode_optional_id
from portal.core.store import Store
from portal.people.loaders import PeopleLoaders
from portal.people.types import EmployeeType


@strawberry.input(description="Plan a socialization program.")
class CreateProgramInput:
    """Program input."""

    name: str = strawberry.field(description="Name (3-200 characters).")
    goal: str = strawberry.field(default="", description="What the program wants to achieve.")
    starts_on: date = strawberry.field(description="First day.")
    ends_on: date = strawberry.field(description="Last day.")
    target_opd_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="OPDs the program targets."
    )
    target_unit_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Units the program targets."
    )


@strawberry.input(description="Schedule a session of a program.")
class CreateSessionInput:
    """Session input."""

    program_id: strawberry.ID = strawberry.field(description="The program.")
    title: str = strawberry.field(description="Title (3-200 characters).")
    starts_at: datetime = strawberry.field(description="Start, with time zone.")
    ends_at: datetime = strawberry.field(description="End, with time zone.")
    facilitator: str = strawberry.field(description="Who leads the session.")
    capacity: int = strawberry.field(description="Seats (1-5000).")
    place: str | None = strawberry.field(default=None, description="Room or venue.")
    online_url: str | None = strawberry.field(default=None, description="Meeting link (http/s).")
    target_unit_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Units the session is meant for."
    )


@strawberry.input(description="Invite every active employee of a unit to a session.")
class InviteUnitInput:
    """Invite input."""

    session_id: strawberry.ID = strawberry.field(description="The session.")
    unit_id: strawberry.ID = strawberry.field(description="The unit.")
    include_subunits: bool = strawberry.field(
        default=True, description="Also invite the employees of every unit below it."
    )


@strawberry.input(description="Check in invited employees, by ID and/or NIP.")
class CheckInInput:
    """Check-in input."""

    session_id: strawberry.ID = strawberry.field(description="The session.")
    employee_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Employees by global ID."
    )
    nips: list[str] = strawberry.field(default_factory=list, description="Employees by NIP.")


@strawberry.input(description="Register someone who attended without an invitation.")
class RegisterLateInput:
    """Late registration input."""

    session_id: strawberry.ID = strawberry.field(description="The session.")
    employee_id: strawberry.ID | None = strawberry.field(
        default=None, description="The employee (or give `nip`)."
    )
    nip: str | None = strawberry.field(default=None, description="The employee's NIP.")


@strawberry.input(description="An attendee's feedback on a session.")
class SubmitSessionFeedbackInput:
    """Feedback input."""

    session_id: strawberry.ID = strawberry.field(description="The session attended.")
    rating: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str = strawberry.field(default="", description="Optional comment.")


@strawberry.input(description="Schedule a pulse survey (questions are fixed).")
class CreateSurveyInput:
    """Survey input."""

    title: str = strawberry.field(description="Title (3-200 characters).")
    opens_on: date = strawberry.field(description="First day answers are accepted.")
    closes_on: date = strawberry.field(description="Last day answers are accepted.")
    program_id: strawberry.ID | None = strawberry.field(
        default=None, description="The program it belongs to, if any."
    )


@strawberry.input(description="A survey to open or close now.")
class SurveyActionInput:
    """Survey action input."""

    survey_id: strawberry.ID = strawberry.field(description="The survey.")


@strawberry.input(description="Answer a pulse survey anonymously (once per survey).")
class AnswerSurveyInput:
    """Answer input."""

    survey_id: strawberry.ID = strawberry.field(description="The survey.")
    comfort: int = strawberry.field(description="Comfort with the system, 1-5.")
    stress: int = strawberry.field(description="Perceived stress, 1-5.")
    understanding: int = strawberry.field(description="Understanding of the rules, 1-5.")
    comment: str = strawberry.field(
        default="", description="Optional comment (never shown through the API)."
    )


@strawberry.type(description="Result of createProgram.")
class ProgramPayload(RowPayload[ProgramRow], program=(ProgramType, "The program.")):
    """Program payload."""


@strawberry.type(description="Result of createSession or submitSessionFeedback.")
class AdoptionSessionPayload(RowPayload[SessionRow], session=(SessionType, "The session.")):
    """Session payload."""


@strawberry.type(description="Result of inviteUnit.")
class InviteUnitPayload:
    """Invite payload."""

    session: SessionType | None = strawberry.field(description="The session.")
    invited: int = strawberry.field(description="Employees newly invited.")
    already_invited: int = strawberry.field(description="Employees of the unit invited before.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Outcome of one person in a bulk check-in.")
class CheckInResult:
    """One check-in outcome."""

    identifier: str = strawberry.field(description="The ID or NIP as given.")
    status: CheckInStatus = strawberry.field(description="What happened.")
    employee_id: strawberry.Private[int | None]

    @strawberry.field(description="The employee, when known.")
    async def employee(self, info: Info) -> EmployeeType | None:
        """Employee."""
        if self.employee_id is None:
            return None
        row = await PeopleLoaders.of(info).employee.load(self.employee_id)
        return EmployeeType.from_row(row) if row else None


@strawberry.type(description="Result of checkIn.")
class CheckInPayload:
    """Check-in payload."""

    session: SessionType | None = strawberry.field(description="The session.")
    checked_in: int = strawberry.field(description="People checked in by this call.")
    results: list[CheckInResult] = strawberry.field(description="One outcome per identifier.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


@strawberry.type(description="Result of registerLate.")
class RegisterLatePayload(
    RowPayload[ParticipantRow],
    invitation=(InvitationType, "The attendance recorded (without an invitation)."),
):
    """Late registration payload."""


@strawberry.type(description="Result of createSurvey.")
class SurveyPayload(RowPayload[SurveyRow], survey=(SurveyType, "The survey.")):
    """Survey payload."""


@strawberry.type(description="Result of answerSurvey; the answer itself is never returned.")
class AnswerSurveyPayload:
    """Answer payload."""

    accepted: bool = strawberry.field(description="Whether the answer was recorded.")
    survey: SurveyType | None = strawberry.field(description="The survey answered.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed.")


def _invite_payload(outcome: InviteOutcome | None, errors: list[UserError]) -> InviteUnitPayload:
    if outcome is None:
        return InviteUnitPayload(session=None, invited=0, already_invited=0, user_errors=errors)
    return InviteUnitPayload(
        session=SessionType.from_row(outcome.session),
        invited=outcome.invited,
        already_invited=outcome.already_invited,
        user_errors=[],
    )


def _check_in_payload(
    result: tuple[SessionRow, list[CheckInOutcome]] | None, errors: list[UserError]
) -> CheckInPayload:
    if result is None:
        return CheckInPayload(session=None, checked_in=0, results=[], user_errors=errors)
    session, outcomes = result
    return CheckInPayload(
        session=SessionType.from_row(session),
        checked_in=sum(1 for o in outcomes if o.status == CheckInStatus.CHECKED_IN),
        results=[
            CheckInResult(
                identifier=o.identifier,
                status=CheckInStatus(o.status),
                employee_id=o.employee_id,
            )
            for o in outcomes
        ],
        user_errors=[],
    )


def _answer_payload(survey: SurveyRow | None, errors: list[UserError]) -> AnswerSurveyPayload:
    return AnswerSurveyPayload(
        accepted=survey is not None,
        survey=SurveyType.from_row(survey) if survey else None,
        user_errors=errors,
    )


async def _on_survey(
    info: Info,
    data: SurveyActionInput,
    action: Callable[[Viewer, Store, int], Awaitable[SurveyRow]],
) -> SurveyPayload:
    """Open or close a survey (a malformed id is a user error too)."""
    return await mutate(
        info,
        lambda viewer: action(
            viewer, info.context.store, decode_id_of(data.survey_id, "Survey", "surveyId")
        ),
        SurveyPayload.of,
    )


@strawberry.type
class AdoptionMutation:
    """Writes of the socialization program."""

    @viewer_mutation("Plan a program (PENGELOLA_SOSIALISASI or ADMIN_BKPSDM).")
    async def create_program(self, info: Info, data: Input[CreateProgramInput]) -> ProgramPayload:
        """Create a program."""
        return await mutate(
            info,
            lambda viewer: programs.create_program(
                viewer,
                info.context.store,
                name=data.name,
                goal=data.goal,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                opd_ids=decode_ids_of(data.target_opd_ids, "Opd", "targetOpdIds"),
                unit_ids=decode_ids_of(data.target_unit_ids, "Unor", "targetUnitIds"),
            ),
            ProgramPayload.of,
        )

    @viewer_mutation("Schedule a session of a program (managers).")
    async def create_session(
        self, info: Info, data: Input[CreateSessionInput]
    ) -> AdoptionSessionPayload:
        """Create a session."""
        return await mutate(
            info,
            lambda viewer: programs.create_session(
                viewer,
                info.context.store,
                program_id=decode_id_of(data.program_id, "Program", "programId"),
                title=data.title,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                facilitator=data.facilitator,
                capacity=data.capacity,
                place=data.place,
                online_url=data.online_url,
                unit_ids=decode_ids_of(data.target_unit_ids, "Unor", "targetUnitIds"),
            ),
            AdoptionSessionPayload.of,
        )

    @viewer_mutation("Invite a unit (and its sub-units) to a session (managers).")
    async def invite_unit(self, info: Info, data: Input[InviteUnitInput]) -> InviteUnitPayload:
        """Invite a unit."""
        return await mutate(
            info,
            lambda viewer: attendance.invite_unit(
                viewer,
                info.context.store,
                session_id=decode_id_of(data.session_id, "Session", "sessionId"),
                unit_id=decode_id_of(data.unit_id, "Unor", "unitId"),
                include_subunits=data.include_subunits,
            ),
            _invite_payload,
        )

    @viewer_mutation("Check in invited employees in bulk, by ID or NIP (managers).")
    async def check_in(self, info: Info, data: Input[CheckInInput]) -> CheckInPayload:
        """Bulk check-in."""
        return await mutate(
            info,
            lambda viewer: attendance.check_in(
                viewer,
                info.context.store,
                session_id=decode_id_of(data.session_id, "Session", "sessionId"),
                employee_ids=decode_ids_of(data.employee_ids, "Employee", "employeeIds"),
                nips=data.nips,
            ),
            _check_in_payload,
        )

    @viewer_mutation("Record a walk-in who was not invited (managers; within capacity).")
    async def register_late(
        self, info: Info, data: Input[RegisterLateInput]
    ) -> RegisterLatePayload:
        """Late registration."""
        return await mutate(
            info,
            lambda viewer: attendance.register_late(
                viewer,
                info.context.store,
                session_id=decode_id_of(data.session_id, "Session", "sessionId"),
                employee_id=decode_optional_id(data.employee_id, "Employee", "employeeId"),
                nip=data.nip.strip() if data.nip else None,
            ),
            RegisterLatePayload.of,
        )

    @viewer_mutation("Rate a session you attended (1-5), once.")
    async def submit_session_feedback(
        self, info: Info, data: Input[SubmitSessionFeedbackInput]
    ) -> AdoptionSessionPayload:
        """Session feedback."""
        return await mutate(
            info,
            lambda viewer: attendance.submit_feedback(
                viewer,
                info.context.store,
                session_id=decode_id_of(data.session_id, "Session", "sessionId"),
                rating=data.rating,
                comment=data.comment,
            ),
            AdoptionSessionPayload.of,
        )

    @viewer_mutation("Schedule a pulse survey (managers).")
    async def create_survey(self, info: Info, data: Input[CreateSurveyInput]) -> SurveyPayload:
        """Create a survey."""
        return await mutate(
            info,
            lambda viewer: surveys.create_survey(
                viewer,
                info.context.store,
                title=data.title,
                opens_on=data.opens_on,
                closes_on=data.closes_on,
                program_id=decode_optional_id(data.program_id, "Program", "programId"),
            ),
            SurveyPayload.of,
        )

    @viewer_mutation("Open a scheduled pulse survey today (managers).")
    async def open_survey(self, info: Info, data: Input[SurveyActionInput]) -> SurveyPayload:
        """Open a survey."""
        return await _on_survey(info, data, surveys.open_survey)

    @viewer_mutation(
        "Close an open pulse survey now: answers stop, results are published "
        "(managers; from the day after it opened)."
    )
    async def close_survey(self, info: Info, data: Input[SurveyActionInput]) -> SurveyPayload:
        """Close a survey."""
        return await _on_survey(info, data, surveys.close_survey)

    @viewer_mutation("Answer an open pulse survey anonymously, once.")
    async def answer_survey(
        self, info: Info, data: Input[AnswerSurveyInput]
    ) -> AnswerSurveyPayload:
        """Answer a survey."""
        return await mutate(
            info,
            lambda viewer: surveys.answer_survey(
                viewer,
                info.context.store,
                survey_id=decode_id_of(data.survey_id, "Survey", "surveyId"),
                comfort=data.comfort,
                stress=data.stress,
                understanding=data.understanding,
                comment=data.comment,
            ),
            _answer_payload,
        )
