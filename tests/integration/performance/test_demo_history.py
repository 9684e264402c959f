"""The demo city has a full year of history before any day, 2 January included (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from portal import demo
from portal.core import clock
from portal.people.demo_org import DEMO_PASSWORD
from portal.performance.enums import ActivityStatus, EvaluationStatus
from portal.performance.tables import Activity, Evaluation
from support.api import Api

NEW_YEAR = date(2027, 1, 2)


async def _latest_evaluated_quarter(api: Api, today: date) -> tuple[str, str, str, int]:
    """What web/e2e/support/api.ts ``evaluatedQuarter`` picks: the latest ended quarter with
    payroll lines (FINAL evaluations) in the OPD of ``admin.opd``; (id, name, opd id, lines)."""
    token = await api.login("admin.opd", DEMO_PASSWORD)
    viewer = await api.data("Viewer", token=token)
    opd_id = viewer["viewer"]["administeredOpds"][0]["id"]
    periods = await api.data("Periods", token=token)
    ended = [c for p in periods["periods"] for c in p["children"] if c["endsOn"] < str(today)]
    for quarter in sorted(ended, key=lambda c: c["endsOn"], reverse=True):
        rows = await api.data(
            "IncentiveRows", {"periodId": quarter["id"], "opdId": opd_id}, token=token
        )
        if rows["incentiveRows"]:
            return quarter["id"], quarter["name"], opd_id, len(rows["incentiveRows"])
    raise AssertionError("no ended quarter with FINAL evaluations in the OPD of admin.opd")


async def test_a_demo_seeded_on_2_january_has_a_year_of_history_and_an_evaluated_quarter(
    api: Api, db: None
) -> None:
    # given a small demo city seeded on 2 January, the clock frozen there (08:00 WIB)
    with clock.frozen(datetime(2027, 1, 2, 1, 0, tzinfo=UTC)):
        result = await demo.seed(n_employees=60)

        # then the report counts the activities as stored
        assert result.activities == await Activity.count()
        # and the history is a full year of daily activities before today, verified mostly
        rows = await Activity.select(Activity.activity_date, Activity.status)
        dates = {r["activity_date"] for r in rows}
        assert min(dates) <= NEW_YEAR - timedelta(days=360)
        assert max(dates) < NEW_YEAR
        assert {d.month for d in dates if d.year == NEW_YEAR.year - 1} == set(range(1, 13))
        assert len({d for d in dates if d >= NEW_YEAR - timedelta(days=365)}) >= 230  # working days
        verified = sum(r["status"] == ActivityStatus.VERIFIED.value for r in rows)
        assert verified > 0.8 * len(rows)

        # and every evaluation was finalised after its period ended, none in the future
        finals = await Evaluation.select(
            Evaluation.finalised_at, Evaluation.period.ends_on.as_alias("ends_on")
        ).where(Evaluation.status == EvaluationStatus.FINAL.value)
        assert finals
        assert all(
            e["ends_on"] < clock.local_date(e["finalised_at"]) and e["finalised_at"] <= clock.now()
            for e in finals
        )

        # and the latest ended quarter the demo evaluated is last year's fourth, all rated
        quarter_id, name, opd_id, lines = await _latest_evaluated_quarter(api, NEW_YEAR)
        assert name == "Triwulan IV 2026"
        admin = await api.login("admin.bkpsdm", DEMO_PASSWORD)
        curve = await api.data(
            "DistributionCurve", {"opdId": opd_id, "periodId": quarter_id}, token=admin
        )
        assert curve["distributionCurve"]["total"] == lines
        assert curve["distributionCurve"]["draftCount"] == 0

        # and the pegawai can object to last year's annual evaluation (and only to it)
        token = await api.login("pegawai", DEMO_PASSWORD)
        mine = await api.data("MyEvaluations", {"first": 20}, token=token)
        final = [e["node"] for e in mine["evaluations"]["edges"] if e["node"]["status"] == "FINAL"]
        assert {e["period"]["name"] for e in final} >= {
            "Tahun 2026",
            "Triwulan I 2026",
            "Triwulan IV 2026",
        }
        windows = [
            (await api.data("ObjectionWindow", {"evaluationId": e["id"]}, token=token))[
                "objectionWindow"
            ]
            for e in final
        ]
        assert [w["canFile"] for w in windows].count(True) == 1
