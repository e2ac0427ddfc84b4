"""Child processes that do not outlive the process that started them."""

from __future__ import annotations

import ctypes
import functools
import signal
import sys

PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when its parent dies (Linux)."""


def die_with_parent() -> None:
    """Ask the kernel to send this process SIGTERM when its parent ends (Linux; elsewhere
    nothing). Given as ``preexec_fn`` to a child such as MkDocs, it stops an engine still
    writing a half site after the build that started it was killed."""
    if not sys.platform.startswith("linux"):
        return
    try:
        c_library().prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to call: the child may then outlive its parent
        pass


M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
"""mallopt(3) parameters (glibc)."""


def keep_freed_memory(mmap_from: int = 64 << 20, trim_from: int = 256 << 20) -> None:
    """Ask the C allocator (glibc's ``mallopt``) to serve blocks under *mmap_from* bytes from its
    heap, and to give freed memory back to the system only past *trim_from* bytes; elsewhere
    nothing. The language model allocates and frees arrays of a few megabytes for every batch;
    by default each is mapped afresh and unmapped when freed, so that every batch faults in new
    pages (40,000 faults for 400 articles, 2% of the model's time in one of its processes)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        library = c_library()
        library.mallopt(M_MMAP_THRESHOLD, mmap_from)
        library.mallopt(M_TRIM_THRESHOLD, trim_from)
    except (OSError, AttributeError):  # another C library: its own ways are kept
        pass


@functools.cache
def c_library() -> ctypes.CDLL:
    """The C library this process runs with (raises OSError where there is none to open).

    It is the program's own symbols (``dlopen(NULL)``), not a search for ``libc``:
    ``ctypes.util.find_library`` starts ``ldconfig`` and takes a sixth of a second, and it must
    not run in a process just forked, where a Ctrl-C would find no handler yet and other
    threads' locks may be held. Loaded here at import, so that forked processes inherit it."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return ctypes.CDLL("libc.so.6", use_errno=True)


if sys.platform.startswith("linux"):
    try:
        c_library()
    except OSError:  # said where it is needed
        pass
