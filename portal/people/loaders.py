"""Per-request dataloaders of the people domain (no N+1 on lists of employees or units)."""

from __future__ import annotations

from strawberry.dataloader import DataLoader

from portal.core.context import LoaderSet
from portal.people.rows import EmployeeRow, OpdRow, UnorRow
from portal.people.services import directory


class PeopleLoaders(LoaderSet):
    """One set per request; each batches keys within a tick into one query."""

    def __init__(self) -> None:
        self.employee: DataLoader[int, EmployeeRow | None] = DataLoader(directory.employees_by_ids)
        self.opd: DataLoader[int, OpdRow | None] = DataLoader(directory.opds_by_ids)
        self.unor: DataLoader[int, UnorRow | None] = DataLoader(directory.unors_by_ids)
        self.unor_children: DataLoader[int, list[UnorRow]] = DataLoader(directory.unor_children)
        self.root_unors: DataLoader[int, list[UnorRow]] = DataLoader(directory.root_unors)
        self.unor_employee_count: DataLoader[int, int] = DataLoader(
            directory.employee_counts_by_unor
        )
        self.direct_report_count: DataLoader[int, int] = DataLoader(directory.direct_report_counts)
