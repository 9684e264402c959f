"""Demo data of the performance cycle.

The current and the previous year's approved, cascaded SKPs; a year of daily activities before
today with realistic habits (weekends and holidays off, some employees drifting into lower,
later, more-rejected logging), the previous year's older weeks as weekly totals; and finished
evaluations of the past quarters the history covers and of the previous year, so that every
screen has a full year of history on any day, 1 January included.

Rows are written straight into the tables in bulk (the demo city has ~100k activities); the
values follow the same rules the services enforce (cascading, predikat matrix).
"""

from __future__ import annotations

import functools
import random
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from piccolo.query.functions.aggregate import Sum

from ml.calendar import working_days
from portal.core import clock
from portal.core.db import bulk_insert, id_in, update_rows
from portal.people.enums import JabatanKind
from portal.people.tables import Employee
from portal.performance import rules
from portal.performance.enums import (
    ActivityStatus,
    Aspect,
    BerAkhlak,
    EvaluationStatus,
    OrgPredikat,
    PeriodKind,
    Perspective,
    Rating,
    RhkKind,
    SkpStatus,
)
from portal.performance.planning.services import periods
from portal.performance.rows import PeriodRow
from portal.performance.tables import (
    Activity,
    Evaluation,
    EvaluationIndicator,
    Indicator,
    OpdCurve,
    Rhk,
    Skp,
    SkpExpectation,
)

WORKING_DAYS_PER_YEAR = 240
REJECTION_NOTE = "Lengkapi bukti dukung dan jumlah sesuai laporan harian."
ACTIVITY_COLUMNS = (
    "employee", "period", "indicator", "activity_date", "description", "quantity", "unit",
    "duration_minutes", "evidence_links", "status", "idempotency_key", "verifier", "verified_at",
    "rejection_note", "logged_at", "updated_at",
)  # fmt: skip
DRIFT_SHARE = 0.08
STORY_STRUGGLE = timedelta(weeks=6)
"""How long before today a persona whose story is a support offer has been struggling."""
# Every staff SKP measures its main result three ways (KUANTITAS from activities, the rest
# entered by the rater at evaluation time).
EXTRA_INDICATORS: tuple[tuple[str, Aspect, float, str], ...] = (
    ("Persentase laporan kegiatan yang diterima tanpa koreksi", Aspect.KUALITAS, 90.0, "persen"),
    ("Rata-rata waktu penyampaian laporan kegiatan", Aspect.WAKTU, 2.0, "hari kerja"),
)
# Ekspektasi khusus pimpinan, per BerAKHLAK value, on every SKP that has a rater.
EXPECTATIONS: dict[BerAkhlak, str] = {
    BerAkhlak.BERORIENTASI_PELAYANAN: "Melayani warga dengan ramah dan tuntas pada hari yang sama.",
    BerAkhlak.AKUNTABEL: "Mencatat aktivitas harian dengan bukti dukung pada hari yang sama.",
    BerAkhlak.KOMPETEN: "Menyelesaikan minimal 20 JP pengembangan kompetensi tahun ini.",
    BerAkhlak.HARMONIS: "Menjaga suasana kerja yang saling menghargai di unit.",
    BerAkhlak.LOYAL: "Menjaga kerahasiaan data warga sesuai ketentuan.",
    BerAkhlak.ADAPTIF: "Menggunakan aplikasi e-Kinerja dan layanan daring dengan cakap.",
    BerAkhlak.KOLABORATIF: "Berbagi beban kerja dengan rekan saat jadwal padat.",
}
BATCH = 1000


@dataclass(frozen=True, slots=True)
class Theme:
    """What an OPD's people plan and log: (RHK, indicator, unit, yearly target per person)."""

    head_rhk: str
    head_indicator: tuple[str, Aspect, float, str]
    staff_rhk: str
    staff_indicator: tuple[str, float, str]
    activity: str


THEMES_FILE = Path(__file__).with_name("demo_themes.toml")
"""The themes of the OPDs that have their own, of the kecamatan and of every other OPD."""


def _theme(spec: dict[str, Any]) -> Theme:
    text, aspect, target, unit = spec["head_indicator"]
    staff_text, staff_target, staff_unit = spec["staff_indicator"]
    return Theme(
        spec["head_rhk"],
        (text, Aspect(aspect), target, unit),
        spec["staff_rhk"],
        (staff_text, staff_target, staff_unit),
        spec["activity"],
    )


@functools.cache
def _themes() -> tuple[dict[str, Theme], Theme, Theme]:
    """The themes of :data:`THEMES_FILE`: by OPD code, the kecamatan's and the generic one."""
    with THEMES_FILE.open("rb") as file:
        data = tomllib.load(file)
    by_opd = {code: _theme(spec) for code, spec in data["opd"].items()}
    return by_opd, _theme(data["kecamatan"]), _theme(data["generic"])


def theme_for(opd_code: str) -> Theme:
    """The theme of an OPD (kecamatan share one; others fall back to administration)."""
    by_opd, kecamatan, generic = _themes()
    if opd_code.startswith("KEC"):
        return kecamatan
    return by_opd.get(opd_code, generic)


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """What the generator needs to know about an employee."""

    id: int
    opd_id: int
    opd_code: str
    unor_id: int
    supervisor_id: int | None
    jabatan_kind: str
    jabatan_name: str


async def _people() -> list[DemoPerson]:
    rows = await Employee.select(
        Employee.id,
        Employee.opd.as_alias("opd_id"),
        Employee.opd.code.as_alias("opd_code"),
        Employee.unor.as_alias("unor_id"),
        Employee.supervisor.as_alias("supervisor_id"),
        Employee.jabatan_kind,
        Employee.jabatan_name,
    ).where(Employee.active == True)  # noqa: E712
    people = [DemoPerson(**r) for r in rows]
    by_id = {p.id: p for p in people}
    depth: dict[int, int] = {}

    def level(p: DemoPerson) -> int:
        if p.id not in depth:
            boss = by_id.get(p.supervisor_id) if p.supervisor_id else None
            depth[p.id] = 0 if boss is None else level(boss) + 1
        return depth[p.id]

    return sorted(people, key=lambda p: (level(p), p.id))  # supervisors first


async def _insert(table: Any, rows: Sequence[Any]) -> list[dict[str, Any]]:  # noqa: ANN401
    out: list[dict[str, Any]] = []
    for start in range(0, len(rows), BATCH):
        out += await table.insert(*rows[start : start + BATCH])
    return out


async def seed(
    *,
    today: date,
    seed: int = 7,
    history_days: int = 365,
    struggling: Collection[int] = (),
) -> dict[str, int]:
    """Seed the previous and the current year's performance data; return counts.

    The current year: approved SKPs, daily activities from ``history_days`` before ``today``
    (at most from 1 January) and the final evaluations of the quarters they cover entirely.
    The previous year, so that a full year of history precedes any ``today`` (1 January
    too): approved SKPs, a whole year of activities (daily within ``history_days`` before
    ``today``, weekly totals before that, to keep seeding quick) and the final evaluations of
    its four quarters and of the year, computed by the same rules.

    ``struggling`` employees (a persona whose story is a support offer) log as drifting
    people do for the :data:`STORY_STRUGGLE` before ``today``, so the mentoring model flags
    them from their own data; everyone else's activities stay the same draws.
    """
    story = dict.fromkeys(struggling, today - STORY_STRUGGLE)
    rng = random.Random(seed)
    year = today.year
    annual = await periods.create_year(None, year, PeriodKind.QUARTERLY)
    quarters = await periods.children(annual.id)
    people = await _people()
    by_id = {p.id: p for p in people}

    # The current year, as the demo always had it (the same random draws).
    world = await _plan_year(rng, people, annual)
    start = max(annual.starts_on, today - timedelta(days=history_days))
    activity_rows = _activities(
        rng, world, by_id, annual.id, start, today - timedelta(days=1), today, story
    )
    await bulk_insert("activity", ACTIVITY_COLUMNS, activity_rows)
    verified = _verified_totals(activity_rows)
    evaluations = 0
    for quarter in quarters:
        if quarter.ends_on >= today or quarter.starts_on < start:
            continue  # only quarters the activity history covers entirely
        evaluations += await _evaluate_quarter(rng, world, verified, annual, quarter, today)
    skps = len(world.skp_of)

    # The previous year, whole: its own random stream, so the current year stays as it was.
    rng = random.Random(seed * 7919 + 1)
    before = await periods.create_year(None, year - 1, PeriodKind.QUARTERLY)
    world = await _plan_year(rng, people, before)
    daily_from = max(before.starts_on, today - timedelta(days=history_days))
    rows = _activities(rng, world, by_id, before.id, before.starts_on, before.ends_on, today, story)
    rows = _weekly_totals([r for r in rows if r[3] < daily_from]) + [
        r for r in rows if r[3] >= daily_from
    ]
    await bulk_insert("activity", ACTIVITY_COLUMNS, rows)
    verified = _verified_totals(rows)
    for period in [*await periods.children(before.id), before]:
        evaluations += await _evaluate_quarter(rng, world, verified, before, period, today)
    return {
        "skps": skps + len(world.skp_of),
        "activities": len(activity_rows) + len(rows),
        "evaluations": evaluations,
    }


async def _plan_year(rng: random.Random, people: Sequence[DemoPerson], annual: PeriodRow) -> _World:
    """Approved, cascaded SKPs of ``annual`` for ``people`` (supervisors first)."""
    by_id = {p.id: p for p in people}
    has_reports = {p.supervisor_id for p in people if p.supervisor_id}
    approved_at = datetime(annual.year, 2, 10, 9, 0, tzinfo=UTC)

    # SKPs, top-down so each UTAMA RHK can intervene in the supervisor's.
    skp_rows = await _insert(
        Skp,
        [
            Skp(
                employee=p.id,
                period=annual.id,
                rater=p.supervisor_id,
                rater_superior=by_id[p.supervisor_id].supervisor_id if p.supervisor_id else None,
                opd=p.opd_id,
                unor=p.unor_id,
                jabatan_name=p.jabatan_name,
                jabatan_kind=p.jabatan_kind,
                status=SkpStatus.APPROVED.value,
                resources="Anggaran DPA perangkat daerah; sarana kerja kantor; aplikasi e-Kinerja.",
                accountability="Laporan bulanan kepada atasan langsung melalui aplikasi.",
                consequences="Capaian menjadi dasar penilaian kinerja dan TPP.",
                submitted_at=approved_at - timedelta(days=5),
                approved_at=approved_at,
            )
            for p in people
        ],
    )
    skp_of = {p.id: r["id"] for p, r in zip(people, skp_rows, strict=True)}
    rhk_of: dict[int, int] = {}
    extra_rows: list[Indicator] = []
    extra_people: list[int] = []
    indicator_of: dict[int, tuple[int, float, str, str]] = {}  # person -> (id, target, unit, text)
    for p in people:  # one RHK per person; sequential because children need parents' ids
        theme = theme_for(p.opd_code)
        is_jpt = JabatanKind(p.jabatan_kind).is_jpt
        leads = p.id in has_reports
        description = theme.head_rhk if (is_jpt or leads) else theme.staff_rhk
        if leads and not is_jpt:
            description = f"{theme.staff_rhk} ({p.jabatan_name})"
        (rhk,) = await Rhk.insert(
            Rhk(
                skp=skp_of[p.id],
                kind=RhkKind.UTAMA.value,
                description=description,
                parent_rhk=rhk_of.get(p.supervisor_id) if p.supervisor_id and not is_jpt else None,
                perspective=Perspective.PENERIMA_LAYANAN.value if is_jpt else None,
                position=0,
            )
        )
        rhk_of[p.id] = rhk["id"]
        if is_jpt:
            text, aspect, target, unit = theme.head_indicator
        else:
            text, base, unit = theme.staff_indicator
            aspect = Aspect.KUANTITAS
            target = float(round(base * (1.5 if leads else 1.0) * rng.uniform(0.8, 1.2)))
        (ind,) = await Indicator.insert(
            Indicator(
                rhk=rhk["id"],
                skp=skp_of[p.id],
                aspect=aspect.value,
                description=text,
                target_value=target,
                unit=unit,
                position=0,
            )
        )
        if not is_jpt:
            indicator_of[p.id] = (ind["id"], target, unit, theme.activity)
            extra_rows += [
                Indicator(
                    rhk=rhk["id"],
                    skp=skp_of[p.id],
                    aspect=aspect.value,
                    description=description,
                    target_value=value,
                    unit=unit,
                    position=n + 1,
                )
                for n, (description, aspect, value, unit) in enumerate(EXTRA_INDICATORS)
            ]
            extra_people.append(p.id)
    extra_ids = [r["id"] for r in await _insert(Indicator, extra_rows)]
    per = len(EXTRA_INDICATORS)
    extras = {
        pid: [
            (extra_ids[i * per + n], EXTRA_INDICATORS[n][1], EXTRA_INDICATORS[n][2])
            for n in range(per)
        ]
        for i, pid in enumerate(extra_people)
    }
    await _insert(
        SkpExpectation,
        [
            SkpExpectation(skp=skp_of[p.id], value=value.value, expectation=text)
            for p in people
            if p.supervisor_id
            for value, text in EXPECTATIONS.items()
        ],
    )

    return _World(people=people, skp_of=skp_of, indicator_of=indicator_of, extras=extras)


@dataclass(slots=True)
class _World:
    """What the generator built so far and who drifts when."""

    people: Sequence[DemoPerson]
    skp_of: dict[int, int]
    indicator_of: dict[int, tuple[int, float, str, str]]  # person -> (id, target, unit, text)
    extras: dict[int, list[tuple[int, Aspect, float]]] = field(default_factory=dict)
    drifting: set[int] = field(default_factory=set)
    onset: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Habit:
    """How one person logs: their indicator, output per day and the chance to log a day."""

    pid: int
    period_id: int
    indicator_id: int
    unit: str
    text: str
    daily: float
    diligence: float
    supervisor_id: int | None


def _day_activity(
    rng: random.Random, habit: _Habit, day: date, today: date, *, struggling: bool
) -> tuple[Any, ...] | None:
    """The activity ``habit`` logs for ``day`` (None: nothing logged that day)."""
    p_log = habit.diligence * (0.35 if struggling else 1.0)
    if rng.random() > p_log:
        return None
    daily = habit.daily
    quantity = max(0.0, round(rng.gauss(daily, daily * 0.3) * (0.5 if struggling else 1.0)))
    # most log the same afternoon, some the next morning or later; strugglers later still
    lag = rng.random()
    days_late = (
        rng.randint(1, 4) if struggling else 0 if lag < 0.6 else 1 if lag < 0.88 else 2  # noqa: PLR2004
    )
    logged = clock.at_local(day, rng.randint(13, 17), rng.randint(0, 59)) + timedelta(
        days=days_late
    )
    recent = (today - day).days <= 3  # noqa: PLR2004
    reject_p = 0.3 if struggling else 0.04
    status = (
        ActivityStatus.SUBMITTED
        if recent
        else ActivityStatus.REJECTED
        if rng.random() < reject_p
        else ActivityStatus.VERIFIED
    )
    decided = status is not ActivityStatus.SUBMITTED
    return (
        habit.pid,
        habit.period_id,
        habit.indicator_id,
        day,
        habit.text,
        quantity,
        habit.unit,
        rng.choice((60, 90, 120, 180, 240)),
        "[]",
        status.value,
        f"demo-{habit.pid}-{day.isoformat()}",
        habit.supervisor_id if decided else None,
        logged + timedelta(days=rng.randint(0, 2)) if decided else None,
        REJECTION_NOTE if status is ActivityStatus.REJECTED else None,
        logged,
        logged,
    )


def _activities(  # noqa: PLR0917 - one generator, its inputs spelled out
    rng: random.Random,
    world: _World,
    by_id: dict[int, DemoPerson],
    period_id: int,
    start: date,
    end: date,
    today: date,
    story: Mapping[int, date] | None = None,
) -> list[tuple[Any, ...]]:
    """Daily activities from ``start`` to ``end``; the last days before ``today`` unverified.

    A few people drift in the last weeks of the span (lower, later, more-rejected logging).
    ``story`` maps people whose story needs a struggle to its first day: from then on they
    log as drifting people do, drawn from a generator of their own, so everyone else's
    activities are the same draws with or without a story.
    """
    days = working_days(start, end)
    world.drifting = {pid for pid in world.indicator_of if rng.random() < DRIFT_SHARE}
    after = end + timedelta(days=1)
    world.onset = {pid: after - timedelta(days=rng.randint(28, 70)) for pid in world.drifting}
    story = story or {}
    activity_rows: list[tuple[Any, ...]] = []
    for pid, (ind_id, target, unit, text) in world.indicator_of.items():
        diligence = rng.uniform(0.75, 0.97)
        # Most people reach their pace: they log fewer days than there are, doing more per day.
        # (a pace factor around 1.19 makes, after rejections, most meet the pro-rated target,
        # some exceed it and some fall short: a curve a BAIK organisation can hold)
        daily = target / WORKING_DAYS_PER_YEAR * rng.gauss(1.19, 0.06) / diligence
        habit = _Habit(
            pid, period_id, ind_id, unit, text, daily, diligence, by_id[pid].supervisor_id
        )
        onset = story.get(pid)
        own = random.Random(f"story-{pid}-{onset}") if onset else None
        for day in days:
            struggling = pid in world.drifting and day >= world.onset[pid]
            row = _day_activity(rng, habit, day, today, struggling=struggling)
            if own is not None and onset is not None and day >= onset:
                row = _day_activity(own, habit, day, today, struggling=True)
            if row is not None:
                activity_rows.append(row)
    return activity_rows


def _weekly_totals(rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Each person's week of daily rows as one row per status, on the week's last logged day.

    Older history is stored coarser: the verified (and rejected) quantity of each week stays
    exactly what the daily rows add up to, so evaluations and progress are unchanged.
    """
    weeks: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for row in rows:
        monday = row[3] - timedelta(days=row[3].weekday())
        weeks.setdefault((row[0], row[2], monday, row[9]), []).append(row)
    out = []
    for group in weeks.values():
        last = max(group, key=lambda r: r[3])
        minutes = min(rules.MAX_DURATION, sum(r[7] for r in group))
        quantity = float(sum(r[5] for r in group))
        out.append(
            (
                *last[:4],
                f"{last[4]} (rekap {len(group)} hari kerja)",
                quantity,
                *last[6:7],
                minutes,
                *last[8:10],
                f"{last[10]}-week",
                *last[11:],
            )
        )
    return out


def _verified_totals(rows: Sequence[tuple[Any, ...]]) -> dict[int, list[tuple[date, float]]]:
    totals: dict[int, list[tuple[date, float]]] = {}
    for row in rows:
        if row[9] == ActivityStatus.VERIFIED.value:
            totals.setdefault(row[2], []).append((row[3], row[5]))
    return totals


async def _evaluate_quarter(  # noqa: PLR0917 - one generator, its inputs spelled out
    rng: random.Random,
    world: _World,
    verified: dict[int, list[tuple[date, float]]],
    annual: PeriodRow,
    quarter: PeriodRow,
    today: date,
) -> int:
    """Final evaluations of a past quarter (or year), computed by the same rules as the service.

    Realisation is the verified quantity from the start of the year to the quarter's end (what
    ``startEvaluation`` prefills and ``progress(periodId:)`` shows), judged against the annual
    target pro-rated by the share of the year elapsed (:func:`rules.period_achievement`; the
    whole target for the year). Finalised at the deadline, or yesterday if that is still ahead.
    """
    pace = rules.expected_pace(annual.starts_on, annual.ends_on, quarter.ends_on)
    deadline = quarter.ends_on + timedelta(days=periods.SUBMISSION_GRACE_DAYS)
    final_on = min(deadline, max(today - timedelta(days=1), quarter.ends_on))
    final_at = datetime.combine(final_on, time(10), UTC)
    evaluations = []
    details: list[list[tuple[int, float | None]]] = []
    for p in world.people:
        indicator = world.indicator_of.get(p.id)
        realised = None
        hasil = Rating.SESUAI_EKSPEKTASI
        explanation = "Pimpinan unit: hasil kerja mengikuti capaian organisasi."
        if indicator is not None:
            ind_id, target, _, _ = indicator
            window = (annual.starts_on, quarter.ends_on)
            realised = sum(q for d, q in verified.get(ind_id, ()) if window[0] <= d <= window[1])
            struggling_now = p.id in world.drifting and world.onset[p.id] <= quarter.ends_on
            entered = _entered_levels(rng, world.extras.get(p.id, []), struggling=struggling_now)
            suggestion = rules.suggest_hasil(
                [
                    rules.IndicatorAchievement(
                        indicator_id=ind_id,
                        rhk_kind=RhkKind.UTAMA,
                        target=rules.period_target(target, Aspect.KUANTITAS, pace),
                        realisation=realised,
                        label="indikator utama",
                        aspect=Aspect.KUANTITAS,
                    ),
                    *(
                        rules.IndicatorAchievement(
                            indicator_id=extra_id,
                            rhk_kind=RhkKind.UTAMA,
                            target=extra_target,
                            realisation=value,
                            label=aspect.value.lower(),
                            aspect=aspect,
                        )
                        for (extra_id, aspect, extra_target), value in entered
                    ),
                ]
            )
            hasil, explanation = suggestion.rating, suggestion.explanation
        struggling = p.id in world.drifting and world.onset[p.id] <= quarter.ends_on
        perilaku = (
            Rating.DI_BAWAH_EKSPEKTASI
            if struggling and rng.random() < 0.3  # noqa: PLR2004
            else Rating.DI_ATAS_EKSPEKTASI
            if rng.random() < 0.15  # noqa: PLR2004
            else Rating.SESUAI_EKSPEKTASI
        )
        evaluations.append(
            Evaluation(
                skp=world.skp_of[p.id],
                period=quarter.id,
                employee=p.id,
                opd=p.opd_id,
                rater=p.supervisor_id,
                status=EvaluationStatus.FINAL.value,
                suggested_hasil=hasil.value,
                suggestion_explanation=explanation,
                hasil_rating=hasil.value,
                perilaku_rating=perilaku.value,
                predikat=rules.predikat(hasil, perilaku).value,
                feedback="Pertahankan konsistensi pencatatan aktivitas harian.",
                finalised_at=final_at,
                acknowledged_at=(
                    final_at + timedelta(days=2)
                    if rng.random() < 0.8 and final_on + timedelta(days=2) < today  # noqa: PLR2004
                    else None
                ),
            )
        )
        details.append(
            [(indicator[0], realised), *((e[0], v) for e, v in entered)] if indicator else []
        )
    inserted = await _insert(Evaluation, evaluations)
    # the many lines in bulk (tuples, not ORM objects: eight periods of the whole city)
    await bulk_insert(
        "evaluation_indicator",
        ("evaluation", "indicator", "realisation", "evidence", "feedback"),
        [
            (e["id"], ind_id, realised, "", "")
            for e, lines in zip(inserted, details, strict=True)
            for ind_id, realised in lines
        ],
    )
    await bulk_insert(
        "evaluation_behaviour",
        ("evaluation", "value", "rating", "note"),
        [
            (
                e["id"],
                value.value,
                None,
                f"{value.label}: sesuai pengamatan atasan selama {quarter.name}.",
            )
            for e in inserted
            for value in BerAkhlak
        ],
    )
    opd_ids = sorted({p.opd_id for p in world.people})
    await _insert(
        OpdCurve,
        [OpdCurve(opd=o, period=quarter.id, org_predikat=OrgPredikat.BAIK.value) for o in opd_ids],
    )
    return len(inserted)


def _entered_levels(
    rng: random.Random, extras: Sequence[tuple[int, Aspect, float]], *, struggling: bool
) -> list[tuple[tuple[int, Aspect, float], float]]:
    """What a rater enters for the quality and time indicators (levels, not sums)."""
    out = []
    for extra in extras:
        _, aspect, target = extra
        if aspect is Aspect.KUALITAS:
            value = min(100.0, round(rng.gauss(target + (-8 if struggling else 3), 2.5)))
        else:  # WAKTU: days, lower is better
            value = max(0.5, round(rng.gauss(target + (1.2 if struggling else -0.4), 0.25), 1))
        out.append((extra, value))
    return out


async def reconcile_evaluations() -> int:
    """Recompute the seeded evaluations from the activities that remain; return how many changed.

    The adoption demo removes activities of people who had not adopted the system yet; the
    evaluations of past quarters must then show what ``progress(periodId:)`` counts: the
    verified quantity from the start of the year to the quarter's end, judged by
    :func:`rules.period_achievement` (the suggestion, the rating and the predikat follow).
    """
    lines = await EvaluationIndicator.select(
        EvaluationIndicator.id,
        EvaluationIndicator.evaluation.as_alias("evaluation_id"),
        EvaluationIndicator.indicator.as_alias("indicator_id"),
        EvaluationIndicator.indicator.target_value.as_alias("target"),
        EvaluationIndicator.indicator.aspect.as_alias("aspect"),
        EvaluationIndicator.indicator.description.as_alias("description"),
        EvaluationIndicator.realisation,
        EvaluationIndicator.evaluation.period.as_alias("period_id"),
        EvaluationIndicator.evaluation.perilaku_rating.as_alias("perilaku"),
    )
    if not lines:
        return 0
    by_period = {p.id: p for p in await periods.list_periods()}
    windows: dict[int, tuple[date, date, float]] = {}
    for period_id in {r["period_id"] for r in lines}:
        period = by_period[period_id]
        annual = by_period[period.parent_id] if period.parent_id else period
        pace = rules.expected_pace(annual.starts_on, annual.ends_on, period.ends_on)
        windows[period_id] = (annual.starts_on, period.ends_on, pace)
    verified: dict[tuple[int, int], float] = {}
    for period_id, (start, end, _) in windows.items():
        ids = [
            r["indicator_id"]
            for r in lines
            if r["period_id"] == period_id and r["aspect"] == Aspect.KUANTITAS.value
        ]
        rows = (
            await Activity.select(Activity.indicator, Sum(Activity.quantity, alias="quantity"))
            .where(
                id_in(Activity.indicator, ids)
                & (Activity.status == ActivityStatus.VERIFIED.value)
                & (Activity.activity_date >= start)
                & (Activity.activity_date <= end)
            )
            .group_by(Activity.indicator)
        )
        for r in rows:
            verified[(period_id, r["indicator"])] = float(r["quantity"] or 0.0)
    by_evaluation: dict[int, list[dict[str, Any]]] = {}
    changed: set[int] = set()  # evaluations whose realisation the thinning changed
    realisations: list[tuple[int, float]] = []  # (line id, realisation)
    for r in lines:
        if r["aspect"] == Aspect.KUANTITAS.value:
            realised = verified.get((r["period_id"], r["indicator_id"]), 0.0)
            if realised != float(r["realisation"] or 0.0):
                r["realisation"] = realised
                changed.add(r["evaluation_id"])
                realisations.append((r["id"], realised))
        by_evaluation.setdefault(r["evaluation_id"], []).append(r)
    await update_rows([EvaluationIndicator.id], [EvaluationIndicator.realisation], realisations)
    results: list[tuple[int, str, str, str, str]] = []  # (evaluation id, then the columns below)
    for evaluation_id, group in by_evaluation.items():
        if evaluation_id not in changed:
            continue  # seeded from these very activities by the same rules: already right
        pace = windows[group[0]["period_id"]][2]
        suggestion = rules.suggest_hasil(
            [
                rules.IndicatorAchievement(
                    indicator_id=r["indicator_id"],
                    rhk_kind=RhkKind.UTAMA,
                    target=rules.period_target(r["target"], Aspect(r["aspect"]), pace),
                    realisation=float(r["realisation"] or 0.0),
                    label=r["description"],
                    aspect=Aspect(r["aspect"]),
                )
                for r in group
            ]
        )
        hasil = suggestion.rating
        predikat = rules.predikat(hasil, Rating(group[0]["perilaku"]))
        results.append(
            (evaluation_id, hasil.value, suggestion.explanation, hasil.value, predikat.value)
        )
    await update_rows(
        [Evaluation.id],
        [
            Evaluation.suggested_hasil,
            Evaluation.suggestion_explanation,
            Evaluation.hasil_rating,
            Evaluation.predikat,
        ],
        results,
    )
    return len(changed)
