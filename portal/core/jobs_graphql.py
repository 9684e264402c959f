"""GraphQL view of background jobs: ``backgroundJob(id:)``, the starter's own jobs only."""

from __future__ import annotations

import json

import strawberry
from strawberry.types import Info

from portal.core.context import Context
from portal.core.graphql import IsAuthenticated, UserError, viewer_of
from portal.core.jobs import JobState, JobStatus, get_queue


@strawberry.type(
    name="BackgroundJob",
    description="A long-running task (import, export) started by the viewer; poll it.",
)
class BackgroundJobType:
    """A job's state."""

    id: strawberry.ID = strawberry.field(description="The job's key.")
    name: str = strawberry.field(description="What runs, e.g. `people.import_employees`.")
    status: str = strawberry.field(description="queued, active, complete, failed or aborted.")
    progress: float = strawberry.field(description="0 to 1.")
    attempts: int = strawberry.field(description="Runs so far (a killed worker's job runs again).")
    result_json: str | None = strawberry.field(
        description="The job's result as JSON, once complete (its shape depends on the job)."
    )
    error: str | None = strawberry.field(description="Why the last attempt failed.")
    download_url: str | None = strawberry.field(
        description="Where the finished file of an export is downloaded (the starter's bearer "
        "token required; expires an hour after the job finished). Null for other jobs."
    )

    @classmethod
    def from_state(cls, state: JobState) -> BackgroundJobType:
        """Build from the queue's state."""
        return cls(
            id=strawberry.ID(state.key),
            name=state.name,
            status=state.status,
            progress=round(state.progress, 4),
            attempts=state.attempts,
            result_json=json.dumps(state.result, ensure_ascii=False) if state.result else None,
            error=state.error,
            download_url=_download_url(state),
        )


def _download_url(state: JobState) -> str | None:
    if state.status != JobStatus.COMPLETE or not state.result:
        return None
    url = state.result.get("download_url")
    return url if isinstance(url, str) else None


@strawberry.type
class JobQuery:
    """Background jobs."""

    @strawberry.field(
        description="A job the viewer started; null when unknown, expired or someone else's.",
        permission_classes=[IsAuthenticated],
    )
    async def background_job(
        self,
        info: Info[Context, None],
        id: strawberry.ID,  # noqa: A002
    ) -> BackgroundJobType | None:
        """One job."""
        viewer = viewer_of(info)
        state = await get_queue().state(str(id)[:64])
        if state is None or state.owner_account_id != viewer.account_id:
            return None
        return BackgroundJobType.from_state(state)


@strawberry.type(description="A job was queued (or refused with userErrors).")
class StartJobPayload:
    """Start-job payload."""

    job: BackgroundJobType | None = strawberry.field(description="Poll it with backgroundJob.")
    user_errors: list[UserError] = strawberry.field(description="Business-rule failures.")
