#!/usr/bin/env python3
"""Tile benchmark: latency p50/p99 per layer and zoom over tiles that contain data, and the
largest tile per layer and zoom (the densest tiles by feature count), against a running
onemap on loopback. No tile cache exists yet, so every request runs its query ("cache off").

usage: bench/tiles.py --url http://127.0.0.1:18090 --db postgres://... [--per-zoom 200]
"""
import argparse
import gzip
import http.client
import json
import statistics
import subprocess
import time
import urllib.parse

# layer -> (table, zooms measured)
PLAN = {
    "regions": ("regions", [6, 9, 12, 14]),
    "projects": ("projects", [8, 10, 12, 14]),
    "parcels": ("parcels", [13, 14, 16]),
    "buildings": ("buildings", [15, 16, 17]),
}
# GeoJSON tiles start deeper where a dense tile would pass 500 KB (backend/src/tiles/layers.rs)
GEOJSON_MINZOOM = {"projects": 10, "buildings": 17}


def psql(db, sql):
    out = subprocess.run(["psql", db, "-AtF", ",", "-c", sql], check=True, capture_output=True, text=True).stdout
    return [line.split(",") for line in out.splitlines() if line]


def tiles_with_data(db, table, z, limit, densest):
    """Tiles (x, y) holding features of `table` at zoom z: random ones, or the densest."""
    order = "count(*) DESC, x, y" if densest else "md5(x::text || ',' || y::text)"
    sql = f"""
      WITH c AS (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM {table}),
           t AS (SELECT floor((ST_X(p) + 180) / 360 * 2^{z})::int AS x,
                        floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2^{z})::int AS y
                   FROM c)
      SELECT x, y FROM t GROUP BY x, y ORDER BY {order} LIMIT {limit}"""
    return [(int(x), int(y)) for x, y in psql(db, sql)]


HEADERS = {"Accept-Encoding": "gzip"}


def fetch(conn, path):
    started = time.perf_counter()
    conn.request("GET", path, headers=HEADERS)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status not in (200, 204):
        raise SystemExit(f"{path}: HTTP {response.status} {body[:200]!r}")
    raw = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
    return elapsed, len(body), len(raw)


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--per-zoom", type=int, default=200)
    parser.add_argument("--token", required=True, help="a session token (the tiles need a login)")
    args = parser.parse_args()
    HEADERS["Authorization"] = f"Bearer {args.token}"
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    results = []
    print(f"{'layer':10} {'z':>2} {'tiles':>5} {'p50 ms':>8} {'p99 ms':>8} {'max gz KB':>10} {'max raw KB':>11} {'max GeoJSON KB':>15}")
    for layer, (table, zooms) in PLAN.items():
        for z in zooms:
            sample = tiles_with_data(args.db, table, z, args.per_zoom, densest=False)
            densest = tiles_with_data(args.db, table, z, 5, densest=True)
            for x, y in sample[:3]:  # warm the connection and the prepared statement
                fetch(conn, f"/tiles/{layer}/{z}/{x}/{y}.mvt")
            latencies = [fetch(conn, f"/tiles/{layer}/{z}/{x}/{y}.mvt")[0] for x, y in sample]
            sizes = [fetch(conn, f"/tiles/{layer}/{z}/{x}/{y}.mvt")[1:] for x, y in densest + sample[:20]]
            geojson = [fetch(conn, f"/tiles/{layer}/{z}/{x}/{y}.geojson")[2] for x, y in densest[:3]] if z >= GEOJSON_MINZOOM.get(layer, 0) else [0]
            row = {
                "layer": layer, "z": z, "tiles": len(sample),
                "p50_ms": round(statistics.median(latencies), 1), "p99_ms": round(percentile(latencies, 99), 1),
                "max_gzip_kb": round(max(s[0] for s in sizes) / 1024, 1), "max_raw_kb": round(max(s[1] for s in sizes) / 1024, 1),
                "max_geojson_kb": round(max(geojson) / 1024, 1),
            }
            results.append(row)
            print(f"{layer:10} {z:>2} {row['tiles']:>5} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['max_gzip_kb']:>10} {row['max_raw_kb']:>11} {row['max_geojson_kb']:>15}", flush=True)
    worst = max(max(r["max_raw_kb"], r["max_geojson_kb"]) for r in results)
    print(f"largest tile anywhere (MVT or GeoJSON, uncompressed): {worst} KB (target < 500 KB): {'OK' if worst < 500 else 'OVER'}")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
