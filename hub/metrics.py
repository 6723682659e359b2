"""Prometheus metrics of the API process (workers report through logs for now)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

WEBHOOKS = Counter(
    "hub_webhook_notifications_total",
    "Webhook notifications by provider and outcome (accepted, duplicate, rejected).",
    ["provider", "outcome"],
)
REQUESTS = Histogram(
    "hub_http_request_duration_seconds",
    "HTTP request duration by route template and status.",
    ["method", "route", "status"],
)
