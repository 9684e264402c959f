"""Pulse surveys: comfort with the system, perceived stress, understanding of the rules.

Anonymity (DESIGN.md §4, issue 7):

* Answers are stored without anything that a query of the portal joins back to a person: the
  respondent column only feeds the unique index that refuses a second answer, and the one
  query that reads it asks "did *I* answer this survey?" for the viewer themself.
* No API path returns a response row: there is no response type, no node resolver for one, and
  the audit entry of an answer names the survey, never the answers nor who gave them.
* Results are aggregates of groups of at least five respondents, with complementary
  suppression (``metrics.anonymised``), published only once the survey has closed, so
  comparing results before and after one more person answered reveals nothing. Comments are
  stored for the program team's offline reading and never returned by the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from piccolo.columns import Date

from portal.adoption import cache, metrics, policy, sql
from portal.adoption.cache import Cached
from portal.adoption.enums import GroupBy
from portal.adoption.metrics import GroupResult
from portal.adoption.tables import Program, Survey, SurveyResponse
from portal.core import audit, clock
from portal.core.auth import Viewer
from portal.core.db import id_in, is_unique_violation, row_columns, transaction
from portal.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from portal.core.pagination import Page, PageRequest, page_of
from portal.core.store import Store
from portal.people.services import directory as people

MAX_COMMENT = 1000


@dataclass(frozen=True, slots=True)
class SurveyRow:
    """A pulse survey."""

    id: int
    program_id: int | None
    title: str
    opens_on: date
    closes_on: date


@dataclass(frozen=True, slots=True)
class SurveyGroup:
    """One group's published (or suppressed) result."""

    opd_id: int | None
    unit_id: int | None
    result: GroupResult


@dataclass(frozen=True, slots=True)
class SurveyResults:
    """A survey's results in one grouping."""

    survey_id: int
    group_by: str
    published: bool
    groups: list[SurveyGroup]


@dataclass(frozen=True, slots=True)
class TrendRow:
    """An OPD's pulse before and after its first session."""

    opd_id: int
    first_session_day: date | None
    before: GroupResult
    after: GroupResult


_SURVEY = row_columns(Survey, SurveyRow)


async def surveys_by_ids(ids: Sequence[int]) -> list[SurveyRow | None]:
    """Surveys in the order of ``ids`` (surveys are visible to every logged-in user)."""
    rows = await Survey.select(*_SURVEY).where(id_in(Survey.id, ids))
    by_id = {r["id"]: SurveyRow(**r) for r in rows}
    return [by_id.get(i) for i in ids]


async def get_survey(survey_id: int, field: str = "surveyId") -> SurveyRow:
    """One survey."""
    (row,) = await surveys_by_ids([survey_id])
    if row is None:
        raise NotFoundError("Survey", field)
    return row


async def list_surveys(request: PageRequest, *, open_on: date | None = None) -> Page[SurveyRow]:
    """Surveys by ID; only those open on ``open_on`` when given."""
    query = Survey.select(*_SURVEY).order_by(Survey.id).limit(request.first + 1)
    count = Survey.count()
    if open_on is not None:
        window = (Survey.opens_on <= open_on) & (Survey.closes_on >= open_on)
        query = query.where(window)
        count = count.where(window)
    if request.after_pk is not None:
        query = query.where(Survey.id > request.after_pk)
    rows = [SurveyRow(**r) for r in await query]
    return page_of(rows, request, await count)


async def answered_by(employee_id: int | None, survey_ids: Sequence[int]) -> list[bool]:
    """Whether ``employee_id`` answered each survey (asked only about the viewer themself)."""
    if employee_id is None:
        return [False for _ in survey_ids]
    rows = await SurveyResponse.select(SurveyResponse.survey.as_alias("s")).where(
        (SurveyResponse.respondent == employee_id) & id_in(SurveyResponse.survey, survey_ids)
    )
    done = {r["s"] for r in rows}
    return [s in done for s in survey_ids]


async def create_survey(
    viewer: Viewer,
    store: Store,
    *,
    title: str,
    opens_on: date,
    closes_on: date,
    program_id: int | None = None,
) -> SurveyRow:
    """Schedule a pulse survey with the three fixed questions (managers)."""
    policy.require_manager(viewer)
    title = title.strip()
    if not 3 <= len(title) <= 200:  # noqa: PLR2004
        raise DomainError.single("INVALID_LENGTH", "Judul survei harus 3-200 karakter", "title")
    if closes_on < opens_on:
        raise DomainError.single("INVALID_RANGE", "Survei harus ditutup setelah dibuka", "closesOn")
    if program_id is not None and not await Program.exists().where(Program.id == program_id):
        raise NotFoundError("Program", "programId")
    async with transaction():
        survey = Survey(
            program=program_id,
            title=title,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=viewer.account_id,
        )
        after = {"title": title, "opens_on": opens_on, "closes_on": closes_on}
        survey_id = await audit.record_created(viewer, survey, "ADOPTION_SURVEY_CREATED", after)
        await cache.bump_after_commit(store)
    return await get_survey(survey_id)


async def open_survey(
    viewer: Viewer, store: Store, survey_id: int, *, today: date | None = None
) -> SurveyRow:
    """Open a scheduled survey today (managers); a closed survey never reopens.

    Reopening would let results published at closing be compared with results after more
    answers, which the at-least-five rule cannot protect.
    """
    policy.require_manager(viewer)
    survey = await get_survey(survey_id)
    today = today or clock.today()
    if today > survey.closes_on:
        raise DomainError.single(
            "SURVEY_CLOSED", "Survei yang sudah ditutup tidak dibuka lagi", "surveyId"
        )
    if today < survey.opens_on:
        await _move_day(
            viewer,
            store,
            survey,
            column=Survey.opens_on,
            day=today,
            action="ADOPTION_SURVEY_OPENED",
        )
    return await get_survey(survey.id)


async def close_survey(
    viewer: Viewer, store: Store, survey_id: int, *, today: date | None = None
) -> SurveyRow:
    """Close an open survey now (managers): no more answers, its results are published.

    The last answering day becomes yesterday, so a survey opened today can close from tomorrow.
    """
    policy.require_manager(viewer)
    survey = await get_survey(survey_id)
    today = today or clock.today()
    if today > survey.closes_on:
        raise DomainError.single("SURVEY_CLOSED", "Survei sudah ditutup", "surveyId")
    if today <= survey.opens_on:
        raise DomainError.single(
            "SURVEY_NOT_OPEN",
            "Survei dapat ditutup paling cepat sehari setelah dibuka",
            "surveyId",
        )
    last_day = date.fromordinal(today.toordinal() - 1)
    await _move_day(
        viewer,
        store,
        survey,
        column=Survey.closes_on,
        day=last_day,
        action="ADOPTION_SURVEY_CLOSED",
    )
    return await get_survey(survey.id)


async def _move_day(
    viewer: Viewer,
    store: Store,
    survey: SurveyRow,
    *,
    column: Date,
    day: date,
    action: str,
) -> None:
    """Set the survey's opening or closing day, audited; the cached metrics are recomputed."""
    name = column._meta.name  # noqa: SLF001 - piccolo's public column metadata
    async with transaction():
        await Survey.update({column: day}).where(Survey.id == survey.id)
        await audit.record(
            account_id=viewer.account_id,
            action=action,
            entity_type="Survey",
            entity_id=survey.id,
            before={name: getattr(survey, name).isoformat()},
            after={name: day.isoformat()},
        )
        await cache.bump_after_commit(store)


async def answer_survey(
    viewer: Viewer,
    store: Store,
    *,
    survey_id: int,
    comfort: int,
    stress: int,
    understanding: int,
    comment: str = "",
    today: date | None = None,
) -> SurveyRow:
    """Answer an open survey, once; nothing about the answer is ever returned."""
    if viewer.employee_id is None:
        raise PermissionDeniedError("Akun ini tidak terhubung dengan data pegawai")
    survey = await get_survey(survey_id)
    today = today or clock.today()
    if today < survey.opens_on:
        raise DomainError.single("SURVEY_NOT_OPEN", "Survei belum dibuka", "surveyId")
    if today > survey.closes_on:
        raise DomainError.single("SURVEY_CLOSED", "Survei sudah ditutup", "surveyId")
    errors = [
        FieldError("INVALID_VALUE", "Jawaban harus 1-5", name)
        for name, value in (
            ("comfort", comfort),
            ("stress", stress),
            ("understanding", understanding),
        )
        if not 1 <= value <= 5  # noqa: PLR2004
    ]
    if len(comment.strip()) > MAX_COMMENT:
        errors.append(
            FieldError("INVALID_LENGTH", f"Komentar maksimal {MAX_COMMENT} karakter", "comment")
        )
    if errors:
        raise DomainError(*errors)
    if (await answered_by(viewer.employee_id, [survey.id]))[0]:
        raise DomainError.single("ALREADY_ANSWERED", "Anda sudah mengisi survei ini", "surveyId")
    employee = await people.get_employee(viewer.employee_id)
    try:
        async with transaction():
            await SurveyResponse.insert(
                SurveyResponse(
                    survey=survey.id,
                    respondent=employee.id,
                    opd=employee.opd_id,
                    unor=employee.unor_id,
                    answered_on=today,
                    comfort=comfort,
                    stress=stress,
                    understanding=understanding,
                    comment=comment.strip(),
                )
            )
            # The audit records that the survey got an answer, never by whom (no account, no
            # employee): an entry naming the respondent would undo the anonymity the survey
            # promises. A second answer is refused by the unique index, not by the log.
            await audit.record(
                account_id=None,
                action="ADOPTION_SURVEY_ANSWERED",
                entity_type="Survey",
                entity_id=survey.id,
            )
            await cache.bump_after_commit(store)
    except Exception as exc:
        if is_unique_violation(exc):
            raise DomainError.single(
                "ALREADY_ANSWERED", "Anda sudah mengisi survei ini", "surveyId"
            ) from exc
        raise
    return survey


# --- results (aggregates only) -------------------------------------------------------------------


async def _all_groups(survey: SurveyRow, group_by: GroupBy, today: date) -> SurveyResults:
    """Every group of a survey, anonymised over the whole city (filtered per viewer later)."""
    if today <= survey.closes_on:
        return SurveyResults(survey.id, group_by.value, published=False, groups=[])
    by_opd: dict[int, metrics.AnswerSums] = {}
    for cell in await sql.survey_cells([survey.id], by_unit=False):
        by_opd[cell.opd_id or 0] = cell.sums
    opd_results = metrics.anonymised(by_opd)
    if group_by is GroupBy.CITY:
        total = sum(by_opd.values(), metrics.EMPTY_SUMS)
        result = (
            metrics.anonymised({None: total})[None] if total.respondents else metrics.SUPPRESSED
        )
        return SurveyResults(
            survey.id, group_by.value, published=True, groups=[SurveyGroup(None, None, result)]
        )
    if group_by is GroupBy.OPD:
        groups = [SurveyGroup(o, None, r) for o, r in sorted(opd_results.items())]
        return SurveyResults(survey.id, group_by.value, published=True, groups=groups)
    by_unit = {
        (c.opd_id or 0, c.unit_id or 0): c.sums
        for c in await sql.survey_cells([survey.id], by_unit=True)
    }
    unit_results = metrics.anonymised(by_unit, parent=lambda key: key[0])
    groups = [
        # A unit of an OPD withheld at OPD level is withheld too: its units must not add up to it.
        SurveyGroup(o, u, metrics.SUPPRESSED if opd_results[o].suppressed else r)
        for (o, u), r in sorted(unit_results.items())
    ]
    return SurveyResults(survey.id, group_by.value, published=True, groups=groups)


async def survey_results(
    viewer: Viewer,
    store: Store,
    *,
    survey_id: int,
    group_by: GroupBy,
    today: date | None = None,
) -> Cached[SurveyResults]:
    """A survey's results for the viewer's OPDs.

    Managers and BKPSDM see every group; an ADMIN_OPD sees their OPD's groups and the city.
    """
    allowed = policy.metric_opds(viewer)
    survey = await get_survey(survey_id)
    today = today or clock.today()
    result = await cache.cached(
        store,
        "survey_results",
        {"survey": survey.id, "group_by": group_by.value, "open": today <= survey.closes_on},
        lambda: _all_groups(survey, group_by, today),
        SurveyResults,
    )
    if allowed is None or group_by is GroupBy.CITY:
        return result
    mine = [g for g in result.value.groups if g.opd_id in allowed]
    return replace(result, value=replace(result.value, groups=mine))


async def _trend(today: date) -> list[TrendRow]:
    closed = [SurveyRow(**r) for r in await Survey.select(*_SURVEY).where(Survey.closes_on < today)]
    cells = await sql.survey_cells([s.id for s in closed], by_unit=False)
    first = await sql.first_session_days()
    per_survey: dict[int, dict[int, metrics.AnswerSums]] = {}
    for cell in cells:
        per_survey.setdefault(cell.survey_id, {})[cell.opd_id or 0] = cell.sums
    published = {s: metrics.anonymised(groups) for s, groups in per_survey.items()}
    by_id = {s.id: s for s in closed}
    opd_cells: dict[int, list[tuple[str | None, metrics.AnswerSums, bool]]] = {}
    for survey_id, groups in per_survey.items():
        survey = by_id[survey_id]
        for opd_id, sums in groups.items():
            phase = metrics.survey_phase(survey.opens_on, survey.closes_on, first.get(opd_id))
            publishable = not published[survey_id][opd_id].suppressed
            opd_cells.setdefault(opd_id, []).append((phase, sums, publishable))
    rows = []
    for opd_id in sorted(opd_cells):
        pooled = metrics.trend(opd_cells[opd_id])
        rows.append(TrendRow(opd_id, first.get(opd_id), pooled["BEFORE"], pooled["AFTER"]))
    return rows


async def survey_trend(
    viewer: Viewer, store: Store, *, opd_id: int | None = None, today: date | None = None
) -> Cached[list[TrendRow]]:
    """Each OPD's pulse (closed surveys) before vs after its first session, scoped."""
    allowed = policy.metric_opds(viewer)
    if opd_id is not None:
        policy.require_metric_opd(viewer, opd_id)
    today = today or clock.today()
    result = await cache.cached(
        store, "survey_trend", {"today": today}, lambda: _trend(today), list[TrendRow]
    )
    rows = [
        r
        for r in result.value
        if (allowed is None or r.opd_id in allowed) and (opd_id is None or r.opd_id == opd_id)
    ]
    return replace(result, value=rows)
