"""Smoke test of a running production configuration (.ci/prod-smoke starts one as processes).

    python deploy/smoke.py http://127.0.0.1:8000 [--metrics-dir DIR] [--worker-metrics URL]

Checks, through the public HTTP API only: readiness (database, Redis, migrations), a demo
login and a query, a background job (an import) run to completion by the job worker, /metrics
with every family, samples written by more than one API worker process, and the job worker's
own metrics. Prints one line per check and a closing "N passed, N failed".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from portal.core.metrics import METRIC_NAMES

PASSWORD = "Tangsel#2026"  # the demo city's documented password
LABELLED_UNTIL_USED = {
    "portal_graphql_errors_total",
    "portal_login_failures_total",
    "portal_job_runs_total",  # the job worker's (checked on its own endpoint)
    "portal_job_duration_seconds",
    "portal_notifications_delivered_total",
}


def gql(
    client: httpx.Client, query: str, variables: dict[str, Any], token: str | None = None
) -> Any:  # noqa: ANN401
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise AssertionError(body["errors"])
    return body["data"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--metrics-dir", type=Path, default=None)
    parser.add_argument("--worker-metrics", default=None)
    args = parser.parse_args()
    client = httpx.Client(base_url=args.url, timeout=30)
    passed, failed = 0, 0
    state: dict[str, Any] = {}

    def check(name: str, fn: Callable[[], None]) -> None:
        nonlocal passed, failed
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - report every check
            failed += 1
            print(f"FAIL {name}: {exc!r}"[:2000])
        else:
            passed += 1
            print(f"ok   {name}")

    def ready() -> None:
        deadline = time.monotonic() + 90
        while True:
            try:
                response = client.get("/health/ready")
                if response.status_code == 200:
                    assert response.json()["checks"]["redis"]["ok"]
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "not ready in 90 s"
            time.sleep(0.5)

    def login() -> None:
        data = gql(
            client,
            "mutation L($i: LoginInput!) { login(input: $i) { accessToken userErrors { code } } }",
            {"i": {"username": "admin.bkpsdm", "password": PASSWORD}},
        )
        state["token"] = data["login"]["accessToken"]
        assert state["token"], data
        viewer = gql(client, "{ viewer { username roles } }", {}, state["token"])
        assert viewer["viewer"]["username"] == "admin.bkpsdm"

    def job() -> None:
        csv = "nip,nama,jenis_pegawai,golongan,jenis_jabatan,nama_jabatan,kode_unor,nip_atasan\n"
        started = gql(
            client,
            "mutation S($i: ImportEmployeesInput!) { startEmployeeImport(input: $i) "
            "{ job { id } userErrors { code } } }",
            {"i": {"csv": csv, "partial": False, "dryRun": True}},
            state["token"],
        )
        key = started["startEmployeeImport"]["job"]["id"]
        deadline = time.monotonic() + 60
        while True:
            job = gql(
                client,
                "query J($id: ID!) { backgroundJob(id: $id) { status progress resultJson error } }",
                {"id": key},
                state["token"],
            )["backgroundJob"]
            if job and job["status"] in {"complete", "failed", "aborted"}:
                break
            assert time.monotonic() < deadline, f"job not finished: {job}"
            time.sleep(0.2)
        assert job["status"] == "complete", job
        assert json.loads(job["resultJson"])["rejected"] == 0, job

    def metrics() -> None:
        for _ in range(40):  # spread over both workers
            client.get("/health/live")
        text = client.get("/metrics").text
        # across processes a labelled family shows once some process wrote a sample of it
        wanted = [n for n in METRIC_NAMES if n not in LABELLED_UNTIL_USED]
        missing = [n for n in wanted if f"# TYPE {n} " not in text]
        assert not missing, missing
        assert 'operation="GET /health/live"' in text
        if args.metrics_dir:
            pids = {p.stem.rsplit("_", 1)[-1] for p in args.metrics_dir.glob("counter_*.db")}
            assert len(pids) >= 2, f"samples of {len(pids)} API worker process(es)"

    def worker_metrics() -> None:
        if not args.worker_metrics:
            return
        text = httpx.get(args.worker_metrics, timeout=10).text
        assert 'portal_job_runs_total{job="people.import_employees",outcome="complete"}' in text

    check("ready: database, Redis, migrations", ready)
    check("login and a query", login)
    check("a background job completes on the job worker", job)
    check("/metrics: every family, samples of both API workers", metrics)
    check("the job worker's metrics", worker_metrics)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
