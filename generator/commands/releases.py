"""The published site on a self-hosted server: one folder per built commit, a link to the one
online, a log, and a lock (used by the hooks of :mod:`generator.commands.hooks`).

``<DIR>.releases/`` holds ``<commit>/`` (a built site each), ``publish.log`` and ``.lock``. *DIR*
is a symbolic link to one release, replaced in one step (``os.replace`` of a new link), so a
reader gets the old site or the new one, never a mix. Builds run one at a time, under the lock.

A hook can be killed mid-build (a server restart, an impatient ``kill``). The build then dies
with it (its process group gets SIGTERM when the hook ends), and the next run, under the lock,
finds the log's unfinished ``building`` entry: it records that build as *interrupted*, ends any
build process that outlived the hook, and removes what it left (``.build-*``, ``.site-*``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import click

from generator.util.files import make_readable, os_reason

DEFAULT_KEEP = 5
"""How many built sites to keep by default (the published one and the newest others)."""
LOG_NAME = "publish.log"
LOCK_NAME = ".lock"
BUILD_PREFIX = ".build-"
LEFTOVERS = (f"{BUILD_PREFIX}*", ".site-*")
"""What an interrupted build may leave in the releases folder."""


@dataclass(frozen=True)
class Target:
    """Where a self-hosted archive is published."""

    publish: Path
    """The symbolic link the web server serves; it points at one folder of :attr:`releases`."""
    branch: str | None = None
    """The full name of the branch that is checked and published, e.g. ``refs/heads/main``;
    None follows the repository's default branch."""
    keep: int = DEFAULT_KEEP
    """How many built sites to keep in :attr:`releases`, the published one included."""
    allow_code: bool = False
    """Whether a push that changes the archive's code is built with that code (the operator's
    choice: ``hooks install --allow-code-changes``)."""

    @property
    def releases(self) -> Path:
        """The folder beside :attr:`publish` holding one built site per commit, the log and the lock."""
        return self.publish.with_name(self.publish.name + ".releases")

    @property
    def log(self) -> Path:
        return self.releases / LOG_NAME

    @property
    def lock(self) -> Path:
        return self.releases / LOCK_NAME


def absolute(path: Path) -> Path:
    """*path* made absolute without resolving a final symbolic link (the published link)."""
    return Path(os.path.abspath(path))


@contextmanager
def locked(target: Target) -> Iterator[None]:
    """Hold the publishing lock: one build and switch at a time, the others wait their turn."""
    target.releases.mkdir(parents=True, exist_ok=True)
    with open(target.lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            click.echo("archive: waiting for the build of an earlier push to finish", err=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def published_commit(target: Target) -> str | None:
    """The commit whose site is online, from the link's target, or None before the first publish."""
    if not target.publish.is_symlink():
        return None
    return Path(os.readlink(target.publish)).name


def log(target: Target, message: str, tell: bool = True) -> None:
    """Append a time-stamped entry to the publish log and (with *tell*) tell the pusher its first line."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(target.log, "a", encoding="utf-8") as handle:
        handle.write(f"{stamp} {message}\n")
    if tell:
        click.echo(f"archive: {message.splitlines()[0]}", err=True)


def unfinished(log_text: str) -> str | None:
    """The commit (12 characters) of the last ``building`` entry of a log with no ``built`` or
    ``build of … FAILED`` (or ``interrupted``) entry after it: a build that never ended."""
    building = None
    for line in log_text.splitlines():
        words = line.split()
        if len(words) < 3 or line.startswith(" "):
            continue
        if words[1] == "building":
            building = words[2]
        elif (words[1] == "built" or words[1:3] == ["build", "of"]) and words[
            2 if words[1] == "built" else 3
        ] == building:
            building = None
    return building


def recover(target: Target) -> None:
    """Under the lock, before a build: record a build that never ended as interrupted, end any of
    its processes still running, and remove the folders interrupted builds left."""
    try:
        text = target.log.read_text(encoding="utf-8")
    except OSError:
        text = ""
    stale = unfinished(text)
    for pid_file in sorted(target.releases.glob(f"{BUILD_PREFIX}*.pid")):
        try:
            pid = int(pid_file.read_text().strip())
            # Only the build this file names: a process working in that build's folder.
            if os.readlink(f"/proc/{pid}/cwd").startswith(str(pid_file.with_suffix(""))):
                end_group(pid)
        except (OSError, ValueError):
            pass
        pid_file.unlink(missing_ok=True)
    if stale is not None:
        kept = published_commit(target)
        log(
            target,
            f"build of {stale} was interrupted (the hook was stopped before it finished); "
            f"the site online stayed at {kept[:12] if kept else 'nothing'}",
        )
    for pattern in LEFTOVERS:
        for path in sorted(target.releases.glob(pattern)):
            remove_tree(path)


def end_group(pid: int) -> None:
    """End the process group *pid* (a build started in a session of its own), if it still runs."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def install_release(site: Path, release: Path) -> None:
    """Move the built *site* to *release*, readable by the web server whatever the umask."""
    make_readable(site)
    remove_tree(release)
    os.replace(site, release)


def publish_release(target: Target, release: Path) -> None:
    """Put *release* online, record it, and prune the old ones."""
    if release.is_dir():
        os.utime(release)  # published again: the newest for pruning
    switch(target, release)
    log(target, f"published {release.name[:12]} at {target.publish}")
    prune(target)


def switch(target: Target, release: Path) -> None:
    """Point the published link at *release* in one step: readers see the old site or the new one."""
    from generator.errors import PublishError

    if target.publish.exists() and not target.publish.is_symlink():
        raise PublishError("is not a symbolic link; move it away so the site can be published there", target.publish)
    link = target.publish.with_name(f".{target.publish.name}.{os.getpid()}.link")
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, target.publish.parent), link)
    os.replace(link, target.publish)


def prune(target: Target) -> list[Path]:
    """Remove all but the newest :attr:`Target.keep` releases, never the published one."""
    current = published_commit(target)
    found = [p for p in target.releases.iterdir() if p.is_dir() and not p.name.startswith(".")]
    found.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    removed = []
    kept = 0
    for release in found:
        if release.name == current or kept < target.keep - 1:
            kept += release.name != current
            continue
        shutil.rmtree(release, ignore_errors=True)
        removed.append(release)
    return removed


def os_words(exc: OSError) -> str:
    """An OSError of the build's bookkeeping, in words, naming the file."""
    return f"{exc.filename}: {os_reason(exc)}" if exc.filename else os_reason(exc)


def indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
