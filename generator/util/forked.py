"""One function over many items in forked worker processes, the results in the items' order.

The processes are forked when the first item comes, so they hold whatever the caller had made
by then (a planned site, a registry) without it being sent to them: only the items and the
results go through a pipe. Items go out a few chunks at a time (:data:`AHEAD` per process),
and the caller takes each result as soon as it is there, so memory does not grow with the
number of items.

An item whose call raised in a worker, or that could not be sent or sent back, comes back as
:data:`FAILED`: the caller does that one itself, in its own process, and so gets the error
itself, with its own message. Where processes cannot be forked, every item comes back as
:data:`FAILED`.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from generator.util.process import die_with_parent

AHEAD = 4
"""Chunks out per worker process before the oldest result is waited for."""
FAILED: Any = object()
"""The result of an item that the workers could not do (the caller does it again itself)."""

_FUNCTION: Callable[[Any], Any] | None = None
"""The function of the pool being forked, inherited by its workers."""


def _run(chunk: list[Any]) -> list[tuple[bool, Any]]:
    assert _FUNCTION is not None
    done: list[tuple[bool, Any]] = []
    for item in chunk:
        try:
            done.append((True, _FUNCTION(item)))
        except Exception:  # noqa: BLE001 (said by the caller, which does the item again)
            done.append((False, None))
    return done


def in_order(
    function: Callable[[Any], Any], items: Iterable[Any], processes: int, chunk: int = 16
) -> Iterator[tuple[Any, Any]]:
    """``(item, function(item))`` for each of *items*, in order, *function* run in *processes*
    forked processes, *chunk* items at a time (``FAILED`` in place of a result the workers
    could not give). The processes are stopped when the iteration ends, however it ends."""
    global _FUNCTION
    pending: deque[tuple[list[Any], Future[list[tuple[bool, Any]]] | None]] = deque()
    pool: ProcessPoolExecutor | None = None
    forked = False
    try:
        batch: list[Any] = []
        for item in items:
            batch.append(item)
            if len(batch) < chunk:
                continue
            if not forked:
                forked, _FUNCTION = True, function
                pool = _pool(processes)
            pending.append((batch, _send(pool, batch)))
            batch = []
            while len(pending) > AHEAD * processes:
                yield from _taken(*pending.popleft())
        if batch:
            if not forked:
                forked, _FUNCTION = True, function
                pool = _pool(processes)
            pending.append((batch, _send(pool, batch)))
        while pending:
            yield from _taken(*pending.popleft())
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        _FUNCTION = None


def _pool(processes: int) -> ProcessPoolExecutor | None:
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=worker_start)


def worker_start() -> None:
    """A forked worker's first step (this module's workers and the language model's). It ends
    with the caller, and at once on SIGTERM (it holds nothing to tidy); Ctrl-C is the caller's
    to handle, which stops the workers itself. What it inherited is left out of the cycle
    collector's rounds: a round over the caller's objects would copy every page of memory they
    sit on into the worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held back by :func:`forking` until now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    die_with_parent()
    gc.freeze()


_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def forking() -> Iterator[None]:
    """Around the step that forks workers with :func:`worker_start`: Ctrl-C and SIGTERM are
    held back from this thread meanwhile. A worker forked in between would otherwise get them
    before its first step, with this process's handlers, and die with a traceback (or hang the
    pool that waits for it); held, they reach a worker only once it ignores Ctrl-C, and this
    process as soon as the workers are forked. Threads started meanwhile (a pool's own) keep
    them held, so the workers they fork later are covered too. A thread started before, that
    does not hold them (a Dask client's), can still take one meanwhile, and this process then
    stops at once; the workers are safe even so, as they start with this thread's mask."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def forked_pool(processes: int, start: Callable[[], None] = worker_start) -> multiprocessing.pool.Pool:
    """A ``multiprocessing`` pool of *processes* workers forked from this process (they inherit
    what it holds), each started by *start* (which calls :func:`worker_start`), forked with
    Ctrl-C held back."""
    with forking():
        return multiprocessing.get_context("fork").Pool(processes, initializer=start)


def _send(pool: ProcessPoolExecutor | None, batch: list[Any]) -> Future[list[tuple[bool, Any]]] | None:
    if pool is None:
        return None
    try:
        with forking():  # the first item sent forks the workers
            return pool.submit(_run, batch)
    except (OSError, RuntimeError):  # no process left to fork, or the pool broken: done by the caller
        return None


def _taken(batch: list[Any], future: Future[list[tuple[bool, Any]]] | None) -> Iterator[tuple[Any, Any]]:
    results: list[tuple[bool, Any]] | None = None
    if future is not None:
        try:
            results = future.result()
        except Exception:  # noqa: BLE001 (not sent, not sent back, a worker gone: done by the caller)
            results = None
    if results is None or len(results) != len(batch):
        results = [(False, None)] * len(batch)
    for item, (ok, value) in zip(batch, results, strict=True):
        yield item, value if ok else FAILED
