"""How well two careful people agree on a labelled set: the ceiling for any classifier.

In: a folder under tests/data with ``labels.csv`` (its author's labels) and
``labels.second-reader.csv`` (a second person's, labelled blind: they read only the .eml
files and the column definitions of holdout6/README.md). Out, on stdout: how many messages
both gave the same kind, and the same kind and question and review flags (the flags of
automatic mail are not compared, as in ``inbox-bot evaluate``), and each disagreement.

    .venv/bin/python tests/data/agreement.py tests/data/holdout7
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def read(path: Path) -> dict[str, dict[str, str]]:
    """The rows of a labels file, by file name."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def same(first: dict[str, str], second: dict[str, str]) -> bool:
    """Both gave the same kind and, unless it is automatic mail, the same flags."""
    flags = ("has_question", "needs_review")
    return first["kind"] == second["kind"] and (
        first["kind"] == "automatic" or all(first[f] == second[f] for f in flags))


def main(folder: Path) -> None:
    first = read(folder / "labels.csv")
    second = read(folder / "labels.second-reader.csv")
    files = sorted(first.keys() & second.keys())
    kinds = sum(first[f]["kind"] == second[f]["kind"] for f in files)
    agreed = [f for f in files if same(first[f], second[f])]
    print(f"{folder.name}: kind {kinds}/{len(files)} = {kinds / len(files):.1%}, "
          f"kind and flags {len(agreed)}/{len(files)} = {len(agreed) / len(files):.1%}")
    for f in files:
        if f not in agreed:
            a, b = first[f], second[f]
            print(f"  {f}: {a['kind']} q={a['has_question']} review={a['needs_review']} | "
                  f"{b['kind']} q={b['has_question']} review={b['needs_review']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
