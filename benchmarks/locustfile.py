"""The load of `make bench`: anonymous visitors browsing the directory, searching and opening listings.

benchmarks/run.py starts gunicorn on loopback and runs this headless (50 users, no think time: the
server's ceiling). By hand, against a server you started yourself on this machine:

    BENCH_TARGETS=benchmarks/.data/load-sqlite.json .venv/bin/locust -f benchmarks/locustfile.py \
        --headless --users 50 --spawn-rate 50 --run-time 60s --host http://127.0.0.1:8000

BENCH_TARGETS names a JSON file of real ids, search words and filters (run.py writes one); without it the
ids 1..1000 are tried. BENCH_WAIT sets a think time in seconds (default 0). Only loopback hosts are accepted.
"""
from __future__ import annotations

import json
import os
import random
from pathlib import Path
from urllib.parse import urlencode, urlparse

from locust import FastHttpUser, constant, task

LOOPBACK = {"127.0.0.1", "localhost", "::1"}

_file = os.environ.get("BENCH_TARGETS")
TARGETS = json.loads(Path(_file).read_text(encoding="utf-8")) if _file else {
    "listing_ids": list(range(1, 1001)), "enterprise_ids": list(range(1, 1001)),
    "words": ["청소", "도시락", "인쇄", "사무실 청소", "방역", "현수막"],
    "industries": ["cleaning", "catering", "printing"], "areas": ["수송동", "나운2동"],
    "kinds": ["social_enterprise", "cooperative"],
}


class Visitor(FastHttpUser):
    wait_time = constant(float(os.environ.get("BENCH_WAIT", "0")))

    def on_start(self) -> None:
        host = urlparse(self.host or "").hostname
        if host not in LOOPBACK:
            raise RuntimeError(f"the benchmark load only targets this machine's loopback, not {self.host!r}")

    def _get(self, path: str, params: dict | None, name: str) -> None:
        self.client.get(f"{path}?{urlencode(params)}" if params else path, name=name)

    @task(3)
    def search_listings(self) -> None:
        self._get("/listings", {"q": random.choice(TARGETS["words"])}, "/listings?q=[word]")

    @task(2)
    def filter_listings(self) -> None:
        params = random.choice([{"industry": random.choice(TARGETS["industries"])},
                                {"category": "goods", "price_max": 50000}, {}])
        self._get("/listings", params, "/listings?[filter]")

    @task(3)
    def listing(self) -> None:
        self._get(f"/listings/{random.choice(TARGETS['listing_ids'])}", None, "/listings/[id]")

    @task(2)
    def directory(self) -> None:
        params = random.choice([{}, {"area": random.choice(TARGETS["areas"])},
                                {"industry": random.choice(TARGETS["industries"]),
                                 "type": random.choice(TARGETS["kinds"])},
                                {"q": random.choice(TARGETS["words"])}])
        self._get("/enterprises", params, "/enterprises?[filter]")

    @task(1)
    def enterprise(self) -> None:
        self._get(f"/enterprises/{random.choice(TARGETS['enterprise_ids'])}", None, "/enterprises/[id]")

    @task(1)
    def healthz(self) -> None:
        self._get("/healthz", None, "/healthz")
