"""Several worker processes, one /metrics: samples are summed across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

CHILD = textwrap.dedent(
    """
    from portal.core.metrics import REQUESTS, SUBSCRIPTIONS_OPEN
    REQUESTS.labels("graphql Login", "ok").inc(3)
    SUBSCRIPTIONS_OPEN.inc(2)
    """
)
SCRAPE = textwrap.dedent(
    """
    from portal.core.metrics import exposition
    print(exposition()[0].decode())
    """
)


def test_samples_of_every_worker_process_add_up(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):  # two "workers", each its own process
        subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, timeout=60)
    out = subprocess.run(
        [sys.executable, "-c", SCRAPE],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert 'portal_requests_total{operation="graphql Login",outcome="ok"} 6.0' in out
    # livesum gauges count live processes only: both "workers" exited, their files are reaped
    assert "portal_subscriptions_open 0.0" in out  # only the scraping process's own gauge


def test_live_gauges_of_running_workers_add_up(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    hold = CHILD + "\nimport sys; sys.stdout.write('up\\n'); sys.stdout.flush(); sys.stdin.read()\n"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", hold],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "up"
        out = subprocess.run(
            [sys.executable, "-c", SCRAPE],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert "portal_subscriptions_open 4.0" in out
    finally:
        for worker in workers:
            worker.communicate("", timeout=30)
