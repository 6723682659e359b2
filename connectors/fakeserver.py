"""Serve a fake provider's ASGI app over real HTTP on a background thread.

Used by the sandbox (make run) and by the tests, so both exercise the real clients
against a real socket.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn


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
    """An error a test asked a fake to answer with, instead of handling the request."""

    path_prefix: str
    status: int
    retry_after: float | None
    remaining: int
    delay: float = 0.0  # seconds to stall first (a slow provider)


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
    ) -> None:
        with self._lock:
            self._queued.append(Fault(path_prefix, status, retry_after, count, delay))

    def take(self, path: str) -> Fault | None:
        """The first queued fault for path, used up once; None when there is none."""
        with self._lock:
            for fault in self._queued:
                if path.startswith(fault.path_prefix) and fault.remaining > 0:
                    fault.remaining -= 1
                    self._queued = [f for f in self._queued if f.remaining > 0]
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
