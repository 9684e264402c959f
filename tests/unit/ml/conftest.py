"""Shared fixtures of the ml unit tests: a small synthetic world, one BLAS/OpenMP thread.

Gradient boosting uses OpenMP; on a busy CI machine its threads wait on each other, so the
tests run single-threaded (the results do not depend on the thread count).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from threadpoolctl import threadpool_limits

from ml.synth import SynthWorld, generate


@pytest.fixture(scope="session", autouse=True)
def _one_thread() -> Iterator[None]:
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="session")
def small_world() -> SynthWorld:
    return generate(300, seed=11, start=date(2025, 1, 1), end=date(2025, 12, 31))
