"""The built site and its standby copy: two folders that share their unchanged files.

``site/`` is what is served. Beside it, ``.site.standby/`` holds the same files as hard links
(no file is stored twice). A build that changes a few pages writes them into the standby copy,
each as a new file renamed into place, so the served site never changes under a reader; then
the two folders trade places in one atomic exchange (``renameat2`` with ``RENAME_EXCHANGE`` on
Linux; elsewhere two renames, with a moment in between when ``site/`` is missing). The old site
becomes the standby copy, and the next build first brings it up to date by re-linking only the
files that the last build changed (:meth:`Generations.standby`).

A full build makes a fresh folder instead; after its exchange, the old site is removed and a
standby copy is made by linking every file of the new one (the next edit then needs no copy).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator.util.process import c_library

STANDBY = ".site.standby"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _libc_renameat2() -> object | None:
    try:
        function = c_library().renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _libc_renameat2()


def exchange(one: Path, other: Path) -> bool:
    """Swap the folders *one* and *other* in one step; False when the system cannot (the caller
    then renames)."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(AT_FDCWD, os.fsencode(one), AT_FDCWD, os.fsencode(other), RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(one))


def put_in_place(new: Path, target: Path) -> Path | None:
    """Make *new* the folder at *target*; return where the old *target* went (None if there was none)."""
    if not target.exists():
        os.replace(new, target)
        return None
    if exchange(new, target):
        return new
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    os.replace(target, old)
    os.replace(new, target)
    return old


def identity(folder: Path) -> str:
    """What tells this folder from another one of the same name (device and inode)."""
    try:
        stat = folder.stat()
    except OSError:
        return ""
    return f"{stat.st_dev}:{stat.st_ino}"


def link_copy(source: Path, dest: Path) -> None:
    """A copy of the folder *source* at *dest* whose files are hard links to *source*'s."""
    dest.mkdir()
    os.chmod(dest, os.stat(source).st_mode & 0o7777)
    for entry in os.scandir(source):
        target = dest / entry.name
        if entry.is_dir(follow_symlinks=False):
            link_copy(Path(entry.path), target)
        else:
            try:
                os.link(entry.path, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(entry.path, target, follow_symlinks=False)


def resync(live: Path, standby: Path, changed: Iterable[str]) -> None:
    """Make *standby* hold what *live* holds at each of the paths *changed* (relative; files
    that differ between the two since the last build): a hard link to *live*'s file, or nothing."""
    folders = set()
    for rel in changed:
        source, target = live / rel, standby / rel
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".link-{target.name}")
            temp.unlink(missing_ok=True)
            os.link(source, temp)
            os.replace(temp, target)
        else:
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            folders.update(Path(rel).parents)
    for folder in sorted(folders, key=lambda f: -len(f.parts)):
        if folder.parts and not (live / folder).exists():
            with contextlib.suppress(OSError):
                (standby / folder).rmdir()


def remove(folder: Path | None) -> None:
    if folder is not None and folder.exists():
        shutil.rmtree(folder)
