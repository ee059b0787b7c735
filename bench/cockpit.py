#!/usr/bin/env python3
"""Cockpit benchmark: latency p50/p99 of the all-project gauges, the full region roll-up, an
"as of" query a year back, and a week's ranking, against a running onemap on loopback.

usage: bench/cockpit.py --url http://127.0.0.1:18093 --token TOKEN [--repeat 200]
"""
import argparse
import datetime
import http.client
import json
import statistics
import time
import urllib.parse


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--admin-token", help="to measure answers rebuilt after a status event")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Authorization": f"Bearer {args.token}", "Accept-Encoding": "identity"}

    def fetch(path):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status} {body[:300]!r}")
        return elapsed, body

    today = datetime.date.today()
    year_ago = today - datetime.timedelta(days=365)
    cases = [
        ("all-project gauges", "/api/figures/projects", 20, args.repeat),
        ("full region roll-up", "/api/figures/regions", 20, args.repeat),
        ("one district, live", "/api/figures/regions/330602", 20, args.repeat),
        ("city as of a year ago", f"/api/figures/regions/430700?as_of={year_ago}", 500, 50),
        ("district as of a year ago", f"/api/figures/regions/330602?as_of={year_ago}", 500, 50),
        ("project as of a year ago", f"/api/figures/projects/1?as_of={year_ago}", 500, 50),
        ("street ranking, this week", "/api/rankings?level=street", None, 50),
        ("project ranking, this week", "/api/rankings?level=project", None, 50),
        ("alerts", "/api/alerts", None, 50),
    ]
    print(f"{'query':28} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'target':>8} {'bytes':>9}")
    for name, path, target, repeat in cases:
        for _ in range(3):
            fetch(path)  # warm: connection, prepared statements, buffers
        runs = [fetch(path) for _ in range(repeat)]
        times = [r[0] for r in runs]
        p99 = percentile(times, 99)
        verdict = "" if target is None else (f"<{target}" + (" OK" if p99 < target else " OVER"))
        print(f"{name:28} {repeat:>4} {statistics.median(times):>8.1f} {p99:>8.1f} {verdict:>8} {len(runs[-1][1]):>9}", flush=True)
    sample = json.loads(fetch("/api/figures/projects")[1])
    print(f"projects in the all-project gauges: {len(sample['projects'])}")
    if args.admin_token:
        rebuilt_after_events(conn, headers, args.admin_token, fetch)


def rebuilt_after_events(conn, headers, admin_token, fetch):
    """The same lists right after a status event, when the kept answer is stale and rebuilt."""
    household = None
    for name, path in [("all-project gauges, rebuilt", "/api/figures/projects"), ("full region roll-up, rebuilt", "/api/figures/regions"),
                       ("one district, rebuilt", "/api/figures/regions/330602")]:
        times = []
        for _ in range(40):
            household = write_one(conn, admin_token, household)
            times.append(fetch(path)[0])
        print(f"{name:28} {len(times):>4} {statistics.median(times):>8.1f} {percentile(times, 99):>8.1f}", flush=True)


def write_one(conn, admin_token, household):
    """Moves one household forward and back (with a reason) so events keep coming."""
    auth = {"Authorization": f"Bearer {admin_token}", "Content-Type": "application/json"}
    if household is None:
        conn.request("GET", "/api/buildings/1", headers=auth)
        building = json.loads(conn.getresponse().read())
        household = building["households"][0]["id"]
    for _ in range(2):
        conn.request("POST", "/api/status", body=json.dumps({"changes": [{"subject": "household", "id": household, "to": "pending",
                                                                          "version": 0}]}), headers=auth)
        answer = json.loads(conn.getresponse().read())
        current = answer.get("current") or {}
        if current:
            break
    scale = ["pending", "surveyed", "signed", "vacated", "demolished"]
    status, version = current["status"], current["version"]
    to = scale[scale.index(status) + 1] if status in ("pending", "surveyed") else "surveyed"
    conn.request("POST", "/api/status", body=json.dumps({"changes": [{"subject": "household", "id": household, "to": to,
                                                                      "version": version, "reason": "bench"}]}), headers=auth)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"bench write failed: HTTP {response.status}")
    return household


if __name__ == "__main__":
    main()
