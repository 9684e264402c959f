"""A time budget for executing one query or mutation.

When the budget runs out, the task executing the operation is cancelled, so a mutation's open
transaction rolls back (``portal.core.db.transaction`` exits with the cancellation), and the
client gets one ``TIMEOUT`` error instead of partial data. Subscriptions are exempt: they are
meant to stay open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType


class OperationTimeout(SchemaExtension):
    """Cancels execution after ``seconds`` and answers ``extensions.code = TIMEOUT``.

    The hook is a plain generator with a timer of its own instead of ``async with
    asyncio.timeout``: strawberry refuses asynchronous hooks in ``execute_sync``, and the
    cancellation semantics (``Task.cancelling``/``uncancel``) are those of ``asyncio.timeout``.
    """

    def __init__(self, *, seconds: float) -> None:
        self.seconds = seconds

    def on_execute(self) -> Iterator[None]:
        """Run the execution step under the time budget."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # execute_sync outside an event loop: nothing can be cancelled
            loop = None
        task = asyncio.current_task() if loop else None
        if (
            loop is None
            or task is None
            or self.seconds <= 0
            or self.execution_context.operation_type is OperationType.SUBSCRIPTION
        ):
            yield
            return
        cancelling = task.cancelling()
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            task.cancel()

        timer = loop.call_later(self.seconds, expire)
        try:
            yield
        except asyncio.CancelledError:
            # ours, and nobody else cancelled the task meanwhile (then theirs must win)
            if expired and task.uncancel() <= cancelling:
                raise GraphQLError(
                    f"The operation took longer than {self.seconds:g} s and was stopped",
                    extensions={"code": "TIMEOUT"},
                ) from None
            raise
        finally:
            timer.cancel()
