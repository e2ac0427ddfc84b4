"""Writing files so that a reader sees the old bytes or the new ones, never half of them; making
a published folder readable whatever the umask; saying in words why the system refused a write."""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".tmp-"
"""Temporary files are hidden (the builds and the watchers skip names starting with a dot)."""
FOLDER_MODE = 0o755
FILE_MODE = 0o644
"""What a published site is given: a web server running as another user can read it, only its
owner can change it."""


def atomic_write(path: Path, data: bytes | str, mode: int = FILE_MODE) -> None:
    """Write *data* to *path* through a temporary file in the same folder, renamed into place.

    The file gets *mode* (readable by a web server: 0644 by default). If writing fails (the disk
    is full, say) the temporary file is removed, *path* keeps its old content, and the
    :class:`OSError` is raised (:func:`os_reason` says it in words)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = temp_name(path.parent)
    try:
        write_new(tmp, payload, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        discard(tmp, exc)
        raise


def temp_name(folder: Path) -> Path:
    """A new hidden name in *folder* for a temporary file, which :func:`write_new` then makes.

    The name is known before the file exists (unlike ``tempfile.mkstemp``, which names it as it
    makes it): a Ctrl-C or SIGTERM that stops the writer at any point after this finds the name
    in the writer's hands to remove, and never leaves a temporary file behind."""
    return folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}"


def discard(tmp: Path, exc: BaseException) -> None:
    """Remove the temporary file *tmp* whose writing *exc* stopped, unless *exc* says that a file
    of that name was there already (another writer's, not this one's to remove)."""
    if not isinstance(exc, FileExistsError):
        tmp.unlink(missing_ok=True)


def write_new(path: Path, data: bytes, mode: int = FILE_MODE) -> None:
    """Make the file *path*, which must not exist yet (FileExistsError), holding *data*, with *mode*."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        view = memoryview(data)
        while view:  # os.write may write only part of it (interrupted by a signal, say)
            view = view[os.write(fd, view) :]
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the file *path* (``.<name without .yml>.lock`` beside it, ``fcntl.flock``):
    one change at a time; other writers wait their turn."""
    lock = path.with_name(f".{path.name.removesuffix('.yml')}.lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def make_readable(folder: Path) -> None:
    """Give *folder*, and every folder and file under it, the modes of a published site
    (:data:`FOLDER_MODE`, :data:`FILE_MODE`): the tools that built it wrote under the builder's
    umask, which may be 077 (a web server running as another user would get 403 Forbidden)."""
    os.chmod(folder, FOLDER_MODE)
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, FOLDER_MODE)
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def is_disk_full(exc: BaseException) -> bool:
    """Whether *exc* says that the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in DISK_FULL


def os_reason(exc: OSError) -> str:
    """Why the system refused, in an editor's words: "the disk is full", "permission denied"…"""
    if exc.errno in DISK_FULL:
        return "the disk is full"
    return {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the disk is read-only",
        errno.ENAMETOOLONG: "the file name is too long for the file system",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
        errno.EISDIR: "it is a folder, not a file",
        errno.EEXIST: "something else of that name is in the way",
    }.get(exc.errno or 0, (exc.strerror or str(exc)).lower())
