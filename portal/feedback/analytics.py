"""Bulk read-only facts of the feedback domain, as frames for analytics (the mentoring model).

The feedback domain owns the thread tables; other domains that need them in bulk read them
through these functions. Only metadata is read (who, when, which kind), never a message.

This module imports pandas: only batch paths (``portal ml``, scoring) import it, never the web
app at start-up (``tests/unit/test_import_weight.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

import pandas as pd

from portal.core.db import texts_in
from portal.feedback.tables import FeedbackThread

THREAD_COLUMNS: Final = ("employee_id", "opened_at", "kind")


async def threads_opened(
    since: datetime | None = None, *, kinds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Feedback threads opened about employees, one row per thread.

    Args:
        since: Earliest opening instant to read (tz-aware); ``None`` reads every thread.
        kinds: Thread kinds to read; ``None`` reads every kind.

    Returns:
        Columns :data:`THREAD_COLUMNS`: the employee the thread is about, when it was opened
        and its kind.
    """
    query = FeedbackThread.select(
        FeedbackThread.employee.as_alias("employee_id"),
        FeedbackThread.created_at.as_alias("opened_at"),
        FeedbackThread.kind,
    )
    if kinds is not None:
        query = query.where(texts_in(FeedbackThread.kind, kinds))
    if since is not None:
        query = query.where(FeedbackThread.created_at >= since)
    return pd.DataFrame(await query, columns=list(THREAD_COLUMNS))
