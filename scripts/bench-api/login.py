#!/usr/bin/env python3
"""Login latency with the server's Argon2id parameters: N sequential first-step logins of the
administrator over one keep-alive connection; prints a RESULT line with the median and p90 in ms."""
import http.client
import json
import sys
import time

port, password, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
body = json.dumps({"username": "admin", "password": password, "id": "1", "uuid": "", "type": "account"})
times = []
for _ in range(count):
    start = time.perf_counter()
    conn.request("POST", "/api/login", body=body, headers={"Content-Type": "application/json; charset=utf-8"})
    response = conn.getresponse()
    answer = response.read()
    times.append((time.perf_counter() - start) * 1000)
    if response.status != 200 or b"access_token" not in answer:
        sys.exit(f"login failed: {response.status} {answer[:200]!r}")
times.sort()
print(f"RESULT mode=login n={count} p50_ms={times[len(times) // 2]:.1f} p90_ms={times[int(len(times) * 0.9)]:.1f}")
