"""How the model's processes use the machine: the C allocator (generator.util.process) and the
BLAS library's threads (generator.settings.one_blas_thread)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import subprocess
import sys
from multiprocessing.connection import Connection

import pytest

from generator.settings import BLAS_THREADS
from generator.util.process import keep_freed_memory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")

BLOCK = 40 << 20
"""Larger than the largest block glibc ever serves from its heap by default (32 MB)."""


def _faults(keep: bool, answer: Connection) -> None:
    if keep:
        keep_freed_memory()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(10):
        block = b"x" * BLOCK  # every page written, then freed
        del block
    answer.send(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)


def _count(keep: bool) -> int:
    ours, theirs = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_faults, args=(keep, theirs))
    child.start()
    found = ours.recv()
    child.join(30)
    return int(found)


def test_memory_freed_is_kept_for_the_next_block_instead_of_faulted_in_again() -> None:
    # Each 40 MB block is 10,240 pages: mapped afresh and faulted in every time by default,
    # taken from the heap again once it is kept.
    pages = BLOCK // resource.getpagesize()
    default, kept = _count(False), _count(True)
    assert default > 5 * pages
    assert kept < 2 * pages


def _threads_after(code: str) -> int:
    """The threads of a fresh Python process after it ran *code*, told nothing of BLAS threads."""
    told = {BLAS_THREADS, "GOTO_NUM_THREADS", "OMP_NUM_THREADS"}  # what OpenBLAS reads
    env = {key: value for key, value in os.environ.items() if key not in told}
    count = "import os; print(len(os.listdir('/proc/self/task')))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}; {count}"], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_numpys_blas_library_starts_no_threads_of_its_own_in_the_models_processes() -> None:
    # OpenBLAS starts its threads as NumPy loads it, a thread for every core unless told.
    if len(os.sched_getaffinity(0)) > 1:
        assert _threads_after("import numpy") > 1
    assert _threads_after("from generator.settings import one_blas_thread; one_blas_thread(); import numpy") == 1
    # Loading the model (which loads NumPy) is the step that tells it, in whatever loads it first.
    load = "from generator.inputs.registry import Registry; from generator.stages.entities import load_pipeline"
    assert _threads_after(f"{load}; load_pipeline(Registry())") == 1
