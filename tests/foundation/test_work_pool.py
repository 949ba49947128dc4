"""The work pool: bounded, counted, and drained on shutdown without dropping queued work."""

from __future__ import annotations

import threading

import pytest

from bot.work import WorkPool


def test_work_beyond_the_pool_size_waits_and_is_counted() -> None:
    pool = WorkPool(1)
    release = threading.Event()
    started = threading.Event()

    def hold() -> None:
        started.set()
        release.wait(10)

    pool.submit(hold)
    started.wait(10)
    pool.submit(lambda: None)
    pool.submit(lambda: None)
    assert pool.status() == {"size": 1, "waiting": 2, "running": 1}
    release.set()
    assert pool.drain(deadline=10)
    assert pool.status() == {"size": 1, "waiting": 0, "running": 0}


def test_drain_finishes_every_queued_task_before_returning() -> None:
    pool = WorkPool(2)
    gate = threading.Event()
    done: list[int] = []
    lock = threading.Lock()

    def task(number: int) -> None:
        gate.wait(10)
        with lock:
            done.append(number)

    for number in range(20):
        pool.submit(task, number)
    threading.Timer(0.05, gate.set).start()
    assert pool.drain(deadline=30)
    assert sorted(done) == list(range(20))


def test_a_drained_pool_refuses_new_work() -> None:
    pool = WorkPool(1)
    assert pool.drain(deadline=1)
    with pytest.raises(RuntimeError):
        pool.submit(lambda: None)
    assert pool.waiting == 0


def test_drain_reports_work_left_when_the_deadline_passes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = WorkPool(1)
    release = threading.Event()
    started = threading.Event()

    def stuck() -> None:
        started.set()
        release.wait(10)

    def queued_answer() -> None:
        pass

    pool.submit(stuck)
    started.wait(10)
    pool.submit(queued_answer)
    assert not pool.drain(deadline=0.05)
    assert "queued_answer" in caplog.text
    release.set()
    pool.shutdown(wait=True)
