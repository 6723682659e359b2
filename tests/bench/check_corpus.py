"""Robustness over the whole corpus: every file through every parser, zero exceptions.

    .venv/bin/python -m tests.bench.check_corpus [CORPUS_DIR]

Each .eml goes through parse_mime, and through parse_gmail / parse_graph after
conversion to their JSON shapes; every other file goes through parse_any. Prints
exception and defect counts (the figures, not a pass/fail verdict).
"""

from __future__ import annotations

import argparse
import collections
import json
import traceback
from pathlib import Path

from connectors.mail.convert import eml_to_gmail, eml_to_graph
from connectors.mail.formats import parse_any
from connectors.mail.gmail import parse_gmail
from connectors.mail.graph import parse_graph
from connectors.mail.mime import parse_mime
from connectors.mail.types import ParsedMessage

DEFAULT_CORPUS = Path("/work/shared/corpus/email")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    raised: list[str] = []
    with_defects = 0
    eml_count = eml_defects = 0
    kinds: collections.Counter[str] = collections.Counter()
    converter_failures = 0
    files = sorted(p for p in args.corpus.rglob("*") if p.is_file())
    for path in files:
        data = path.read_bytes()
        results: list[ParsedMessage] = []
        try:
            results.append(parse_mime(data) if path.suffix == ".eml" else parse_any(data))
        except Exception:  # noqa: BLE001 - the finding this script exists to count
            raised.append(f"{path}: {traceback.format_exc(limit=2)}")
            continue
        if path.suffix == ".eml":
            try:
                gmail, graph = eml_to_gmail(data, attachment_data=True), eml_to_graph(data)
            except Exception:  # noqa: BLE001 - the converter uses the strict stdlib policy
                converter_failures += 1
            else:
                try:
                    results.append(parse_gmail(json.loads(json.dumps(gmail))))
                    results.append(parse_graph(graph))
                except Exception:  # noqa: BLE001
                    raised.append(f"{path} (json paths): {traceback.format_exc(limit=2)}")
        defects = results[0].defects
        if path.suffix == ".eml":
            eml_count += 1
            eml_defects += bool(defects)
        if defects:
            with_defects += 1
            kinds.update(d.split(":")[0][:40] for d in defects)
    print(f"{len(files)} files; parser exceptions: {len(raised)}")
    print(f".eml messages with defects: {eml_defects} of {eml_count}")
    print(f"all files with defects (bodies without headers included): {with_defects}")
    print(f"converter could not build JSON for {converter_failures} .eml files")
    for kind, count in kinds.most_common(15):
        print(f"  {count:4d}  {kind}")
    for line in raised:
        print(line)


if __name__ == "__main__":
    main()
