#!/usr/bin/env python3
"""Figures right after events (issue 19): N status writes, each followed at once by the
all-project gauges, the full region roll-up and the city's gauges; prints p50/p99 of each.
Usage: figures.py --url http://127.0.0.1:PORT --token T --households id:version,... [--label L]"""
import argparse
import http.client
import json
import statistics
import time
import urllib.parse


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--households", required=True, help="id:version pairs, comma-separated")
    parser.add_argument("--city", required=True, help="the root region's code")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"authorization": f"Bearer {args.token}"}

    def timed(method, path, body=None):
        h = dict(headers)
        if body is not None:
            h["content-type"] = "application/json"
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read()
        took = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        return took, len(data)

    reads = {"all-project gauges": "/api/figures/projects", "full roll-up": "/api/figures/regions",
             "city gauges": f"/api/figures/regions/{args.city}"}
    for path in reads.values():  # warm: the first answers after start are rebuilds either way
        timed("GET", path)
    times = {name: [] for name in reads}
    sizes = {}
    writes = []
    for pair in args.households.split(","):
        hid, version = (int(x) for x in pair.split(":"))
        body = json.dumps({"changes": [{"subject": "household", "id": hid, "to": "surveyed", "version": version}]})
        took, _ = timed("POST", "/api/status", body)
        writes.append(took)
        for name, path in reads.items():
            took, size = timed("GET", path)
            times[name].append(took)
            sizes[name] = size
    for name, values in times.items():
        print(f"{args.label:<8} {name:<20} after each of {len(values)} events: p50 {statistics.median(values):6.1f} ms  "
              f"p99 {percentile(values, 99):6.1f} ms  max {max(values):6.1f} ms  ({sizes[name] // 1024} KB)")
    print(f"{args.label:<8} {'status write':<20} p50 {statistics.median(writes):6.1f} ms  p99 {percentile(writes, 99):6.1f} ms")


if __name__ == "__main__":
    main()
