"""Per-request dataloaders of the mentoring domain (alerts fetched by id batch together)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.mentoring.services import alerts
from portal.mentoring.services.alerts import AlertRow


class MentoringLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.alert: DataLoader[int, AlertRow | None] = DataLoader(alerts.alerts_by_ids)
