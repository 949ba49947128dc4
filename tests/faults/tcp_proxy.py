"""A TCP proxy in front of a server (PostgreSQL in our tests) whose link can be cut on demand.

`cut()` makes the network go silent the way a failed switch or a dead failover does, not the way
a stopped server does: the proxy still holds every socket open and still accepts new ones, but
forwards nothing, in either direction, so a client waits for an answer that never comes (no
RST, no FIN). `heal()` lets new connections through again; connections that lived through a
cut stay silent (bytes were lost, their protocol state is gone). `refuse()` answers new
connections with an immediate close, like a server that is down.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from typing import Final, Literal, Self

Mode = Literal["forward", "silent", "refuse"]

_CHUNK: Final = 65536


class _Link:
    """One client connection and its upstream; `dead` once it lived through a cut."""

    def __init__(self, client: socket.socket, upstream: socket.socket | None) -> None:
        self.client = client
        self.upstream = upstream
        self.dead = upstream is None

    def close(self) -> None:
        for sock in (self.client, self.upstream):
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()


class TcpProxy:
    """Listens on 127.0.0.1:`port` and forwards to (`host`, `target_port`)."""

    def __init__(self, host: str, target_port: int) -> None:
        self.target = (host, target_port)
        self.mode: Mode = "forward"
        self.accepted = 0
        self._links: list[_Link] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._stopped = threading.Event()
        self.port: int = self._listener.getsockname()[1]

    def start(self) -> Self:
        threading.Thread(target=self._accept, name="tcp-proxy", daemon=True).start()
        return self

    def cut(self) -> None:
        """Go silent: every open connection and every new one forwards nothing, for good."""
        with self._lock:
            self.mode = "silent"
            for link in self._links:
                link.dead = True

    def heal(self) -> None:
        """New connections are forwarded again (the ones that lived through the cut are not)."""
        with self._lock:
            self.mode = "forward"

    def refuse(self) -> None:
        """New connections are closed as soon as they are accepted (the server is 'down')."""
        with self._lock:
            self.mode = "refuse"

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for link in self._links:
                link.close()
            self._links.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            with self._lock:
                mode = self.mode
                self.accepted += 1
            if mode == "refuse":
                client.close()
                continue
            upstream = None
            if mode == "forward":
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
            link = _Link(client, upstream)
            with self._lock:
                self._links.append(link)
            threading.Thread(target=self._pump, args=(link,), daemon=True).start()

    def _pump(self, link: _Link) -> None:
        """Copy bytes both ways while the link is alive; once dead, read and drop them."""
        sockets = [s for s in (link.client, link.upstream) if s is not None]
        try:
            while not self._stopped.is_set():
                readable, _, _ = select.select(sockets, [], [], 0.1)
                for sock in readable:
                    data = sock.recv(_CHUNK)
                    if not data:
                        return
                    if link.dead:
                        continue
                    other = link.upstream if sock is link.client else link.client
                    if other is not None:
                        other.sendall(data)
        except OSError:
            return
        finally:
            link.close()
            with self._lock:
                if link in self._links:
                    self._links.remove(link)
