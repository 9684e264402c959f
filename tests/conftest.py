"""Test configuration shared by every suite.

The database is chosen like the app chooses it: SQLite (a fresh temporary file) unless
``PORTAL_DATABASE_URL`` names PostgreSQL, whose ``public`` schema is then rebuilt from the
migrations. Under ``CI=true`` an unreachable PostgreSQL or Redis fails the run instead of
skipping tests.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from support.services import ensure_worker_database, run_tag

_TMP = Path(tempfile.mkdtemp(prefix="portal-tests-"))
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... when run with -n
_URL = os.environ.get("PORTAL_DATABASE_URL", "")
if not _URL.startswith(("postgresql://", "postgres://")):
    os.environ["PORTAL_DATABASE_URL"] = f"sqlite:///{_TMP}/test.sqlite"
elif _WORKER:
    # each parallel worker gets its own PostgreSQL database and Redis key space
    os.environ["PORTAL_DATABASE_URL"] = ensure_worker_database(_URL, _WORKER)
if _WORKER:
    os.environ["PORTAL_REDIS_PREFIX"] = f"portal-test-{run_tag()}-{_WORKER}:"
os.environ.setdefault("PORTAL_ENV", "development")
os.environ["PORTAL_SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
# Argon2 at full strength costs ~0.3 s per login on CI; tests log in hundreds of times.
os.environ["PORTAL_INSECURE_FAST_HASH"] = "1"
# Account ids repeat across tests (tables are truncated); the rate-limit test sets its own limit.
os.environ["PORTAL_RATE_LIMIT_PER_MINUTE"] = "0"

pytest_plugins = ["support.fixtures"]
