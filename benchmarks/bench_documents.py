"""documents: issuing reply letters through `documents.service.issue` on PostgreSQL, against docxtpl
rendering the same template with the same context alone (issue 16; target: at most 1.5×).

A set of imported cases answered with reasons is issued one reply letter each, one transaction per
letter as the CLI and the web do: the case and its history loaded, the context built (a replay of
the history), a number drawn, the template found and stored, the letter rendered deterministically
and recorded with its inputs and SHA-256. The baseline renders each letter's own stored inputs
through `DocxTemplate(...).render(...)` and `.save(...)`, nothing else. The two sides run in
interleaved rounds (a fifth of the set per round)."""

from __future__ import annotations

import io
import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

from docxtpl import DocxTemplate
from sqlmodel import col, select

from benchmarks.core import Result, Sizes, Target, count
from benchmarks.databases import Postgres, use_database
from benchmarks.generate import TODAY
from documents import service
from documents.defaults import default_template
from models.db import session_scope
from models.documents import Document
from workflow.access import Actor
from workflow.directory import add_organ, update_letter_data
from workflow.importer import Importer

ACTOR = Actor("benchmark")
ROUNDS = 5
ORGAN = "letters"


def answered_cases(n: int) -> list[str]:
    refs = [f"L-{i:05d}" for i in range(n)]
    with session_scope() as s:
        add_organ(s, code=ORGAN, name="红星镇人民政府")
        update_letter_data(
            s,
            ORGAN,
            {
                "short_name": "红星镇",
                "reconsideration_body": "红星县人民政府",
                "court": "红星县人民法院",
                "address": "红星路1号",
                "phone": "0451-1234567",
            },
        )
    answer = {
        "event": "answer",
        "on": "2026-03-20",
        "outcome": "withheld_third_party_rights",
        "reasons": "涉及第三方商业秘密，第三方不同意公开",
    }
    line = {
        "organ": ORGAN,
        "applicant_type": "natural_person",
        "applicant": "张三",
        "channel": "online",
        "received_on": "2026-03-02",
        "request": "2025年度本镇道路维修的预算文件",
        "events": [answer],
    }
    with session_scope() as s:
        Importer(s, actor=ACTOR, today=TODAY).run(json.dumps({"ref": r, **line}) for r in refs)
    return refs


def issuing(refs: list[str]) -> float:
    start = time.perf_counter()
    for ref in refs:
        with session_scope() as s:
            service.issue(s, ref, "reply", actor=ACTOR)
    return time.perf_counter() - start


def docxtpl_alone(contexts: Sequence[Mapping[str, Any]], template: bytes) -> float:
    start = time.perf_counter()
    for context in contexts:
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.render(context, autoescape=True)
        tpl.save(io.BytesIO())
    return time.perf_counter() - start


def run(sizes: Sizes, pg: Postgres) -> list[Result]:
    template = default_template("reply")
    with pg.database("documents") as url:
        use_database(url)
        refs = answered_cases(sizes.documents)
        ours = theirs = 0.0
        step = max(1, len(refs) // ROUNDS)
        for i in range(0, len(refs), step):
            chunk = refs[i : i + step]
            ours += issuing(chunk)
            with session_scope() as s:
                newest = select(Document.inputs).order_by(col(Document.id).desc()).limit(len(chunk))
                contexts = list(s.exec(newest))
            theirs += docxtpl_alone(contexts, template)
    n = len(refs)
    return [
        Result(
            benchmark="documents",
            name="issue a reply letter",
            figure=ours / n * 1e3,
            unit="ms/letter",
            baseline_name="docxtpl render + save alone",
            baseline=theirs / n * 1e3,
            baseline_unit="ms/letter",
            ratio=ours / theirs,
            ratio_means="issuing time / docxtpl time",
            target=Target("ratio", "<=", 1.5),
            size=count(n, "letters") + " on PostgreSQL",
            notes="one transaction per letter: load, replay, number, render, store inputs and SHA-256",
        )
    ]
