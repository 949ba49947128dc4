"""A deadline for every round trip to PostgreSQL, enforced from outside the waiting thread.

psycopg waits for the server's answer with no limit of its own, and TCP keepalives cannot tell a
silent peer from a slow one when something between us still acknowledges packets (a proxy, a
load balancer, a half-dead failover). The server's statement_timeout only helps when the
statement reached the server. So each statement, commit, rollback and pre-ping is *armed*
here; a watchdog thread shuts down the socket of any connection still armed past its deadline.
The blocked call then fails at once with OperationalError, SQLAlchemy discards the connection
as disconnected, and the caller (a sweep, a listener) fails like any other database error
instead of hanging forever.

The socket is shut down under the same lock that disarms, and connections are disarmed before
they are closed (pool close/invalidate events), so a file descriptor that was closed and reused
is never touched.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any, Final

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

logger = logging.getLogger(__name__)

DEADLINE_PASSED: Final = (
    "the database did not answer within %.1f s; dropping that connection (fd %s)"
)


class Watchdog:
    """Armed connections (DBAPI connection id -> (deadline, fd)) and the thread that checks them."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._armed: dict[int, tuple[float, int]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._tick = min(1.0, max(0.05, seconds / 5))

    def arm(self, dbapi_connection: Any) -> None:
        fd = _socket_fd(dbapi_connection)
        if fd is None:
            return
        with self._lock:
            self._armed[id(dbapi_connection)] = (time.monotonic() + self.seconds, fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._watch, name="db-deadline", daemon=True)
                self._thread.start()

    def disarm(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._armed.pop(id(dbapi_connection), None)

    def _watch(self) -> None:
        while True:
            time.sleep(self._tick)
            now = time.monotonic()
            with self._lock:
                late = [key for key, (deadline, _fd) in self._armed.items() if deadline <= now]
                for key in late:
                    _deadline, fd = self._armed.pop(key)
                    logger.warning(DEADLINE_PASSED, self.seconds, fd)
                    _shut_down(fd)


def _socket_fd(dbapi_connection: Any) -> int | None:
    pgconn = getattr(dbapi_connection, "pgconn", None)
    try:
        fd = pgconn.socket if pgconn is not None else None
    except Exception:  # a closed or broken connection has no socket
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None


def _shut_down(fd: int) -> None:
    """Wake the thread blocked on `fd`: shut the socket down (through a duplicate, so the
    descriptor itself stays psycopg's to close)."""
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


def install(engine: Engine, seconds: float) -> Watchdog:
    """Arm every round trip of `engine`'s connections with a `seconds` deadline, and ping a
    pooled connection (under the deadline) before handing it out."""
    watchdog = Watchdog(seconds)
    pool = engine.pool

    @event.listens_for(pool, "connect")
    def _fresh(_dbapi: Any, record: Any) -> None:
        record.info["fresh"] = True

    @event.listens_for(pool, "checkout")
    def _ping(dbapi: Any, record: Any, _proxy: Any) -> None:
        """SQLAlchemy's pre-ping, but under the deadline: a connection that went silent in
        the pool is replaced (DisconnectionError) instead of blocking the checkout."""
        if record.info.pop("fresh", False):
            return
        watchdog.arm(dbapi)
        autocommit = dbapi.autocommit
        try:
            dbapi.autocommit = True  # no transaction left open by the ping
            with dbapi.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi.autocommit = autocommit
        except Exception as error:
            raise DisconnectionError(f"pre-ping failed: {type(error).__name__}") from error
        finally:
            watchdog.disarm(dbapi)

    def arm(conn: Any, *_args: Any) -> None:
        # SQLAlchemy fires `rollback` on a connection it has just invalidated (the database
        # went away mid-transaction); asking it for its DBAPI connection then raises
        # PendingRollbackError over the real OperationalError, and callers that log a lost
        # database in one line saw a traceback instead. Such a connection sends nothing more.
        if not conn.invalidated:
            watchdog.arm(conn.connection.dbapi_connection)

    def disarm(conn: Any, *_args: Any) -> None:
        if not conn.invalidated:
            watchdog.disarm(conn.connection.dbapi_connection)

    def arm_record(dbapi: Any, *_args: Any) -> None:
        watchdog.arm(dbapi)

    def disarm_record(dbapi: Any, *_args: Any) -> None:
        watchdog.disarm(dbapi)

    event.listen(engine, "before_cursor_execute", arm)
    event.listen(engine, "after_cursor_execute", disarm)
    event.listen(engine, "commit", arm)
    event.listen(engine, "rollback", arm)
    event.listen(engine, "begin", disarm)

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        if context.connection is not None and not context.connection.closed:
            dbapi = context.connection.connection.dbapi_connection
            if dbapi is not None:
                watchdog.disarm(dbapi)

    event.listen(pool, "reset", arm_record)
    for name in ("checkin", "close", "invalidate", "soft_invalidate", "detach"):
        event.listen(pool, name, disarm_record)
    return watchdog
