"""A bounded loopback TCP proxy for fault injection (only 127.0.0.1 targets).

Modes, switchable at run time: ``pass`` (forward), ``blackhole`` (accept and read, never
forward or answer), ``delay`` (forward each chunk after ``delay`` seconds) and ``reset``
(close every connection at once with RST, and new ones as they come).  ``cut_all()`` resets
the open connections once.  Every thread is a daemon and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time

MODES = ("pass", "blackhole", "delay", "reset")


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


class FaultProxy:
    def __init__(
        self, target_port: int, *, target_host: str = "127.0.0.1", max_conns: int = 200
    ) -> None:
        if target_host not in ("127.0.0.1", "localhost"):
            raise ValueError("the fault proxy only forwards to loopback")
        self.target = ("127.0.0.1", target_port)
        self.mode = "pass"
        self.delay = 0.05
        self.max_conns = max_conns
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = int(self._listener.getsockname()[1])
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self.accepted = 0
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name="fault-proxy")
        self._thread.start()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        if mode == "reset":
            self.cut_all()

    def cut_all(self) -> None:
        with self._lock:
            conns, self._conns = set(self._conns), set()
        for sock in conns:
            _reset(sock)

    def close(self) -> None:
        self._closed.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self.cut_all()
        self._thread.join(timeout=2)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _track(self, *socks: socket.socket) -> None:
        with self._lock:
            self._conns.update(socks)

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                ready, _, _ = select.select([self._listener], [], [], 0.1)
                if not ready:
                    continue
                client, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            with self._lock:
                too_many = len(self._conns) >= self.max_conns * 2
            if self.mode == "reset" or too_many:
                _reset(client)
                continue
            upstream: socket.socket | None = None
            if self.mode != "blackhole":
                try:
                    upstream = socket.create_connection(self.target, timeout=2)
                except OSError:
                    _reset(client)
                    continue
            self._track(client, *([upstream] if upstream else []))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            if upstream is not None:
                threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket | None) -> None:
        try:
            while not self._closed.is_set():
                ready, _, _ = select.select([src], [], [], 0.1)
                if not ready:
                    continue
                data = src.recv(65536)
                if not data:
                    break
                mode = self.mode
                if mode == "reset":
                    break
                if mode == "blackhole" or dst is None:
                    continue  # swallowed: the peer waits forever
                if mode == "delay":
                    time.sleep(self.delay)
                dst.sendall(data)
        except (OSError, ValueError):
            pass
        finally:
            _reset(src)
            if dst is not None:
                _reset(dst)
