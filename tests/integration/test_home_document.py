"""``GET /`` with the home's data for a valid document cookie (portal.home_document).

Given a build whose index.html has the early script, the stylesheet and the renderer, and the
home's operations as the app prints them; when a logged-in browser opens ``/``; then the page
carries the answers ``/graphql`` gives for the same operations — and nothing else does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import parse, print_ast

from portal.accounts.services.document import COOKIE, document_token
from portal.accounts.tables import AuthSession
from portal.app import create_app
from portal.core import clock
from portal.core.auth import Role
from portal.core.documents import load_operations, with_typename
from portal.core.pubsub import MemoryBroker
from portal.core.store import MemoryStore
from portal.home_document import DATA_ID, TODAY
from portal.performance.enums import ActivityStatus
from portal.performance.tables import Activity
from portal.settings import Settings
from portal.web import PRIVATE
from support.api import Api, operations
from support.factories import PASSWORD, Factory, Person
from support.performance_factory import approved_skp, verified_activity, year

STYLE = "body{margin:0}.progress-fill{background:green}"
INDEX = (
    '<!doctype html><html lang="id"><head><meta charset="utf-8" /><title>Kinerja</title>\n'
    "<script>window.early=1</script>\n"
    '<script type="module" crossorigin src="/assets/index-abc.js"></script>\n'
    '<link rel="stylesheet" crossorigin href="/assets/index-abc.css">\n'
    '</head><body><div id="root"></div>\n<script>window.render=1</script>\n</body></html>'
)
HOME = ("Viewer", "EmployeeHome", "Activities")
ACTIVITIES = {"first": 20, "filter": {"dateFrom": TODAY, "dateTo": TODAY}}
SCRIPT = re.compile(rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', re.DOTALL)


@dataclass
class Browser:
    """A client of an app serving the test build; ``api`` speaks GraphQL through it."""

    client: httpx.AsyncClient
    api: Api
    dist: Path


@pytest.fixture
def dist(tmp_path: Path, settings: Settings) -> Path:
    """A build with the home's operations printed as the app's client prints them."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    (tmp_path / "assets" / "index-abc.css").write_text(STYLE, encoding="utf-8")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)", encoding="utf-8")
    operations = load_operations(settings.operations_dir)
    listed = [
        {
            "operationName": name,
            "variables": ACTIVITIES if name == "Activities" else {},
            "query": print_ast(with_typename(parse(operations[name].document))),
        }
        for name in HOME
    ]
    (tmp_path / "home-operations.json").write_text(json.dumps(listed), encoding="utf-8")
    return tmp_path


@asynccontextmanager
async def _browser_of(served: Settings, dist: Path) -> AsyncIterator[Browser]:
    """A browser (a client with a cookie jar) of an app with these settings."""
    app = create_app(served)
    app.state.settings = served
    app.state.store = MemoryStore()
    app.state.broker = MemoryBroker()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Browser(client, Api(client), dist)
    await app.state.broker.close()
    await app.state.store.close()


@pytest.fixture
async def browser(settings: Settings, dist: Path, db: None) -> AsyncIterator[Browser]:
    """A browser of an app serving the test build."""
    async with _browser_of(replace(settings, web_dir=dist), dist) as opened:
        yield opened


@dataclass
class Employee:
    person: Person
    supervisor: Person


async def _employee(factory: Factory, description: str = "Vaksinasi posyandu") -> Employee:
    opd = await factory.opd()
    unit = await factory.unor(opd)
    supervisor = await factory.employee(unit, name="Hj. Ratna Dewi")
    person = await factory.employee(unit, supervisor=supervisor, name="dr. Siti Rahma, M.Kes.")
    annual = (await year(clock.today().year)).annual
    skp = await approved_skp(person, supervisor, annual)
    activity = await verified_activity(
        person,
        annual,
        clock.today(),
        3,
        indicator_id=skp.indicator_ids[0],
        status=ActivityStatus.SUBMITTED,
    )
    await Activity.update({Activity.description: description}).where(Activity.id == activity)
    return Employee(person, supervisor)


async def _login(browser: Browser, username: str) -> tuple[httpx.Response, dict[str, Any]]:
    response = await browser.client.post(
        "/graphql",
        json={
            "query": operations()["Login"],
            "operationName": "Login",
            "variables": {"input": {"username": username, "password": PASSWORD}},
        },
    )
    payload: dict[str, Any] = response.json()["data"]["login"]
    assert payload["userErrors"] == []
    return response, payload


async def _open_with(browser: Browser, value: str) -> httpx.Response:
    """``GET /`` with exactly this document cookie."""
    browser.client.cookies.clear()
    browser.client.cookies.set(COOKIE, value)
    return await browser.client.get("/")


def _embedded(page: str) -> list[dict[str, Any]] | None:
    found = SCRIPT.search(page)
    if found is None:
        return None
    answers: list[dict[str, Any]] = json.loads(found.group(1))["answers"]
    return answers


async def test_login_and_refresh_set_an_httponly_strict_document_cookie(
    browser: Browser, factory: Factory
) -> None:
    employee = await _employee(factory)
    response, payload = await _login(browser, employee.person.username)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    assert "secure" not in attributes  # plain http, and the public URL is http
    renewed = await browser.client.post(
        "/graphql",
        json={
            "query": operations()["RefreshToken"],
            "variables": {"input": {"refreshToken": payload["refreshToken"]}},
        },
    )
    assert renewed.json()["data"]["refreshToken"]["accessToken"]
    assert renewed.headers["set-cookie"].split(";")[0] == cookie.split(";")[0]  # same session


async def test_the_home_document_carries_what_graphql_answers(
    browser: Browser, factory: Factory
) -> None:
    employee = await _employee(factory)
    _, payload = await _login(browser, employee.person.username)
    page = await browser.client.get("/", headers={"accept-encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == PRIVATE
    assert "cookie" in page.headers["vary"].lower()
    assert page.headers["content-encoding"] == "gzip"
    answers = _embedded(page.text)
    assert answers is not None
    assert [a["operationName"] for a in answers] == list(HOME)
    listed = json.loads((browser.dist / "home-operations.json").read_text(encoding="utf-8"))
    for answer, operation in zip(answers, listed, strict=True):
        direct = await browser.api.raw(
            operation["query"],
            answer["variables"],
            token=payload["accessToken"],
            operation_name=operation["operationName"],
        )
        assert "errors" not in direct
        assert answer["body"] == direct
    assert answers[2]["variables"]["filter"]["dateFrom"] == clock.today().isoformat()
    viewer = answers[0]["body"]["data"]["viewer"]
    assert viewer["username"] == employee.person.username
    indicators = answers[1]["body"]["data"]["mySkp"]["rhks"][0]["indicators"]
    assert indicators[0]["progress"]["progress"] is not None
    activities = answers[2]["body"]["data"]["activities"]["edges"]
    assert [e["node"]["description"] for e in activities] == ["Vaksinasi posyandu"]
    # the stylesheet is inline (nothing holds back the first paint), allowed by its hash
    assert f"<style>{STYLE}</style>" in page.text
    assert 'rel="stylesheet"' not in page.text
    csp = page.headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp
    for script in ("window.early=1", "window.render=1"):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    # the data comes before the early script that takes it
    assert page.text.index(DATA_ID) < page.text.index("window.early=1")


async def test_without_a_valid_cookie_the_document_is_the_plain_one(
    browser: Browser, factory: Factory, settings: Settings
) -> None:
    employee = await _employee(factory)
    await _login(browser, employee.person.username)
    real = browser.client.cookies[COOKIE]
    sid = real.split(".")[0]
    browser.client.cookies.clear()
    plain = await browser.client.get("/")
    assert plain.text == INDEX
    assert plain.headers["cache-control"] == "no-cache"
    forged = [
        f"{sid}.{'0' * 64}",  # the right session, a made-up MAC
        f"{sid}.{document_token(replace(settings, secret_key='another'), sid).split('.')[1]}",
        "a" * 32 + "." + real.split(".")[1],  # another session with this MAC
        "garbage",
        f"{sid}.{real.split('.')[1]}.extra",
    ]
    for value in forged:
        page = await _open_with(browser, value)
        assert page.status_code == 200
        assert page.text == INDEX, value


async def test_logout_clears_the_cookie_and_an_ended_session_renders_nothing(
    browser: Browser, factory: Factory
) -> None:
    employee = await _employee(factory)
    _, payload = await _login(browser, employee.person.username)
    kept = browser.client.cookies[COOKIE]
    out = await browser.client.post(
        "/graphql",
        json={
            "query": operations()["Logout"],
            "variables": {"input": {"refreshToken": payload["refreshToken"]}},
        },
        headers={"authorization": f"Bearer {payload['accessToken']}"},
    )
    assert out.json()["data"]["logout"]["ok"] is True
    cleared = out.headers["set-cookie"].lower()
    assert cleared.startswith(f"{COOKIE}=;") or f'{COOKIE}="";' in cleared
    assert "max-age=0" in cleared
    assert COOKIE not in browser.client.cookies
    # a copy of the cookie kept from before the logout is worth nothing
    page = await _open_with(browser, kept)
    assert page.text == INDEX


async def test_a_revoked_or_expired_session_renders_nothing(
    browser: Browser, factory: Factory
) -> None:
    employee = await _employee(factory)
    _, payload = await _login(browser, employee.person.username)
    token = {"input": {"refreshToken": payload["refreshToken"]}}
    refresh = operations()["RefreshToken"]
    await browser.api.raw(refresh, token)
    await browser.api.raw(refresh, token)  # a reused refresh token ends the session
    assert (await browser.client.get("/")).text == INDEX

    await _login(browser, employee.supervisor.username)  # another session
    assert _embedded((await browser.client.get("/")).text) is not None
    sid = browser.client.cookies[COOKIE].split(".")[0]
    await AuthSession.update({AuthSession.expires_at: datetime(2020, 1, 1, tzinfo=UTC)}).where(
        AuthSession.sid == sid
    )
    assert (await browser.client.get("/")).text == INDEX


async def test_graphql_takes_no_authentication_from_the_cookie(
    browser: Browser, factory: Factory
) -> None:
    employee = await _employee(factory)
    await _login(browser, employee.person.username)
    assert COOKIE in browser.client.cookies
    body = await browser.api.op("Viewer")
    assert body["data"] is None or body["data"]["viewer"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_embedded_text_cannot_end_the_script(browser: Browser, factory: Factory) -> None:
    attack = "</script><script>alert(1)</script><!-- \u2028 &amp;"
    employee = await _employee(factory, description=attack)
    await _login(browser, employee.person.username)
    page = (await browser.client.get("/")).text
    assert "alert(1)</script>" not in page
    assert page.count("</script>") == INDEX.count("</script>") + 1  # only the data's own end
    answers = _embedded(page)
    assert answers is not None
    edges = answers[2]["body"]["data"]["activities"]["edges"]
    assert edges[0]["node"]["description"] == attack


async def test_a_supervisor_gets_their_own_home_and_an_administrator_the_plain_document(
    browser: Browser, factory: Factory
) -> None:
    employee = await _employee(factory)
    await _login(browser, employee.supervisor.username)
    answers = _embedded((await browser.client.get("/")).text)
    assert answers is not None
    assert answers[0]["body"]["data"]["viewer"]["username"] == employee.supervisor.username
    assert "ATASAN" in answers[0]["body"]["data"]["viewer"]["roles"]
    assert answers[1]["body"]["data"]["mySkp"] is None  # their own SKP: none was written
    assert answers[2]["body"]["data"]["activities"]["edges"] == []  # not their subordinate's

    admin = await factory.admin("admin.bkpsdm", Role.ADMIN_BKPSDM)
    browser.client.cookies.clear()
    response, _ = await _login(browser, admin)
    assert COOKIE in response.headers["set-cookie"]
    assert (await browser.client.get("/")).text == INDEX


async def test_a_failure_while_embedding_serves_the_plain_document(
    browser: Browser, factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    employee = await _employee(factory)
    await _login(browser, employee.person.username)

    async def broken(*_: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr("portal.home_document.document_viewer", broken)
    page = await browser.client.get("/")
    assert page.status_code == 200
    assert page.text == INDEX


async def test_the_cookie_is_secure_behind_an_https_public_url(
    settings: Settings, dist: Path, db: None, factory: Factory
) -> None:
    https = "https://kinerja.tangerangselatankota.go.id"
    async with _browser_of(replace(settings, web_dir=dist, public_url=https), dist) as browser:
        employee = await _employee(factory)
        response, _ = await _login(browser, employee.person.username)
    attributes = {part.strip().lower() for part in response.headers["set-cookie"].split(";")}
    assert {"secure", "httponly", "samesite=strict"} <= attributes
