"""`manage.py demo`: the thin path end to end against the sandbox, step by step.

Everything is real except the providers: the hub serves HTTP, the fake Gmail signs
and pushes a Pub/Sub notification, jobs run on the embedded runner, the local AI
provider analyzes, and the fake Slack receives the notice.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx
from sqlalchemy import func, select

from connectors.fakeserver import listening_socket, port_of, serve_in_thread
from connectors.sandbox import Sandbox
from db.enums import OutboxStatus
from db.migrate import upgrade
from db.models import InboundEvent, Message, Outbox, Task, Thread
from hub.app import create_app
from hub.config import Settings
from hub.sandbox import demo_token, seed_demo, start_fakes
from hub.wiring import Runtime, close_runtime, init_runtime

T = TypeVar("T")

SAMPLE = {
    "from": "Priya Shah <priya@example.org>",
    "subject": "Contract renewal: need your sign-off by Friday",
    "text": (
        "Hi Alex,\n\nThe renewal contract for Acme is attached to the deal room. "
        "Could you review the pricing section and send me your sign-off by Friday? "
        "Legal has already approved the terms.\n\nThanks,\nPriya"
    ),
}


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 30.0) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"timed out waiting for {what}")


def run_demo(say: Callable[[str], None], *, workdir: Path | None = None) -> dict[str, Any]:
    workdir = workdir or Path(tempfile.mkdtemp(prefix="inbox-hub-demo-"))
    hub_sock, fakes_sock = listening_socket(), listening_socket()
    settings = Settings(
        database_url=f"sqlite:///{workdir / 'demo.db'}",
        storage_dir=str(workdir / "objects"),
        redis_url="",
        sandbox=True,
        sandbox_fakes_port=port_of(fakes_sock),
        public_base_url=f"http://127.0.0.1:{port_of(hub_sock)}",
        log_level="WARNING",
    )
    upgrade(settings.database_url)
    say(f"1. database migrated (SQLite at {workdir / 'demo.db'}); jobs run in-process")
    rt = init_runtime(settings)
    sandbox = start_fakes(settings, fakes_sock)
    hub = serve_in_thread(create_app(rt=rt), sock=hub_sock)
    try:
        with rt.sessions.begin() as session:
            demo = seed_demo(session)
        token = demo_token(settings, demo.principal)
        say(f"2. hub on {hub.base_url}, provider fakes on {sandbox.base_url}")
        pushed = sandbox.gmail.deliver(
            "alex@example.com", SAMPLE["from"], SAMPLE["subject"], SAMPLE["text"]
        )
        status = pushed["push_status"]
        say(f"3. the Gmail fake pushed a signed Pub/Sub notification: HTTP {status}")
        return _observe(say, rt, sandbox, hub.base_url, token)
    finally:
        hub.stop()
        sandbox.stop()
        close_runtime()


def _observe(
    say: Callable[[str], None], rt: Runtime, sandbox: Sandbox, base_url: str, token: str
) -> dict[str, Any]:
    def count(model: Any, *where: Any) -> int:
        with rt.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    wait_for("the inbound event", lambda: count(InboundEvent))
    say("4. inbound_events row recorded; the sync job fetches the new messages over HTTP")
    wait_for(
        "the event to be handled", lambda: count(InboundEvent, InboundEvent.handled_at.is_not(None))
    )
    say(f"5. {count(Thread)} thread(s), {count(Message)} message(s) stored")
    wait_for(
        "every thread analyzed", lambda: count(Thread) == count(Thread, Thread.summary.is_not(None))
    )
    say("6. triage and summary stored for each thread by the local AI provider")
    wait_for(
        "every outbox row sent", lambda: count(Outbox, Outbox.status != OutboxStatus.SENT) == 0
    )
    posted = list(sandbox.slack.messages)
    say(f"7. outbox delivered {len(posted)} Slack message(s) to the Slack fake")
    answer = httpx.get(
        f"{base_url}/api/v1/threads", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    answer.raise_for_status()
    items = answer.json()["items"]
    say(f"8. GET /api/v1/threads with the demo user's token: {len(items)} thread(s)")
    headers = {"Authorization": f"Bearer {token}"}
    proposed = httpx.get(f"{base_url}/api/v1/tasks", headers=headers, timeout=10).json()
    say(f"9. {len(proposed)} task(s) proposed, waiting for the user's approval")
    if proposed:
        accepted = httpx.post(
            f"{base_url}/api/v1/tasks/{proposed[0]['id']}/accept",
            json={},
            headers=headers,
            timeout=10,
        )
        accepted.raise_for_status()
        created = wait_for("the task in ClickUp", lambda: list(sandbox.clickup.tasks.values()))
        say(f"10. the first one accepted over REST; the outbox created it: {created[0]['url']}")
    with rt.sessions() as session:
        tasks = [
            {
                "title": t.title,
                "due": t.due.isoformat() if t.due else None,
                "assignee": t.assignee,
                "status": str(t.status),
                "remote_url": t.remote_url,
            }
            for t in session.scalars(select(Task))
        ]
    return {
        "threads": items,
        "slack_messages": [{"channel": m["channel"], "text": m["text"]} for m in posted],
        "tasks": tasks,
    }
