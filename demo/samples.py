"""Realistic random case histories as import lines: for `ogi demo`, the benchmarks and the tests.

Every history is valid under the rules (each step respects the guards), so importing it must
succeed; the walk visits every state, outcome, channel and applicant type.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from codes import LAPSE_OUTCOMES, OUTCOMES, AppealKind, AppealResult, ApplicantType, Channel
from workflow.calendar import WorkCalendar

ANSWERABLE = [o for o in OUTCOMES if o not in LAPSE_OUTCOMES and o not in ("unable_still_unclear", "other")]
# roughly the mix offices report: most requests are disclosed or not held
_WEIGHTS = {"disclosed": 30, "partially_disclosed": 8, "unable_not_held": 14}
_TYPE_WEIGHTS = [70, 12, 3, 3, 5, 7]


class Walk:
    """One case's history, built event by event while tracking the deadlines the rules imply."""

    def __init__(self, cal: WorkCalendar, rng: random.Random, today: dt.date) -> None:
        self.cal, self.rng, self.today = cal, rng, today
        self.events: list[dict[str, Any]] = []

    def add(self, n: int) -> dt.date:
        return self.cal.add_workdays(self.last, n)

    def ev(self, name: str, on: dt.date, **params: Any) -> bool:
        """Append an event unless it would lie in the future (then the case stays open)."""
        if on > self.today:
            return False
        self.events.append({"event": name, "on": on.isoformat(), **params})
        self.last = on
        return True

    def run(self, received: dt.date, finish: bool) -> None:
        self.last = received
        self.reply_due = self.cal.add_workdays(received, 20)
        self.corrected = False
        rng = self.rng
        if rng.random() < 0.2 and not self._correction(received, finish):
            return
        if rng.random() < 0.15 and not self._consultation(finish):
            return
        if rng.random() < 0.05 and not self._fee(finish):
            return
        if rng.random() < 0.15:
            room = self.cal.workdays_between(self.last, self.reply_due)
            if room >= 1:
                on = self.add(rng.randint(1, room))
                approver = rng.choice(["王主任", "李科长"])
                days = rng.randint(5, 20)
                if not self.ev("extend", on, days=days, approver=approver):
                    return
                self.reply_due = self.cal.add_workdays(self.reply_due, days)
        if not finish:
            return
        if rng.random() < 0.04:
            self.ev("withdraw", self.add(rng.randint(1, 8)))
            return
        outcomes = ANSWERABLE + (["unable_still_unclear"] if self.corrected else [])
        weights = [_WEIGHTS.get(o, 2) for o in outcomes]
        # most replies are on time; a few are late
        span = self.cal.workdays_between(self.last, self.reply_due)
        n = rng.randint(1, max(1, span)) if rng.random() < 0.93 or span < 1 else span + rng.randint(1, 6)
        self.ev("answer", self.add(n), outcome=rng.choices(outcomes, weights)[0])

    def _correction(self, received: dt.date, finish: bool) -> bool:
        rng = self.rng
        on = self.cal.add_workdays(received, rng.randint(1, 9))
        until = self.cal.add_workdays(on, rng.randint(10, 15))
        if not self.ev("request_correction", on, until=until.isoformat()):
            return False
        if not finish and rng.random() < 0.3:
            return False
        if rng.random() < 0.2:
            self.ev("lapse_correction", self.cal.add_workdays(until, rng.randint(1, 5)))
            return False
        got = self.cal.add_workdays(on, rng.randint(1, self.cal.workdays_between(on, until)))
        if not self.ev("receive_correction", got):
            return False
        self.corrected = True
        self.reply_due = self.cal.add_workdays(got, 20)
        return True

    def _consultation(self, finish: bool) -> bool:
        rng = self.rng
        on = self.add(rng.randint(1, 6))
        if not self.ev("consult", on, party=rng.choice(["third_party", "organ"])):
            return False
        due = self.cal.add_workdays(on, 15)
        if not finish and rng.random() < 0.3:
            return False
        end = due if rng.random() < 0.3 else self.cal.add_workdays(on, rng.randint(1, 15))
        if not self.ev("lapse_consultation" if end == due and rng.random() < 0.8 else "receive_opinion", end):
            return False
        self.reply_due = self.cal.add_workdays(self.reply_due, self.cal.workdays_between(on, end))
        return True

    def _fee(self, finish: bool) -> bool:
        rng = self.rng
        on = self.add(rng.randint(1, 4))
        if not self.ev("notify_fee", on, amount=rng.choice([100, 200, 1100, 3400])):
            return False
        due = self.cal.add_workdays(on, 20)
        if not finish and rng.random() < 0.3:
            return False
        if rng.random() < 0.3:
            self.ev("lapse_fee", self.cal.add_workdays(due, rng.randint(1, 3)))
            return False
        paid = self.cal.add_workdays(on, rng.randint(1, 20))
        if not self.ev("receive_payment", paid):
            return False
        self.reply_due = self.cal.add_workdays(self.reply_due, self.cal.workdays_between(on, paid))
        return True


def sample_line(
    cal: WorkCalendar,
    rng: random.Random,
    *,
    ref: str,
    organ: str,
    received: dt.date,
    today: dt.date,
    finish: bool = True,
    assignee: str | None = None,
) -> dict[str, Any]:
    walk = Walk(cal, rng, today)
    walk.run(received, finish)
    line: dict[str, Any] = {
        "ref": ref,
        "organ": organ,
        "applicant_type": rng.choices(list(ApplicantType), _TYPE_WEIGHTS)[0].value,
        "applicant": rng.choice(["张伟", "王芳", "李娜", "刘洋", "陈静", "某某科技有限公司", "某律师事务所"]),
        "channel": rng.choice(list(Channel)).value,
        "received_on": received.isoformat(),
        "events": walk.events,
    }
    if assignee:
        line["assignee"] = assignee
    concluded = walk.events[-1]["event"] == "answer" if walk.events else False
    if concluded and rng.random() < 0.06:
        line["appeals"] = [_appeal(cal, rng, dt.date.fromisoformat(walk.events[-1]["on"]), today)]
    return line


def _appeal(cal: WorkCalendar, rng: random.Random, answered: dt.date, today: dt.date) -> dict[str, Any]:
    filed = cal.add_workdays(answered, rng.randint(5, 40))
    kind = rng.choices(list(AppealKind), [6, 3, 1])[0].value
    appeal: dict[str, Any] = {"kind": kind, "filed_on": min(filed, today).isoformat()}
    decided = cal.add_workdays(filed, rng.randint(20, 90))
    if decided <= today and rng.random() < 0.8:
        appeal |= {
            "result": rng.choices(list(AppealResult), [7, 2, 1])[0].value,
            "decided_on": decided.isoformat(),
        }
    return appeal


def sample_year(
    cal: WorkCalendar,
    rng: random.Random,
    *,
    organ: str,
    year: int,
    n: int,
    today: dt.date,
    assignees: list[str] | None = None,
    prefix: str | None = None,
) -> Iterator[dict[str, Any]]:
    """n cases received on working days through `year`, each with a random history up to today."""
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    workdays = [d for d in days if cal.is_workday(d)]
    for i, received in enumerate(sorted(rng.choice(workdays) for _ in range(n)), 1):
        yield sample_line(
            cal,
            rng,
            ref=f"{prefix or organ.upper()}-{year}-{i:05d}",
            organ=organ,
            received=received,
            today=today,
            finish=rng.random() < 0.93,
            assignee=rng.choice(assignees) if assignees else None,
        )
