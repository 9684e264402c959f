"""Account management by administrators through GraphQL: who sees and manages which account,
admin accounts, password reset, unlock, deactivation, and the audit trail."""

from __future__ import annotations

import asyncio

from portal.core.audit import AuditEntry
from portal.core.auth import Role
from portal.core.ids import encode_global_id
from support.api import Api
from support.factories import PASSWORD, Factory

NEW_PASSWORD = "Baru#Tangsel2027"


async def _world(factory: Factory):
    own = await factory.opd()
    other = await factory.opd()
    mine = await factory.employee(await factory.unor(own))
    theirs = await factory.employee(await factory.unor(other))
    bkpsdm = await factory.admin("bkpsdm.test", Role.ADMIN_BKPSDM)
    opd_admin = await factory.admin("admin.own", Role.ADMIN_OPD, own)
    return own, other, mine, theirs, bkpsdm, opd_admin


async def _account_id(api: Api, token: str, username: str) -> str:
    data = await api.data("Accounts", {"search": username}, token=token)
    (account,) = [a for a in data["accounts"] if a["username"] == username]
    return str(account["id"])


async def test_who_lists_which_accounts(api: Api, factory: Factory) -> None:
    _, _, mine, theirs, bkpsdm, opd_admin = await _world(factory)
    city = await api.data("Accounts", {"first": 100}, token=await api.login(bkpsdm, PASSWORD))
    names = {a["username"] for a in city["accounts"]}
    assert {mine.nip, theirs.nip, "admin.own", "bkpsdm.test"} <= names
    opd = await api.data("Accounts", {"first": 100}, token=await api.login(opd_admin, PASSWORD))
    assert {a["username"] for a in opd["accounts"]} == {mine.nip}
    employee = await api.op("Accounts", token=await api.login(mine.nip, PASSWORD))
    assert employee["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bkpsdm_creates_an_admin_account_that_can_log_in(api: Api, factory: Factory) -> None:
    own, _, _, _, bkpsdm, opd_admin = await _world(factory)
    token = await api.login(bkpsdm, PASSWORD)
    variables = {
        "input": {
            "username": "Admin.Baru",
            "password": NEW_PASSWORD,
            "role": "ADMIN_OPD",
            "opdId": encode_global_id("Opd", own),
        }
    }
    created = (await api.data("CreateAdminAccount", variables, token=token))["createAdminAccount"]
    assert created["userErrors"] == []
    assert created["account"]["username"] == "admin.baru"
    assert [r["role"] for r in created["account"]["roles"]] == ["ADMIN_OPD"]
    assert await api.login("admin.baru", NEW_PASSWORD)
    again = (await api.data("CreateAdminAccount", variables, token=token))["createAdminAccount"]
    assert again["userErrors"][0]["code"] == "DUPLICATE"
    weak = {"input": {**variables["input"], "username": "lemah", "password": "x"}}
    assert (await api.data("CreateAdminAccount", weak, token=token))["createAdminAccount"][
        "userErrors"
    ][0]["code"] == "WEAK_PASSWORD"
    # an OPD admin may not create administrator accounts
    refused = await api.data(
        "CreateAdminAccount",
        {"input": {**variables["input"], "username": "admin.lain"}},
        token=await api.login(opd_admin, PASSWORD),
    )
    assert refused["createAdminAccount"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert await AuditEntry.exists().where(AuditEntry.action == "ACCOUNT_CREATED")


async def test_an_account_shows_locked_while_its_login_backoff_lasts(
    api: Api, factory: Factory, settings
) -> None:
    """Locked means the backoff regime, not one wait: it outlasts the 1 s after the 5th failure."""
    _, _, mine, _, _, opd_admin = await _world(factory)
    admin_token = await api.login(opd_admin, PASSWORD)
    for _ in range(settings.lockout_threshold - 1):
        await api.data("Login", {"input": {"username": mine.nip, "password": "salah-sandi"}})
    below = (await api.data("Accounts", {"search": mine.nip}, token=admin_token))["accounts"][0]
    assert (below["locked"], below["failedAttempts"]) == (False, settings.lockout_threshold - 1)
    await api.data("Login", {"input": {"username": mine.nip, "password": "salah-sandi"}})
    await asyncio.sleep(1.2)  # the first wait (1 s) is over; the regime is not
    later = (await api.data("Accounts", {"search": mine.nip}, token=admin_token))["accounts"][0]
    assert (later["locked"], later["lockedUntil"]) == (True, None)
    # a right password from the address that failed ends it, as an unlock would
    assert await api.login(mine.nip, PASSWORD)
    after = (await api.data("Accounts", {"search": mine.nip}, token=admin_token))["accounts"][0]
    assert after["locked"] is False


async def test_opd_admin_resets_unlocks_and_deactivates_only_their_employees(
    api: Api, factory: Factory, settings
) -> None:
    _, _, mine, theirs, bkpsdm, opd_admin = await _world(factory)
    admin_token = await api.login(opd_admin, PASSWORD)
    bkpsdm_token = await api.login(bkpsdm, PASSWORD)
    account = await _account_id(api, admin_token, mine.nip)
    for _ in range(settings.lockout_threshold):
        await api.data("Login", {"input": {"username": mine.nip, "password": "salah-sandi"}})
    locked = await api.data("Accounts", {"search": mine.nip}, token=admin_token)
    assert locked["accounts"][0]["locked"] is True  # backoff, not a lock in the database
    assert locked["accounts"][0]["failedAttempts"] == settings.lockout_threshold
    waiting = await api.data("Login", {"input": {"username": mine.nip, "password": PASSWORD}})
    assert waiting["login"]["userErrors"][0]["code"] == "TOO_MANY_ATTEMPTS"
    unlocked = await api.data("UnlockAccount", {"input": {"accountId": account}}, token=admin_token)
    assert unlocked["unlockAccount"]["account"]["locked"] is False
    assert await api.login(mine.nip, PASSWORD)

    reset = await api.data(
        "ResetAccountPassword",
        {"input": {"accountId": account, "newPassword": NEW_PASSWORD}},
        token=admin_token,
    )
    assert reset["resetAccountPassword"]["userErrors"] == []
    assert await api.login(mine.nip, NEW_PASSWORD)
    old = await api.data("Login", {"input": {"username": mine.nip, "password": PASSWORD}})
    assert old["login"]["userErrors"][0]["code"] == "INVALID_CREDENTIALS"

    off = await api.data(
        "SetAccountActive", {"input": {"accountId": account, "active": False}}, token=admin_token
    )
    assert off["setAccountActive"]["account"]["active"] is False
    refused = await api.data("Login", {"input": {"username": mine.nip, "password": NEW_PASSWORD}})
    assert refused["login"]["userErrors"][0]["code"] == "ACCOUNT_DISABLED"
    on = await api.data(
        "SetAccountActive", {"input": {"accountId": account, "active": True}}, token=admin_token
    )
    assert on["setAccountActive"]["account"]["active"] is True

    # another OPD's employee, an admin account and one's own account are out of reach
    other = await _account_id(api, bkpsdm_token, theirs.nip)
    admin_account = await _account_id(api, bkpsdm_token, bkpsdm)
    own = await _account_id(api, bkpsdm_token, opd_admin)
    for target in (other, admin_account):
        denied = await api.data(
            "UnlockAccount", {"input": {"accountId": target}}, token=admin_token
        )
        assert denied["unlockAccount"]["userErrors"][0]["code"] == "NOT_FOUND"
    self_off = await api.data(
        "SetAccountActive", {"input": {"accountId": own, "active": False}}, token=admin_token
    )
    assert self_off["setAccountActive"]["userErrors"][0]["code"] == "FORBIDDEN"
    actions = {
        r["action"]
        for r in await AuditEntry.select(AuditEntry.action).where(
            AuditEntry.entity_type == "UserAccount"
        )
    }
    assert {
        "ACCOUNT_UNLOCKED",
        "ACCOUNT_PASSWORD_RESET",
        "ACCOUNT_DEACTIVATED",
        "ACCOUNT_ACTIVATED",
    } <= actions


async def test_bad_account_ids_are_typed_errors(api: Api, factory: Factory) -> None:
    *_, bkpsdm, _ = await _world(factory)
    token = await api.login(bkpsdm, PASSWORD)
    wrong = await api.data(
        "UnlockAccount", {"input": {"accountId": encode_global_id("Opd", 1)}}, token=token
    )
    assert wrong["unlockAccount"]["userErrors"][0]["code"] == "INVALID_ID"
    missing = await api.data(
        "UnlockAccount",
        {"input": {"accountId": encode_global_id("UserAccount", 999999)}},
        token=token,
    )
    assert missing["unlockAccount"]["userErrors"][0]["code"] == "NOT_FOUND"


async def test_audit_log_filters_by_who_and_when(api: Api, factory: Factory) -> None:
    _, _, mine, _, bkpsdm, opd_admin = await _world(factory)
    admin_token = await api.login(opd_admin, PASSWORD)
    bkpsdm_token = await api.login(bkpsdm, PASSWORD)
    account = await _account_id(api, admin_token, mine.nip)
    await api.data("UnlockAccount", {"input": {"accountId": account}}, token=admin_token)
    await api.data("UnlockAccount", {"input": {"accountId": account}}, token=bkpsdm_token)

    async def actions(flt: dict[str, object]) -> list[tuple[str, int | None]]:
        log = await api.data("AuditLog", {"first": 50, "filter": flt}, token=bkpsdm_token)
        return [(e["node"]["action"], e["node"]["accountId"]) for e in log["auditLog"]["edges"]]

    by_admin = await actions({"username": "ADMIN.OWN", "action": "ACCOUNT_UNLOCKED"})
    assert len(by_admin) == 1
    assert by_admin[0][0] == "ACCOUNT_UNLOCKED"
    both = await actions({"action": "ACCOUNT_UNLOCKED"})
    assert len(both) == 2
    assert await actions({"username": "nobody.here"}) == []
    assert await actions({"since": "2100-01-01T00:00:00Z"}) == []
    assert await actions({"until": "2000-01-01T00:00:00Z"}) == []
    assert len(await actions({"since": "2000-01-01T00:00:00Z", "action": "ACCOUNT_UNLOCKED"})) == 2
