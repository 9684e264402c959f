"""Extension hooks entered by :mod:`portal.core.hooks` behave as strawberry's own stages do."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from strawberry.extensions import SchemaExtension

from portal.core.hooks import Stage

calls: list[str] = []


class Outer(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        calls.append("outer in")
        try:
            yield
        except KeyError:
            calls.append("outer suppressed KeyError")
            return
        calls.append("outer out")


class Inner(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        calls.append("inner in")
        try:
            yield
        except ValueError as exc:
            raise KeyError("replaced") from exc
        calls.append("inner out")


class Async(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        calls.append("async in")
        yield
        calls.append("async out")


class Plain(SchemaExtension):
    def on_execute(self) -> None:  # type: ignore[override]
        calls.append("plain")


class Silent(SchemaExtension):
    """No hook at this stage."""


@pytest.fixture(autouse=True)
def _clean() -> None:
    calls.clear()


async def test_hooks_enter_in_order_and_exit_in_reverse() -> None:
    stage = Stage([Outer(), Silent(), Async(), Plain(), Inner()], "on_execute")

    async with stage:
        calls.append("body")

    assert calls == [
        "outer in",
        "async in",
        "plain",
        "inner in",
        "body",
        "inner out",
        "async out",
        "outer out",
    ]


async def test_a_hook_replaces_the_exception_and_an_outer_one_suppresses_it() -> None:
    stage = Stage([Outer(), Inner()], "on_execute")

    async with stage:
        raise ValueError("in the body")

    assert calls == ["outer in", "inner in", "outer suppressed KeyError"]


async def test_an_exception_no_hook_handles_goes_through_with_its_context() -> None:
    stage = Stage([Inner()], "on_execute")

    with pytest.raises(KeyError) as raised:
        async with stage:
            raise ValueError("in the body")

    assert isinstance(raised.value.__cause__, ValueError)
    assert calls == ["inner in"]


def test_the_synchronous_stage_refuses_an_asynchronous_hook() -> None:
    with (
        pytest.raises(RuntimeError, match="failed to complete synchronously"),
        Stage([Async()], "on_execute"),
    ):
        pass


def test_the_synchronous_stage_runs_generator_hooks() -> None:
    with Stage([Outer(), Inner()], "on_execute"):
        calls.append("body")

    assert calls == ["outer in", "inner in", "body", "inner out", "outer out"]


def test_the_synchronous_stage_lets_a_hook_replace_the_exception_and_another_suppress_it() -> None:
    with Stage([Outer(), Inner()], "on_execute"):
        raise ValueError("in the body")

    assert calls == ["outer in", "inner in", "outer suppressed KeyError"]


def test_the_synchronous_stage_passes_on_an_exception_no_hook_handles_with_its_context() -> None:
    with pytest.raises(KeyError) as raised, Stage([Inner()], "on_execute"):
        raise ValueError("in the body")

    assert isinstance(raised.value.__cause__, ValueError)
    assert isinstance(raised.value.__context__, ValueError)
    assert calls == ["inner in"]
