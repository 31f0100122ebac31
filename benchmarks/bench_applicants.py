"""applicants: finding an applicant's cases by the keyed hash of the identity number (DESIGN §12)
among the big generated set (1,000,000 cases), beside finding a case by its ref.

Every case of the set is given an applicant_details row (200,000 applicants, five cases each on
average, spread over the organs), written in SQL: the figure is the lookup along the index
(id_number_hash, organ_id) — the query `CaseFilter(identity_number=…)`, the 按件 fee count and the
repeated-application check run — not the encryption, which costs microseconds per case opened.
The rows are removed afterwards, so the set stays what the other benchmarks expect.

Baseline, same data, same run: the lookup of one case by its ref (unique index). Target: an
applicant's cases within 3x of it.
"""

from __future__ import annotations

import random

from sqlalchemy import text
from sqlmodel import col, select

from benchmarks.core import Result, Sizes, Target, count, median_time
from benchmarks.data import Datasets
from benchmarks.databases import vacuum_analyze
from models.cases import Case
from models.db import read_session, session_scope
from workflow.applicants import identity_condition

APPLICANTS = 200_000
LOOKUPS = 200
FILL = text(
    """
    INSERT INTO applicant_details (case_id, organ_id, id_kind, id_number_cipher, id_number_hash, key_id)
    SELECT id, organ_id, 'other', 'benchmark',
           encode(sha256(convert_to('applicant ' || (id % :n)::text, 'UTF8')), 'hex'), 'benchmark'
    FROM "case"
    """
)
HASHES = text(
    "SELECT encode(sha256(convert_to('applicant ' || k::text, 'UTF8')), 'hex') "
    "FROM generate_series(0, :n - 1) k"
)


def run(sizes: Sizes, data: Datasets) -> list[Result]:
    big = data.big()
    with session_scope() as s:
        s.execute(FILL, {"n": APPLICANTS})
    vacuum_analyze(big.url, ("applicant_details",))
    try:
        return _measure(sizes, big.cases)
    finally:
        with session_scope() as s:
            s.execute(text("DELETE FROM applicant_details WHERE key_id = 'benchmark'"))


def _measure(sizes: Sizes, cases: int) -> list[Result]:
    rng = random.Random(15)
    with read_session() as s:
        hashes = rng.sample(list(s.execute(HASHES, {"n": min(APPLICANTS, cases)}).scalars()), LOOKUPS)
        refs = rng.sample(list(s.exec(select(Case.ref).limit(50_000))), LOOKUPS)
        found = [0]

        def by_hash() -> None:
            found[0] = sum(len(s.exec(select(Case).where(identity_condition(h))).all()) for h in hashes)

        def by_ref() -> None:
            for r in refs:
                s.exec(select(Case).where(col(Case.ref) == r)).one()

        ours = median_time(by_hash, sizes.repeats) / LOOKUPS
        base = median_time(by_ref, sizes.repeats) / LOOKUPS
    return [
        Result(
            benchmark="applicants",
            name="an applicant's cases by identity hash",
            figure=ours * 1e3,
            unit="ms/lookup",
            baseline_name="one case by ref",
            baseline=base * 1e3,
            baseline_unit="ms/lookup",
            ratio=ours / base,
            ratio_means="hash lookup time / ref lookup time",
            target=Target("ratio", "<=", 3),
            size=count(cases, "cases") + f", {min(APPLICANTS, cases):,} applicants",
            notes=f"{found[0] / LOOKUPS:.1f} cases per applicant found on average",
        )
    ]
