"""Check that PostGraphile answers what the portal answers, field by field (issue #22).

For several supervisors (SupervisorDashboard) and employees (EmployeeHome) this logs in to the
portal, posts the portal's own operation, posts PostGraphile's equivalent query
(bench/postgraphile/queries/, served by bench/postgraphile/serve.sh over the schema bench_pg)
with the variables the portal finds itself (employee, account, annual period, progress
window), maps PostGraphile's payload onto the portal's shape and compares the two. It exits 1
on the first user whose payloads differ, printing the differing paths.

What is compared, and what is not:

- IDs: PostGraphile's integer keys are encoded as the portal's global IDs
  (``base64url("Type:pk")``; a team member is ``Employee id-period id``); the alerts' endCursor
  is compared as the alert it points at (each API has its own cursor format).
- Numbers: floats equal within a relative 1e-9 (the portal sums in SQL and divides in Python,
  bench_pg divides and averages in SQL); integers, strings, booleans, dates exactly.
- Timestamps (raisedAt, lastMessageAt): the same instant (the two APIs print time zones
  differently).
- Left out: EmployeeHome's ``trainingRecommendations`` (the portal's Python recommender has no
  SQL equivalent; PostGraphile's query does not ask for it, so the portal does that work alone),
  and ``mentoringAlerts.pageInfo.endCursor`` beyond the alert it names.
- Members: direct reports only, as SupervisorDashboard's default ``directOnly: true``; the
  driver picks supervisors who act for nobody today (a Plt/Plh also sees the principal's team,
  which bench_pg's team query does not add; the alert list does follow acting appointments).

Example::

    python bench/pg_check.py --portal http://127.0.0.1:8101 --postgraphile \\
        http://127.0.0.1:5101 --database postgresql://postgres@127.0.0.1:5432/pgb_city
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
OPS = ROOT / "graphql" / "operations"
PG_QUERIES = Path(__file__).resolve().parent / "postgraphile" / "queries"
PASSWORD = "Tangsel#2026"
REL_TOL = 1e-9
TIMESTAMP_FIELDS = {"raisedAt", "lastMessageAt"}

# supervisors by team size, acting for nobody today (see the module docstring); $1: today
SUPERVISORS_SQL = """
select a.username, count(*) as team from user_account a
join employee e on e.supervisor = a.employee
where a.active and not exists (
  select 1 from acting_appointment p where p.acting = a.employee and p.revoked_at is null
  and p.starts_on <= $1 and p.ends_on >= $1)
group by a.username order by count(*) desc, a.username
"""
EMPLOYEES_SQL = """
select a.username from user_account a join employee e on e.id = a.employee
where a.active and e.supervisor is not null order by a.username
"""
# employees whose home shows feedback threads and support offers (the even spread may miss them)
BUSY_EMPLOYEES_SQL = """
select a.username from user_account a join (
  (select employee from feedback_thread order by id desc limit 2)
  union (select employee from mentoring_alert where status <> 'DISMISSED' order by id desc limit 2)
) busy on busy.employee = a.employee where a.active order by a.username
"""


def portal_document(name: str) -> str:
    """The portal's document that defines operation ``name``."""
    for path in OPS.rglob(f"{name}.graphql"):
        return path.read_text(encoding="utf-8")
    raise SystemExit(f"unknown operation {name}")


def pg_document(name: str) -> str:
    """PostGraphile's equivalent of operation ``name``."""
    return (PG_QUERIES / f"{name}.graphql").read_text(encoding="utf-8")


def gid(type_name: str, pk: object) -> str:
    """The portal's global ID (portal.core.ids.encode_global_id)."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def cursor_pk(cursor: str | None) -> str | None:
    """The primary key a portal cursor (``base64url("c:pk")``) points at."""
    if cursor is None:
        return None
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    return raw.partition(":")[2]


@dataclass(frozen=True)
class Subject:
    """What PostGraphile needs as variables and the portal finds from the token."""

    username: str
    employee_id: int
    account_id: int
    period_id: int
    from_date: date
    to_date: date

    def variables(self) -> dict[str, Any]:
        """PostGraphile's variables."""
        return {
            "employeeId": self.employee_id,
            "accountId": self.account_id,
            "periodId": self.period_id,
            "fromDate": self.from_date.isoformat(),
            "toDate": self.to_date.isoformat(),
        }


def city_today(zone: str = "Asia/Jakarta") -> date:
    """Today in the city's time zone (portal.core.clock.today, PORTAL_TIMEZONE)."""
    return datetime.now(UTC).astimezone(ZoneInfo(zone)).date()


async def subjects(conn: asyncpg.Connection, usernames: list[str], today: date) -> list[Subject]:
    """Variables of each user: the annual period of today and the window start..today."""
    annual = await conn.fetchrow(
        "select id, starts_on, ends_on from period where kind = 'ANNUAL'"
        " and starts_on <= $1 and ends_on >= $1",
        today,
    )
    if annual is None:
        raise SystemExit(f"no annual period covers {today}")
    end = max(min(annual["ends_on"], today), annual["starts_on"])
    rows = await conn.fetch(
        "select username, id, employee from user_account where username = any($1::text[])",
        usernames,
    )
    by_name = {r["username"]: r for r in rows}
    return [
        Subject(u, by_name[u]["employee"], by_name[u]["id"], annual["id"], annual["starts_on"], end)
        for u in usernames
    ]


# ------------------------------------------------------------------------------------------
# PostGraphile's payload in the portal's shape
# ------------------------------------------------------------------------------------------


def _employee(e: dict[str, Any] | None, *fields: str) -> dict[str, Any] | None:
    if e is None:
        return None
    out: dict[str, Any] = {"id": gid("Employee", e["id"])}
    out.update({f: e[f] for f in fields})
    return out


def _progress(i: dict[str, Any]) -> dict[str, Any]:
    return dict(i["progress"])


def _indicator(i: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": gid("Indicator", i["id"]),
        "description": i["description"],
        "targetValue": i["targetValue"],
        "unit": i["unit"],
    }


def _alert(a: dict[str, Any], *fields: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": gid("MentoringAlert", a["id"])}
    out.update({f: a[f] for f in fields})
    return out


def map_dashboard(data: dict[str, Any], subject: Subject) -> dict[str, Any]:
    """PostGraphile's SupervisorDashboardPg as the portal's SupervisorDashboard."""
    team = []
    for n in data["employeeById"]["employeesBySupervisor"]["nodes"]:
        skp = n["activeSkp"]
        indicators = skp["indicatorsBySkp"]["nodes"] if skp else []
        team.append(
            {
                "id": gid("TeamMember", f"{n['id']}-{subject.period_id}"),
                "employee": _employee(n, "name", "jabatanName"),
                "skp": {"id": gid("Skp", skp["id"]), "status": skp["status"]} if skp else None,
                "averageProgress": skp["summary"]["averageProgress"] if skp else None,
                "indicatorsBehind": skp["summary"]["indicatorsBehind"] if skp else 0,
                "pendingVerificationCount": n["pendingVerificationCount"],
                "lastActivityDate": n["lastActivityDate"],
                "indicators": [{"indicator": _indicator(i), **_progress(i)} for i in indicators],
            }
        )
    alerts = data["openAlertsUnder"]
    nodes = alerts["nodes"]
    return {
        "teamProgress": team,
        "mentoringAlerts": {
            "totalCount": alerts["totalCount"],
            "pageInfo": {
                "hasNextPage": alerts["pageInfo"]["hasNextPage"],
                "endCursor": str(nodes[-1]["id"]) if nodes else None,
            },
            "edges": [
                {
                    "node": {
                        **_alert(a, "reasons", "raisedAt"),
                        "employee": _employee(a["employeeByEmployee"], "name", "jabatanName"),
                    }
                }
                for a in nodes
            ],
        },
        "unreadNotificationCount": data["unreadNotificationCount"],
    }


def map_home(data: dict[str, Any]) -> dict[str, Any]:
    """PostGraphile's EmployeeHomePg as the portal's EmployeeHome (no trainingRecommendations)."""
    me = data["employeeById"]
    skp = me["activeSkp"]
    inbox = data["feedbackInbox"]
    return {
        "mySkp": {
            "id": gid("Skp", skp["id"]),
            "status": skp["status"],
            "rhks": [
                {
                    "id": gid("Rhk", r["id"]),
                    "kind": r["kind"],
                    "indicators": [
                        {**_indicator(i), "progress": _progress(i)}
                        for i in r["indicatorsByRhk"]["nodes"]
                    ],
                }
                for r in skp["rhksBySkp"]["nodes"]
            ],
        }
        if skp
        else None,
        "unreadFeedbackCount": data["unreadFeedbackCount"],
        "feedbackThreads": {
            "totalCount": inbox["totalCount"],
            "edges": [
                {
                    "node": {
                        "id": gid("FeedbackThread", t["id"]),
                        "topic": t["topic"],
                        "kind": t["kind"],
                        "status": t["status"],
                        "lastMessageAt": t["lastMessageAt"],
                        "unreadCount": t["unreadCount"],
                        "openedBy": _employee(t["employeeByOpenedBy"], "name"),
                    }
                }
                for t in inbox["nodes"]
            ],
        },
        "mySupportOffers": [
            _alert(a, "status", "reasons", "raisedAt", "action")
            for a in me["supportOffers"]["nodes"]
        ],
        "unreadNotificationCount": data["unreadNotificationCount"],
    }


def normalise_portal(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The portal's payload with what is not compared taken out (see the module docstring)."""
    out = dict(data)
    if name == "EmployeeHome":
        out.pop("trainingRecommendations", None)
    if name == "SupervisorDashboard":
        alerts = dict(out["mentoringAlerts"])
        alerts["pageInfo"] = {
            **alerts["pageInfo"],
            "endCursor": cursor_pk(alerts["pageInfo"]["endCursor"]),
        }
        out["mentoringAlerts"] = alerts
    return out


def differences(left: object, right: object, path: str = "") -> list[str]:
    """Paths where the portal's value (left) and PostGraphile's (right) differ."""
    if isinstance(left, dict) and isinstance(right, dict):
        found = [
            f"{path}.{k}: only in {'portal' if k in left else 'postgraphile'}"
            for k in sorted(set(left) ^ set(right))
        ]
        for key in sorted(set(left) & set(right)):
            found += differences(left[key], right[key], f"{path}.{key}")
        return found
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return [f"{path}: {len(left)} items in the portal, {len(right)} in postgraphile"]
        return [
            d
            for i, (a, b) in enumerate(zip(left, right, strict=True))
            for d in differences(a, b, f"{path}[{i}]")
        ]
    if (
        path.rsplit(".", 1)[-1] in TIMESTAMP_FIELDS
        and isinstance(left, str)
        and isinstance(right, str)
    ):
        same = datetime.fromisoformat(left) == datetime.fromisoformat(right)
        return [] if same else [f"{path}: {left!r} != {right!r}"]
    both_numbers = all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right)
    )
    if both_numbers and (isinstance(left, float) or isinstance(right, float)):
        same = math.isclose(float(left), float(right), rel_tol=REL_TOL, abs_tol=1e-12)  # type: ignore[arg-type]
        return [] if same else [f"{path}: {left!r} != {right!r}"]
    return [] if left == right and type(left) is type(right) else [f"{path}: {left!r} != {right!r}"]


# ------------------------------------------------------------------------------------------
# Requests
# ------------------------------------------------------------------------------------------


async def login(client: httpx.AsyncClient, username: str) -> str:
    """The portal's access token of a demo user."""
    body = {
        "query": portal_document("Login"),
        "operationName": "Login",
        "variables": {"input": {"username": username, "password": PASSWORD}},
    }
    data = (await client.post("/graphql", json=body)).json()["data"]["login"]
    if data["userErrors"]:
        raise SystemExit(f"login {username}: {data['userErrors']}")
    return str(data["accessToken"])


def portal_body(name: str) -> dict[str, Any]:
    """The portal's request body of a screen operation (no variables: the token says who)."""
    return {"query": portal_document(name), "operationName": name, "variables": {}}


def pg_body(name: str, subject: Subject) -> dict[str, Any]:
    """PostGraphile's request body of the equivalent query for ``subject``."""
    return {
        "query": pg_document(name),
        "operationName": f"{name}Pg",
        "variables": subject.variables(),
    }


async def fetch(client: httpx.AsyncClient, body: dict[str, Any], token: str | None = None) -> Any:
    """POST a body; the ``data`` of the answer (exits on GraphQL errors)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = (await client.post("/graphql", json=body, headers=headers)).json()
    if answer.get("errors"):
        raise SystemExit(f"{body.get('operationName')}: {json.dumps(answer['errors'])[:2000]}")
    return answer["data"]


async def check(args: argparse.Namespace) -> int:
    """Compare both screens for the chosen users; the number of mismatching users."""
    today = city_today(args.timezone)
    conn = await asyncpg.connect(args.database)
    try:
        sups = [r["username"] for r in await conn.fetch(SUPERVISORS_SQL, today)]
        emps = [r["username"] for r in await conn.fetch(EMPLOYEES_SQL)]
        # the biggest team, and an even spread over the rest (sizes differ)
        n = min(args.supervisors, len(sups))
        chosen_sups = list(
            dict.fromkeys(sups[i * (len(sups) - 1) // max(1, n - 1)] for i in range(n))
        )
        step = max(1, len(emps) // max(1, args.employees))
        busy = [r["username"] for r in await conn.fetch(BUSY_EMPLOYEES_SQL)]
        chosen_emps = list(dict.fromkeys([*busy, *emps[::step][: args.employees]]))
        cases = [("SupervisorDashboard", s) for s in await subjects(conn, chosen_sups, today)]
        cases += [("EmployeeHome", s) for s in await subjects(conn, chosen_emps, today)]
    finally:
        await conn.close()
    failed = 0
    async with (
        httpx.AsyncClient(base_url=args.portal, timeout=60) as portal,
        httpx.AsyncClient(base_url=args.postgraphile, timeout=60) as pg,
    ):
        for name, subject in cases:
            token = await login(portal, subject.username)
            mine = normalise_portal(name, await fetch(portal, portal_body(name), token))
            data = await fetch(pg, pg_body(name, subject))
            theirs = (
                map_dashboard(data, subject) if name == "SupervisorDashboard" else map_home(data)
            )
            diff = differences(mine, theirs)
            size = len(mine["teamProgress"]) if name == "SupervisorDashboard" else None
            status = "equal" if not diff else f"{len(diff)} differences"
            print(
                f"{name} {subject.username}"
                + (f" ({size} reports)" if size else "")
                + f": {status}"
            )
            for line in diff[:20]:
                print(f"  {line}")
            failed += bool(diff)
    print(f"{len(cases) - failed}/{len(cases)} payloads equal")
    return failed


def main() -> None:
    """Parse arguments, compare, exit 1 on any mismatch."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--portal", default="http://127.0.0.1:8101")
    parser.add_argument("--postgraphile", default="http://127.0.0.1:5101")
    parser.add_argument("--database", required=True, help="the city both serve")
    parser.add_argument("--supervisors", type=int, default=5)
    parser.add_argument("--employees", type=int, default=5)
    parser.add_argument("--timezone", default="Asia/Jakarta", help="PORTAL_TIMEZONE")
    args = parser.parse_args()
    sys.exit(1 if asyncio.run(check(args)) else 0)


if __name__ == "__main__":
    main()
