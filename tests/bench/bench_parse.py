"""Mail parsing throughput on the corpus: our full pipeline, stdlib compat32, mail-parser.

    .venv/bin/python -m tests.bench.bench_parse [CORPUS_DIR] [--passes 3] [--no-memory]

Full pipeline = parse_mime (structure, header and charset repair, transfer decoding,
attachment hashing, HTML to text, sanitized HTML, quote/signature split, language)
plus threading keys. mail-parser is timed doing what the reference measured: parse,
decode the main headers, the first text body and the attachment list. Prints
figures; never fails.
"""

from __future__ import annotations

import argparse
import base64
import email
import json
import logging
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import connectors.mail.assemble as assemble_module
from connectors.gmail.rawstream import split_raw_resource
from connectors.mail.gmail import parse_gmail, parse_gmail_raw
from connectors.mail.language import detect_language
from connectors.mail.mime import parse_mime
from connectors.mail.quotes import ReplySplit
from connectors.mail.threading import ancestors, normalize_subject
from connectors.mail.types import ParsedMessage
from hub.storage.local import LocalStore
from hub.storage.messages import store_message_objects

DEFAULT_CORPUS = Path("/work/shared/corpus/email")


def threading_keys(parsed: ParsedMessage) -> tuple[str, ...]:
    """What a JWZ pass needs per message: its id, its ancestors, a reply-less subject."""
    own = parsed.message_id or parsed.provider_id
    return (own, *ancestors(parsed), normalize_subject(parsed.subject))


def full_pipeline(data: bytes) -> object:
    return threading_keys(parse_mime(data))


def compat32(data: bytes) -> object:
    return email.message_from_bytes(data)


def mail_parser(data: bytes) -> object:
    import mailparser  # type: ignore[import-untyped,unused-ignore]

    parsed = mailparser.parse_from_bytes(data)
    return (parsed.subject, parsed.from_, parsed.to, parsed.date, parsed.text_plain[:1],
            parsed.attachments)  # fmt: skip


def load(corpus: Path) -> list[bytes]:
    return [path.read_bytes() for path in sorted(corpus.rglob("*.eml"))]


def one_pass(fn: Callable[[bytes], object], messages: list[bytes]) -> tuple[float, int]:
    """Messages per CPU second of this process, and how many inputs raised.

    CPU time rather than wall time: other load on the machine does not count against
    whichever contender happened to be running.
    """
    failures = 0
    start = time.process_time()
    for data in messages:
        try:
            fn(data)
        except Exception:  # noqa: BLE001 - counted: a library that raises is a finding
            failures += 1
    return len(messages) / max(time.process_time() - start, 1e-9), failures


def rates(
    contenders: dict[str, Callable[[bytes], object]], messages: list[bytes], passes: int
) -> dict[str, tuple[float, int]]:
    """Median rate per contender; the contenders take turns within each pass."""
    seen: dict[str, list[float]] = {name: [] for name in contenders}
    failed: dict[str, int] = dict.fromkeys(contenders, 0)
    for _ in range(passes):
        for name, fn in contenders.items():
            value, failed[name] = one_pass(fn, messages)
            seen[name].append(value)
    return {name: (statistics.median(seen[name]), failed[name]) for name in contenders}


def without_quote_split(data: bytes) -> object:
    """The same pipeline with the quote/signature split stubbed out (for attribution)."""
    real_split = assemble_module.split_body
    assemble_module.split_body = lambda body: ReplySplit(body.text)
    try:
        return full_pipeline(data)
    finally:
        assemble_module.split_body = real_split


def synthetic_message(attachment_mb: int = 24) -> bytes:
    payload = base64.encodebytes(os.urandom(attachment_mb * 1024 * 1024))
    head = (
        b"From: Big Sender <big@example.com>\r\nTo: a@example.com\r\nSubject: big\r\n"
        b"Date: Thu, 20 Jun 2024 10:59:58 +0200\r\nMessage-ID: <big@example.com>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe file is attached.\r\n"
        b"--b\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="big.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return head + payload.replace(b"\n", b"\r\n") + b"--b--\r\n"


def peak_memory() -> None:
    data = synthetic_message()
    tracemalloc.start()
    parsed = parse_mime(data)
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    with tempfile.TemporaryDirectory() as root:
        stored = store_message_objects(LocalStore(Path(root)), [parsed])
    _, store_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mb = 1024 * 1024
    objects = stored[parsed.provider_id]
    size = sum(o.size for o in objects.attachments if o is not None) / mb
    print(f"synthetic message {len(data) / mb:.1f} MB (attachment {size:.1f} MB decoded):")
    print(f"  peak traced in parse_mime (input not counted):     {parse_peak / mb:7.1f} MB")
    print(f"  peak storing raw + decoded attachment (local dir): {store_peak / mb:7.1f} MB")
    gmail_memory(data)


def gmail_memory(data: bytes) -> None:
    """The same message as a Gmail format=raw resource, read whole or streamed."""
    resource = json.dumps({"id": "1", "raw": base64.urlsafe_b64encode(data).decode()}).encode()
    del data
    mb = 1024 * 1024
    tracemalloc.start()
    parse_gmail(json.loads(resource))
    _, whole_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    pieces = (resource[at : at + 65536] for at in range(0, len(resource), 65536))
    members, raw = split_raw_resource(pieces)
    parse_gmail_raw(members, raw)
    _, stream_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"as a Gmail format=raw resource ({len(resource) / mb:.1f} MB of JSON, not counted):")
    print(f"  peak with json.loads, then parse_gmail:           {whole_peak / mb:7.1f} MB")
    print(f"  peak read in 64 KB chunks (what fetch does):      {stream_peak / mb:7.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    logging.getLogger("mailparser").setLevel(logging.CRITICAL)  # its warnings flood stderr
    messages = load(args.corpus)
    megabytes = sum(map(len, messages)) / 1024 / 1024
    print(
        f"{len(messages)} messages, {megabytes:.1f} MB, "
        f"median of {args.passes} interleaved passes, CPU time"
    )
    detect_language("warm the language model up before timing")
    measured = rates(
        {
            "full": full_pipeline,
            "no_split": without_quote_split,
            "compat32": compat32,
            "mail_parser": mail_parser,
        },
        messages,
        args.passes,
    )
    (full, full_failed), (no_split, _) = measured["full"], measured["no_split"]
    (base, base_failed), (other, other_failed) = measured["compat32"], measured["mail_parser"]
    rows = [
        ("full pipeline (ours)", full, full_failed),
        ("  of which without the quote split", no_split, 0),
        ("stdlib compat32 parse only", base, base_failed),
        ("mail-parser parse + main fields", other, other_failed),
    ]
    for name, value, failed in rows:
        print(f"  {name:34s} {value:8.1f} msg/s   raised on {failed}")
    print(f"  ours / mail-parser: {full / other:.2f}x (target >= 1.0x)")
    print(f"  ours / compat32:    {full / base:.2f}x")
    if not args.no_memory:
        peak_memory()


if __name__ == "__main__":
    main()
