"""inbox-hub command line: serve, worker, beat, migrate, demo, token."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer
import uvicorn

from connectors.sandbox import OUTLOOK_MAILBOX, SLACK_TEAM_CHANNEL
from hub.config import Settings, get_settings

if TYPE_CHECKING:
    from hub.wiring import Runtime

cli = typer.Typer(no_args_is_help=True, add_completion=False)

QUEUES = "ingest,ai,outbound"


@cli.command()
def migrate() -> None:
    """Upgrade the database to the newest schema."""
    from db.migrate import upgrade
    from hub.storage import S3Store
    from hub.wiring import build_storage

    settings = get_settings()
    upgrade(settings.database_url)
    typer.echo("database at head")
    store = build_storage(settings)
    if isinstance(store, S3Store):
        store.ensure_bucket()
        typer.echo(f"bucket {settings.s3_bucket} ready")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to bind")] = 8000,
) -> None:
    """Serve the hub (and, in sandbox mode, the provider fakes beside it)."""
    from db.migrate import upgrade
    from hub.app import create_app
    from hub.sandbox import demo_token, seed_demo, start_fakes, subscribe_when_up
    from hub.wiring import init_runtime

    settings = get_settings()
    upgrade(settings.database_url)
    rt = init_runtime(settings)
    if settings.sandbox:
        start_fakes(settings)
        with rt.sessions.begin() as session:
            demo = seed_demo(session)
        _print_sandbox_banner(settings, host, port, demo_token(settings, demo.principal))
        subscribe_when_up(rt, f"http://{host}:{port}")
    uvicorn.run(create_app(rt=rt), host=host, port=port, log_level="warning")


def _print_sandbox_banner(settings: Settings, host: str, port: int, token: str) -> None:
    base = f"http://{host}:{port}"
    fakes = f"http://127.0.0.1:{settings.sandbox_fakes_port}"
    sample = json.dumps(
        {
            "to": "alex@example.com",
            "from": "Priya Shah <priya@example.org>",
            "subject": "Can you review the contract by Friday?",
            "text": "Hi Alex, could you review the pricing section by Friday? Thanks, Priya",
        }
    )
    outlook_sample = json.dumps(
        {
            "to": OUTLOOK_MAILBOX,
            "from": "Morgan Lee <morgan@fabrikam.example>",
            "subject": "Vendor invoice 7731",
            "text": "Hi Alex, please approve invoice 7731 by Monday. Thanks, Morgan",
        }
    )
    slack_sample = json.dumps(
        {
            "channel": SLACK_TEAM_CHANNEL,
            "user": "U0USER001",
            "text": "Can someone renew the TLS cert by Friday?",
        }
    )
    typer.echo(
        "\n".join(
            [
                "",
                f"inbox-hub sandbox on {base}  (database: {settings.database_url})",
                f"  API docs     {base}/docs",
                f"  health       {base}/healthz   readiness {base}/readyz   metrics {base}/metrics",
                "  send a sample push (the Gmail fake signs it and posts it to the webhook):",
                f"    curl -s -X POST {fakes}/_fake/gmail/deliver "
                f"-H 'Content-Type: application/json' -d '{sample}'",
                "  or to the Outlook mailbox (the Graph fake notifies the hub's subscription):",
                f"    curl -s -X POST {fakes}/_fake/outlook/deliver "
                f"-H 'Content-Type: application/json' -d '{outlook_sample}'",
                "  or say something in the Slack workspace's #general (an Events API callback):",
                f"    curl -s -X POST {fakes}/_fake/slack/say "
                f"-H 'Content-Type: application/json' -d '{slack_sample}'",
                "  then see the thread and the Slack notice:",
                f"    curl -s {base}/api/v1/threads -H 'Authorization: Bearer {token}'",
                f"    curl -s {fakes}/_fake/slack/messages",
                f"  demo user token (demo@example.com): {token}",
                "",
            ]
        )
    )


@cli.command()
def worker(
    queues: Annotated[str, typer.Option(help="comma-separated queues")] = QUEUES,
    concurrency: Annotated[int, typer.Option(help="worker threads")] = 4,
) -> None:
    """Run a Celery worker (needs REDIS_URL or CELERY_BROKER_URL)."""
    from hub.celery_app import celery_app, configure_broker

    settings = _distributed_settings()
    configure_broker(settings.broker_url)
    celery_app.worker_main(
        ["worker", "-Q", queues, "--pool=threads", f"--concurrency={concurrency}", "-l", "INFO"]
    )


@cli.command()
def beat() -> None:
    """Run Celery beat: the sweepers that re-enqueue lost work."""
    from hub.celery_app import celery_app, configure_broker

    settings = _distributed_settings()
    configure_broker(settings.broker_url)
    celery_app.start(["beat", "-l", "INFO", "--schedule", "var/celerybeat-schedule"])


def _distributed_settings() -> Settings:
    settings = get_settings()
    if settings.embedded:
        typer.echo("set REDIS_URL (or CELERY_BROKER_URL): the embedded hub runs jobs in-process")
        raise typer.Exit(2)
    return settings


@cli.command()
def demo(
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON line last")] = False,
) -> None:
    """Run the thin path end to end against the sandbox on the embedded default."""
    from hub.demo import run_demo

    def say(line: str) -> None:
        typer.echo(line, err=as_json)

    result = run_demo(say)
    if as_json:
        sys.stdout.write(json.dumps(result, default=str) + "\n")
    else:
        typer.echo(json.dumps(result, default=str, indent=2))


@cli.command("renew-subscriptions")
def renew_subscriptions() -> None:
    """Start or renew provider push subscriptions (Gmail watches) that lapse soon."""
    from hub.connections.flows import renew_watches
    from hub.wiring import init_runtime

    rt = init_runtime(get_settings())
    typer.echo(f"{renew_watches(rt=rt)} subscription(s) renewed")
    _finish_jobs(rt)


@cli.command()
def sync(
    account: Annotated[str, typer.Argument(help="the account's address, e.g. alex@example.com")],
    provider: Annotated[str, typer.Option(help="gmail, outlook, ...")] = "gmail",
) -> None:
    """Sync one account now: fetch what changed since its cursor and analyze it."""
    from hub.connections.flows import sync_account
    from hub.connections.service import find_account
    from hub.wiring import init_runtime

    rt = init_runtime(get_settings())
    with rt.sessions() as session:
        found = find_account(session, provider, account)
        if found is None:
            typer.echo(f"no {provider} account {account}", err=True)
            raise typer.Exit(1)
        account_id = found.id
    result = sync_account(account_id, rt=rt)
    typer.echo(f"{result.new_messages} new message(s) in {len(result.threads)} thread(s)")
    _finish_jobs(rt)


def _finish_jobs(rt: Runtime) -> None:
    """Embedded mode runs jobs on this process's threads: let them finish before exiting."""
    from hub.inprocess import InProcessRunner

    if isinstance(rt.publisher, InProcessRunner) and not rt.publisher.drain(timeout=300):
        typer.echo("some jobs are still running; the sweepers will pick them up", err=True)


@cli.command()
def token(email: Annotated[str, typer.Argument(help="the user's email")]) -> None:
    """Print an API access token for a user."""
    from datetime import timedelta

    from sqlalchemy import select

    from db.models import User
    from hub.users.tokens import Principal, issue_access_token
    from hub.wiring import init_runtime

    settings = get_settings()
    rt = init_runtime(settings)
    with rt.sessions() as session:
        user = session.scalars(select(User).where(User.email == email)).one_or_none()
    if user is None:
        typer.echo(f"no user {email}", err=True)
        raise typer.Exit(1)
    principal = Principal(user_id=user.id, org_id=user.org_id)
    ttl = timedelta(minutes=settings.jwt_ttl_minutes)
    typer.echo(issue_access_token(principal, secret=settings.secret_key, ttl=ttl))


@cli.command()
def analyze(
    file: Annotated[str, typer.Argument(help="an .eml file, or a .jsonl file with --jsonl")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="FILE is corpus-format JSONL")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON line per result")] = False,
    provider: Annotated[str | None, typer.Option(help="local|openai (AI_PROVIDER)")] = None,
    model: Annotated[str | None, typer.Option(help="model for the openai provider")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="OPENAI_API_KEY")] = None,
    redact: Annotated[bool, typer.Option(help="mask addresses/phones/cards")] = False,
    token_budget: Annotated[int | None, typer.Option(help="max input tokens per call")] = None,
) -> None:
    """Triage mail offline or with a model: print category, priority, summary, tasks."""
    from pathlib import Path

    from ai.cli import analyze as analyze_thread
    from ai.cli import human_lines
    from ai.corpus import read_jsonl
    from connectors.mail.mime import parse_mime
    from connectors.mail.quotes import split_reply
    from hub.analysis.inputs import thread_from_parsed
    from hub.wiring import build_ai

    overrides = {
        "ai_provider": provider,
        "openai_model": model,
        "openai_api_key": api_key,
        "ai_redact": redact or None,
        "ai_token_budget": token_budget,
    }
    settings = get_settings().model_copy(
        update={key: value for key, value in overrides.items() if value is not None}
    )
    chosen = build_ai(settings)
    path = Path(file)
    if jsonl:
        items = [(r.id, r.thread) for r in read_jsonl(path, split_quotes=split_reply)]
    else:
        parsed = parse_mime(path.read_bytes())
        items = [(parsed.message_id or path.name, thread_from_parsed(parsed))]
    for record_id, thread_input in items:
        line = analyze_thread(
            chosen, record_id, thread_input, token_budget=settings.ai_token_budget
        )
        if as_json:
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            typer.echo("\n".join(human_lines(line)))


@cli.command()
def parse(
    files: Annotated[list[str], typer.Argument(help=".eml, Gmail JSON or Graph JSON files")],
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object per file")] = False,
) -> None:
    """Parse saved messages and print what the hub would store."""
    from pathlib import Path

    from connectors.mail.formats import parse_any, summary, to_json_dict

    for name in files:
        parsed = parse_any(Path(name).read_bytes())
        if as_json:
            record = {"file": name, **to_json_dict(parsed)}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            typer.echo(summary(name, parsed) + "\n")


if __name__ == "__main__":
    cli()
