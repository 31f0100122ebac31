"""The caseworkers of the admin-under-load benchmark, for `locust --headless` (benchmarks.bench_admin_load).

Each simulated user logs in as its own caseworker (the plan file, OGI_BENCH_LOAD_PLAN, names them
with their cases and the search terms); once all have (the figures count from then), each, with a
short pause between pages, opens the case
list, searches, opens one of its cases, or re-assigns one of its cases to itself (an entry in the
case's history, posted with the version the page was loaded with). The request names are the
pages the benchmark reports.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["OGI_BENCH_LOAD_PLAN"]).read_text("utf-8"))
WAIT = PLAN["wait"]
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
_next_user = itertools.count()
_logged_in = 0


class Caseworker(HttpUser):
    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        me = PLAN["users"][next(_next_user) % len(PLAN["users"])]
        self.name, self.refs = me["name"], me["refs"]
        page = self.client.get("/login", name="login")
        form = {"name": self.name, "password": PLAN["password"], "next": "/", "csrf_token": _token(page.text)}
        self.client.post("/login", data=form, name="login", allow_redirects=False)
        self.wait_for_the_others()

    def wait_for_the_others(self) -> None:
        """The logins (argon2, on purpose slow) are not the pages measured: every user starts work
        once all are logged in, and the statistics restart then."""
        global _logged_in
        _logged_in += 1
        if _logged_in == len(PLAN["users"]) and self.environment.runner is not None:
            stats = self.environment.runner.stats
            stats.reset_all()
            for key in [k for k in stats.entries if k[0] == "login"]:
                del stats.entries[key]  # no empty row for the logins in the figures
        while _logged_in < len(PLAN["users"]):
            time.sleep(0.05)  # gevent's, under locust: the other users run meanwhile

    @task(3)
    def case_list(self) -> None:
        self.client.get("/cases", name="case list")

    @task(3)
    def search(self) -> None:
        self.client.get("/cases", params={"q": random.choice(PLAN["terms"])}, name="search")

    @task(3)
    def case_page(self) -> None:
        ref = random.choice(self.refs)
        self.client.get(f"/cases/{ref}", name="case page")

    @task(1)
    def post_event(self) -> None:
        ref = random.choice(self.refs)
        page = self.client.get(f"/cases/{ref}", name="case page")
        version = VERSION.search(page.text)
        data = {
            "assignee": self.name,
            "version": version.group(1) if version else "0",
            "csrf_token": _token(page.text),
        }
        with self.client.post(
            f"/cases/{ref}/reassign", data=data, name="post event", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 303:
                answer.failure(f"HTTP {answer.status_code}")


def _token(html: str) -> str:
    match = TOKEN.search(html)
    return match.group(1) if match else ""
