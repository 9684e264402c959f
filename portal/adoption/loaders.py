"""Per-request dataloaders of the socialization program (no N+1 on lists of sessions)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from portal.adoption.services import programs, surveys
from portal.adoption.services.programs import ProgramRow, SessionCounts, SessionRow
from portal.adoption.services.surveys import SurveyRow
from portal.core.auth import Viewer
from portal.core.context import LoaderSet


async def _answered(keys: Sequence[tuple[int, int]]) -> list[bool]:
    """(employee, survey) keys; in practice one employee per request: the viewer."""
    by_employee: dict[int, list[int]] = {}
    for employee_id, survey_id in keys:
        by_employee.setdefault(employee_id, []).append(survey_id)
    done: set[tuple[int, int]] = set()
    for employee_id, survey_ids in by_employee.items():
        flags = await surveys.answered_by(employee_id, survey_ids)
        done |= {(employee_id, s) for s, yes in zip(survey_ids, flags, strict=True) if yes}
    return [k in done for k in keys]


class AdoptionLoaders(LoaderSet):
    """Batches lookups of programs, sessions and surveys within a request."""

    def __init__(self) -> None:
        self.program: DataLoader[int, ProgramRow | None] = DataLoader(programs.programs_by_ids)
        self.session: DataLoader[int, SessionRow | None] = DataLoader(programs.sessions_by_ids)
        self.sessions_by_program: DataLoader[int, list[SessionRow]] = DataLoader(
            programs.sessions_by_program
        )
        self.program_opds: DataLoader[int, list[int]] = DataLoader(programs.program_opds)
        self.program_units: DataLoader[int, list[int]] = DataLoader(programs.program_units)
        self.session_units: DataLoader[int, list[int]] = DataLoader(programs.session_units)
        self.session_counts: DataLoader[int, SessionCounts] = DataLoader(programs.session_counts)
        self.survey: DataLoader[int, SurveyRow | None] = DataLoader(surveys.surveys_by_ids)
        self.answered: DataLoader[tuple[int, int], bool] = DataLoader(_answered)
        # the request's one viewer: what they take part in and which programs they see, read
        # once per request however many programs or surveys a list holds
        self._participation: asyncio.Future[tuple[set[int], set[int]]] | None = None
        self._visible: asyncio.Future[set[int] | None] | None = None

    async def participation(self, viewer: Viewer) -> tuple[set[int], set[int]]:
        """:func:`programs.participation` of the request's viewer, read once."""
        if self._participation is None:
            self._participation = asyncio.ensure_future(programs.participation(viewer))
        return await asyncio.shield(self._participation)

    async def sees_program(self, viewer: Viewer, program_id: int) -> bool:
        """:func:`programs.can_see_program` for the request's viewer, the programs read once."""
        if self._visible is None:
            self._visible = asyncio.ensure_future(programs.visible_program_ids(viewer))
        visible = await asyncio.shield(self._visible)
        return visible is None or program_id in visible
