#!/usr/bin/env python3
"""Recomputes a selection day's lottery (摇号) from what was published before the draw.

Reads the publication (GET /api/public/selection-days/{id}/lottery) as JSON on stdin, or takes
the seed and a file of household codes (one a line):

    curl -s https://…/api/public/selection-days/7/lottery | python3 tools/selection-lottery.py
    python3 tools/selection-lottery.py SEED codes.txt

and prints the codes in the order drawn, one a line: ascending by the lower-case hex SHA-256
of seed + ":" + code (UTF-8), ties by code bytewise. Compare with the published "order".
"""
import hashlib
import json
import sys


def order(seed, codes):
    key = lambda code: (hashlib.sha256(f"{seed}:{code}".encode("utf-8")).hexdigest(), code.encode("utf-8"))
    return sorted(codes, key=key)


def main():
    if len(sys.argv) == 3:
        seed = sys.argv[1]
        with open(sys.argv[2], encoding="utf-8") as f:
            codes = [line.strip() for line in f if line.strip()]
    else:
        published = json.load(sys.stdin)
        seed, codes = published["seed"], published["codes"]
    for code in order(seed, codes):
        print(code)


if __name__ == "__main__":
    main()
