"""A TCP relay between the browser and the gateway that can go half-open, as a phone's
connection does: the sockets stay open, but bytes stop flowing (both ways, or only
back to the browser). Connections opened later flow normally."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Pipe:
    """One relayed connection; `forward`/`back` say whether bytes still pass."""

    forward: bool = True
    back: bool = True


@dataclass
class FlakyLink:
    """The relay's state, changed from the test's thread."""

    port: int = 0
    pipes: list[Pipe] = field(default_factory=list)

    def stall(self, *, only_back: bool = False) -> None:
        """Make every open connection half-open (with `only_back`, the browser's frames
        still reach the gateway but nothing comes back)."""
        for pipe in self.pipes:
            pipe.back = False
            if not only_back:
                pipe.forward = False


async def _copy(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, pipe: Pipe, forward: bool
) -> None:
    try:
        while data := await reader.read(65536):
            if pipe.forward if forward else pipe.back:
                writer.write(data)
                await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


@contextmanager
def flaky_link(target_port: int) -> Iterator[FlakyLink]:
    """Relay 127.0.0.1:<free port> to the gateway's port."""
    link = FlakyLink()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []
    relays: set[asyncio.Task[object]] = set()

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", target_port)
        writers.extend((writer, upstream_writer))
        task = asyncio.current_task()
        if task is not None:
            relays.add(task)
        pipe = Pipe()
        link.pipes.append(pipe)
        await asyncio.gather(
            _copy(reader, upstream_writer, pipe, forward=True),
            _copy(upstream_reader, writer, pipe, forward=False),
            return_exceptions=True,
        )

    async def serve() -> None:
        server = await asyncio.start_server(relay, "127.0.0.1", 0)
        link.port = server.sockets[0].getsockname()[1]
        started.set()
        await stop.wait()
        server.close()
        for writer in writers:
            writer.close()
        await asyncio.gather(*relays, return_exceptions=True)
        await server.wait_closed()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    started.wait(5)
    try:
        yield link
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
