"""Offline judgement: classify .eml files without servers or database, and score the classifier.

In: raw message bytes (``inbox-bot classify``), or a folder of ``.eml`` files with a
``labels.csv`` of ``file,kind[,has_question][,spoofed]`` (``inbox-bot evaluate``). Out: the
JSON-able verdict of one message, or an :class:`Evaluation` with a confusion matrix, accuracy
and every miss with its reasons. Staff can export a real mailbox folder, label it, and check
the bot before switching it on.

A *harmful reply* is an answer the bot would send to mail labelled ``automatic`` (a loop) or
labelled ``spoofed`` (backscatter to a forged sender, or a confirmation for an impostor).
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.classify import ClassifyContext, Kind
from bot.effects import plan_effect
from bot.errors import ConfigError, MessageRejected
from bot.prepare import Reading, read_message
from bot.settings import MESSAGE_SECONDS

log = logging.getLogger(__name__)

MAX_BYTES = 25 * 1024 * 1024
KINDS = [*(str(k) for k in Kind), "quarantined"]


def classify_bytes(raw: bytes, ctx: ClassifyContext, *, capacity: int,
                   seconds: float = MESSAGE_SECONDS) -> dict:
    """The JSON-able verdict on one message, including the reply the bot would send to a
    sender it has not seen before, read within ``seconds`` as the worker would. Never raises:
    a defect, or a message that takes too long, gives ``kind: quarantined``."""
    ready = read_message(raw, Reading(ctx, MAX_BYTES, seconds))
    if isinstance(ready.error, MessageRejected):
        return _quarantined("rejected", str(ready.error))
    if ready.error is not None:  # a defect of ours must still give the file its line
        log.debug("classify failed", exc_info=ready.error)
        return _quarantined("crashed", f"{type(ready.error).__name__}: {ready.error}")
    verdict = ready.verdict
    effect = plan_effect(verdict, existing=None, seats_left=capacity)
    details = verdict.details
    return {"kind": str(verdict.kind), "has_question": verdict.has_question,
            "needs_review": verdict.needs_review, "confidence": verdict.confidence,
            "reply": str(effect.reply) if effect.reply else None, "reasons": list(verdict.reasons),
            "sender": verdict.sender, "language": verdict.language, "verified": verdict.verified,
            "name": details.name, "party": details.party, "on_behalf_of": details.on_behalf_of,
            "notes": details.notes}


def _quarantined(reason: str, error: str) -> dict:
    return {"kind": "quarantined", "has_question": False, "needs_review": True,
            "confidence": 0.0, "reply": None, "reasons": [reason], "sender": None, "error": error}


@dataclass(frozen=True)
class Label:
    file: str
    kind: str
    has_question: bool | None
    spoofed: bool


@dataclass
class Evaluation:
    confusion: Counter = field(default_factory=Counter)   # (label kind, bot kind) -> count
    total: int = 0
    correct: int = 0
    question_total: int = 0
    question_correct: int = 0
    misses: list[str] = field(default_factory=list)
    harmful: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def read_labels(folder: Path) -> list[Label]:
    """Read ``folder/labels.csv``; a missing file or a bad row is a ConfigError naming it."""
    path = folder / "labels.csv"
    try:
        rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    except OSError as e:
        raise ConfigError(f"{path}: cannot read labels: {e.strerror}") from e
    labels = []
    for number, row in enumerate(rows, start=2):
        kind = (row.get("kind") or "").strip()
        if not row.get("file") or kind not in KINDS:
            raise ConfigError(f"{path}:{number}: needs a file and a kind ({', '.join(KINDS)})")
        question = (row.get("has_question") or "").strip().lower()
        labels.append(Label(row["file"].strip(), kind,
                            None if not question else question in ("yes", "true", "1"),
                            (row.get("spoofed") or "").strip().lower() in ("yes", "true", "1")))
    return labels


def evaluate_folder(folder: Path, ctx: ClassifyContext, *, capacity: int,
                    seconds: float = MESSAGE_SECONDS) -> Evaluation:
    """Classify every labelled file in ``folder`` and score the results."""
    labels = read_labels(folder)
    result = Evaluation()
    known = {label.file for label in labels}
    result.unlabelled = sorted(p.name for p in folder.glob("*.eml") if p.name not in known)
    for label in labels:
        got = classify_bytes((folder / label.file).read_bytes(), ctx, capacity=capacity,
                             seconds=seconds)
        result.total += 1
        result.confusion[(label.kind, got["kind"])] += 1
        if got["kind"] == label.kind:
            result.correct += 1
        else:
            result.misses.append(f"{label.file}: labelled {label.kind}, bot says {got['kind']} "
                                 f"({', '.join(got['reasons'])})")
        if label.has_question is not None and label.kind == got["kind"]:
            result.question_total += 1
            result.question_correct += label.has_question == got["has_question"]
        if got["reply"] and (label.kind == "automatic" or label.spoofed):
            result.harmful.append(f"{label.file}: would send {got['reply']} to "
                                  f"{'automatic' if label.kind == 'automatic' else 'spoofed'} "
                                  f"mail ({', '.join(got['reasons'])})")
    return result


def format_report(result: Evaluation) -> str:
    """The confusion matrix, the scores, the misses and the harmful replies, as text."""
    width = max(len(k) for k in KINDS) + 1
    lines = ["confusion matrix (rows: label, columns: bot)",
             " " * width + "".join(f"{k[:12]:>13}" for k in KINDS)]
    for expected in KINDS:
        counts = [result.confusion[(expected, got)] for got in KINDS]
        if any(counts):
            lines.append(f"{expected:<{width}}" + "".join(f"{n:>13}" for n in counts))
    lines.append(f"accuracy: {result.correct}/{result.total} = {result.accuracy:.1%}")
    if result.question_total:
        share = result.question_correct / result.question_total
        lines.append(f"has_question: {result.question_correct}/{result.question_total} = "
                     f"{share:.1%} (of messages whose kind was right)")
    lines.append(f"harmful replies: {len(result.harmful)} (automatic or spoofed mail answered)")
    lines += [f"  HARMFUL {line}" for line in result.harmful]
    lines.append(f"misses: {len(result.misses)}")
    lines += [f"  {line}" for line in result.misses]
    if result.unlabelled:
        lines.append(f"not in labels.csv (skipped): {', '.join(result.unlabelled)}")
    return "\n".join(lines)
