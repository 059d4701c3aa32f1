#!/usr/bin/env python3
"""Open-loop HTTP/1.1 load at a fixed rate, latency measured from each request's intended send time.

wrk is closed-loop: a slow response delays the next request, hiding queueing delay (coordinated
omission). Here requests are due every 1/rate seconds whatever happens; one waiting for a free
connection still counts its wait. Prints "p50_us=… p99_us=… sent=… errors=…".

usage: openloop.py HOST PORT HOSTHEADER RATE SECONDS [CONNECTIONS]
"""
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

    async def one(intended):
        nonlocal errors
        reader, writer = await pool.get()
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if length:
                await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                errors += 1
            latencies.append(time.perf_counter() - intended)
            pool.put_nowait((reader, writer))
        except Exception:
            errors += 1
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
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + 30)
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1e6 if latencies else float("nan")
    print(f"p50_us={pick(0.50):.0f} p99_us={pick(0.99):.0f} sent={total} errors={errors}")


asyncio.run(main())
