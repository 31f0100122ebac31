"""The generated data sets the report and sweep benchmarks share, built once per run when first asked for.

The big set (the report's 1,000,000 cases and the large sweep's) and the small sweep set hold the
same recent tail, so the two sweeps find the very same due cases (benchmarks.generate). The big
set is written by the generator in this process (COPY through the engine's importer), unless the
import benchmark already imported the very same lines through `ogi case import` for its memory
figure: then that database is adopted, which saves generating a million cases twice.
"""

from __future__ import annotations

import time
from dataclasses import asdict

from benchmarks.core import Sizes
from benchmarks.databases import Postgres, migrate_and_seed, use_database, vacuum_analyze
from benchmarks.generate import Spec, Tally, write_database


class DataSet:
    def __init__(self, url: str, tally: Tally, seconds: float) -> None:
        self.url, self.tally, self.seconds = url, tally, seconds

    @property
    def cases(self) -> int:
        return self.tally.cases

    def use(self) -> DataSet:
        """Make this set the configured database (the services' and the app's engine), and return it."""
        use_database(self.url)
        return self


class Datasets:
    """The run's generated sets; with `keep`, each is kept after the run under a name saying its
    size and taken again by the next run that asks for the same size (upgraded to the newest
    migration first), so a 1,000,000-case set is generated once for several measurements."""

    def __init__(self, pg: Postgres, sizes: Sizes, *, keep: bool = False) -> None:
        self.pg, self.sizes, self.keep = pg, sizes, keep
        self._sets: dict[str, DataSet] = {}

    def _get(self, what: str, cases: int) -> DataSet:
        if what not in self._sets and self.keep:
            kept = self.pg.kept(f"{what}_{cases}")
            if kept is not None:
                url, tally = kept
                migrate_and_seed(url)
                vacuum_analyze(url)
                self._sets[what] = DataSet(url, tally, 0.0)
        if what not in self._sets:
            url = self.pg.new_kept(f"{what}_{cases}") if self.keep else self.pg.new(what)
            use_database(url)
            start = time.perf_counter()
            tally = write_database(self.spec(cases))
            seconds = time.perf_counter() - start
            vacuum_analyze(url)
            if self.keep:
                self.pg.mark_complete(url, asdict(tally))
            self._sets[what] = DataSet(url, tally, seconds)
        return self._sets[what].use()

    def adopt(self, what: str, url: str, tally: Tally, seconds: float) -> None:
        """Take a database another benchmark filled with the same spec (the 1,000,000-case import)."""
        vacuum_analyze(url)
        self._sets[what] = DataSet(url, tally, seconds)

    def spec(self, cases: int) -> Spec:
        return Spec(cases=cases, due=self.sizes.due, waiting=self.sizes.waiting)

    def big(self) -> DataSet:
        return self._get("big", self.sizes.big_cases)

    def small(self) -> DataSet:
        return self._get("small", self.sizes.small_cases)

    def close(self) -> None:
        for data in self._sets.values():
            if self.keep:
                self.pg.release(data.url)
            else:
                self.pg.drop(data.url)
        self._sets.clear()
