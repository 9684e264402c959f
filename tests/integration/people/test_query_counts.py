"""Lists resolve through per-request dataloaders: SQL queries do not grow with list size."""

from __future__ import annotations

from portal.core.auth import Role
from portal.core.db import count_queries
from support.api import Api
from support.factories import PASSWORD, Factory


async def _directory_queries(api: Api, factory: Factory, size: int) -> int:
    opd = await factory.opd()
    root = await factory.unor(opd)
    boss = await factory.employee(root)
    for i in range(size):
        unit = await factory.unor(opd, parent_id=root) if i % 3 == 0 else root
        await factory.employee(unit, supervisor=boss, account=False)
    username = await factory.admin(f"admin{size}", Role.ADMIN_BKPSDM)
    token = await api.login(username, PASSWORD)
    with count_queries() as counter:
        data = await api.data("EmployeeDirectory", {"first": 100}, token=token)
    assert len(data["employees"]["edges"]) >= size + 1
    assert all(e["node"]["profile"] for e in data["employees"]["edges"])
    return counter[0]


async def test_directory_query_count_is_independent_of_page_size(
    api: Api, factory: Factory, db: None
) -> None:
    small = await _directory_queries(api, factory, 5)
    large = await _directory_queries(api, factory, 50)
    assert small == large


async def test_org_tree_query_count_is_constant(api: Api, factory: Factory) -> None:
    counts = []
    for n in (2, 12):
        opd = await factory.opd()
        for _ in range(n):
            parent = await factory.unor(opd)
            await factory.unor(opd, parent_id=parent)
        username = await factory.admin(f"tree{n}", Role.ADMIN_BKPSDM)
        token = await api.login(username, PASSWORD)
        with count_queries() as counter:
            await api.data("OrgTree", token=token)
        counts.append(counter[0])
    assert counts[0] == counts[1]
