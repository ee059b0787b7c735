#!/usr/bin/env python3
"""As-of tiles against live tiles: time of the building, parcel and region tiles of a square of
tiles around a building, live and as of past days, each first cold (nothing cached) then warm
(from the server's caches), against a running onemap on loopback.

usage: bench/as_of_tiles.py --url http://127.0.0.1:18093 --token TOKEN --lon 111.69 --lat 29.04
       [--days 1,30,180] [--side 4]
Start the server fresh for honest cold figures: its tile caches live in memory.
"""
import argparse
import datetime
import http.client
import math
import statistics
import time
import urllib.parse

LAYERS = {"buildings": 16, "parcels": 15, "regions": 12}


def tile_of(lon, lat, z):
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--lon", type=float, required=True)
    parser.add_argument("--lat", type=float, required=True)
    parser.add_argument("--days", default="1,30,180", help="days back, comma-separated")
    parser.add_argument("--side", type=int, default=4, help="tiles per side of the square")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Authorization": f"Bearer {args.token}", "Accept-Encoding": "gzip"}
    today = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()

    def fetch(path):
        start = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status not in (200, 204):
            raise SystemExit(f"{path}: HTTP {response.status} {body[:200]!r}")
        return (time.perf_counter() - start) * 1000, len(body)

    variants = [("live", "")] + [
        (f"as of -{d}d", f"?as_of={today - datetime.timedelta(days=int(d))}") for d in args.days.split(",")
    ]
    print(f"{'layer':10} {'variant':12} {'cold p50':>9} {'cold max':>9} {'warm p50':>9} {'KB/tile':>8}")
    for layer, z in LAYERS.items():
        cx, cy = tile_of(args.lon, args.lat, z)
        half = args.side // 2
        tiles = [(cx + dx, cy + dy) for dx in range(-half, args.side - half) for dy in range(-half, args.side - half)]
        for name, query in variants:
            paths = [f"/tiles/{layer}/{z}/{x}/{y}.mvt{query}" for x, y in tiles]
            cold = [fetch(p) for p in paths]
            warm = [fetch(p)[0] for p in paths]
            ms = [c[0] for c in cold]
            size = statistics.mean(c[1] for c in cold) / 1024
            print(f"{layer:10} {name:12} {statistics.median(ms):9.1f} {max(ms):9.1f} {statistics.median(warm):9.1f} {size:8.1f}")


if __name__ == "__main__":
    main()
