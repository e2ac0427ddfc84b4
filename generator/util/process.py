"""Child processes that do not outlive the process that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
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
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):  # no libc to call: the child may then outlive its parent
        pass
