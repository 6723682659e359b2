"""Exact-match evaluation of quote and signature separation on a held-out set of replies.

Run: .venv/bin/python tests/bench/eval_replies.py [--cases FILE] [--verbose]

tests/bench/replies/cases.jsonl was written independently of connectors/mail/quotes: replies
in 24 languages from Gmail, Apple Mail, Outlook, Thunderbird, Yahoo, Proton, Zimbra, Lotus,
mutt and others (top/bottom-posted, inline, forwards, signatures, traps), one JSON object a
line: id, lang, client, format ("text" or "html"), body and the expected `visible` text.
Text cases compare after eval_quotes.normalize; HTML cases compare with all whitespace removed,
as eval_quotes does for its HTML suites. Counts are printed overall and per format, language
and client; --verbose prints each failure (id, expected, got).
A benchmark: it prints figures and never fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
if str(_REPO) not in sys.path:  # run as a script from anywhere, not only under pytest
    sys.path.insert(0, str(_REPO))

from connectors.mail.quotes import split_html, split_text  # noqa: E402
from tests.bench.eval_quotes import no_space, normalize  # noqa: E402

_DEFAULT_CASES = Path(__file__).resolve().parent / "replies" / "cases.jsonl"


@dataclass
class Result:
    case: dict[str, str]
    got: str
    ok: bool


def evaluate(case: dict[str, str]) -> Result:
    html = case["format"] == "html"
    try:
        got = (split_html if html else split_text)(case["body"]).visible
    except Exception as exc:  # noqa: BLE001 - a benchmark records a crash as a failure
        return Result(case, f"<{type(exc).__name__}: {exc}>", False)
    if html:
        return Result(case, got, no_space(got) == no_space(case["visible"]))
    return Result(case, got, normalize(got) == normalize(case["visible"]))


def _table(title: str, results: list[Result], key: str) -> str:
    groups: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        groups[result.case[key]].append(result.ok)
    rows = [f"{title}:"]
    for name, oks in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        rows.append(f"  {name:16} {sum(oks):>4}/{len(oks):<4} {100 * sum(oks) / len(oks):5.1f}%")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=_DEFAULT_CASES)
    parser.add_argument("--verbose", action="store_true", help="print each failing case")
    args = parser.parse_args(argv)
    lines = args.cases.read_text(encoding="utf-8").splitlines()
    results = [evaluate(json.loads(line)) for line in lines if line.strip()]
    out = sys.stdout
    passed = sum(r.ok for r in results)
    out.write(f"overall: {passed}/{len(results)} ({100 * passed / max(len(results), 1):.1f}%)\n")
    for title, key in (("format", "format"), ("language", "lang"), ("client", "client")):
        out.write(_table(title, results, key))
    if args.verbose:
        for result in results:
            if not result.ok:
                out.write(f"\n=== {result.case['id']}\n--- expected\n{result.case['visible']}\n")
                out.write(f"--- got\n{result.got}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
