"""A small GraphQL client for tests that runs the named operations of graphql/operations/."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import httpx

from portal.core.documents import load_operations

OPERATIONS_DIR = Path(__file__).resolve().parents[2] / "graphql" / "operations"


@cache
def operations() -> dict[str, str]:
    """Operation name -> its whole document (the file and the shared fragments it spreads)."""
    return {name: op.document for name, op in load_operations(OPERATIONS_DIR).items()}


def claims_of(access_token: str) -> tuple[int, str]:
    """``(account id, session id)`` inside an access token, read without verifying it."""
    import base64
    import json

    payload = access_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return int(claims["sub"]), str(claims["sid"])


class Api:
    """Calls ``/graphql`` and checks the transport never fails with a 5xx."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        operation_name: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """POST a document; return the JSON body."""
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        response = await self.client.post("/graphql", json=body, headers=all_headers)
        assert response.status_code < 500, response.text
        result: dict[str, Any] = response.json()
        return result

    async def op(
        self, name: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """Run the named operation; return the JSON body (``data`` and maybe ``errors``)."""
        return await self.raw(operations()[name], variables, token=token, operation_name=name)

    async def data(
        self, name: str, variables: dict[str, Any] | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        """Run the named operation and return ``data``, failing on any GraphQL error."""
        body = await self.op(name, variables, token=token)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def login(self, username: str, password: str) -> str:
        """Log in and return the access token."""
        data = await self.data("Login", {"input": {"username": username, "password": password}})
        assert data["login"]["userErrors"] == [], data["login"]["userErrors"]
        token: str = data["login"]["accessToken"]
        return token
