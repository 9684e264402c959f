"""The web app's build served at ``/`` (portal.web) and GraphiQL from the portal's own assets."""

from __future__ import annotations

import base64
import gzip
import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from portal.settings import Environment, Settings
from portal.web import APP_CSP, IMMUTABLE, REVALIDATE
from support.apps import app_client

INDEX = '<!doctype html><html lang="id"><script type="module" src="/assets/index-abc123.js">'


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A small build: index.html, a hashed asset (and its gzip copy), service worker, GraphiQL."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    script = b"console.log('kinerja');" * 50
    (tmp_path / "assets" / "index-abc123.js").write_bytes(script)
    (tmp_path / "assets" / "index-abc123.js.gz").write_bytes(gzip.compress(script))
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {});", encoding="utf-8")
    (tmp_path / "manifest.webmanifest").write_text('{"name": "Kinerja"}', encoding="utf-8")
    (tmp_path / "explorer").mkdir()
    (tmp_path / "explorer" / "index.html").write_text("<title>GraphiQL</title>", encoding="utf-8")
    return tmp_path


async def test_the_app_shell_is_revalidated_and_carries_a_same_origin_csp(
    settings: Settings, dist: Path
) -> None:
    async with app_client(replace(settings, web_dir=dist)) as (_, client):
        response = await client.get("/")
    assert response.status_code == 200
    assert response.text == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == REVALIDATE
    assert response.headers["content-security-policy"] == APP_CSP


async def test_hashed_assets_are_immutable_and_sent_compressed(
    settings: Settings, dist: Path
) -> None:
    async with app_client(replace(settings, web_dir=dist)) as (_, client):
        plain = await client.get("/assets/index-abc123.js", headers={"accept-encoding": "identity"})
        packed = await client.get("/assets/index-abc123.js", headers={"accept-encoding": "gzip"})
    assert plain.headers["cache-control"] == IMMUTABLE
    assert plain.headers["content-type"].startswith("text/javascript")
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["vary"] == "accept-encoding"
    assert packed.content == plain.content  # httpx decodes: the same script either way


async def test_service_worker_and_manifest_are_revalidated(settings: Settings, dist: Path) -> None:
    async with app_client(replace(settings, web_dir=dist)) as (_, client):
        worker = await client.get("/sw.js")
        manifest = await client.get("/manifest.webmanifest")
    assert worker.headers["cache-control"] == REVALIDATE
    assert manifest.headers["content-type"].startswith("application/manifest+json")


async def test_client_routes_get_the_app_and_missing_files_a_404(
    settings: Settings, dist: Path
) -> None:
    async with app_client(replace(settings, web_dir=dist)) as (_, client):
        route = await client.get("/tim/penilaian/RXZhbHVhdGlvbjo2MDE")
        missing = await client.get("/assets/gone-123.js")
        escape = await client.get("/assets/..%2F..%2Fsettings.py")
        endpoint = await client.get("/api/no-such-endpoint")
        api = await client.post("/graphql", json={"query": "{ __typename }"})
    assert route.status_code == 200
    assert route.text == INDEX
    assert missing.status_code == 404
    assert escape.status_code == 404
    assert endpoint.status_code == 404  # the server's paths never fall back to the app
    assert api.json() == {"data": {"__typename": "Query"}, "extensions": api.json()["extensions"]}


async def test_graphiql_comes_from_the_build_in_development_only(
    settings: Settings, dist: Path
) -> None:
    development = replace(settings, web_dir=dist, env=Environment.DEVELOPMENT)
    production = replace(settings, web_dir=dist, env=Environment.PRODUCTION, secret_key="p" * 40)
    async with app_client(development) as (_, client):
        page = await client.get("/graphql", headers={"accept": "text/html"})
    async with app_client(production) as (_, client):
        hidden = await client.get("/graphql", headers={"accept": "text/html"})
        explorer = await client.get("/explorer/index.html")
        app = await client.get("/")
    assert page.status_code == 200
    assert page.text == "<title>GraphiQL</title>"
    assert hidden.status_code >= 400
    assert explorer.status_code == 404
    assert app.headers["content-security-policy"] == APP_CSP  # not the API's default-src 'none'


async def test_without_a_build_the_root_says_how_to_make_one(
    settings: Settings, tmp_path: Path
) -> None:
    async with app_client(replace(settings, web_dir=tmp_path / "missing")) as (_, client):
        response = await client.get("/")
    assert response.status_code == 404
    assert "make web" in response.text


async def test_an_inline_script_of_the_page_is_allowed_by_its_hash_only(
    settings: Settings, dist: Path
) -> None:
    script = "window.early = 1;"
    page = f'<!doctype html><script>{script}</script><script type="module" src="/a.js"></script>'
    (dist / "index.html").write_text(page, encoding="utf-8")
    async with app_client(replace(settings, web_dir=dist)) as (_, client):
        response = await client.get("/")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = response.headers["content-security-policy"]
    assert f"script-src 'self' 'sha256-{digest}';" in csp
    assert "unsafe-inline" not in csp
    assert csp == APP_CSP.replace("script-src 'self'", f"script-src 'self' 'sha256-{digest}'")
