"""One function over many items in forked processes (generator.util.forked): the results in
order, what the workers cannot do handed back to the caller, and no worker left behind."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from generator.util import forked
from generator.util.forked import FAILED, forking, in_order, worker_start


def test_results_come_back_in_order_from_processes_that_hold_what_was_made_before() -> None:
    made_before = {number: number * number for number in range(1000)}  # not sent: inherited

    def square(number: int) -> tuple[int, int]:
        return os.getpid(), made_before[number]

    done = list(in_order(square, range(300), processes=2, chunk=8))
    assert [item for item, _ in done] == list(range(300))
    assert [value for _, (_, value) in done] == [number * number for number in range(300)]
    assert os.getpid() not in {pid for _, (pid, _) in done}


def test_an_item_that_raises_or_cannot_be_sent_back_is_failed_and_the_others_are_done() -> None:
    def work(number: int) -> object:
        if number == 3:
            raise ValueError("three")
        if number == 5:
            return lambda: number  # cannot be pickled back
        return number + 1

    done = dict(in_order(work, range(10), processes=2, chunk=1))
    assert done[3] is FAILED and done[5] is FAILED
    assert {item: value for item, value in done.items() if item not in (3, 5)} == {
        item: item + 1 for item in range(10) if item not in (3, 5)
    }


def test_a_worker_that_dies_fails_its_items_and_nothing_waits_for_it() -> None:
    def work(number: int) -> int:
        if number == 40:
            os._exit(3)
        return number

    done = list(in_order(work, range(200), processes=2, chunk=4))
    assert [item for item, _ in done] == list(range(200))
    failed = [item for item, value in done if value is FAILED]
    assert 40 in failed
    assert all(value == item for item, value in done if value is not FAILED)


def test_the_workers_are_stopped_when_the_caller_stops_early() -> None:
    pids = []
    for _, pid in in_order(lambda _: os.getpid(), range(1000), processes=2, chunk=4):
        pids.append(pid)
        if len(pids) == 10:
            break
    assert forked._FUNCTION is None
    for pid in set(pids):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_without_fork_every_item_is_left_to_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert list(in_order(lambda n: n, range(5), processes=2, chunk=2)) == [(n, FAILED) for n in range(5)]


def _interrupted_then_started() -> None:
    os.kill(os.getpid(), signal.SIGINT)  # a Ctrl-C that reaches a worker before its first step
    worker_start()


def test_a_ctrl_c_that_reaches_a_worker_before_its_first_step_neither_kills_it_nor_is_lost_here() -> None:
    with forking():
        pool = multiprocessing.get_context("fork").Pool(1, initializer=_interrupted_then_started)
    with pool:
        assert pool.apply_async(os.getpid).get(timeout=30) != os.getpid()  # the worker lived
    # Here it comes once the forking is done. A signal sent to the process goes to any thread
    # that does not hold it back, and this process may have others (an earlier test's Dask
    # client leaves two behind), so that is checked in a process of one thread.
    child = multiprocessing.get_context("fork").Process(target=_held_until_forked)
    child.start()
    child.join(30)
    assert child.exitcode == 0, "the Ctrl-C came while forking" if child.exitcode == 1 else "it was lost"


def _held_until_forked() -> None:
    reached = False
    try:
        with forking():
            os.kill(os.getpid(), signal.SIGINT)
            reached = True
    except KeyboardInterrupt:
        os._exit(0 if reached else 1)
    os._exit(2)
