"""Per-request dataloaders of the mentoring domain (alerts fetched by id batch together)."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.mentoring.facts import OPEN_STATUSES
from portal.mentoring.services import alerts
from portal.mentoring.services.alerts import AlertRow


class MentoringLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.alert: DataLoader[int, AlertRow | None] = DataLoader(alerts.alerts_by_ids)
        # an employee's support offers (alerts not dismissed): their own home lists them and
        # the training recommendations read from them whether an alert is open
        self.offers: DataLoader[int, list[AlertRow]] = DataLoader(alerts.support_offers_of)

    async def open_alert_employee_ids(self, employee_ids: Sequence[int]) -> list[int]:
        """``facts.open_alert_employee_ids`` through the request's support offers."""
        offers = await self.offers.load_many(employee_ids)
        return [
            e
            for e, found in zip(employee_ids, offers, strict=True)
            if any(a.status in OPEN_STATUSES for a in found)
        ]
