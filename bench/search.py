#!/usr/bin/env python3
"""Map tools benchmark: the search box's SQL (backend/sql/maptools/search.sql) for whole
building codes, code prefixes, code fragments, project names, holder names and ID-number
endings (as an admin: households everywhere, the widest search), and a drawn boundary's counts
(within.sql) for 500 m squares around random buildings. One psql session, each statement
planned for its own values (plan_cache_mode = force_custom_plan, as the service's unnamed
statements are); prints p50/p95 per kind in ms.

usage: bench/search.py --db PSQL_URL [--repeat 30]
"""
import argparse
import pathlib
import re
import statistics
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent


def sql(db, query):
    return subprocess.run(["psql", db, "-Atc", query], check=True, capture_output=True, text=True).stdout.strip().splitlines()


def literal(s):
    return "'" + s.replace("'", "''") + "'"


def like(s):
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=30)
    a = ap.parse_args()
    n = a.repeat
    sample = lambda q: sql(a.db, q + f" ORDER BY random() LIMIT {n}")
    cases = {
        "building code (whole)": sample("SELECT code FROM buildings"),
        "building code prefix (project)": sample("SELECT code FROM projects"),
        "building code fragment (B0001)": [f"B{i:04d}" for i in range(1, n + 1)],
        "project name part": sample("SELECT substr(name, 1, 3) FROM projects"),
        "holder name (2 chars)": sample("SELECT substr(holder_name, 1, 2) FROM households"),
        "ID-number ending (6)": sample("SELECT right(holder_id_number, 6) FROM households"),
    }
    search = (ROOT / "backend/sql/maptools/search.sql").read_text()
    within = (ROOT / "backend/sql/maptools/within.sql").read_text()
    script = ["SET plan_cache_mode = force_custom_plan;",
              f"PREPARE search(text, text, bigint, boolean, integer, text) AS {search};",
              f"PREPARE within(text, bigint) AS {within};", "\\timing on"]
    order = []
    for kind, queries in cases.items():
        for q in queries:
            ending = q.upper() if re.fullmatch(r"[0-9]{3,17}[0-9X]", q) else None
            script.append(f"EXECUTE search({literal(q)}, {literal(like(q))}, 10, true, NULL, {literal(ending) if ending else 'NULL'});")
            order.append(kind)
    for lon, lat in (r.split("|") for r in sample("SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)) FROM buildings")):
        d = 250 / 111320
        w, s, e, nn = float(lon) - d * 1.15, float(lat) - d, float(lon) + d * 1.15, float(lat) + d
        ring = f'[[{w},{s}],[{e},{s}],[{e},{nn}],[{w},{nn}],[{w},{s}]]'
        script.append(f"EXECUTE within('{{\"type\":\"Polygon\",\"coordinates\":[{ring}]}}', 200);")
        order.append("within: a 500 m square")
    out = subprocess.run(["psql", a.db, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input="\n".join(script) + "\n",
                         check=True, capture_output=True, text=True).stdout
    times = [float(t) for t in re.findall(r"^Time: ([\d.]+) ms", out, re.M)]
    assert len(times) == len(order), f"{len(times)} timings for {len(order)} statements"
    by_kind = {}
    for kind, t in zip(order, times):
        by_kind.setdefault(kind, []).append(t)
    for kind, ts in by_kind.items():
        print(f"{kind:34s} n={len(ts):3d}  p50 {statistics.median(ts):7.1f} ms  p95 {percentile(ts, 95):7.1f} ms")


if __name__ == "__main__":
    main()
