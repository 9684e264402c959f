"""A plain JSON endpoint for the supervisor dashboard, for benchmarks only (off by default).

It returns the ``data`` of the ``SupervisorDashboard`` operation (team progress, pending
verifications, latest open mentoring alerts, unread notifications) key for key, from the same
service functions the GraphQL resolvers call, so benchmarks can state GraphQL's overhead as a
ratio against the cheapest transport of the same payload. Scoping stays in those services.
"""

from __future__ import annotations

from typing import Any

from litestar import Router, get

from portal.core import clock
from portal.core.auth import Viewer
from portal.core.http import VIEWER_DEPENDENCY, setting_guard
from portal.core.ids import encode_global_id
from portal.core.pagination import encode_cursor, page_request
from portal.mentoring.enums import AlertStatus
from portal.mentoring.services import alerts as mentoring
from portal.notifications.services import inbox as notifications
from portal.people.rows import EmployeeRow
from portal.people.services import directory as people
from portal.performance.planning.services import periods, progress
from portal.performance.planning.services.progress import TeamMember

LATEST_ALERTS = 5  # as ``mentoringAlerts(first: 5, status: OPEN)`` in SupervisorDashboard


def _employee(row: EmployeeRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "id": encode_global_id("Employee", row.id),
        "name": row.name,
        "jabatanName": row.jabatan_name,
    }


def _member(m: TeamMember) -> dict[str, Any]:
    return {
        "id": encode_global_id("TeamMember", m.key),
        "employee": _employee(m.employee),
        "skp": {"id": encode_global_id("Skp", m.skp.id), "status": m.skp.status} if m.skp else None,
        "averageProgress": m.average_progress,
        "indicatorsBehind": m.indicators_behind,
        "pendingVerificationCount": m.pending_verifications,
        "lastActivityDate": m.last_activity_date.isoformat() if m.last_activity_date else None,
        "indicators": [
            {
                "indicator": {
                    "id": encode_global_id("Indicator", p.indicator.id),
                    "description": p.indicator.description,
                    "targetValue": p.indicator.target_value,
                    "unit": p.indicator.unit,
                },
                "verifiedQuantity": p.tally.verified_quantity,
                "progress": p.progress,
                "expectedPace": p.expected_pace,
                "behindPace": p.behind_pace,
            }
            for p in m.indicators
        ],
    }


async def _latest_alerts(viewer: Viewer) -> dict[str, Any]:
    page = await mentoring.list_alerts(
        viewer, page_request(LATEST_ALERTS, None), status=AlertStatus.OPEN
    )
    employees = await people.employees_by_ids([a.employee_id for a in page.items])
    return {
        "totalCount": page.total_count,
        "pageInfo": {
            "hasNextPage": page.has_next_page,
            "endCursor": encode_cursor(page.keys[-1]) if page.keys else None,
        },
        "edges": [
            {
                "node": {
                    "id": encode_global_id("MentoringAlert", a.id),
                    "reasons": a.reasons,
                    "raisedAt": a.raised_at.isoformat(),
                    "employee": _employee(employee),
                }
            }
            for a, employee in zip(page.items, employees, strict=True)
        ],
    }


@get("/team-dashboard")
async def team_dashboard(viewer: Viewer) -> dict[str, Any]:
    """The ``SupervisorDashboard`` payload of the viewer (this year, direct reports)."""
    annual = await periods.annual_for(clock.today())
    members = await progress.team_overview(viewer, annual, None) if annual else []
    return {
        "teamProgress": [_member(m) for m in members],
        "mentoringAlerts": await _latest_alerts(viewer),
        "unreadNotificationCount": await notifications.unread_count(viewer),
    }


BENCH_ROUTER = Router(
    path="/api",
    route_handlers=[team_dashboard],
    dependencies=VIEWER_DEPENDENCY,
    guards=[setting_guard("bench_endpoints")],
)
"""Benchmark-only endpoints: HTTP 404 unless ``PORTAL_BENCH_ENDPOINTS=1``."""
