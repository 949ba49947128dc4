"""The one pool that runs everything a listener does after its ack, sized by FACTCHECK_WORKERS.

Listeners ack in the request thread (Bolt's `process_before_response=True`) and hand the rest
(database, rendering, extraction, posting) to this pool, so a slow answer never delays another
request's ack. The pool is bounded (a fixed number of threads); work waits in its queue, whose
depth `/healthz` reports and the log warns about when it grows past the pool's size. On
SIGTERM `drain` stops taking work and finishes what was queued.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Final, ParamSpec, TypeVar

logger = logging.getLogger(__name__)

#: Threads in the pool: work that talks to Slack and the database, so mostly waiting on I/O;
#: four keep a 2-core replica busy without letting one burst starve the request threads.
DEFAULT_WORKERS: Final = 4
#: How long a shutdown waits for queued work; below the usual 30 s grace before SIGKILL.
DRAIN_DEADLINE: Final = 25.0
#: At most one "queue is growing" warning per this many seconds.
BUSY_LOG_INTERVAL: Final = 5.0

P = ParamSpec("P")
T = TypeVar("T")


class WorkPool(Executor):
    """A fixed-size thread pool that counts its waiting and running work.

    It is an `Executor`, so Bolt takes it as its `listener_executor` too: every thread that
    runs listener work after an ack belongs to this one pool.
    """

    def __init__(self, size: int = DEFAULT_WORKERS, *, name: str = "work") -> None:
        self.size = size
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix=name)
        self._lock = threading.Condition()
        self._waiting: dict[int, str] = {}
        self._running = 0
        self._next_id = 0
        self._last_busy_log = 0.0

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        label = getattr(fn, "__qualname__", repr(fn))
        with self._lock:
            task_id = self._next_id
            self._next_id += 1
            self._waiting[task_id] = label
            waiting = len(self._waiting)
        self._log_if_busy(waiting)

        def run() -> T:
            with self._lock:
                self._waiting.pop(task_id, None)
                self._running += 1
            try:
                return fn(*args, **kwargs)
            finally:
                with self._lock:
                    self._running -= 1
                    self._lock.notify_all()

        try:
            return self._executor.submit(run)
        except RuntimeError:
            with self._lock:
                self._waiting.pop(task_id, None)
            logger.error("work pool is shut down; refused %s", label)
            raise

    @property
    def waiting(self) -> int:
        """Work queued and not yet started."""
        with self._lock:
            return len(self._waiting)

    @property
    def running(self) -> int:
        with self._lock:
            return self._running

    def status(self) -> dict[str, int]:
        """What `/healthz` shows: the pool's size, and its work waiting and running now."""
        with self._lock:
            return {"size": self.size, "waiting": len(self._waiting), "running": self._running}

    def _log_if_busy(self, waiting: int) -> None:
        if waiting <= self.size:
            return
        now = time.monotonic()
        with self._lock:
            if now - self._last_busy_log < BUSY_LOG_INTERVAL:
                return
            self._last_busy_log = now
        logger.warning(
            "work pool busy: %d waiting, %d running (size %d)", waiting, self.running, self.size
        )

    def drain(self, deadline: float = DRAIN_DEADLINE) -> bool:
        """Take no new work and wait for queued and running work to finish; True if it did.

        Work still waiting at the deadline is named in the log (it runs on if the process is
        given longer), so an operator knows exactly which requests went unanswered.
        """
        with self._lock:
            logger.info(
                "draining work pool: %d waiting, %d running", len(self._waiting), self._running
            )
        self._executor.shutdown(wait=False)
        give_up = time.monotonic() + deadline
        with self._lock:
            while self._waiting or self._running:
                left = give_up - time.monotonic()
                if left <= 0:
                    logger.error(
                        "work pool not drained after %.0f s: %d running; still waiting: %s",
                        deadline,
                        self._running,
                        ", ".join(sorted(self._waiting.values())) or "nothing",
                    )
                    return False
                self._lock.wait(left)
        logger.info("work pool drained")
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)
