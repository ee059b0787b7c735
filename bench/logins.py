"""Drives bench/logins.sh: guesses, a real user beside them, and the timing of unknown names.

Loopback only: the attacker is 127.0.0.1, the real user 127.0.0.2, the timing probe 127.0.0.3.
"""
import argparse
import collections
import concurrent.futures
import http.client
import json
import statistics
import time


def login(port, source, username, password):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    body = json.dumps({"username": username, "password": password})
    started = time.perf_counter()
    conn.request("POST", "/api/login", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, (time.perf_counter() - started) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tries", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(lambda i: login(args.port, "127.0.0.1", "victim", f"guess-{i:06d}"), range(args.tries)))
    seconds = time.perf_counter() - started
    statuses = collections.Counter(status for status, _ in results)
    print(f"brute force: {args.tries} guesses, {args.workers} at a time, in {seconds:.2f} s = {args.tries / seconds:.0f} tries/s; answers {dict(statuses)}")
    for status in sorted(statuses):
        times = [t for s, t in results if s == status]
        print(f"  {status}: p50 {statistics.median(times):.1f} ms")
    guessed = sum(1 for status, _ in results if status == 200)
    print(f"  guesses that got in: {guessed}")

    status, took = login(args.port, "127.0.0.2", "real-user", "bench-login-password")
    print(f"real user from another address during the lockout: {status} in {took:.1f} ms")
    status, _ = login(args.port, "127.0.0.2", "victim", "bench-login-password")
    print(f"the attacked account's owner: {status} (locked until the window passes or `onemap user unlock`)")

    known = [login(args.port, "127.0.0.3", f"known-{1 + i % 3}", "wrong-password-x")[1] for i in range(9)]
    unknown = [login(args.port, "127.0.0.3", f"nobody-{i}", "wrong-password-x")[1] for i in range(9)]
    print(f"wrong password, known user: p50 {statistics.median(known):.1f} ms; unknown user: p50 {statistics.median(unknown):.1f} ms "
          f"(ratio {statistics.median(unknown) / statistics.median(known):.2f})")


if __name__ == "__main__":
    main()
