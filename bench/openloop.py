#!/usr/bin/env python3
"""Open-loop HTTP/1.1 load at a fixed rate, latency measured from each request's intended send time.

wrk is closed-loop: a slow response delays the next request, hiding queueing delay (coordinated
omission). Here requests are due every 1/rate seconds whatever happens; one waiting for a free
connection still counts its wait. Prints "p50_us=… p99_us=… sent=… errors=…".
With OPENLOOP_LOG=FILE every request's outcome is also written there, one line each:
"intended_epoch_s status flags latency_ms" (status 0 = no answer: connection error or 10 s timeout;
flags = the proxy's x-response-flags, "-" when none).

usage: openloop.py HOST PORT HOSTHEADER RATE SECONDS [CONNECTIONS]
"""
import os
import asyncio
import sys
import time


async def main():
    host, port, host_header = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rate, seconds = float(sys.argv[4]), float(sys.argv[5])
    connections = int(sys.argv[6]) if len(sys.argv) > 6 else 32
    request = f"GET / HTTP/1.1\r\nHost: {host_header}\r\n\r\n".encode()
    pool = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(host, port))
    latencies, errors = [], 0
    log = open(os.environ["OPENLOOP_LOG"], "w", buffering=1) if os.environ.get("OPENLOOP_LOG") else None
    epoch = time.time() - time.perf_counter()

    def record(intended, status, flags):
        if log:
            log.write(f"{epoch + intended:.3f} {status} {flags} {(time.perf_counter() - intended) * 1000:.1f}\n")

    async def exchange(reader, writer):
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length, flags = 0, "-"
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line.lower().startswith(b"x-response-flags:"):
                flags = line.split(b":", 1)[1].strip().decode() or "-"
        if length:
            await reader.readexactly(length)
        return int(head.split(b" ", 2)[1]), flags

    async def one(intended):
        nonlocal errors
        reader, writer = await pool.get()
        try:
            status, flags = await asyncio.wait_for(exchange(reader, writer), 10)
            if status != 200:
                errors += 1
            latencies.append(time.perf_counter() - intended)
            record(intended, status, flags)
            pool.put_nowait((reader, writer))
        except Exception:
            errors += 1
            record(intended, 0, "-")
            writer.close()
            pool.put_nowait(await asyncio.open_connection(host, port))

    start = time.perf_counter()
    total = int(rate * seconds)
    tasks = []
    for i in range(total):
        intended = start + i / rate
        delay = intended - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(intended)))
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 60)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e6 if latencies else float("nan")
    print(f"p50_us={pick(0.50):.0f} p99_us={pick(0.99):.0f} sent={total} errors={errors}")


asyncio.run(main())
