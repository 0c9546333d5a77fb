"""Where a profiled poll spends its time, per stage of the flow, in milliseconds per message.

In: the ``pstats.Stats`` of a profiled ``poll_once`` (``bench/backlog.py --profile``) and the
number of messages. Out: one line, e.g. ``fetch 0.4 · parse 1.1 · classify 2.0 · record 4.9 ·
render 0.9 · send 1.3 · move 0.1 ms per message``, so the next bottleneck shows at a glance.
Times are cProfile's cumulative times (profiling slows everything down, evenly enough to
compare stages). Parse and classify show only what ran in this process: with reader processes
(``--parse-processes`` 1 or more) a backlog is read there, so profile with
``--parse-processes 0`` to see them.
"""

from __future__ import annotations

import pstats

# stage: (file, function) whose cumulative time it is; "record" is handle_in without render
STAGES = {
    "fetch": ("mailbox.py", "fetch"),
    "parse": ("parse.py", "parse_message"),
    "classify": ("classify.py", "classify_message"),
    "record": ("flow.py", "handle_in"),
    "render": ("reply.py", "render_reply"),
    "send": ("outbox.py", "flush_outbox"),
    "move": ("mailbox.py", "move"),
}


def cumulative(stats: pstats.Stats, file: str, function: str) -> float:
    """Seconds spent in ``function`` of ``file`` and everything it called."""
    return sum(entry[3] for (path, _line, name), entry in stats.stats.items()
               if name == function and path.endswith(file))


def stage_line(stats: pstats.Stats, count: int) -> str:
    seconds = {stage: cumulative(stats, *where) for stage, where in STAGES.items()}
    seconds["record"] -= seconds["render"]  # rendering happens inside handle_in
    parts = [f"{stage} {1000 * s / max(count, 1):.1f}" for stage, s in seconds.items()]
    return "where the time goes (cProfile): " + " · ".join(parts) + " ms per message"
