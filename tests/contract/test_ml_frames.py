"""The frames the domains export for the mentoring model are the frames ``ml`` reads.

``ml`` imports nothing of the app and the domains import no ``ml`` (ARCHITECTURE.md), so each
side declares its columns; ``portal.mentoring.services.scoring`` joins them by name. Here the
two declarations are held to each other.
"""

from __future__ import annotations

from ml import schema
from portal.feedback import analytics as feedback
from portal.performance import analytics as performance
from training import analytics as training


def test_each_exported_frame_has_the_columns_ml_reads_in_its_order() -> None:
    assert performance.ACTIVITY_LOG_COLUMNS == schema.ACTIVITY_COLUMNS
    assert performance.REALISATION_COLUMNS == schema.PROGRESS_COLUMNS
    assert feedback.THREAD_COLUMNS == schema.FEEDBACK_COLUMNS
    assert training.COMPLETION_COLUMNS == schema.TRAINING_COLUMNS
