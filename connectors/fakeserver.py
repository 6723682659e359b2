"""Serve a fake provider's ASGI app over real HTTP on a background thread.

Used by the sandbox (make run) and by the tests, so both exercise the real clients
against a real socket.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from starlette.responses import Response


@dataclass
class RunningServer:
    base_url: str
    _server: uvicorn.Server
    _thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now; only for pointing a client at a dead address.

    To serve on a port chosen in advance, use listening_socket: a port released and bound
    again later can be taken in between by any socket on the machine.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def listening_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A socket bound and listening now, whose port can go into settings before serving."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def port_of(sock: socket.socket) -> int:
    port: int = sock.getsockname()[1]
    return port


def serve_in_thread(
    app: Any, *, host: str = "127.0.0.1", port: int = 0, sock: socket.socket | None = None
) -> RunningServer:
    """Start uvicorn for app on sock (or a new socket on host:port); return once it serves."""
    sock = sock or listening_socket(host, port)
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"fake-{port}", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError(f"server on {host}:{port} did not start")
        time.sleep(0.01)
    return RunningServer(base_url=f"http://{host}:{port}", _server=server, _thread=thread)


@dataclass
class Fault:
    """An error a test asked a fake to answer with.

    Answered instead of handling the request, or, with after_processing, after handling
    it (the provider acted, the answer was lost: a failure whose outcome is unknown).
    """

    path_prefix: str
    status: int
    retry_after: float | None
    remaining: int
    delay: float = 0.0  # seconds to stall first (a slow provider)
    after_processing: bool = False


@dataclass
class Faults:
    """The errors queued by a fake's fail_next, matched by path prefix; thread-safe."""

    _queued: list[Fault] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(
        self,
        path_prefix: str,
        status: int,
        retry_after: float | None = None,
        count: int = 1,
        delay: float = 0.0,
        after_processing: bool = False,
    ) -> None:
        fault = Fault(path_prefix, status, retry_after, count, delay, after_processing)
        with self._lock:
            self._queued.append(fault)

    def take(self, path: str, *, after_processing: bool = False) -> Fault | None:
        """The first queued fault of that kind for path, used up once; None when none."""
        with self._lock:
            for fault in self._queued:
                if (
                    path.startswith(fault.path_prefix)
                    and fault.remaining > 0
                    and fault.after_processing == after_processing
                ):
                    fault.remaining -= 1
                    self._queued = [f for f in self._queued if f.remaining > 0]
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()

    async def around(
        self,
        path: str,
        handle: Callable[[], Awaitable[Response]],
        answer: Callable[[Fault], Response],
    ) -> Response:
        """Run handle with the faults queued for path applied.

        A fault without after_processing is answered (after its delay) and handle never
        runs; one with it lets handle run, then drops its response for the fault's.
        Faults without after_processing go first when both are queued for a path.
        """
        before = self.take(path)
        if before is not None:
            await asyncio.sleep(before.delay)
            return answer(before)
        late = self.take(path, after_processing=True)
        response = await handle()
        if late is None:
            return response
        await asyncio.sleep(late.delay)
        return answer(late)
