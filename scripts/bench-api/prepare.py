#!/usr/bin/env python3
"""Prepares the API heartbeat benchmark (scripts/bench-api.sh): for the N devices that
`rdload udp-register` registered (ids BASE+p, uuid bytes (p*131 + i*7 + 0x5a) & 0xff), posts each
device's sysinfo once (so heartbeats find a known device, the steady state) and writes a wrk Lua
script that cycles through their heartbeat bodies. Loopback only."""
import base64
import concurrent.futures
import http.client
import json
import sys
import threading

port, count, base, lua_path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def device(p):
    uuid = bytes(((p * 131 + i * 7 + 0x5A) & 0xFF) for i in range(16))
    return str(base + p), base64.b64encode(uuid).decode()


local = threading.local()


def post(path, body):
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    local.conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = local.conn.getresponse()
    return response.status, response.read().decode()


def sysinfo(p):
    id_, uuid = device(p)
    body = json.dumps({"cpu": "bench", "memory": "16GB", "os": "linux / bench", "hostname": f"host{p}",
                       "username": "bench", "version": "1.4.9", "id": id_, "uuid": uuid})
    return post("/api/sysinfo", body)


with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
    answers = list(pool.map(sysinfo, range(count)))
failed = [a for a in answers if a != (200, "SYSINFO_UPDATED")]
if failed:
    sys.exit(f"sysinfo refused for {len(failed)} devices, e.g. {failed[0]}")

bodies = [json.dumps({"id": d[0], "uuid": d[1], "ver": 1004090, "modified_at": 0}) for d in map(device, range(count))]
status, answer = post("/api/heartbeat", bodies[0])
if status != 200:
    sys.exit(f"heartbeat answered {status} {answer}")
with open(lua_path, "w") as lua:
    lua.write("local bodies = {\n")
    for body in bodies:
        lua.write("  [[" + body + "]],\n")
    lua.write("}\nlocal n = 0\n")
    lua.write('local headers = { ["Content-Type"] = "application/json; charset=utf-8" }\n')
    lua.write("request = function()\n  n = n % #bodies + 1\n")
    lua.write('  return wrk.format("POST", "/api/heartbeat", headers, bodies[n])\nend\n')
# The heartbeat answer, for nginx to serve a body of the same size.
print(answer)
