#!/usr/bin/env python3
"""A PostgreSQL server "across a network" on one machine: listens on 127.0.0.1:PORT and
forwards each connection to the server's Unix socket, every chunk in each direction held back
DELAY_MS (a round trip of 2 x DELAY_MS), order and throughput kept. For measuring what limes'
round trips cost a team whose server is not on their machine, where `tc qdisc … netem` is not
available (this machine's kernel has no netem).

    python3 bench/latency_proxy.py 15432 /tmp/limes-pg.XXXX/.s.PGSQL.5432 5 &
    limes render 'postgresql://limes@127.0.0.1:15432/limes_test?schema=s' -o r.png

Usage: latency_proxy.py PORT UNIX_SOCKET DELAY_MS (synthetic latency; a measuring aid only)"""
import asyncio, sys, time

PORT, SOCK, DELAY = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]) / 1000.0

async def pump(reader, writer):
    q = asyncio.Queue()
    async def send():
        while True:
            due, data = await q.get()
            if data is None:
                writer.close()
                return
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
    task = asyncio.create_task(send())
    while True:
        data = await reader.read(65536)
        q.put_nowait((time.monotonic() + DELAY, data if data else None))
        if not data:
            break
    await task

async def handle(cr, cw):
    sr, sw = await asyncio.open_unix_connection(SOCK)
    await asyncio.gather(pump(cr, sw), pump(sr, cw), return_exceptions=True)

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT)
    async with server:
        await server.serve_forever()

asyncio.run(main())
