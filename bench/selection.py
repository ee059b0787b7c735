#!/usr/bin/env python3
"""Drives bench/selection.sh's selection day: makes and opens the day, follows the hall's SSE
feed, runs N clerks (call, choose the nearest available unit, confirm) until nobody waits, and
prints the time per choice and the hall's update latency p50/p99. Standard library only."""
import json
import sys
import threading
import time
import urllib.error
import urllib.request

BASE, CLERKS = sys.argv[1], int(sys.argv[2])


def api(method, path, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else float("nan")


tokens = [f"bench-clerk-{i}" for i in range(1, CLERKS + 1)]
status, day = api("POST", "/api/projects/SEL-B/selection-days", tokens[0], {"day": "2026-04-01"})
assert status == 201, day
day_id = day["id"]
assert api("POST", f"/api/selection-days/{day_id}/open", tokens[0], {})[0] == 200
_, units = api("GET", f"/api/selection-days/{day_id}/units", tokens[0])
areas = {u["id"]: u["area"] for u in units["units"]}
print(f"day {day_id}: {len(day['queue'])} households, {len(areas)} units, {CLERKS} clerks")

confirmed_at = {}   # household code → time its confirm was answered
seen_at = {}        # household code → time the hall first showed it confirmed
lock = threading.Lock()
done = threading.Event()


def follow_hall():
    req = urllib.request.Request(f"{BASE}/api/public/selection-days/{day_id}/events")
    with urllib.request.urlopen(req, timeout=120) as stream:
        event, data = None, None
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "" and event == "hall" and data:
                now = time.monotonic()
                for choice in json.loads(data)["last"]:
                    if choice["state"] == "confirmed":
                        with lock:
                            seen_at.setdefault(choice["code"], now)
                event, data = None, None
            if done.is_set():
                return


taken = set()
per_choice, conflicts = [], [0]


def clerk(token):
    while True:
        t0 = time.monotonic()
        status, h = api("POST", f"/api/selection-days/{day_id}/call", token, {})
        if status == 409:
            return  # nobody waits
        assert status == 200, h
        entitled = h["entitled_area"]
        base = f"/api/selection-days/{day_id}/households/{h['household_id']}"
        chosen = False
        for unit in sorted((u for u in areas if u not in taken and areas[u] <= entitled + 30), key=lambda u: (abs(areas[u] - entitled), u)):
            status, body = api("POST", f"{base}/choose", token, {"units": [unit]})
            with lock:
                taken.add(unit)
            if status == 200:
                chosen = True
                break
            if status != 409:
                break
            conflicts[0] += 1
        status, body = api("POST", f"{base}/confirm", token, {} if chosen else {"no_units": True})
        now = time.monotonic()
        if status != 200:
            print("confirm refused:", status, body, file=sys.stderr)
            api("POST", f"{base}/skip", token, {"reason": "absent"})
            continue
        with lock:
            per_choice.append(now - t0)
            if chosen:  # the hall lists choices: a household taking no flat is not on it
                confirmed_at[h["code"]] = now


hall = threading.Thread(target=follow_hall, daemon=True)
hall.start()
time.sleep(0.5)
start = time.monotonic()
threads = [threading.Thread(target=clerk, args=(t,)) for t in tokens]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
time.sleep(1.5)
done.set()
latency = [seen_at[c] - confirmed_at[c] for c in confirmed_at if c in seen_at]
print(f"{len(per_choice)} households served in {elapsed:.1f} s ({len(per_choice) / elapsed:.1f} per s), {conflicts[0]} lost races (409)")
print(f"time per choice (call + choose + confirm): p50 {pct(per_choice, 50) * 1000:.0f} ms, p99 {pct(per_choice, 99) * 1000:.0f} ms")
print(f"hall update latency (confirm answered → hall event): p50 {pct(latency, 50) * 1000:.0f} ms, "
      f"p99 {pct(latency, 99) * 1000:.0f} ms over {len(latency)} of {len(confirmed_at)} flats confirmed")
