"""Background jobs through GraphQL: a large import started as a job, its progress and result.

Without Redis the job runs in the API process (the embedded default); with Redis it goes to
SAQ and a worker runs it (started here, in the test's event loop).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from portal.core.auth import Role
from portal.core.jobs import InProcessQueue, JobContext, JobStatus, job, spec_of
from portal.people.enums import Gender
from portal.people.nip import make_nip
from portal.people.services.importer import COLUMNS
from portal.settings import Settings
from support.api import Api
from support.factories import PASSWORD, Factory
from support.jobs import poll, running_worker


def import_csv(n: int) -> str:
    lines = [",".join(COLUMNS)]
    for i in range(n):
        born = date(1970 + i % 15, 1 + i % 12, 1 + i % 28)
        nip = make_nip(born, date(2005, 1, 1), Gender.PEREMPUAN, i + 1)
        lines.append(f"{nip},Pegawai {i},PNS,III/a,Pelaksana,Pengadministrasi Umum,DINKES,")
    return "\n".join(lines) + "\n"


async def test_a_large_import_runs_as_a_job_with_progress_and_result(
    api: Api, factory: Factory, settings: Settings
) -> None:
    opd = await factory.opd("DINKES", "Dinas Kesehatan")
    await factory.unor(opd, code="DINKES")
    await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    token = await api.login("admin.bkpsdm", PASSWORD)
    async with running_worker(settings):
        data = await api.data(
            "StartEmployeeImport",
            {"input": {"csv": import_csv(150), "partial": False, "dryRun": False}},
            token=token,
        )
        started = data["startEmployeeImport"]
        assert started["userErrors"] == []
        key = started["job"]["id"]
        assert started["job"]["name"] == "people.import_employees"
        final = await poll(api, token, key)
    assert final["status"] == "complete", final
    assert final["progress"] == 1.0
    assert final["attempts"] == 1
    result = json.loads(final["resultJson"])
    assert (result["applied"], result["created"], result["rejected"]) == (True, 150, 0)
    # someone else cannot see the job
    await factory.admin("other.admin", Role.ADMIN_BKPSDM)
    other = await api.login("other.admin", PASSWORD)
    assert (await api.data("BackgroundJob", {"id": key}, token=other))["backgroundJob"] is None


async def test_employees_may_not_start_an_import(api: Api, factory: Factory) -> None:
    opd = await factory.opd()
    person = await factory.employee(await factory.unor(opd))
    token = await api.login(person.nip, PASSWORD)
    response = await api.op(
        "StartEmployeeImport",
        {"input": {"csv": import_csv(1), "partial": False, "dryRun": False}},
        token=token,
    )
    assert response["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_in_process_jobs_retry_then_complete_once() -> None:
    calls: list[int] = []

    @job("test.flaky", retries=3, retry_delay_seconds=0)
    async def flaky(ctx: JobContext, *, fail_times: int) -> dict[str, Any]:
        calls.append(ctx.attempt)
        await ctx.progress(0.5)
        if ctx.attempt <= fail_times:
            raise RuntimeError("transient")
        return {"attempt": ctx.attempt}

    assert spec_of("test.flaky").retries == 3
    queue = InProcessQueue()
    key = await queue.enqueue("test.flaky", owner_account_id=7, fail_times=2)
    state = await queue.wait(key)
    assert state is not None
    assert (state.status, state.attempts, state.result) == (JobStatus.COMPLETE, 3, {"attempt": 3})
    assert calls == [1, 2, 3]
    key = await queue.enqueue("test.flaky", fail_times=5)
    failed = await queue.wait(key)
    assert failed is not None
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 3)
    assert failed.error == "RuntimeError: transient"
    await queue.close()
