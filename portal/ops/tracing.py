"""OpenTelemetry tracing through Litestar's and Strawberry's own integrations; off by default.

``PORTAL_OTEL_EXPORTER=otlp`` sends spans with the OTLP/HTTP exporter (its endpoint and
headers come from the standard ``OTEL_EXPORTER_OTLP_*`` variables); ``console`` prints them.
The OpenTelemetry packages are the optional ``tracing`` extra: the default install carries
none of them, and nothing here is imported unless tracing is on.

Field arguments never become span attributes (a login's password is an argument).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.settings import Settings, SettingsError

SERVICE_NAME = "kinerja-portal"


@dataclass(frozen=True, slots=True)
class Tracing:
    """What the app adds when tracing is on: a Litestar plugin and a schema extension."""

    plugins: list[Any]
    schema_extensions: list[Callable[[], Any]]
    provider: Any  # opentelemetry.sdk.trace.TracerProvider


def _no_arguments(_: dict[str, Any], __: Any) -> dict[str, Any]:  # noqa: ANN401
    return {}


def build_tracing(settings: Settings, exporter: Any = None) -> Tracing | None:  # noqa: ANN401
    """The tracing parts for ``settings`` (None when off); ``exporter`` overrides (tests)."""
    if not settings.otel_exporter and exporter is None:
        return None
    try:
        from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
        from strawberry.extensions.tracing import OpenTelemetryExtension
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SettingsError(
            "PORTAL_OTEL_EXPORTER needs the tracing extra: pip install 'kinerja-portal[tracing]'"
        ) from exc
    provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    elif settings.otel_exporter == "console":
        from opentelemetry.sdk.trace.export import ConsoleSpanExporter

        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[import-not-found,unused-ignore]
            OTLPSpanExporter,
        )

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    config = OpenTelemetryConfig(
        tracer_provider=provider, exclude=["/metrics", "/health/live", "/health/ready"]
    )

    def extension() -> Any:  # noqa: ANN401
        return OpenTelemetryExtension(tracer_provider=provider, arg_filter=_no_arguments)

    return Tracing(
        plugins=[OpenTelemetryPlugin(config)], schema_extensions=[extension], provider=provider
    )
