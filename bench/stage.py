#!/usr/bin/env python3
"""Stage roll-up latency (issue 14): medians of region figures with their counts by stage, live and
as of a day, the drill-down rows with theirs, and the all-regions list, over HTTP."""
import argparse
import json
import statistics
import time
import urllib.request


def timed(url, token):
    request = urllib.request.Request(url, headers={"authorization": f"Bearer {token}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request) as response:
        body = response.read()
    return (time.perf_counter() - start) * 1000, json.loads(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--region", required=True, help="a region code (the city)")
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--runs", type=int, default=15)
    a = parser.parse_args()
    cases = [
        ("region figures, live (kept after the first)", f"/api/figures/regions/{a.region}"),
        ("region figures, as of a day", f"/api/figures/regions/{a.region}?as_of={a.as_of}"),
        ("children by stage, live", f"/api/regions/{a.region}/children"),
        ("children by stage, as of a day", f"/api/regions/{a.region}/children?as_of={a.as_of}"),
        ("all regions (kept after the first)", "/api/figures/regions"),
    ]
    for name, path in cases:
        first, doc = timed(a.url + path, a.token)
        times = sorted(timed(a.url + path, a.token)[0] for _ in range(a.runs))
        stages = doc.get("projects_by_stage") or (doc.get("children") or [{}])[0].get("projects_by_stage") \
            or (doc.get("regions") or [{}])[0].get("projects_by_stage")
        print(f"{name:48s} first {first:8.1f} ms  median {statistics.median(times):8.1f} ms  "
              f"max {times[-1]:8.1f} ms  projects by stage {json.dumps(stages, sort_keys=True)}")


if __name__ == "__main__":
    main()
