"""machine: the cost per event of the shared `transitions` machine, so its overhead is known.

The same histories (generated, every event kind) are replayed twice over fresh records: through
`CaseFlow.fire`, which dispatches through `MACHINE`, and through a plain dictionary of allowed
(state, event) pairs calling the very same guards and effects. The difference is what
`transitions` costs; the guards and the date arithmetic are in both. No target: it is reported.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from benchmarks.core import Result, Sizes, count, timed
from benchmarks.generate import TODAY, Spec, lines
from workflow import events as ev
from workflow.calendar import default_calendar
from workflow.errors import RuleViolation
from workflow.machine import TRANSITIONS, CaseFlow, CaseRecord, Policy
from workflow.service import opening

History = list[tuple[str, ev.Params]]

# (state, event) -> the state after it (None: an internal transition, the state stays)
DEST: dict[tuple[str, str], str | None] = {
    (src, name): dst for name, srcs, dst in TRANSITIONS for src in ([srcs] if isinstance(srcs, str) else srcs)
}


def plain_fire(flow: CaseFlow, event: str, params: ev.Params) -> None:
    """`CaseFlow.fire` without the machine: a dictionary lookup, then the same guard and effect."""
    key = (flow.state, event)
    if key not in DEST:
        raise RuleViolation(f"{event} is not allowed while the case is {flow.state}")
    on = params.on
    assert on is not None
    last = flow.row.last_event_on
    if last is not None and on < last:
        raise RuleViolation(f"{event} dated {on} precedes the case's previous event")
    getattr(flow, f"check_{event}")(params)
    dst = DEST[key]
    if dst is not None:
        flow.state = dst
    getattr(flow, f"apply_{event}")(params)
    flow.row.last_event_on = on
    flow._update_provisional(on)


def histories(n_events: int) -> tuple[list[History], list[tuple[str, str]]]:
    """Generated histories with their parameters parsed and resolved, about n_events in all, and
    the (state, event) pair of each step."""
    out: list[History] = []
    steps: list[tuple[str, str]] = []
    cal, total = default_calendar(), 0
    for line in lines(Spec(cases=max(200, n_events // 2), due=50, waiting=100)):
        flow = CaseFlow(CaseRecord(), calendar=cal)
        got, sub = line.get("received_on"), line.get("submitted_on")
        first, on = opening(_date(got), _date(sub))
        h: History = [(first, ev.Params(on=on))]
        steps.append((flow.state, first))
        flow.fire(first, h[0][1])
        for raw in line["events"]:
            name = raw["event"]
            p = flow.resolve(
                name, ev.parse_params(name, {k: v for k, v in raw.items() if k != "event"}), TODAY
            )
            steps.append((flow.state, name))
            flow.fire(name, p)
            h.append((name, p))
        out.append(h)
        total += len(h)
        if total >= n_events:
            break
    return out, steps


def _date(s: Any) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def run(sizes: Sizes) -> list[Result]:
    cal, policy = default_calendar(), Policy()
    hs, steps = histories(sizes.machine_events)
    n = sum(len(h) for h in hs)

    def machine() -> None:
        for h in hs:
            flow = CaseFlow(CaseRecord(), calendar=cal, policy=policy)
            for name, p in h:
                flow.fire(name, p)

    def plain() -> None:
        for h in hs:
            flow = CaseFlow(CaseRecord(), calendar=cal, policy=policy)
            for name, p in h:
                plain_fire(flow, name, p)

    def lookup() -> None:
        for step in steps:
            _ = step in DEST

    # interleaved, best of three each, so both see the same machine state
    rounds = [(timed(machine), timed(plain), timed(lookup)) for _ in range(3)]
    t_machine, t_plain, t_lookup = (min(ts) for ts in zip(*rounds, strict=True))
    per_machine, per_plain = t_machine / n * 1e6, t_plain / n * 1e6
    return [
        Result(
            benchmark="machine",
            name="CaseFlow.fire (transitions)",
            figure=per_machine,
            unit="µs/event",
            baseline_name="dict of allowed events + same guards/effects",
            baseline=per_plain,
            baseline_unit="µs/event",
            ratio=per_machine / per_plain,
            ratio_means="fire time / dict dispatch time",
            size=count(n, "events") + f" in {len(hs):,} histories",
            notes=(
                f"transitions adds {per_machine - per_plain:.2f} µs/event; "
                f"a bare dict lookup of an allowed event costs {t_lookup / n * 1e9:.0f} ns"
            ),
            extra={"lookup_ns": t_lookup / n * 1e9, "events": n},
        )
    ]
