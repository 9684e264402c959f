"""A plain JSON endpoint for the supervisor dashboard.

It is served by the same service code as the GraphQL ``teamProgress`` query, so benchmarks can
state GraphQL's overhead as a ratio against the cheapest transport of the same payload.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.exceptions import NotAuthorizedException

from portal.accounts import service as accounts
from portal.context import bearer_token
from portal.core.errors import AuthenticationError
from portal.performance import periods, progress


@get("/api/team-dashboard")
async def team_dashboard(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The viewer's direct reports with SKP progress and pending verifications (this year)."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise NotAuthorizedException("Authentication required")
    try:
        viewer = await accounts.authenticate(
            request.app.state.settings, request.app.state.store, token
        )
    except AuthenticationError as exc:
        raise NotAuthorizedException(str(exc)) from exc
    annual = await periods.annual_for(progress.today())
    if annual is None:
        return {"teamProgress": []}
    members = await progress.team_overview(viewer, annual, None)
    return {
        "teamProgress": [
            {
                "employee": {"name": m.employee.name, "jabatanName": m.employee.jabatan_name},
                "skp": {"status": m.skp.status} if m.skp else None,
                "averageProgress": m.average_progress,
                "indicatorsBehind": m.indicators_behind,
                "pendingVerificationCount": m.pending_verifications,
                "lastActivityDate": m.last_activity_date.isoformat()
                if m.last_activity_date
                else None,
                "indicators": [
                    {
                        "indicator": {
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
            for m in members
        ]
    }
