"""The life of a local test server run by one daemon thread: start, stop, `with`, its server."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Generic, Self, TypeVar

S = TypeVar("S")


class ServedInThread(ABC, Generic[S]):
    """A server object of type ``S`` served by one daemon thread.

    Subclasses bind in :meth:`start` and hand the bound server and its serve loop to
    :meth:`_serve_in_thread`; :meth:`_close` says how that server stops and lets go of its port.
    """

    #: Names the server in the error raised when it is used before start().
    DESCRIPTION = "the server"

    def __init__(self) -> None:
        self._server: S | None = None
        self._thread: threading.Thread | None = None

    @abstractmethod
    def start(self) -> Self:
        """Bind a free port on 127.0.0.1 and serve; returns self."""

    @abstractmethod
    def _close(self, server: S) -> None:
        """Make the serve loop return and release the port."""

    def _serve_in_thread(self, server: S, serve: Callable[[], None], name: str) -> None:
        self._server = server
        self._thread = threading.Thread(target=serve, name=name, daemon=True)
        self._thread.start()

    def _running(self) -> S:
        if self._server is None:
            raise RuntimeError(f"{self.DESCRIPTION} is not running; call start()")
        return self._server

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._close(self._server)
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()
