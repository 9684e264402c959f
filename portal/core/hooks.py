"""Strawberry's schema-extension hooks, entered without rebuilding them on every request.

Strawberry resolves each extension's hooks anew for every stage of every operation: it looks
the hook up, asks ``inspect`` whether it is a generator, and wraps it with
``contextlib.contextmanager`` (``functools.update_wrapper`` included), then enters the hooks
through an ``ExitStack``. For the cheapest request (``{ viewer { username } }``) that was a
sixth of the GraphQL work. Here the wrapping is looked up once per extension class and stage,
and the stage enters and exits the hooks itself, with the same order and exception semantics
as strawberry's ``ExtensionContextManagerBase`` (hooks entered in order, exited in reverse;
a hook may suppress the exception in flight or replace it with its own).
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import ExtensionContextManagerBase
from strawberry.extensions.runner import SchemaExtensionsRunner

# a hook as a factory of its context manager, given the extension; True when asynchronous
_Hook = tuple[Callable[[SchemaExtension], Any], bool]
_hooks: dict[tuple[type[SchemaExtension], str], _Hook | None] = {}


def _per_request(hook_name: str) -> Callable[[SchemaExtension], Any]:
    """A plain (non-generator) hook: strawberry's own wrapping, built for each request."""

    def factory(extension: SchemaExtension) -> Any:  # noqa: ANN401 - a context manager
        fn = getattr(type(extension), hook_name)
        return ExtensionContextManagerBase.from_callable(extension, fn).hook()

    return factory


def hook_of(kind: type[SchemaExtension], hook_name: str) -> _Hook | None:
    """The hook ``hook_name`` of the extension class ``kind`` (None: it has none)."""
    key = (kind, hook_name)
    if key in _hooks:
        return _hooks[key]
    fn = getattr(kind, hook_name)
    found: _Hook | None
    if fn is getattr(SchemaExtension, hook_name):
        found = None
    elif inspect.isgeneratorfunction(fn):
        found = (contextlib.contextmanager(fn), False)
    elif inspect.isasyncgenfunction(fn):
        found = (contextlib.asynccontextmanager(fn), True)
    elif callable(fn):
        found = (_per_request(hook_name), inspect.iscoroutinefunction(fn))
    else:
        raise ValueError(f"Hook {hook_name} on {kind} must be callable, received {fn!r}")
    _hooks[key] = found
    return found


def _fix_context(
    new: BaseException, old: BaseException | None, frame: BaseException | None
) -> None:
    """Chain ``old`` under ``new`` as ``contextlib.ExitStack`` does.

    ``frame`` is the exception being handled where the stage exits (``sys.exc_info()``).
    """
    while True:
        context = new.__context__
        if context is None or context is old:
            return
        if context is frame:
            break
        new = context
    new.__context__ = old


class Stage:
    """One lifecycle stage (operation, parsing, validation, execution) of an operation."""

    __slots__ = ("entered", "hook_name", "hooks")

    def __init__(self, extensions: list[SchemaExtension], hook_name: str) -> None:
        self.hook_name = hook_name
        self.hooks: list[tuple[_Hook, SchemaExtension]] = []
        for extension in extensions:
            found = hook_of(type(extension), hook_name)
            if found is not None:
                self.hooks.append((found, extension))
        self.entered: list[tuple[Any, bool]] = []

    def __enter__(self) -> None:
        self.entered = []
        for (factory, is_async), extension in self.hooks:
            if is_async:
                raise RuntimeError(
                    f"SchemaExtension hook {extension}.{self.hook_name} "
                    "failed to complete synchronously."
                )
            manager = factory(extension)
            manager.__enter__()
            self.entered.append((manager, False))

    async def __aenter__(self) -> None:
        self.entered = []
        for (factory, is_async), extension in self.hooks:
            manager = factory(extension)
            if is_async:
                await manager.__aenter__()
            else:
                manager.__enter__()
            self.entered.append((manager, is_async))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        unwinding = _Unwinding(exc)
        while self.entered:  # __enter__ entered synchronous hooks only
            unwinding.exit(self.entered.pop()[0])
        return unwinding.finish()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        unwinding = _Unwinding(exc)
        while self.entered:
            manager, is_async = self.entered.pop()
            if not is_async:
                unwinding.exit(manager)
                continue
            try:
                done = await manager.__aexit__(*unwinding.details())
            except BaseException as new:  # noqa: BLE001 - re-raised by finish, as ExitStack does
                unwinding.failed(new)
            else:
                unwinding.exited(done)
        return unwinding.finish()


class _Unwinding:
    """The exception in flight while a stage exits its hooks (``ExitStack.__exit__``'s state)."""

    __slots__ = ("frame", "pending", "raised", "received", "suppressed")

    def __init__(self, exc: BaseException | None) -> None:
        self.received = exc is not None
        self.frame = sys.exc_info()[1]  # the exception being handled where the stage exits
        self.pending = exc
        self.raised = False
        self.suppressed = False

    def details(self) -> tuple[type[BaseException] | None, BaseException | None, Any]:
        """What the next hook's exit gets: the exception in flight, if any."""
        pending = self.pending
        if pending is None:
            return None, None, None
        return type(pending), pending, pending.__traceback__

    def exit(self, manager: Any) -> None:  # noqa: ANN401 - a hook's context manager
        """Exit one synchronous hook with the exception in flight."""
        try:
            done = manager.__exit__(*self.details())
        except BaseException as new:  # noqa: BLE001 - re-raised by finish, as ExitStack does
            self.failed(new)
        else:
            self.exited(done)

    def exited(self, suppress: bool) -> None:
        """A hook exited; a true answer suppresses the exception in flight."""
        if suppress:
            self.pending, self.raised, self.suppressed = None, False, True

    def failed(self, new: BaseException) -> None:
        """A hook raised: its exception, chained to the one in flight, is now in flight."""
        _fix_context(new, self.pending, self.frame)
        self.pending, self.raised = new, True

    def finish(self) -> bool:
        """Raise what a hook raised; else whether the received exception was suppressed."""
        if self.raised and self.pending is not None:
            _reraise(self.pending)
        return self.received and self.suppressed


def _reraise(exc: BaseException) -> None:
    """Raise ``exc`` keeping the context its hook gave it (``raise`` would replace it)."""
    context = exc.__context__
    try:
        raise exc
    except BaseException:
        exc.__context__ = context
        raise


class HooksRunner(SchemaExtensionsRunner):
    """Strawberry's runner with :class:`Stage` for the four stages of every operation."""

    def operation(self) -> Any:  # noqa: ANN401 - strawberry's context manager protocol
        """Around the whole operation."""
        return Stage(self.extensions, "on_operation")

    def validation(self) -> Any:  # noqa: ANN401
        """Around validation."""
        return Stage(self.extensions, "on_validate")

    def parsing(self) -> Any:  # noqa: ANN401
        """Around parsing."""
        return Stage(self.extensions, "on_parse")

    def executing(self) -> Any:  # noqa: ANN401
        """Around execution."""
        return Stage(self.extensions, "on_execute")
