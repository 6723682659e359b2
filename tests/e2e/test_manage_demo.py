"""`manage.py demo --json` runs the thin path and ends with one JSON object."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.stack import ROOT

pytestmark = pytest.mark.e2e


def test_demo_prints_threads_slack_messages_and_tasks() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "demo", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result) == {"threads", "slack_messages", "tasks"}
    subjects = {thread["subject"] for thread in result["threads"]}
    assert "Contract renewal: need your sign-off by Friday" in subjects
    assert all(thread["summary"] for thread in result["threads"])
    assert len(result["slack_messages"]) == len(result["threads"])
    assert any(task["due"] for task in result["tasks"])
    created = [task for task in result["tasks"] if task["status"] == "created"]
    assert len(created) == 1
    assert created[0]["remote_url"].startswith("https://app.clickup.com/t/")
    assert "outbox delivered" in done.stderr
