"""N realistic cases with their histories, for the benchmarks: a district's 24 bodies over five years.

The histories are `demo.samples` walks (every state, outcome, channel and applicant type;
corrections, consultations, fees, extensions, late replies, withdrawals, appeals), with a share of
mail and online applications that start `registered` and are confirmed later. Bodies differ in
size the way they do in practice (land and housing draw most requests), so one organ-year holds
a few per cent of everything.

The data has two parts, both valid under the engine's rules:

- the history: cases received from 1 January of the first year up to 60 days before `today`,
  every one of them concluded (a walk cut short by `today` is drawn again), as old cases are;
- the recent tail: cases received in the last 60 days, with exactly `due` open cases that the
  deadline sweep of `today` has something to do for, and `waiting` open ones with nothing due yet
  (plus the recent cases already concluded). The tail depends only on (due, waiting, seed), so
  the 10,000-case and the 1,000,000-case sweep sets hold the very same due cases.

Two ways out, both through the engine's own importer so every line is replayed through the live
rules (no invariant can be skipped): `write_database` drives `workflow.importer.Importer` in this
process, which writes with COPY on PostgreSQL (models/bulk.py); `write_jsonl` writes the file
`ogi case import` reads.

    python -m benchmarks.generate --cases 100000 --jsonl cases.jsonl
    python -m benchmarks.generate --cases 100000 --database postgresql://postgres@127.0.0.1/mydb
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codes import State
from config.settings import get_settings
from demo.samples import sample_line
from models.db import session_scope
from workflow import events as ev
from workflow.access import Actor
from workflow.calendar import WorkCalendar, default_calendar
from workflow.directory import add_organ, add_user
from workflow.importer import Importer, chunks
from workflow.machine import CaseRecord
from workflow.reminders import horizon
from workflow.service import new_flow, opening
from workflow.sweep import in_window

TODAY = dt.date(2026, 11, 26)
FIRST_YEAR = 2022
TAIL_DAYS = 60
GENERATOR = Actor("generator")
TERMINAL_EVENTS = frozenset({"answer", "withdraw", "lapse_correction", "lapse_fee"})
_CONFIRMED_CHANNELS = ("ordinary_mail", "online", "email", "fax")

# (code, name), the most requested first; the first is the report benchmark's organ
ORGANS: tuple[tuple[str, str], ...] = (
    ("housing", "某区住房和城乡建设局"),
    ("land", "某区自然资源局"),
    ("district", "某区人民政府"),
    ("police", "某区公安分局"),
    ("market", "某区市场监督管理局"),
    ("hr", "某区人力资源和社会保障局"),
    ("eco", "某区生态环境局"),
    ("urban", "某区城市管理局"),
    ("edu", "某区教育局"),
    ("health", "某区卫生健康委员会"),
    ("transport", "某区交通运输局"),
    ("civil", "某区民政局"),
    ("finance", "某区财政局"),
    ("justice", "某区司法局"),
    ("agri", "某区农业农村局"),
    ("water", "某区水务局"),
    ("commerce", "某区商务局"),
    ("culture", "某区文化和旅游局"),
    ("emergency", "某区应急管理局"),
    ("medical", "某区医疗保障局"),
    ("audit", "某区审计局"),
    ("stats", "某区统计局"),
    ("veterans", "某区退役军人事务局"),
    ("hongxing", "红星镇人民政府"),
)
PARENT = "district"
# Zipf-like: the largest body draws ~13% of all requests, the smallest under 1.5%
WEIGHTS: tuple[float, ...] = tuple(1 / (k**0.7) for k in range(1, len(ORGANS) + 1))


@dataclass(frozen=True)
class Spec:
    cases: int
    due: int = 1_000
    waiting: int = 3_000
    first_year: int = FIRST_YEAR
    today: dt.date = TODAY
    seed: int = 6


@dataclass
class Tally:
    cases: int = 0
    tail: int = 0
    open_due: int = 0
    open_waiting: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def caseworkers(code: str) -> list[str]:
    return [f"{code}-w1", f"{code}-w2"]


def setup_directory() -> None:
    """The organs (a district and its bodies) and their people, in the configured database."""
    with session_scope() as s:
        add_organ(s, code=PARENT, name=dict(ORGANS)[PARENT])
        for code, name in ORGANS:
            if code != PARENT:
                add_organ(s, code=code, name=name, parent=PARENT)
        for code, _ in ORGANS:
            for w in caseworkers(code):
                add_user(s, name=w, organ=code, role="caseworker", email=f"{w}@example.org")
            add_user(s, name=f"{code}-head", organ=code, role="supervisor", email=f"{code}-head@example.org")


# --- one case --------------------------------------------------------------------------------------
def replay(line: dict[str, Any], today: dt.date) -> CaseRecord:
    """What the rules make of a line (the importer replays it again when it is written)."""
    record = CaseRecord()
    flow = new_flow(record)
    got, sub = line.get("received_on"), line.get("submitted_on")
    first, on = opening(
        dt.date.fromisoformat(got) if got else None, dt.date.fromisoformat(sub) if sub else None
    )
    flow.fire(first, ev.Params(on=on), today=today)
    for raw in line["events"]:
        name = raw["event"]
        params = ev.parse_params(name, {k: v for k, v in raw.items() if k != "event"})
        flow.fire(name, flow.resolve(name, params, today), today=today)
    return record


class _Maker:
    """Draws single cases: organ, date, walk, and the registered-first variant."""

    def __init__(self, spec: Spec, cal: WorkCalendar, rng: random.Random) -> None:
        self.spec, self.cal, self.rng = spec, cal, rng
        self.codes = [c for c, _ in ORGANS]
        self.numbers: dict[tuple[str, int, str], int] = {}

    def workdays(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days = (first + dt.timedelta(d) for d in range((last - first).days + 1))
        return [d for d in days if self.cal.is_workday(d)]

    def ref(self, code: str, year: int, mark: str) -> str:
        k = self.numbers.get((code, year, mark), 0) + 1
        self.numbers[(code, year, mark)] = k
        return f"{code.upper()}-{year}-{mark}{k:06d}"

    def line(self, received: dt.date, *, finish: bool, mark: str) -> dict[str, Any]:
        rng = self.rng
        code = rng.choices(self.codes, WEIGHTS)[0]
        line = sample_line(
            self.cal,
            rng,
            ref="",
            organ=code,
            received=received,
            today=self.spec.today,
            finish=finish,
            assignee=rng.choice(caseworkers(code)),
        )
        line["ref"] = self.ref(code, received.year, mark)
        personalise(line)
        if line["channel"] in _CONFIRMED_CHANNELS and rng.random() < 0.3:
            registered_first(line, rng)
        return line


# varied applicants and requests, so the case list's search finds what a real office's would: a full
# name among thousands, a surname among a few per cent, a phrase of a request among a few hundred
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红燕玲建国志文海波辉鹏飞宇浩然子轩雨欣梓涵晨"
PLACES = (
    "东风",
    "红旗",
    "人民",
    "建设",
    "解放",
    "幸福",
    "和平",
    "新华",
    "长江",
    "黄河",
    "朝阳",
    "光明",
    "胜利",
    "团结",
    "友谊",
    "青年",
    "滨江",
    "湖滨",
    "花园",
    "翠苑",
    "金桥",
    "银杏",
    "梧桐",
    "石榴",
    "桃源",
    "柳岸",
    "枫林",
    "松涛",
    "竹园",
    "梅岭",
)
PROJECTS = (
    "棚户区改造",
    "征收补偿",
    "拆迁安置",
    "道路拓宽",
    "学校新建",
    "垃圾处理站",
    "污水管网",
    "加装电梯",
    "老旧小区改造",
    "停车场建设",
    "农用地转用",
    "宅基地审批",
    "河道整治",
    "公园提升",
    "规划调整",
)
DOCUMENTS = (
    "批复文件",
    "补偿方案",
    "会议纪要",
    "立项审批",
    "环评报告",
    "规划许可",
    "征收决定",
    "资金使用情况",
    "招标文件",
    "验收报告",
)
COMPANY_KINDS = ("科技有限公司", "置业有限公司", "建筑工程有限公司", "律师事务所", "商贸有限公司")


def personalise(line: dict[str, Any]) -> None:
    """A name and a request of the case's own, drawn from its ref (so the main draw stays as it was)."""
    r = random.Random(zlib.crc32(line["ref"].encode()))
    if line["applicant_type"] == "natural_person":
        given = "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))
        line["applicant"] = r.choice(SURNAMES) + given
    else:
        line["applicant"] = f"某市{r.choice(PLACES)}{r.choice(GIVEN)}{r.choice(COMPANY_KINDS)}"
    year = r.randint(2015, 2026)
    line["request"] = (
        f"申请公开{r.choice(PLACES)}路{r.choice(PLACES)}片区{r.choice(PROJECTS)}项目{year}年的{r.choice(DOCUMENTS)}"
    )


def registered_first(line: dict[str, Any], rng: random.Random) -> None:
    """The application arrived a few days before the office could confirm it (Art. 31)."""
    received = dt.date.fromisoformat(line.pop("received_on"))
    line["submitted_on"] = (received - dt.timedelta(days=rng.randint(0, 3))).isoformat()
    line["events"].insert(0, {"event": "confirm_receipt", "on": received.isoformat()})


def unconfirmed(line: dict[str, Any]) -> None:
    """Submitted but not confirmed yet: still `registered`, no clock running."""
    if "received_on" in line:
        line["submitted_on"] = line.pop("received_on")
    line["events"] = []
    line.pop("appeals", None)


# --- the two parts ---------------------------------------------------------------------------------
def tail(spec: Spec, cal: WorkCalendar, tally: Tally) -> list[dict[str, Any]]:
    """The recent cases: exactly `due` open ones due today, `waiting` open ones not due yet."""
    maker = _Maker(spec, cal, random.Random(f"tail-{spec.seed}-{spec.due}-{spec.waiting}"))
    days = maker.workdays(spec.today - dt.timedelta(TAIL_DAYS), spec.today - dt.timedelta(1))
    upto = horizon(spec.today, get_settings().reminder_offsets, cal)
    out: list[dict[str, Any]] = []
    due, waiting = spec.due, spec.waiting
    for _ in range(100 * (spec.due + spec.waiting) + 100):
        if due == 0 and waiting == 0:
            return out
        line = maker.line(maker.rng.choice(days), finish=maker.rng.random() < 0.5, mark="T")
        if maker.rng.random() < 0.03:
            unconfirmed(line)
        record = replay(line, spec.today)
        if record.state != State.answered:
            if in_window(record, spec.today, upto):  # the sweep's own window draws the quota
                if not due:
                    continue
                due -= 1
            else:
                if not waiting:
                    continue
                waiting -= 1
        out.append(line)
        tally.by_state[record.state] = tally.by_state.get(record.state, 0) + 1
    raise RuntimeError(f"could not draw {spec.due} due and {spec.waiting} waiting open cases")


def history(spec: Spec, cal: WorkCalendar, n: int) -> Iterator[dict[str, Any]]:
    """n concluded cases received from the first year up to the tail."""
    maker = _Maker(spec, cal, random.Random(f"history-{spec.seed}"))
    days = maker.workdays(dt.date(spec.first_year, 1, 1), spec.today - dt.timedelta(TAIL_DAYS + 1))
    for _ in range(n):
        received = maker.rng.choice(days)
        while True:  # an old case is concluded by now: draw again when the walk reached today
            line = maker.line(received, finish=True, mark="")
            events = line["events"]
            if events and events[-1]["event"] in TERMINAL_EVENTS:
                break
            maker.numbers[(line["organ"], received.year, "")] -= 1  # reuse the ref's number
        yield line


def lines(spec: Spec, tally: Tally | None = None) -> Iterator[dict[str, Any]]:
    """All spec.cases import lines: the history first, then the recent tail."""
    tally = tally if tally is not None else Tally()
    cal = default_calendar()
    recent = tail(spec, cal, tally)
    if len(recent) > spec.cases:
        raise ValueError(f"{spec.cases} cases cannot hold the {len(recent)} recent ones the sweep needs")
    tally.tail, tally.open_due, tally.open_waiting = len(recent), spec.due, spec.waiting
    n = spec.cases - len(recent)
    tally.by_state[State.answered] = tally.by_state.get(State.answered, 0) + n
    tally.cases = spec.cases
    yield from history(spec, cal, n)
    yield from recent


# --- writing -------------------------------------------------------------------------------------
def write_jsonl(path: Path, spec: Spec) -> Tally:
    """The import file (`ogi case import`), streamed line by line."""
    tally = Tally()
    with path.open("w", encoding="utf-8") as f:
        for line in lines(spec, tally):
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return tally


def write_database(
    spec: Spec, *, batch: int = 20_000, progress: Callable[[int], None] | None = None
) -> Tally:
    """Into the configured database through the engine's importer (COPY on PostgreSQL), one
    transaction per batch so memory stays flat. The organs and users are created first."""
    setup_directory()
    tally = Tally()
    for chunk in chunks(lines(spec, tally), batch):
        with session_scope() as s:
            Importer(s, actor=GENERATOR, today=spec.today).run(json.dumps(x) for x in chunk)
        if progress is not None:
            progress(len(chunk))
    return tally


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    p.add_argument("--cases", type=int, required=True)
    p.add_argument("--due", type=int, default=Spec.due)
    p.add_argument("--waiting", type=int, default=Spec.waiting)
    p.add_argument("--seed", type=int, default=Spec.seed)
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--jsonl", type=Path, help="write the import file (its organs must exist to import it)")
    out.add_argument("--database", help="a migrated database URL; organs, users and cases are created")
    a = p.parse_args(argv)
    spec = Spec(cases=a.cases, due=a.due, waiting=a.waiting, seed=a.seed)
    if a.database:
        from benchmarks.databases import use_database

        use_database(a.database)
        tally = write_database(spec)
    else:
        tally = write_jsonl(a.jsonl, spec)
    print(json.dumps(tally.__dict__, ensure_ascii=False))


if __name__ == "__main__":
    main()
