"""Helpers for tests that run real processes, shared with ``bench/faults.py`` (``make faults``):
the archive's command line in a fresh interpreter, git with a fixed identity, the processes still
alive, and the bytes of a built site."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .conftest import REPO

ENV = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
"""The environment of the archive's command line run from this checkout."""
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.org",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
"""A fixed identity and no user or system configuration: git behaves the same on every machine."""
PROBE_ARTICLE = "articles/us-military-considers-re-establishing-presence-in-libya.md"


def git(*args: str, cwd: Path, check: bool = True, umask: int | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV},
        capture_output=True,
        text=True,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def start_archive(*args: str, root: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """``archive ARGS --root ROOT`` started in its own session, with Ctrl-C at its default as from
    a terminal (a shell's background job, a CI runner's say, starts with it ignored, and a child
    would inherit that)."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args, "--root", str(root)],
        env={**ENV, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def processes_mentioning(text: str) -> list[int]:
    """The processes whose command line holds *text* (a test's own unique paths)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def wait_until(condition: Callable[[], bool], timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def site_signature(site: Path) -> dict[str, bytes]:
    """Every file of *site* by its path: two equal signatures are two byte-identical sites."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def retitle(root: Path, word: str) -> None:
    """Put *word* in front of the probe article's title: a change every page of it shows."""
    path = root / PROBE_ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: ", f"title: {word} ", 1), encoding="utf-8")
