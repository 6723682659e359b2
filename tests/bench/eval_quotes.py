"""Exact-match evaluation of quote and signature separation on the shared email corpus.

Run: .venv/bin/python tests/bench/eval_quotes.py [--corpus DIR] [--verbose]

Normalization follows ../shared/corpus/email/README.md ("Expected outputs"): CRLF to LF,
trailing spaces stripped per line, 3+ newlines collapsed to 2, the whole text stripped.
HTML suites compare with all whitespace removed (as upstream talon does); expected HTML
is turned into text first, because split_html returns text.
A benchmark: it prints figures and never fails.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

_REPO = Path(__file__).resolve().parents[2]
if str(_REPO) not in sys.path:  # run as a script from anywhere, not only under pytest
    sys.path.insert(0, str(_REPO))

from connectors.mail.quotes import split_html, split_text  # noqa: E402

_DEFAULT_CORPUS = _REPO.parent / "shared" / "corpus" / "email"
_BLANKS = re.compile(r"\n{3,}")
_SPACE = re.compile(r"\s+")

# Best figure of an existing library on each suite (reference/email-parsing-libraries.md).
_BEST = {
    "discourse email_reply_trimmer": "33 (talon)",
    "crisp": "27 (talon)",
    "talon inline": "61* (talon)",
    "email-reply-parser": "21* (email_reply_parser)",
    "HTML (talon inline + clients)": "29* (talon)",
    "  of which client fixtures": "2 (quotequail)",
    "talon standard replies (extra)": "-",
}
_TARGETS = {
    "discourse email_reply_trimmer": 48,
    "crisp": 36,
    "talon inline": 55,
    "email-reply-parser": 21,
    "HTML (talon inline + clients)": 26,
    "  of which client fixtures": 7,
}


def normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", text).strip()


def no_space(text: str) -> str:
    return _SPACE.sub("", text)


def html_text(html: str) -> str:
    body = LexborHTMLParser(html).body
    return "" if body is None else str(body.text(separator="\n"))


@dataclass
class Suite:
    name: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def record(self, case: str, ok: bool) -> None:
        (self.passed if ok else self.failed).append(case)


def _visible(text: str) -> str:
    return split_text(text).visible


def discourse(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "email_reply_trimmer"
    for path in sorted((folder / "emails").glob("*.txt")):
        expected = (folder / "trimmed" / path.name).read_text(encoding="utf-8")
        got = _visible(path.read_text(encoding="utf-8").strip())
        yield path.stem, normalize(got) == normalize(expected)


def crisp(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "crisp-email-reply-parser"
    for path in sorted(folder.glob("*.expected.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        expected = spec.get("first_fragment_trimmed", spec.get("visible_text"))
        if expected is None:
            continue
        source = folder / path.name.replace(".expected.json", ".txt")
        got = _visible(source.read_text(encoding="utf-8"))
        yield source.stem, normalize(got) == normalize(expected)


def talon_inline(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "talon" / "inline_cases"
    for case in json.loads((folder / "cases.json").read_text(encoding="utf-8")):
        if case["api"] != "extract_from_plain" or case["needs_patched_config"]:
            continue
        expected = (folder / case["expected"]).read_text(encoding="utf-8")
        got = _visible((folder / case["input"]).read_text(encoding="utf-8"))
        yield case["case"], normalize(got) == normalize(expected)


def erp(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "email-reply-parser"
    for path in sorted(folder.glob("*.expected.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if not {"reply_exact", "reply_contains", "reply_not_contains"} & spec.keys():
            continue
        source = folder / path.name.replace(".expected.json", ".txt")
        got = _visible(source.read_text(encoding="utf-8"))
        ok = True
        if "reply_exact" in spec:
            ok = normalize(got) == normalize(spec["reply_exact"])
        ok = ok and all(s in got for s in spec.get("reply_contains", []))
        ok = ok and not any(s in got for s in spec.get("reply_not_contains", []))
        yield source.stem, ok


def html_inline(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "talon" / "inline_cases"
    for case in json.loads((folder / "cases.json").read_text(encoding="utf-8")):
        if case["api"] != "extract_from_html" or case["needs_patched_config"]:
            continue
        expected = html_text((folder / case["expected"]).read_text(encoding="utf-8"))
        got = split_html((folder / case["input"]).read_text(encoding="utf-8")).visible
        yield case["case"], no_space(got) == no_space(expected)


def html_clients(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "talon" / "html_replies"
    for path in sorted(folder.glob("*.html")):
        expected = path.with_suffix(".expected.txt").read_text(encoding="utf-8")
        got = split_html(path.read_text(encoding="utf-8")).visible
        yield path.stem, no_space(got) == no_space(expected)


def _first_plain_part(raw: bytes) -> str:
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ""


def talon_standard(root: Path) -> Iterator[tuple[str, bool]]:
    folder = root / "talon" / "standard_replies"
    for path in sorted(folder.glob("*.eml")):
        expected = path.with_suffix(".expected.txt").read_text(encoding="utf-8")
        got = _visible(_first_plain_part(path.read_bytes()))
        yield path.stem, normalize(got) == normalize(expected)


def run(root: Path) -> list[Suite]:
    runners: list[tuple[str, Callable[[Path], Iterator[tuple[str, bool]]]]] = [
        ("discourse email_reply_trimmer", discourse),
        ("crisp", crisp),
        ("talon inline", talon_inline),
        ("email-reply-parser", erp),
        ("talon standard replies (extra)", talon_standard),
    ]
    suites = []
    for name, runner in runners:
        suite = Suite(name)
        for case, ok in runner(root):
            suite.record(case, ok)
        suites.append(suite)
    html = Suite("HTML (talon inline + clients)")
    clients = Suite("  of which client fixtures")
    for case, ok in html_inline(root):
        html.record(case, ok)
    for case, ok in html_clients(root):
        html.record(case, ok)
        clients.record(case, ok)
    suites[4:4] = [html, clients]
    return suites


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_DEFAULT_CORPUS)
    parser.add_argument("--verbose", action="store_true", help="list failing cases")
    args = parser.parse_args(argv)
    out = sys.stdout
    out.write(f"{'suite':34} {'ours':>9} {'target':>7}  best library\n")
    for suite in run(args.corpus):
        total = len(suite.passed) + len(suite.failed)
        target = _TARGETS.get(suite.name)
        mark = "" if target is None else (" ok" if len(suite.passed) >= target else " LOW")
        target_text = "-" if target is None else f">={target}"
        score = f"{len(suite.passed)}/{total}"
        out.write(f"{suite.name:34} {score:>9} {target_text:>7}  {_BEST[suite.name]}{mark}\n")
        if args.verbose and suite.failed:
            out.write("    failing: " + ", ".join(suite.failed) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
