"""Offline judgement: classify .eml files without servers or database, and score the classifier.

In: raw message bytes (``inbox-bot classify``), or a folder of ``.eml`` files with a
``labels.csv`` of ``file,kind[,has_question][,needs_review][,spoofed][,registered]``
(``inbox-bot evaluate``). Out: the JSON-able verdict of one message, or an :class:`Evaluation`
with a confusion matrix, the share of messages judged right (kind, and the question and review
flags where labelled) and every miss with its reasons. Staff can export a real mailbox folder,
label it, and check the bot before switching it on. ``registered`` says the sender was already
registered when the mail came: the bot then plans as it would for them.

A *harmful action* is counted apart from the misses: a confirmation, waiting-list notice,
cancellation notice, "already registered" or "not registered" reply (or the registration or
cancellation itself) that the label does not allow: only a ``registration`` (or
``cancellation``) that does not need review allows those; and any answer to mail labelled
``automatic`` (a loop) or ``spoofed`` (backscatter, or a confirmation for an impostor).
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bot.config.types import MAX_MESSAGE_BYTES, MESSAGE_SECONDS
from bot.errors import ConfigError, MessageRejected
from bot.judge.classify import ClassifyContext, Kind
from bot.outbound.reply import Purpose
from bot.pipeline.prepare import Reading, read_message
from bot.register.effects import Action, plan_effect
from bot.store.models import AttendeeStatus

log = logging.getLogger(__name__)

KINDS = [*(str(k) for k in Kind), "quarantined"]


def classify_bytes(raw: bytes, ctx: ClassifyContext, *, capacity: int,
                   seconds: float = MESSAGE_SECONDS, registered: bool = False) -> dict:
    """The JSON-able verdict on one message, including what the bot would do and which reply
    it would send to a sender it has not seen before (``registered``: to one who is
    registered), read within ``seconds`` as the worker would. Never raises: a defect, or a
    message that takes too long, gives ``kind: quarantined``."""
    ready = read_message(raw, Reading(ctx, MAX_MESSAGE_BYTES, seconds))
    if isinstance(ready.error, MessageRejected):
        return _quarantined("rejected", str(ready.error))
    if ready.error is not None:  # a defect of ours must still give the file its line
        log.debug("classify failed", exc_info=ready.error)
        return _quarantined("crashed", f"{type(ready.error).__name__}: {ready.error}")
    verdict = ready.verdict
    effect = plan_effect(verdict, existing=AttendeeStatus.REGISTERED if registered else None,
                         seats_left=capacity)
    details = verdict.details
    return {"kind": str(verdict.kind), "has_question": verdict.has_question,
            "needs_review": verdict.needs_review, "confidence": verdict.confidence,
            "action": str(effect.action),
            "reply": str(effect.reply) if effect.reply else None, "reasons": list(verdict.reasons),
            "sender": verdict.sender, "language": verdict.language, "verified": verdict.verified,
            "name": details.name, "party": details.party, "on_behalf_of": details.on_behalf_of,
            "notes": details.notes}


def _quarantined(reason: str, error: str) -> dict:
    return {"kind": "quarantined", "has_question": False, "needs_review": True,
            "confidence": 0.0, "action": str(Action.NOTHING), "reply": None,
            "reasons": [reason], "sender": None, "error": error}


# what acting on a sign-up or cancellation looks like, and the label that allows each
ACTS = {Action.REGISTER: "registration", Action.ALREADY: "registration",
        Action.CANCEL: "cancellation", Action.NOT_REGISTERED: "cancellation"}
ACT_REPLIES = {Purpose.REGISTRATION_CONFIRMED: "registration", Purpose.WAITLISTED: "registration",
               Purpose.ALREADY_REGISTERED: "registration",
               Purpose.CANCELLATION_CONFIRMED: "cancellation",
               Purpose.NOT_REGISTERED: "cancellation"}


@dataclass(frozen=True)
class Label:
    file: str
    kind: str
    has_question: bool | None
    spoofed: bool
    needs_review: bool | None = None
    registered: bool = False


@dataclass
class Evaluation:
    confusion: Counter = field(default_factory=Counter)   # (label kind, bot kind) -> count
    total: int = 0
    correct: int = 0  # kind right, and the question and review flags where labelled
    question_total: int = 0
    question_correct: int = 0
    review_total: int = 0
    review_correct: int = 0
    misses: list[str] = field(default_factory=list)
    harmful: list[str] = field(default_factory=list)
    plain_sign_ups: int = 0  # labelled sign-ups without a question that need no review
    plain_sign_ups_registered: int = 0  # ... that the bot registers on its own
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
        labels.append(Label(row["file"].strip(), kind, _flag(row, "has_question"),
                            bool(_flag(row, "spoofed")), _flag(row, "needs_review"),
                            bool(_flag(row, "registered"))))
    return labels


def _flag(row: dict, column: str) -> bool | None:
    value = (row.get(column) or "").strip().lower()
    return None if not value else value in ("yes", "true", "1")


def evaluate_folder(folder: Path, ctx: ClassifyContext, *, capacity: int,
                    seconds: float = MESSAGE_SECONDS) -> Evaluation:
    """Classify every labelled file in ``folder`` and score the results."""
    labels = read_labels(folder)
    result = Evaluation()
    known = {label.file for label in labels}
    result.unlabelled = sorted(p.name for p in folder.glob("*.eml") if p.name not in known)
    for label in labels:
        got = classify_bytes((folder / label.file).read_bytes(), ctx, capacity=capacity,
                             seconds=seconds, registered=label.registered)
        score(result, label, got)
    return result


def score(result: Evaluation, label: Label, got: dict) -> None:
    """Add one message's verdict ``got`` (from :func:`classify_bytes`) to ``result``."""
    result.total += 1
    result.confusion[(label.kind, got["kind"])] += 1
    wrong = [] if got["kind"] == label.kind else [f"kind {got['kind']}"]
    if label.has_question is not None and label.has_question != got["has_question"]:
        wrong.append(f"has_question {'yes' if got['has_question'] else 'no'}")
    if label.needs_review is not None and label.needs_review != got["needs_review"]:
        wrong.append(f"needs_review {'yes' if got['needs_review'] else 'no'}")
    if got["kind"] == label.kind and label.has_question is not None:
        result.question_total += 1
        result.question_correct += label.has_question == got["has_question"]
    if label.needs_review is not None:
        result.review_total += 1
        result.review_correct += label.needs_review == got["needs_review"]
    if wrong:
        result.misses.append(f"{label.file}: labelled {label.kind}, bot says "
                             f"{', '.join(wrong)} ({', '.join(got['reasons'])})")
    else:
        result.correct += 1
    allowed = label.kind if not label.needs_review and not label.spoofed else None
    acted = ACTS.get(got["action"]) not in (None, allowed)
    replied = ACT_REPLIES.get(got["reply"]) not in (None, allowed)
    if got["reply"] and (label.kind == "automatic" or label.spoofed):
        result.harmful.append(f"{label.file}: would send {got['reply']} to "
                              f"{'automatic' if label.kind == 'automatic' else 'spoofed'} "
                              f"mail ({', '.join(got['reasons'])})")
    elif acted or replied:
        result.harmful.append(f"{label.file}: would {got['action']} and send {got['reply']}, "
                              f"labelled {label.kind}{' (review)' if label.needs_review else ''}"
                              f" ({', '.join(got['reasons'])})")
    if label.kind == "registration" and label.needs_review is False and not label.has_question:
        result.plain_sign_ups += 1
        result.plain_sign_ups_registered += got["action"] in (Action.REGISTER, Action.ALREADY) \
            and not got["needs_review"]


def format_report(result: Evaluation) -> str:
    """The confusion matrix, the scores, the misses and the harmful replies, as text."""
    width = max(len(k) for k in KINDS) + 1
    lines = ["confusion matrix (rows: label, columns: bot)",
             " " * width + "".join(f"{k[:12]:>13}" for k in KINDS)]
    for expected in KINDS:
        counts = [result.confusion[(expected, got)] for got in KINDS]
        if any(counts):
            lines.append(f"{expected:<{width}}" + "".join(f"{n:>13}" for n in counts))
    lines.append(f"accuracy: {result.correct}/{result.total} = {result.accuracy:.1%} (kind, and "
                 f"the question and review flags where labelled)")
    if result.question_total:
        share = result.question_correct / result.question_total
        lines.append(f"has_question: {result.question_correct}/{result.question_total} = "
                     f"{share:.1%} (of messages whose kind was right)")
    if result.review_total:
        share = result.review_correct / result.review_total
        lines.append(f"needs_review: {result.review_correct}/{result.review_total} = {share:.1%}")
    if result.plain_sign_ups:
        lines.append(f"plain sign-ups registered without review: "
                     f"{result.plain_sign_ups_registered}/{result.plain_sign_ups}")
    lines.append(f"harmful actions: {len(result.harmful)} (a sign-up, cancellation or their "
                 f"replies the label does not allow; automatic or spoofed mail answered)")
    lines += [f"  HARMFUL {line}" for line in result.harmful]
    lines.append(f"misses: {len(result.misses)}")
    lines += [f"  {line}" for line in result.misses]
    if result.unlabelled:
        lines.append(f"not in labels.csv (skipped): {', '.join(result.unlabelled)}")
    return "\n".join(lines)
