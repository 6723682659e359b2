"""Evaluate the local triage provider on the labeled corpus; prints figures, never fails.

    .venv/bin/python tests/bench/eval_triage.py [--corpus PATH] [--show-misses]

Figures, overall and per language: category accuracy, priority accuracy, needs_reply
precision/recall/F1, task recall and due-date recall.

- task recall: a gold task counts when one predicted task of the same email (each
  used once) has the same due date (both empty counts as the same) and its title
  shares at least one key word with the gold title (words of four letters or more
  outside a small stop list, compared on their first five letters so "estimates"
  meets "estimate"). Gold titles are English, so for other languages this figure
  mostly measures the due dates and undercounts.
- due-date recall: of the gold tasks that have a due date, the share whose date is
  the due date of some predicted task of the same email (each used once).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ai.corpus import CorpusRecord, read_jsonl  # noqa: E402
from ai.local import LocalProvider  # noqa: E402
from ai.steps import triage  # noqa: E402
from ai.types import TaskDraft, Triage  # noqa: E402
from connectors.mail.quotes import split_reply  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus/triage/emails.jsonl")
_STOP_TEXT = """with from that this your their into about have before after them they then than
    when what which will would could should please send sends make review each"""
_STOP = frozenset(_STOP_TEXT.split())


def key_words(title: str) -> set[str]:
    words = re.findall(r"[^\W\d_]{4,}|\d{2,}", title.lower())
    return {w[:5] for w in words if w not in _STOP}


@dataclass
class Tally:
    emails: int = 0
    category_ok: int = 0
    priority_ok: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    gold_tasks: int = 0
    tasks_found: int = 0
    gold_dues: int = 0
    dues_found: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, record: CorpusRecord, result: Triage) -> None:
        labels = record.labels
        self.emails += 1
        self.category_ok += result.category.value == labels["category"]
        self.priority_ok += result.priority.value == labels["priority"]
        gold_reply = bool(labels["needs_reply"])
        self.tp += gold_reply and result.needs_reply
        self.fp += (not gold_reply) and result.needs_reply
        self.fn += gold_reply and not result.needs_reply
        gold = list(labels.get("tasks") or [])
        self.gold_tasks += len(gold)
        self.tasks_found += _matched_tasks(gold, result.tasks)
        gold_dues = [str(t["due"]) for t in gold if t.get("due")]
        self.gold_dues += len(gold_dues)
        self.dues_found += _matched_dues(gold_dues, result.tasks)

    def lines(self, name: str) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return (
            f"{name:<8} n={self.emails:<4} category {_ratio(self.category_ok, self.emails)}  "
            f"priority {_ratio(self.priority_ok, self.emails)}  "
            f"needs_reply P {precision:.2f} R {recall:.2f} F1 {f1:.2f}  "
            f"tasks {_ratio(self.tasks_found, self.gold_tasks)} "
            f"({self.tasks_found}/{self.gold_tasks})  "
            f"due {_ratio(self.dues_found, self.gold_dues)} ({self.dues_found}/{self.gold_dues})"
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else " n/a"


def _due(task: TaskDraft) -> str | None:
    return task.due.isoformat() if isinstance(task.due, date) else None


def _matched_tasks(gold: Sequence[dict[str, Any]], predicted: Iterable[TaskDraft]) -> int:
    free = list(predicted)
    found = 0
    for task in gold:
        words = key_words(str(task.get("title", "")))
        for candidate in free:
            if _due(candidate) == task.get("due") and words & key_words(candidate.title):
                free.remove(candidate)
                found += 1
                break
    return found


def _matched_dues(gold_dues: Sequence[str], predicted: Iterable[TaskDraft]) -> int:
    free = [d for d in (_due(t) for t in predicted) if d]
    found = 0
    for due in gold_dues:
        if due in free:
            free.remove(due)
            found += 1
    return found


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show-misses", action="store_true", help="list wrong answers")
    args = parser.parse_args(argv)
    provider = LocalProvider()
    overall = Tally()
    by_language: dict[str, Tally] = defaultdict(Tally)
    for record in read_jsonl(args.corpus, split_quotes=split_reply):
        result = triage.run(provider, record.thread).output
        overall.add(record, result)
        by_language[record.language].add(record, result)
        if args.show_misses:
            _show(record, result)
    print(f"local provider on {args.corpus}")
    print(overall.lines("overall"))
    for language in sorted(by_language):
        print(by_language[language].lines(language))


def _show(record: CorpusRecord, result: Triage) -> None:
    labels = record.labels
    gold_dues = sorted(str(t["due"]) for t in labels.get("tasks") or [] if t.get("due"))
    got_dues = sorted(d for d in (_due(t) for t in result.tasks) if d)
    wrong = []
    if result.category.value != labels["category"]:
        wrong.append(f"category {result.category.value} != {labels['category']}")
    if result.needs_reply != labels["needs_reply"]:
        wrong.append(f"needs_reply {result.needs_reply} != {labels['needs_reply']}")
    if not set(gold_dues) <= set(got_dues):
        wrong.append(f"dues {got_dues} vs gold {gold_dues}")
    if wrong:
        print(f"{record.id} [{record.language}] " + "; ".join(wrong))


if __name__ == "__main__":
    main()
