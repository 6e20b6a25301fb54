"""Holds N idle keep-alive connections open to onboard-api and measures a new request.

    idle_connections.py HOST PORT N OUT.json READY_FILE GO_FILE

Opens N connections, makes one GET /healthz on each (keep-alive) and leaves them open;
writes READY_FILE (ops/bench samples the service's RSS then) and waits for GO_FILE; then
times 200 GET /healthz on fresh connections while the N stay open, makes one more request
on every held connection (none may have been closed to free a worker), and writes the
figures to OUT.json. Standard library only (Debian's python3).
"""
import json
import os
import resource
import socket
import sys
import time

REQUEST = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n"


def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return 0
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = s.recv(4096)
        if not chunk:
            return 0
        body += chunk
    return int(head[9:12])


def main():
    host, port, n, out, ready, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    held, failed, t0 = [], 0, time.monotonic()
    # In batches of 500: connect, then send, then read (the service answers them in parallel).
    for start in range(0, n, 500):
        batch = []
        for _ in range(min(500, n - start)):
            s = socket.create_connection((host, port), timeout=10)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            batch.append(s)
        for s in batch:
            s.sendall(REQUEST)
        for s in batch:
            if read_response(s) != 200:
                failed += 1
        held.extend(batch)
    opened_s = time.monotonic() - t0
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.01)
    latencies, bad = [], 0
    for _ in range(200):
        t = time.monotonic()
        with socket.create_connection((host, port), timeout=10) as s:
            s.sendall(REQUEST)
            if read_response(s) != 200:
                bad += 1
        latencies.append((time.monotonic() - t) * 1000)
    again = 0
    for s in held:
        try:
            s.sendall(REQUEST)
            if read_response(s) == 200:
                again += 1
        except OSError:
            pass
    latencies.sort()
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"connections": n, "open_failures": failed, "opened_s": round(opened_s, 3),
                   "new_requests": len(latencies), "new_failures": bad,
                   "new_p50_ms": round(latencies[len(latencies) // 2], 3),
                   "new_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 3),
                   "new_max_ms": round(latencies[-1], 3), "held_answered_again": again}, f)
    for s in held:
        s.close()


if __name__ == "__main__":
    main()
