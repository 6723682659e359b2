"""Delivery markers: Slack timestamps of a moment and matching a message's metadata."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from connectors.slack.connector import (
    DELIVERY_EVENT_TYPE,
    _at_or_after,
    _carries_marker,
    _slack_ts,
)


def test_slack_ts_is_seconds_and_micros() -> None:
    moment = datetime(2024, 4, 25, 10, 0, 0, 123456, tzinfo=UTC)
    assert _slack_ts(moment) == "1714039200.123456"
    assert _slack_ts(moment.astimezone(timezone(timedelta(hours=2)))) == "1714039200.123456"
    assert _slack_ts(moment.replace(tzinfo=None)) == "1714039200.123456"


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("1714039200.123456", True),
        ("1714039200.123457", True),
        ("1714039200.123455", False),
        ("1714039199.999999", False),
        (None, False),
        ("soon", False),
    ],
)
def test_at_or_after(ts: Any, expected: bool) -> None:
    assert _at_or_after(ts, "1714039200.123456") is expected


def _with(metadata: Any) -> dict[str, Any]:
    return {"ts": "1.000001", "metadata": metadata}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (_with({"event_type": DELIVERY_EVENT_TYPE, "event_payload": {"marker": "m1"}}), True),
        (_with({"event_type": DELIVERY_EVENT_TYPE, "event_payload": {"marker": "m2"}}), False),
        (_with({"event_type": "other_app_event", "event_payload": {"marker": "m1"}}), False),
        (_with({"event_type": DELIVERY_EVENT_TYPE, "event_payload": "m1"}), False),
        (_with({"event_type": DELIVERY_EVENT_TYPE}), False),
        (_with("m1"), False),
        ({"ts": "1.000001"}, False),
    ],
)
def test_carries_marker(message: dict[str, Any], expected: bool) -> None:
    assert _carries_marker(message, "m1") is expected
