"""deploy/ stays in step with the code: the dashboard plots metrics that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

from portal.core.metrics import METRIC_NAMES

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_the_grafana_dashboard_uses_only_exported_metrics() -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "kinerja-portal.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {
        re.sub(r"_(bucket|sum|count)$", "", name)
        for expr in exprs
        for name in re.findall(r"\bportal_[a-z_]+", expr)
    }
    assert used <= set(METRIC_NAMES), used - set(METRIC_NAMES)
    # the main panels: traffic, latency, SQL, pool, jobs, scoring drift
    for name in ("portal_requests_total", "portal_request_duration_seconds",
                 "portal_sql_statements_per_request", "portal_db_pool_connections",
                 "portal_job_runs_total", "portal_scoring_drift"):  # fmt: skip
        assert name in used
