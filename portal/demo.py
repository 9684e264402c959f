"""Demo data: a realistic Kota Tangerang Selatan organisation with one login per role.

Deterministic for a given ``seed`` and size. Domains add their own demo data here as they land.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ml import registry
from portal import demo_stories
from portal.accounts.services import sessions as accounts
from portal.accounts.tables import UserAccount
from portal.adoption import demo as adoption_demo
from portal.adoption.services import aggregates as adoption_aggregates
from portal.core import clock
from portal.core.auth import Role
from portal.core.db import transaction
from portal.core.errors import DomainError
from portal.core.security import hash_password
from portal.mentoring.services import alerts as mentoring
from portal.people.demo_org import DEMO_PASSWORD, DemoLogin, DemoOrg, build_org, demo_logins
from portal.people.enums import EmployeeKind
from portal.people.nip import parse_nip
from portal.people.services import importer
from portal.people.services.importer import ParsedRow
from portal.people.tables import Employee, Opd, Unor
from portal.performance import demo as performance_demo
from portal.performance.tables import Activity
from portal.processes import demo as processes_demo
from training import demo as training_demo

if TYPE_CHECKING:
    from portal.mentoring.services.scoring import CityScores


@dataclass(frozen=True, slots=True)
class SeedResult:
    """What was seeded, for the command to print."""

    alerts: int
    activities: int
    evaluations: int
    opds: int
    unors: int
    employees: int
    logins: tuple[DemoLogin, ...]
    password: str


logger = logging.getLogger(__name__)

SHIPPED_MODEL = Path(registry.__file__).resolve().parent / "default_model"


def _loads(root: Path) -> bool:
    """Whether the latest version under ``root`` loads with the features this code computes."""
    try:
        registry.load(root)
    except (FileNotFoundError, ValueError):
        return False
    return True


def _install_shipped_model(root: Path) -> None:
    """Copy the shipped model in when ``root`` has none that this code can use.

    A registry left by an older release (other features) gets the shipped model as its next
    version, so the demo scores out of the box after an upgrade; nothing is deleted.
    """
    shipped = registry.list_versions(SHIPPED_MODEL)
    if not shipped or _loads(root):
        return
    root.mkdir(parents=True, exist_ok=True)
    existing = registry.list_versions(root)
    if not existing:
        for version in shipped:
            shutil.copytree(SHIPPED_MODEL / version, root / version)
        return
    target = root / f"v{int(existing[-1].removeprefix('v')) + 1:04d}"
    shutil.copytree(SHIPPED_MODEL / shipped[-1], target)
    meta_file = target / registry.METADATA_FILE
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    meta["version"] = target.name  # the name scores and alerts are stored with
    meta_file.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


async def _score_city(today: date) -> CityScores | None:
    """Install the shipped default model (trained on the synthetic world) and score the city."""
    root = mentoring.default_model_root()
    _install_shipped_model(root)
    if not registry.list_versions(root):
        return None
    from portal.mentoring.services import scoring  # noqa: PLC0415 - pandas and scikit-learn

    try:
        return await scoring.score_city(today, model_root=root)
    except DomainError:  # e.g. a model file the trusted-type list refuses: demo goes on
        logger.exception("demo scoring skipped")
        return None


async def _personas(logins: Sequence[DemoLogin]) -> demo_stories.Personas:
    """The employees and accounts of the ``pegawai`` and ``atasan`` logins."""
    found: dict[str, demo_stories.Persona] = {}
    for login in logins:
        if login.role in (Role.PEGAWAI.value, Role.ATASAN.value) and login.employee_nip:
            (row,) = await UserAccount.select(
                UserAccount.id, UserAccount.username, UserAccount.employee
            ).where(UserAccount.username == login.username)
            found[login.role] = demo_stories.Persona(row["employee"], row["id"], row["username"])
    return demo_stories.Personas(pegawai=found[Role.PEGAWAI.value], atasan=found[Role.ATASAN.value])


async def is_seeded() -> bool:
    """Whether the database already holds an organisation."""
    return bool(await Opd.exists())


def _rows(org: DemoOrg) -> list[ParsedRow]:
    rows = []
    for i, e in enumerate(org.employees):
        info = parse_nip(e.nip) if e.kind is EmployeeKind.PNS else None
        rows.append(
            ParsedRow(
                line=i + 2,
                nip=e.nip,
                name=e.name,
                kind=e.kind,
                golongan=e.golongan.value if e.golongan else None,
                jabatan_kind=e.jabatan_kind.value,
                jabatan_name=e.jabatan_name,
                unor_code=e.unor_code,
                supervisor_nip=e.supervisor_nip,
                gender=e.gender.value,
                birth_date=info.birth_date if info else None,
                tmt_cpns=info.tmt_cpns if info else None,
                hired_on=e.hired_on,
            )
        )
    return rows


async def seed(
    *,
    n_employees: int = 600,
    seed: int = 7,
    progress: Callable[[int], None] | None = None,
    today: date | None = None,
    history_days: int = 365,
) -> SeedResult:
    """Create the demo organisation, people, logins and performance data in one transaction."""
    day = today or clock.today()
    org = build_org(n_employees, seed=seed)
    logins = demo_logins(org)
    password_hash = hash_password(DEMO_PASSWORD)  # one hash shared by every demo account
    async with transaction():
        opd_ids: dict[str, int] = {}
        for opd in org.opds:
            result = await Opd.insert(Opd(code=opd.code, name=opd.name, short_name=opd.short_name))
            opd_ids[opd.code] = result[0]["id"]
        unor_ids: dict[str, int] = {}
        for unor in org.unors:  # parents come before children
            result = await Unor.insert(
                Unor(
                    code=unor.code,
                    name=unor.name,
                    opd=opd_ids[unor.opd_code],
                    parent=unor_ids[unor.parent_code] if unor.parent_code else None,
                )
            )
            unor_ids[unor.code] = result[0]["id"]
        units = {u.code: (unor_ids[u.code], opd_ids[u.opd_code]) for u in org.unors}
        await importer.apply_rows(_rows(org), units, account_id=None, progress=progress)
        employee_ids = {r["nip"]: r["id"] for r in await Employee.select(Employee.id, Employee.nip)}
        special = {login.employee_nip: login for login in logins if login.employee_nip}
        batch = [
            UserAccount(
                username=(special[nip].username if nip in special else nip),
                password_hash=password_hash,
                employee=employee_id,
            )
            for nip, employee_id in employee_ids.items()
        ]
        for start in range(0, len(batch), 500):
            await UserAccount.insert(*batch[start : start + 500])
        for login in logins:
            role = Role(login.role)
            if login.employee_nip is None:
                await accounts.create_account(
                    username=login.username,
                    password_hash=password_hash,
                    grants=((role, opd_ids[login.opd_code] if login.opd_code else None),),
                )
            elif role not in (Role.PEGAWAI, Role.ATASAN):
                account = await UserAccount.select(UserAccount.id).where(
                    UserAccount.username == login.username
                )
                await accounts.grant_role(account[0]["id"], role, None)
        who = await _personas(logins)
        # the pegawai's story is a support offer: she has been struggling these last weeks, so
        # the model flags her from her own data (HIGH is the top capacity share of the city)
        counts = await performance_demo.seed(
            today=day,
            seed=seed,
            history_days=history_days,
            struggling=frozenset({who.pegawai.employee_id}),
        )
        await training_demo.seed(today=day, seed=seed, spare=frozenset({who.pegawai.employee_id}))
        await adoption_demo.seed(
            today=day,
            seed=seed,
            history_days=min(history_days, adoption_demo.HISTORY_DAYS),
            keep_unanswered=frozenset({who.pegawai.employee_id}),
        )
        await performance_demo.reconcile_evaluations()
        # after the reconciliation: the objections record the hasil the evaluations keep
        await processes_demo.seed(today=day)
        await processes_demo.seed_mutasi(
            today=day, spare=frozenset({who.pegawai.employee_id, who.atasan.employee_id})
        )
        activities = await Activity.count()  # what the adoption demo left, as stored
    # The model scores the city first, so the personas' alerts carry its own reasons; their
    # stories are written before the scores are stored: their alerts are the oldest, so lists
    # (newest first) lead with the model's own alerts, which the next run raises again once
    # dismissed.
    city = await _score_city(day)
    stories = await demo_stories.seed(
        who, day, city.model_version if city else "demo", city.explained if city else None
    )
    alerts = stories["alerts"]
    if city is not None:
        from portal.mentoring.services import scoring  # noqa: PLC0415 - pandas and scikit-learn

        alerts += (await scoring.record_scores(None, city)).alerts_raised
    await adoption_aggregates.rebuild()  # the bulk-inserted activities, summed once
    return SeedResult(
        alerts=alerts,
        activities=activities,
        evaluations=counts["evaluations"],
        opds=len(org.opds),
        unors=len(org.unors),
        employees=len(org.employees),
        logins=logins,
        password=DEMO_PASSWORD,
    )
