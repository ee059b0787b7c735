#!/usr/bin/env python3
"""Households, funds and disclosure benchmark: latency p50/p95 of the staff desk's requests
(search, a household's file, funds, the agreement and detail table), a payment batch through
its four steps, and the public page's requests (project list, a deep list page, a resident's
look-up), against a running onemap on loopback. Look-ups are rate-limited per address, so
each is sent from its own 127.0.0.x source address (all of 127/8 is loopback).

usage: bench/households.py --url URL --admin TOKEN --clerk TOKEN --approvers T1,T2,… --db PSQL_URL [--repeat 50]
"""
import argparse
import http.client
import json
import statistics
import subprocess
import time
import urllib.parse
import uuid


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def sql(db, query):
    return subprocess.run(["psql", db, "-Atc", query], check=True, capture_output=True, text=True).stdout.strip().splitlines()


class Client:
    def __init__(self, url, token=None, source=None):
        self.url = urllib.parse.urlparse(url)
        self.token = token
        self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=120,
                                               source_address=(source, 0) if source else None)

    def call(self, method, path, body=None, expect=(200, 201)):
        headers = {"Accept-Encoding": "identity"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status not in expect:
            raise SystemExit(f"{method} {path}: HTTP {response.status} {payload[:300]!r}")
        return elapsed, payload


def report(label, times):
    print(f"{label:<52} p50 {statistics.median(times):8.1f} ms   p95 {percentile(times, 95):8.1f} ms   n={len(times)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--admin", required=True)
    parser.add_argument("--clerk", required=True)
    parser.add_argument("--approvers", required=True, help="one token per step of the chain, each a different person")
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    admin = Client(args.url, args.admin)
    clerk = Client(args.url, args.clerk)
    public = Client(args.url)
    n = args.repeat

    project = sql(args.db, "SELECT p.code FROM projects p JOIN project_figures f ON f.project_id = p.id ORDER BY f.households DESC LIMIT 1")[0]
    published = sql(args.db, "SELECT p.code FROM projects p JOIN project_figures f ON f.project_id = p.id WHERE p.published ORDER BY f.households DESC LIMIT 1")[0]
    households = sql(args.db, f"SELECT h.id FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id WHERE p.code = '{project}' ORDER BY h.id LIMIT {n}")
    endings = sql(args.db, f"SELECT right(holder_id_number, 6) FROM households ORDER BY id DESC LIMIT {n}")
    people = [r.split("|") for r in sql(args.db, f"SELECT h.holder_name, h.holder_id_number FROM households h JOIN buildings b ON b.id = h.building_id JOIN projects p ON p.id = b.project_id WHERE p.published ORDER BY h.id LIMIT {n}")]
    total = sql(args.db, "SELECT count(*) FROM households")[0]
    print(f"{total} households; largest project {project}, largest published {published}")

    report("search: name part, whole city (limit 50)", [admin.call("GET", "/api/households?name=%E5%BB%BA&limit=50")[0] for _ in range(n)])
    report("search: name part, one project", [admin.call("GET", f"/api/households?project={project}&name=%E5%BB%BA")[0] for _ in range(n)])
    report("search: last 6 of an ID number, whole city", [admin.call("GET", f"/api/households?id_number={e}")[0] for e in endings])
    report("a household's file", [admin.call("GET", f"/api/households/{h}")[0] for h in households])
    report("a project's funds (batches, payable, warnings)", [admin.call("GET", f"/api/projects/{project}/funds")[0] for _ in range(n)])
    report("alerts incl. fund warnings, whole city", [admin.call("GET", "/api/alerts")[0] for _ in range(max(5, n // 5))])
    report("agreement .docx", [admin.call("GET", f"/api/households/{h}/agreement.docx")[0] for h in households[: max(5, n // 5)]])
    report("compensation detail table .xlsx, largest project", [admin.call("GET", f"/api/exports/projects/{project}/compensation.xlsx")[0] for _ in range(5)])

    # a batch of 20 payments submitted by the clerk, then each step of the project's chain
    # taken by another person (the database refuses one person two steps of a batch)
    approvers = [Client(args.url, t) for t in args.approvers.split(",")]
    payable = json.loads(admin.call("GET", f"/api/projects/{project}/funds")[1])["payable"]
    steps = {"submit": []}
    batches = 0
    for start in range(0, min(len(payable), 20 * 10), 20):
        chunk = payable[start:start + 20]
        body = {"note": "bench", "payments": [{"household_id": p["household_id"], "yuan": round(min(p["remaining_yuan"], 1000.0), 2),
                                                "idempotency_key": str(uuid.uuid4())} for p in chunk]}
        took, answer = clerk.call("POST", f"/api/projects/{project}/batches", body)
        steps["submit"].append(took)
        state = json.loads(answer)
        batch = state["id"]
        for person in approvers:
            step = state["next_step"]
            if step is None:
                break
            took, answer = person.call("POST", f"/api/batches/{batch}/{step['key']}", expect=(200,))
            steps.setdefault(step["key"], []).append(took)
            state = json.loads(answer)
        batches += 1
    for step, times in steps.items():
        if times:
            report(f"batch of 20 payments: {step}", times)
    print(f"batches paid: {batches}")

    report("public: published projects", [public.call("GET", "/api/public/projects")[0] for _ in range(n)])
    report("public: project page with documents", [public.call("GET", f"/api/public/projects/{published}")[0] for _ in range(n)])
    for list_name in ("survey", "signed", "paid", "incentives", "progress"):
        report(f"public: {list_name} list, page 1 (50 rows)", [public.call("GET", f"/api/public/projects/{published}/lists/{list_name}")[0] for _ in range(max(5, n // 5))])
    report("public: signed list, a page 500 rows in", [public.call("GET", f"/api/public/projects/{published}/lists/signed?offset=500")[0] for _ in range(max(5, n // 5))])
    lookups = []
    for i, (name, number) in enumerate(people):
        resident = Client(args.url, source=f"127.0.{1 + i // 250}.{1 + i % 250}")
        lookups.append(resident.call("POST", "/api/public/lookup", {"name": name, "id_number": number})[0])
    report("public: a resident's look-up (own address each)", lookups)
    limited = Client(args.url, source="127.0.9.9")
    codes = []
    for _ in range(7):
        limited.conn.request("POST", "/api/public/lookup", body=json.dumps({"name": people[0][0], "id_number": people[0][1]}),
                             headers={"Content-Type": "application/json"})
        response = limited.conn.getresponse()
        response.read()
        codes.append(response.status)
    print(f"seven look-ups from one address: {codes}")


if __name__ == "__main__":
    main()
