"""The model inputs read from the database through the domains' facts (realisation pace,
feedback threads, training JP, the activity log), and the same features from the database path
and from the exported directory."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.explain import sentence
from ml.features import FEATURE_NAMES, build_features
from ml.schema import LOCAL_TZ, read_dir, validate_frames
from portal.core import clock
from portal.feedback.tables import FeedbackThread
from portal.mentoring.services import scoring
from portal.people.tables import Employee
from portal.performance import analytics as performance_analytics
from portal.performance import rules
from portal.performance.enums import ActivityStatus, Aspect, RhkKind
from portal.performance.tables import Activity
from support import performance_factory as pf
from support.api import Api
from support.factories import PASSWORD, Factory, Person
from support.training_builders import course
from training.tables import TrainingAssignment

AS_OF = date(2026, 11, 23)  # a Monday: the snapshots it needs are the export's Sundays
MEASURED_THREE_WAYS = (  # as the demo's staff SKPs: only the quantity accumulates from activities
    (RhkKind.UTAMA, 100.0, Aspect.KUANTITAS),
    (RhkKind.UTAMA, 90.0, Aspect.KUALITAS),
    (RhkKind.UTAMA, 2.0, Aspect.WAKTU),
)


def wib(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), LOCAL_TZ).astimezone(UTC)


def _activity(
    person: Person,
    period_id: int,
    indicator_id: int | None,
    day: date,
    quantity: float,
    *,
    status: ActivityStatus = ActivityStatus.VERIFIED,
    verified: datetime | None = None,
) -> Activity:
    decided = status is not ActivityStatus.SUBMITTED
    return Activity(
        employee=person.id,
        period=period_id,
        indicator=indicator_id,
        activity_date=day,
        description="Pelayanan",
        quantity=quantity,
        status=status.value,
        idempotency_key=f"src-{person.id}-{day}-{quantity}-{status.value}",
        verified_at=(verified or wib(day + timedelta(days=1), 10)) if decided else None,
        logged_at=wib(day, 16),
    )


async def _world(factory: Factory) -> tuple[Person, Person, Person]:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    boss = await factory.employee(unit, name="Kepala Seksi")
    steady = await factory.employee(unit, supervisor=boss, name="Staf Tekun")
    quiet = await factory.employee(unit, supervisor=boss, name="Staf Sepi")
    await Employee.update({Employee.hired_on: date(2015, 1, 5)}).where(
        Employee.id.is_in([boss.id, steady.id, quiet.id])
    )
    return boss, steady, quiet


async def test_progress_counts_only_what_was_verified_by_the_end_of_the_day(
    api: Api, factory: Factory
) -> None:
    boss, steady, _ = await _world(factory)
    year = await pf.year(2026)
    skp = await pf.approved_skp(
        steady,
        boss,
        year.annual,
        indicators=((RhkKind.UTAMA, 100.0, Aspect.KUANTITAS), (RhkKind.UTAMA, 2.0, Aspect.WAKTU)),
    )
    indicator = skp.indicator_ids[0]
    day = date(2026, 11, 22)
    rows = [
        _activity(steady, year.annual.id, indicator, date(2026, 11, 2), 10.0),
        _activity(steady, year.annual.id, indicator, date(2026, 11, 20), 6.0),
        # verified at 23:30 WIB on the snapshot day: counts
        _activity(
            steady, year.annual.id, indicator, date(2026, 11, 21), 4.0, verified=wib(day, 23)
        ),
        # verified after the snapshot day ended (00:30 WIB the next day): does not count
        _activity(
            steady,
            year.annual.id,
            indicator,
            date(2026, 11, 22),
            50.0,
            verified=wib(day + timedelta(days=1), 0),
        ),
        _activity(
            steady,
            year.annual.id,
            indicator,
            date(2026, 11, 3),
            7.0,
            status=ActivityStatus.REJECTED,
        ),
        _activity(
            steady,
            year.annual.id,
            indicator,
            date(2026, 11, 4),
            9.0,
            status=ActivityStatus.SUBMITTED,
        ),
    ]
    await Activity.insert(*rows)

    frame = await performance_analytics.realisation_snapshots(
        [day, date(2025, 6, 1)]
    )  # no 2025 period: skipped

    assert frame["employee_id"].tolist() == [steady.id]  # the boss has no SKP
    (row,) = frame.itertuples()
    # the WAKTU indicator (a level judged at evaluation time) is left out, like on the home
    assert row.realised_share == pytest.approx(20.0 / 100.0)
    assert row.expected_share == pytest.approx(
        rules.expected_pace(year.annual.starts_on, year.annual.ends_on, day)
    )


async def test_realisation_feature_is_the_kuantitas_progress_the_home_shows(
    api: Api, factory: Factory
) -> None:
    # Given an SKP measured three ways, 59 of its KUANTITAS target verified: the KUALITAS and
    # WAKTU targets are levels the rater judges at evaluation time, not sums of activities
    boss, nurse, _ = await _world(factory)
    year = await pf.year(2026)
    skp = await pf.approved_skp(nurse, boss, year.annual, MEASURED_THREE_WAYS)
    indicator = skp.indicator_ids[0]
    await Activity.insert(
        *(
            _activity(nurse, year.annual.id, indicator, date(2026, 10, day), quantity)
            for day, quantity in ((5, 20.0), (12, 20.0), (19, 19.0))
        )
    )

    # When the model's inputs are read from the database
    details = build_features(await scoring.build_dataset(AS_OF), AS_OF).to_frame()
    row = details.set_index("employee_id").loc[nurse.id]

    # Then the realisation is the KUANTITAS indicator's 59 %, not a mean with two zeros
    # (the snapshot of the day before: what was verified by then, the year gone by then)
    snapshot = AS_OF - timedelta(days=1)
    expected = rules.expected_pace(year.annual.starts_on, year.annual.ends_on, snapshot)
    assert row["realised_share"] == pytest.approx(0.59)
    assert row["expected_share"] == pytest.approx(expected)
    assert row["realisation_pace"] == pytest.approx(0.59 / expected)
    # and the explanation quotes the percentage the employee's home shows
    with clock.frozen(wib(AS_OF, 8)):
        token = await api.login(nurse.username, PASSWORD)
        home = await api.data("EmployeeHome", token=token)
    shown = [
        i["progress"]["progress"]
        for rhk in home["mySkp"]["rhks"]
        for i in rhk["indicators"]
        if i["progress"]["progress"] is not None
    ]
    assert shown == [pytest.approx(0.59)]  # only the KUANTITAS indicator has a progress
    text = sentence("realisation_pace", row.to_dict())
    assert text is not None
    assert text.startswith(f"realisasi target SKP baru {round(shown[0] * 100)} %,")


async def test_dataset_carries_threads_and_training_of_the_look_back(
    api: Api, factory: Factory
) -> None:
    boss, steady, quiet = await _world(factory)
    await pf.year(2026)
    await FeedbackThread.insert(
        FeedbackThread(
            employee=quiet.id, opened_by=boss.id, topic="Laporan", kind="IMPROVEMENT",
            created_at=wib(AS_OF - timedelta(days=3), 9),
        ),
        FeedbackThread(
            employee=quiet.id, opened_by=boss.id, topic="Lama", kind="IMPROVEMENT",
            created_at=wib(AS_OF - timedelta(weeks=20), 9),  # before the 12-week look-back
        ),
        FeedbackThread(
            employee=steady.id, opened_by=boss.id, topic="Bagus", kind="APPRECIATION",
            created_at=wib(AS_OF - timedelta(days=10), 9),
        ),
    )  # fmt: skip
    course_id = await course("Pelayanan Prima", jp=16)
    await TrainingAssignment.insert(
        TrainingAssignment(
            employee=steady.id, course=course_id, origin="ASSIGNED", status="COMPLETED",
            completed_on=AS_OF - timedelta(days=40), year=2026,
        ),
        TrainingAssignment(
            employee=quiet.id, course=course_id, origin="ASSIGNED", status="ENROLLED", year=2026,
        ),
    )  # fmt: skip

    dataset = await scoring.build_dataset(AS_OF)

    assert dataset.feedback is not None
    assert dataset.training is not None
    assert sorted(dataset.feedback["employee_id"]) == sorted([quiet.id, steady.id])
    assert dataset.training["jp"].tolist() == [16]
    features = build_features(dataset, AS_OF).to_frame().set_index("employee_id")
    assert features.loc[quiet.id, "feedback_threads_4w"] == 1.0
    assert features.loc[steady.id, "feedback_appreciation_12w"] == 1.0
    assert features.loc[steady.id, "training_jp_12m"] == 16.0
    assert features.loc[quiet.id, "training_jp_12m"] == 0.0  # enrolled is not completed
    assert np.isnan(features.loc[quiet.id, "realisation_pace"])  # no SKP


async def test_database_path_and_exported_directory_give_the_same_features(
    api: Api, factory: Factory, tmp_path: Path
) -> None:
    boss, steady, quiet = await _world(factory)
    year = await pf.year(2026)
    skps = {
        p.id: await pf.approved_skp(
            p, boss, year.annual, ((RhkKind.UTAMA, 200.0, Aspect.KUANTITAS),)
        )
        for p in (steady, quiet)
    }
    rows = []
    day = AS_OF - timedelta(weeks=30)
    while day < AS_OF + timedelta(days=3):  # activities after as_of must not matter
        if day.weekday() < 5:
            for person in (steady, quiet):
                if person is quiet and day > AS_OF - timedelta(weeks=5) and day.weekday() > 1:
                    continue  # quiet logs two days a week for the last five weeks
                rows.append(
                    _activity(person, year.annual.id, skps[person.id].indicator_ids[0], day, 1.0)
                )
        day += timedelta(days=1)
    await Activity.insert(*rows)
    await FeedbackThread.insert(
        FeedbackThread(
            employee=quiet.id, opened_by=boss.id, topic="Laporan", kind="QUESTION",
            created_at=wib(AS_OF - timedelta(days=5), 9),
        )
    )  # fmt: skip

    await scoring.export_dir(tmp_path / "export")
    exported = read_dir(tmp_path / "export")
    assert exported.progress is not None
    assert exported.feedback is not None
    assert exported.training is not None
    from_dir = build_features(exported, AS_OF)
    from_db = build_features(await scoring.build_dataset(AS_OF), AS_OF)

    assert from_dir.keys["employee_id"].tolist() == from_db.keys["employee_id"].tolist()
    np.testing.assert_allclose(from_dir.X, from_db.X, equal_nan=True)
    np.testing.assert_allclose(from_dir.details, from_db.details, equal_nan=True)
    pace = from_db.to_frame().set_index("employee_id")
    assert pace.loc[quiet.id, "realisation_pace_4w"] < pace.loc[steady.id, "realisation_pace_4w"]
    assert np.isfinite(pace.loc[steady.id, "active_days_vs_baseline"])  # 26 weeks of habits
    assert len(FEATURE_NAMES) == from_db.X.shape[1]


async def test_activity_frame_reads_what_the_orm_reads(api: Api, factory: Factory) -> None:
    """The bulk read (COPY on PostgreSQL) gives the same typed activities as the ORM."""
    _, steady, quiet = await _world(factory)
    year = await pf.year(2026)
    rows = [
        _activity(steady, year.annual.id, None, date(2026, 11, 2), 2.5),
        _activity(
            quiet, year.annual.id, None, date(2026, 11, 3), 0.0, status=ActivityStatus.SUBMITTED
        ),
        _activity(
            quiet, year.annual.id, None, date(2026, 11, 4), 7.0, status=ActivityStatus.REJECTED
        ),
        _activity(steady, year.annual.id, None, date(2026, 10, 1), 1.0),  # before the range
        _activity(steady, year.annual.id, None, date(2026, 11, 23), 1.0),  # on `until`: out
    ]
    rows[0].duration_minutes = 45
    rows[1].logged_at = datetime(2026, 11, 3, 23, 59, 59, 123456, tzinfo=UTC)
    await Activity.insert(*rows)
    first, until = date(2026, 11, 1), AS_OF

    fast = await performance_analytics.activity_log(first, until)
    orm = await Activity.select(
        Activity.employee.as_alias("employee_id"),
        Activity.activity_date,
        Activity.logged_at,
        Activity.status,
        Activity.quantity,
        Activity.duration_minutes,
    ).where((Activity.activity_date >= first) & (Activity.activity_date < until))

    employees = (await scoring.read_frames(AS_OF))["employees"]

    def typed(frame: pd.DataFrame) -> pd.DataFrame:
        activities = validate_frames(employees, frame).activities
        return activities.sort_values(["employee_id", "activity_date"], ignore_index=True)

    pd.testing.assert_frame_equal(typed(fast), typed(pd.DataFrame(orm)), check_exact=False)
    assert len(fast) == 3
    assert (await performance_analytics.activity_log(date(2030, 1, 1), None)).empty
