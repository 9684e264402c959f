"""One security world per test module (the tests only read it, or judge changes by the rules).

The world is built once for a module, not per test: under ``--dist loadfile`` a module's tests
share one worker, and the module fixture empties the database before building.
"""

from __future__ import annotations

import httpx
import pytest

from portal.settings import Settings
from support.api import Api
from support.factories import Factory
from support.fixtures import wipe_database
from support.security_world import SecurityWorld, build_security_world


@pytest.fixture(scope="module")
async def security_world(client: httpx.AsyncClient, settings: Settings) -> SecurityWorld:
    """Two OPDs with an object of every Node type, and a login per role."""
    await wipe_database(settings)
    return await build_security_world(Api(client), Factory())
