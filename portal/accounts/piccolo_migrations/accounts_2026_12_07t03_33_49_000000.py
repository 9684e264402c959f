from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T03:33:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "auth sessions from the refresh-token families of the previous release"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def backfill() -> None:
        # Each refresh-token family becomes a session, so a user stays logged in across the
        # upgrade (their next refresh returns an access token naming the session). A family
        # whose tokens are all revoked is an ended session.
        await engine_finder().run_ddl(
            "INSERT INTO auth_session (sid, account, created_at, expires_at, ended_at, end_reason) "
            "SELECT family, MIN(account), MIN(created_at), MAX(expires_at), "
            "CASE WHEN COUNT(*) = COUNT(revoked_at) THEN MAX(revoked_at) END, "
            "CASE WHEN COUNT(*) = COUNT(revoked_at) THEN 'LOGOUT' END "
            "FROM refresh_token GROUP BY family"
        )

    async def forget() -> None:
        await engine_finder().run_ddl("DELETE FROM auth_session")

    manager.add_raw(backfill)
    manager.add_raw_backwards(forget)
    return manager
