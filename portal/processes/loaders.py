"""Per-request dataloaders of the BKPSDM processes."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.processes.services import objections
from portal.processes.services.objections import ObjectionRow


class ProcessLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.objection: DataLoader[int, ObjectionRow | None] = DataLoader(
            objections.objections_by_ids
        )
